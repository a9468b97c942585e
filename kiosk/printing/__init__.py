"""Printing as the domain sees it: the printers staff configured (``printers``), the queue of
jobs whose sending state is committed before the bytes go (``queue``), and what a printer can
answer that stops a job (``errors``). The backends that talk to printers are in ``printer/``.
"""
