"""The ledger (図書台帳): registration numbers and everything that happens to a registered copy.

- ``accession``: the one write path for numbers and ledger positions (受入);
- ``prices``, ``funds``, ``fiscal``: the amounts, the kinds and funding sources, the school year;
- ``sheets``: the ledger as sheets with totals, and finding a copy by number;
- ``withdrawal``, ``rebinding``: 除籍, re-accession, corrections, 合本・分本;
- ``year_figures``, ``csv_export``: the year's figures for the audit, the ledger as CSV;
- ``number_ranges``, ``typed_numbers``: numbers as staff type them.
"""
