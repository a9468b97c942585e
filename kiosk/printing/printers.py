"""The printers staff configured (設定 → ラベルの印刷), and what a printer URL may name.

A request at the kiosk never says where labels go: it names one of these printers by its id,
and ``printer_url`` turns the id into the URL staff saved. The URLs are typed by staff alone, on
the settings screen, and ``check_printer_url`` checks them before they are saved and again
before each use:

- ``pdf:DIR``: DIR inside the kiosk's data directory (``kiosk.config.data_dir()``; a relative DIR
  is taken from there) or inside the one folder named by ``KIOSK_PDF_FOLDER`` in the kiosk's
  environment. That folder is chosen by whoever installs the kiosk (like ``KIOSK_DATA_DIR``),
  never on a screen: a folder chosen on the settings screen would let anyone with the PIN write
  anywhere. ``..`` is refused; symlinks are resolved before the check; the URL is saved resolved.
- ``cups:QUEUE``, ``cups://HOST[:PORT]/QUEUE``: a queue name of letters, digits and ``_ . -``.
- ``ipp://HOST[:PORT]/PATH``, ``ipps://…``, ``zpl:tcp://HOST[:PORT]``,
  ``brother-ql:tcp://HOST[:PORT]?model=…&label=…``: a host name or IP address and a port, as typed;
  no ``user@``, no other scheme, no query but Brother's model and label.
- ``brother-ql:usb://0xVVVV:0xPPPP`` (VID:PID in hex), with the same model and label.

In the settings (kiosk.printing_settings.PrintingSettings), ``printers`` are the
ConfiguredPrinters and ``printer`` the default printer's URL ("" for none: labels open as a PDF
in the browser). A kiosk set up before printers had names has only ``printer``: it reads as
printer 1, named プリンター, the default. Each printer's calibration stays keyed by its URL (printer.calibration).
"""

import ipaddress
import os
import re
from dataclasses import replace
from pathlib import Path
from urllib.parse import parse_qsl

from kiosk import config
from kiosk.errors import KioskError
from kiosk.printing_settings import ConfiguredPrinter, PrintingSettings

PDF_FOLDER_ENV = "KIOSK_PDF_FOLDER"
LEGACY_NAME = "プリンター"

_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOST = rf"(?P<host>{_LABEL}(?:\.{_LABEL})*|\[[0-9A-Fa-f:.]+\])(?::(?P<port>[0-9]{{1,5}}))?"
_QUEUE = r"[A-Za-z0-9][A-Za-z0-9_.-]{0,126}"  # never a leading "-": lp would read it as an option
_NETWORK = {
    "cups": re.compile(rf"cups://{_HOST}/(?P<queue>{_QUEUE})?"),
    "ipp": re.compile(rf"ipps?://{_HOST}(?P<path>(?:/[A-Za-z0-9_.~-]+)*/?)"),
    "zpl": re.compile(rf"zpl:tcp://{_HOST}/?"),
    "brother-ql": re.compile(rf"brother-ql:tcp://{_HOST}/?(?:\?(?P<query>[^#]*))?"),
}
_LOCAL_QUEUE = re.compile(rf"cups:(?P<queue>{_QUEUE})?")
_USB = re.compile(r"brother-ql:usb://0x(?P<vid>[0-9a-fA-F]{4}):0x(?P<pid>[0-9a-fA-F]{4})(?:\?(?P<query>[^#]*))?")
_EXAMPLES = ("pdf:フォルダ、cups:キュー名、ipp://ホスト/ipp/print、zpl:tcp://ホスト:9100、"
             "brother-ql:tcp://ホスト?label=62、brother-ql:usb://0x04f9:0x209b")


