"""The database: opening it (``storage``: SQLite or PostgreSQL, migrated by Alembic from
``migrations/``), its tables (``models``), what to tell staff when it fails (``faults``) and
backups of an SQLite kiosk (``backup``).
"""
