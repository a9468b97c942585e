"""What is printed about a registered copy, as data (the printer package paints it):

- ``callnumber``: the two-tier call number (請求記号) of the spine label;
- ``copy_set``: copies asked for by number, with what printing anything about them needs;
- ``processing_checklist``: the 装備チェックリスト, what staff still do by hand;
- ``basic_cards``: the 基本カード of a copy.
"""