def check_printer_url(url: str) -> str:
    """The URL in the form it is saved and used in (a pdf: folder resolved), or KioskError
    with the reason in Japanese."""
    url = (url or "").strip()
    if not url or len(url) > 300 or any(ord(c) < 32 or ord(c) == 127 for c in url):
        raise KioskError(f"printer {url[:80]!r} is not a printer URL", f"プリンターの指定が正しくありません（{_EXAMPLES}）")
    scheme = url.partition(":")[0]
    if scheme == "pdf":
        return "pdf:" + str(pdf_folder(url[4:]))
    if scheme == "cups" and not url.startswith("cups://"):
        if not _LOCAL_QUEUE.fullmatch(url):
            raise KioskError(f"CUPS queue names are letters, digits and _ . - : {url!r}",
                             "CUPSのキュー名は英数字と _ . - だけです（例 cups:Brother）")
        return url
    if scheme == "brother-ql" and url.startswith("brother-ql:usb:"):
        usb = _USB.fullmatch(url)
        if not usb:
            raise KioskError(f"a USB printer is named by VID:PID, e.g. brother-ql:usb://0x04f9:0x209b, not {url!r}",
                             "USBのプリンターは brother-ql:usb://0x04f9:0x209b のように VID:PID で指定してください")
        _check_brother_query(usb["query"])
        return url
    pattern = _NETWORK.get("ipp" if scheme == "ipps" else scheme)
    if pattern is None:
        raise KioskError(f"unknown printer {url!r}", f"プリンターの指定「{url}」が正しくありません（{_EXAMPLES}）")
    found = pattern.fullmatch(url)
    if not found or not _host_ok(found["host"], found["port"]):
        raise KioskError(f"a network printer is a host name or IP address and a port, nothing else: {url!r}",
                         "ネットワークのプリンターはホスト名（またはIPアドレス）とポート番号だけで指定してください"
                         f"（例 zpl:tcp://192.0.2.10:9100）: {url}")
    if "path" in found.groupdict() and any(set(part) == {"."} for part in found["path"].split("/") if part):
        raise KioskError(f"no . or .. in a printer's path: {url!r}", "プリンターのパスに「.」「..」は使えません")
    if scheme == "brother-ql":
        _check_brother_query(found["query"])
    return url


def pdf_folder(typed: str) -> Path:
    """The folder a pdf: printer writes into: inside the data directory or the KIOSK_PDF_FOLDER,
    symlinks resolved. A relative folder is taken from the data directory."""
    if not typed.strip():
        raise KioskError("a pdf: printer needs a folder", "pdf: のあとに保存先のフォルダを書いてください")
    if ".." in Path(typed).parts or typed.startswith("~"):
        raise KioskError(f"no .. or ~ in a PDF folder: {typed!r}", "PDFの保存先に「..」や「~」は使えません")
    allowed = _pdf_roots()
    folder = (allowed[0] / typed).resolve()  # an absolute typed path replaces the data directory
    if not any(folder == root or root in folder.parents for root in allowed):
        where = "、".join(str(root) for root in allowed)
        raise KioskError(f"PDF folder {folder} is outside {' and '.join(str(root) for root in allowed)}",
                         f"PDFの保存先はキオスクのフォルダ（{where}）の中にしてください: {folder}")
    return folder


def _pdf_roots() -> list[Path]:
    roots = [config.data_dir().expanduser().resolve()]
    chosen = os.environ.get(PDF_FOLDER_ENV, "").strip()
    if chosen and Path(chosen).is_absolute():  # a relative one is ignored: relative to what?
        roots.append(Path(chosen).resolve())
    return roots


def _host_ok(host: str, port: str | None) -> bool:
    if port is not None and not 1 <= int(port) <= 65535:
        return False
    if host.startswith("["):
        try:
            ipaddress.IPv6Address(host[1:-1])
        except ValueError:
            return False
    return True


def _check_brother_query(query: str | None) -> None:
    from brother_ql.labels import ALL_LABELS
    from brother_ql.models import ALL_MODELS

    try:
        pairs = parse_qsl(query or "", keep_blank_values=True, strict_parsing=bool(query))
    except ValueError:
        pairs = [("?", "")]
    options = dict(pairs)
    if (len(options) != len(pairs) or set(options) - {"model", "label"}
            or options.get("model", "QL-820NWB") not in {model.identifier for model in ALL_MODELS}
            or options.get("label", "62") not in {label.identifier for label in ALL_LABELS}):
        raise KioskError(f"a Brother printer takes model= and label= only, each a known one: {query!r}",
                         "ブラザーのプリンターは model と label だけを指定します（例 ?model=QL-820NWB&label=62）")


