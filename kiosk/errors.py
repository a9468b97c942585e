"""Errors a person can act on.

Every error the kiosk raises for bad input carries two messages: a Japanese one for the
screen (``ja``) and a precise English one for logs and scripts (``str(error)``).
"""


class KioskError(Exception):
    """Bad input or a refused action: nothing was written."""

    def __init__(self, message: str, ja: str | None = None):
        super().__init__(message)
        self.ja = ja or message


class NotFound(KioskError):
    """A library, copy or number that does not exist."""


class NotEligible(KioskError):
    """The manual says this item is not registered (登録しない); an override note is needed."""

    def __init__(self, message: str, ja: str, category: str):
        super().__init__(message, ja)
        self.category = category
