"""The codes printed on a book and on a copy, and what they mean: ISBN (``isbn``), ISSN for
magazines (``issn``), the C-code of the 日本図書コード (``ccode``), and the kiosk's own item
barcode (``itemcode``). Pure functions over strings: no database, no I/O.
"""
