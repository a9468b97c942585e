"""What importing a catalogue file gives back: the records read, and each row or record that
was skipped or imported with a field left out. Shared by the table reader
(catalogue_import.py) and the MARC 21 reader (marc21.py), so neither imports the other's types.
"""

from dataclasses import dataclass, field

from kiosk.lookup.record import BibRecord

SOURCE = "import"  # BibRecord.source of every imported record


@dataclass(frozen=True)
class ImportProblem:
    """A row (``line``) or MARC record (``record``, 1-based) that was skipped (error) or
    imported with a field left out (warning)."""

    message: str
    ja: str
    line: int | None = None
    record: int | None = None
    severity: str = "error"

    def where(self) -> str:
        return f"line {self.line}" if self.line else f"record {self.record}"


@dataclass
class ImportReport:
    format: str
    encoding: str | None
    records: list[BibRecord] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # header as written → field

    @property
    def errors(self) -> list[ImportProblem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[ImportProblem]:
        return [p for p in self.problems if p.severity == "warning"]
