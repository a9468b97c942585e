"""A small streaming xlsx (Office Open XML spreadsheet) writer: worksheets of typed cells — text,
numbers, dates, a bold heading row — with column widths and frozen heading rows; nothing else.

Written by hand because openpyxl's writer, even in write-only mode, took 28-44 s for the
100,000-copy ledger here (most of it per-cell XML serialisation, lxml or not), and issue 16 asks
for < 10 s; this one writes it in about 1 s. Here a row is one formatted string; text goes into the shared
string table (each distinct string escaped once, as Excel itself writes it); each worksheet is
streamed into the zip as its rows come, so memory stays that of one block of rows plus the
strings. Text is always a text cell, never a formula, whatever it starts with.
tests/core/test_xlsx_writer.py reads every cell back with openpyxl.
"""

import io
import re
import zipfile
from datetime import date, datetime, timezone
from typing import Iterable, Sequence
from xml.sax.saxutils import escape, quoteattr

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
EPOCH = date(1899, 12, 30)  # serial 0 of Excel's 1900 date system (its 1900-02-29 bug folded in)
# Cell styles (cellXfs), in styles.xml's order.
STYLES = {None: "", "bold": ' s="1"', "date": ' s="2"', "yen": ' s="3"'}
DATE_FORMAT = "yyyy-mm-dd"
FLUSH_ROWS = 2000
_NOT_IN_NAMES = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")  # no XML 1.0 document may hold these


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class XlsxWorkbook:
    def __init__(self, *, title: str = "", creator: str = ""):
        self.title, self.creator = title, creator
        self.out = io.BytesIO()
        self.zip = zipfile.ZipFile(self.out, "w", zipfile.ZIP_DEFLATED, compresslevel=1)
        self.sheet_names: list[str] = []
        self.strings: dict[str, int] = {}
        self._sheet: XlsxSheet | None = None

    def __enter__(self) -> "XlsxWorkbook":
        return self

    def __exit__(self, *failure) -> None:
        """Whatever happened, the zip is closed (an open worksheet with it)."""
        if self.zip.fp is not None:
            if self._sheet is not None:
                self._sheet.stream.close()
                self._sheet = None
            self.zip.close()

    def add_sheet(self, name: str, *, widths: Sequence[float] = (), styles: dict[int, str] | None = None,
                  frozen_rows: int = 0) -> "XlsxSheet":
        """A new worksheet (the one before it is finished); ``styles``: column index → "date" or "yen".
        Excel's rule for the name: 1 to 31 characters, none of []:*?/\\, not one already used."""
        if not 1 <= len(name) <= 31 or _NOT_IN_NAMES.search(name) or name in self.sheet_names:
            raise ValueError(f"{name!r} cannot name a worksheet")
        self._finish_sheet()
        self.sheet_names.append(name)
        self._sheet = XlsxSheet(self, len(self.sheet_names), widths, styles or {}, frozen_rows)
        return self._sheet

    def to_bytes(self) -> bytes:
        self._finish_sheet()
        if not self.sheet_names:
            raise ValueError("a workbook needs at least one worksheet")
        count = len(self.sheet_names)
        self.zip.writestr("[Content_Types].xml", _content_types(count))
        self.zip.writestr("_rels/.rels", _package_rels())
        self.zip.writestr("docProps/core.xml", _core(self.title, self.creator))
        self.zip.writestr("docProps/app.xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                          '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
                          "<Application>accession kiosk</Application></Properties>")
        self.zip.writestr("xl/workbook.xml", _workbook(self.sheet_names))
        self.zip.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(count))
        self.zip.writestr("xl/styles.xml", _styles())
        self.zip.writestr("xl/sharedStrings.xml", self._shared_strings())
        self.zip.close()
        return self.out.getvalue()

    def string_index(self, text: str) -> int:
        index = self.strings.get(text)
        if index is None:
            index = self.strings[text] = len(self.strings)
        return index

    def _finish_sheet(self) -> None:
        if self._sheet is not None:
            self._sheet.close()
            self._sheet = None

    def _shared_strings(self) -> str:
        items = "".join(f'<si><t xml:space="preserve">{escape(_NOT_XML.sub("", text))}</t></si>'
                        for text in self.strings)
        return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{MAIN_NS}" '
                f'count="{len(self.strings)}" uniqueCount="{len(self.strings)}">{items}</sst>')