def configured_printers(printing: PrintingSettings) -> list[ConfiguredPrinter]:
    """The printers staff configured, in their order; a default printer saved only as
    ``printer`` (a kiosk from before printers had names) is one more, named プリンター."""
    printers = list(printing.printers)
    if printing.printer and all(p.url != printing.printer for p in printers):
        printers.append(ConfiguredPrinter(max((p.id for p in printers), default=0) + 1, LEGACY_NAME, printing.printer))
    return printers


def default_printer_id(printing: PrintingSettings) -> int | None:
    """The id of the default printer (the one ``printer`` names), None for the browser's PDF."""
    return next((p.id for p in configured_printers(printing) if p.url == printing.printer), None)


def printer_url(printing: PrintingSettings, printer_id: str | int | None) -> str | None:
    """The URL of the printer a request names by its id; none named ("" or None) is the default
    printer, None when there is none (the sheet opens in the browser). An id not among the
    configured printers is refused: nothing is printed."""
    chosen = str(printer_id).strip() if printer_id is not None else ""
    if not chosen:
        chosen = str(default_printer_id(printing) or "")
        if not chosen:
            return None
    printer = next((p for p in configured_printers(printing) if str(p.id) == chosen), None)
    if printer is None:
        raise KioskError(f"no printer {chosen[:20]!r} is configured",
                         "そのプリンターは設定にありません。画面に出ているプリンターから選んでください")
    try:
        return check_printer_url(printer.url)
    except KioskError as error:
        raise KioskError(f"printer {printer.name!r} cannot be used: {error}",
                         f"プリンター「{printer.name}」は使えません: {error.ja}"
                         "（職員が 設定 → ラベルの印刷 で直してください）") from None


def check_printers(printing: PrintingSettings) -> PrintingSettings:
    """The printing settings about to be saved with every printer URL in its saved form (a pdf:
    folder resolved), each one ``check_printer_url`` takes; two printers whose URLs turn out the
    same are refused (PrintingSettings checks that again)."""
    return replace(printing, printers=tuple(_checked(p) for p in printing.printers),
                   printer=check_printer_url(printing.printer) if printing.printer else "")


def _checked(printer: ConfiguredPrinter) -> ConfiguredPrinter:
    """The printer with its URL in saved form (its name is checked first, by ConfiguredPrinter)."""
    return replace(printer, url=check_printer_url(printer.url))


def edit_printers(printing: PrintingSettings, rows: dict[int, dict], added: dict | None, default: str) -> dict:
    """The printing values to save after staff edited the printer list on the settings screen:
    ``rows`` {id: {"name", "url", "remove"}} for the printers the screen showed, ``added`` a new
    printer ({"name", "url"}, or None), ``default`` the id chosen as the default ("" for none,
    "new" for the one added). Returns {"printers", "printer", "last_printer_id"}, as stored, for
    change_settings."""
    current = configured_printers(printing)
    unknown = set(rows) - {p.id for p in current}
    if unknown:
        raise KioskError(f"printers {sorted(unknown)} are no longer configured",
                         "プリンターの一覧が変わっています。設定の画面を開き直してください")
    printers = []
    for printer in current:
        row = rows.get(printer.id, {})
        if row.get("remove"):
            continue
        printers.append(_checked(ConfiguredPrinter(printer.id, row.get("name", printer.name), row.get("url", printer.url))))
    if added:
        # Never an id used before: a print page left open must not send to a printer added since.
        new_id = max([p.id for p in current] + [printing.last_printer_id]) + 1
        printers.append(_checked(ConfiguredPrinter(new_id, added.get("name") or "", added.get("url") or "")))
        default = str(new_id) if default == "new" else default
    chosen = next((p for p in printers if str(p.id) == default), None)
    if default and chosen is None:
        raise KioskError(f"the default printer {default[:20]!r} is not in the list",
                         "既定のプリンターは一覧の中から選んでください")
    last_id = max([p.id for p in current + printers] + [printing.last_printer_id])
    return {"printers": [p.to_stored() for p in printers], "printer": chosen.url if chosen else "",
            "last_printer_id": last_id}
