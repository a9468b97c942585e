"""What a printer can answer that stops a job, as exceptions the print queue records.

Kept apart from the queue and from printer/ so both import them: a printer backend raises
them without importing the queue (nor the database), and the domain catches them without
importing printer/. ``kiosk.printing.queue`` re-exports both, as before.
"""

from kiosk.errors import KioskError


class PrinterError(KioskError):
    """A printer that could not take a job: off, refused, out of labels, an error answer."""


class PrintOutcomeUnknown(PrinterError):
    """The printer took the job but did not say it printed: the job waits for staff to look
    (like one cut off by a crash), never resent by itself."""