class XlsxSheet:
    """One worksheet, streamed: rows are appended in order and written out in blocks."""

    def __init__(self, book: XlsxWorkbook, number: int, widths: Sequence[float], styles: dict[int, str],
                 frozen_rows: int):
        self.book, self.styles, self.row_number = book, styles, 0
        self.stream = book.zip.open(f"xl/worksheets/sheet{number}.xml", "w", force_zip64=True)
        self.pending: list[str] = []
        self.letters = [column_letter(i) for i in range(max(len(widths), 64))]
        views = ""
        if frozen_rows:
            top_left = f"A{frozen_rows + 1}"
            views = (f'<sheetViews><sheetView workbookViewId="0"><pane ySplit="{frozen_rows}" topLeftCell="{top_left}" '
                     f'activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="{top_left}" '
                     f'sqref="{top_left}"/></sheetView></sheetViews>')
        cols = "".join(f'<col min="{i}" max="{i}" width="{width:g}" customWidth="1"/>'
                       for i, width in enumerate(widths, start=1))
        self._write(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN_NS}" '
                    f'xmlns:r="{REL_NS}">{views}{f"<cols>{cols}</cols>" if cols else ""}<sheetData>')

    def append(self, values: Iterable, *, bold: bool = False) -> None:
        """One row: None (an empty cell), str, int, float, bool or date, each in its column's style
        (``bold``: every cell bold)."""
        self.row_number += 1
        n = self.row_number
        cells = []
        for index, value in enumerate(values):
            if value is None:
                continue
            if index >= len(self.letters):
                self.letters.extend(column_letter(i) for i in range(len(self.letters), index + 64))
            ref = f"{self.letters[index]}{n}"
            style = STYLES["bold"] if bold else STYLES[self.styles.get(index)]
            kind = type(value)
            if kind is str:
                cells.append(f'<c r="{ref}"{style} t="s"><v>{self.book.string_index(value)}</v></c>')
            elif kind is int or kind is float:
                cells.append(f'<c r="{ref}"{style}><v>{value!r}</v></c>')
            elif kind is date:
                cells.append(f'<c r="{ref}"{style or STYLES["date"]}><v>{(value - EPOCH).days}</v></c>')
            elif kind is bool:
                cells.append(f'<c r="{ref}"{style} t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, datetime):
                serial = (value.replace(tzinfo=None) - datetime(1899, 12, 30)).total_seconds() / 86400
                cells.append(f'<c r="{ref}"{style or STYLES["date"]}><v>{serial!r}</v></c>')
            else:
                raise TypeError(f"cannot write a {kind.__name__} to a cell: {value!r}")
        self.pending.append(f'<row r="{n}">{"".join(cells)}</row>')
        if len(self.pending) >= FLUSH_ROWS:
            self._flush()

    def close(self) -> None:
        self._flush()
        self._write("</sheetData></worksheet>")
        self.stream.close()

    def _flush(self) -> None:
        if self.pending:
            self._write("".join(self.pending))
            self.pending = []

    def _write(self, text: str) -> None:
        self.stream.write(text.encode("utf-8"))


def _content_types(sheets: int) -> str:
    sheet = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
    overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{sheet}"/>'
                        for n in range(1, sheets + 1))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            f"{overrides}"
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            '<Override PartName="/docProps/app.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
            "</Types>")


def _package_rels() -> str:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{PKG_REL_NS}">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="xl/workbook.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
            'core-properties" Target="docProps/core.xml"/>'
            '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'extended-properties" Target="docProps/app.xml"/>'
            "</Relationships>")


def _core(title: str, creator: str) -> str:
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{escape(_NOT_XML.sub('', title))}</dc:title>"
            f"<dc:creator>{escape(_NOT_XML.sub('', creator))}</dc:creator>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{now}</dcterms:modified>'
            "</cp:coreProperties>")


def _workbook(names: list[str]) -> str:
    sheets = "".join(f'<sheet name={quoteattr(_NOT_XML.sub("", name))} sheetId="{n}" r:id="rId{n}"/>'
                     for n, name in enumerate(names, start=1))
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">'
            f'<bookViews><workbookView activeTab="0"/></bookViews><sheets>{sheets}</sheets></workbook>')


def _workbook_rels(sheets: int) -> str:
    base = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    rels = "".join(f'<Relationship Id="rId{n}" Type="{base}/worksheet" Target="worksheets/sheet{n}.xml"/>'
                   for n in range(1, sheets + 1))
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{PKG_REL_NS}">{rels}'
            f'<Relationship Id="rId{sheets + 1}" Type="{base}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rId{sheets + 2}" Type="{base}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>")


def _styles() -> str:
    """Fonts: normal and bold; cell formats: default, bold, date (yyyy-mm-dd), yen (#,##0: built-in 3)."""
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="{MAIN_NS}">'
            f'<numFmts count="1"><numFmt numFmtId="164" formatCode="{DATE_FORMAT}"/></numFmts>'
            '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
            '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
            '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
            '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
            '<xf numFmtId="3" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            "</styleSheet>")
