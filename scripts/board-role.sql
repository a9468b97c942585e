-- The board of education's read-only PostgreSQL role (教育委員会), for `kiosk board` and
-- `kiosk serve --board` (docs/city.md). It may read what the board's view reads -- the
-- libraries, their copies and the schema's version -- and nothing else (not the staff's PIN
-- hashes, not the event log), and it writes nothing: no INSERT/UPDATE/DELETE is granted, and its
-- transactions are read-only by default as well.
--
-- Run once per city database, as its owner or a superuser, after the kiosks have created the
-- schema (the first `kiosk` command, or `kiosk migrate`):
--
--   psql -h SERVER -U OWNER -d kiosk -v role=kiosk_board -v password='…' -v schema=public \
--        -f scripts/board-role.sql
--
-- The board then uses KIOSK_DATABASE_URL=postgresql://kiosk_board:…@SERVER/kiosk.
-- To take it away again: DROP OWNED BY kiosk_board; DROP ROLE kiosk_board;
\set ON_ERROR_STOP on
CREATE ROLE :"role" LOGIN PASSWORD :'password';
ALTER ROLE :"role" SET default_transaction_read_only = on;
ALTER ROLE :"role" SET search_path = :"schema";
GRANT CONNECT ON DATABASE :"DBNAME" TO :"role";
GRANT USAGE ON SCHEMA :"schema" TO :"role";
GRANT SELECT ON :"schema".libraries, :"schema".copies, :"schema".alembic_version TO :"role";
