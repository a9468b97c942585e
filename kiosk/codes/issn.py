"""ISSN check digits, for magazines scanned or typed at delivery.

ISSN (ISO 3297, JIS X 0306): seven digits weighted 8 down to 2, modulus 11; the check is
11 minus the remainder, 10 written ``X`` and 11 written ``0`` (the same rule as ISBN-10).
Worked example from the ISSN International Centre: 0317-8471.

Magazines are recognised only to say so: the manual registers a magazine only when it is
loaned (こどものとも etc.), and then by hand like a picture book (``E``).
"""


def issn_check_digit(first7: str) -> str:
    total = sum(int(d) * (8 - i) for i, d in enumerate(first7))
    value = -total % 11
    return "X" if value == 10 else str(value)
