"""年度: the Japanese fiscal (school) year runs from April 1 to March 31."""

from datetime import date


def fiscal_year(day: date) -> int:
    """The fiscal year a day belongs to: 2027-03-31 is in 2026, 2027-04-01 in 2027."""
    return day.year if day.month >= 4 else day.year - 1
