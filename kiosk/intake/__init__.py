"""Intake (検収): a delivery from the bookseller, from opening it to registering it.

- ``delivery``: the commands (open, scan, inspect, attach the slip, register) and the check
  against the slip;
- ``scan_outcome``: what one scan means for an open delivery, for every scanner;
- ``scan_page``: the scan screen's read model;
- ``pending_lookups``: scans recorded without waiting on the network, looked up after;
- ``slip``: the bookseller's delivery slip (納品書) read into lines;
- ``eligibility``: what is not registered (登録番号をつけない図書).
"""
