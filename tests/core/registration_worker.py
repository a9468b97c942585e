"""A separate process that registers copies, for the concurrency and crash tests.

    python -m tests.core.registration_worker URL LIBRARY_ID COUNT [--batch-max N]

Registers COUNT single copies (or, with --batch-max, deliveries of 1..N copies), each in its
own transaction, and prints each number it was given, one per line, as soon as it commits.
COUNT 0 means: go on until killed.
"""

import argparse
import random
import sys
from datetime import date

from kiosk.ledger.accession import Accession, Book, CopyRequest, register
from kiosk.ledger.funds import Fund, Kind
from kiosk.db.storage import open_database


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("library_id", type=int)
    parser.add_argument("count", type=int)
    parser.add_argument("--batch-max", type=int, default=1)
    args = parser.parse_args()
    db = open_database(args.url, migrate_if_needed=False)
    accession = Accession(kind=Kind.PURCHASE, fund=Fund.CITY, source="並行書店", on=date.today())
    done = 0
    while args.count == 0 or done < args.count:
        size = random.randint(1, args.batch_max)
        requests = [CopyRequest(Book(f"並行テスト {done}"), price=100)] * size
        for copy in register(db, args.library_id, accession, requests, actor="worker").copies:
            sys.stdout.write(f"{copy.number}\n")
        sys.stdout.flush()
        done += 1


if __name__ == "__main__":
    main()
