"""The camera as a scanner: what one look at a book (one video frame) may post, and in what order.

The page decodes the camera's frames in the browser (the BarcodeDetector, native or the bundled
polyfill; ``web/static/js/camera.js``). A code counts once it was read the same in two frames,
and again only after it has left the frame for a while: that is the camera's double-read rule,
kept on the page, which posts each counted look once. The codes counted together from one frame
are posted together: a Japanese book's ISBN and its 192 price code, printed side by side, are
one look, and ``read_frame`` puts them in the order ``PriceCodePairing`` pairs them (the ISBN,
then its 192 code right after it, from the same scanner at the same clock reading), so they are
paired at once, whatever the library's pairing window. Then they take the one path of every scan
(``ScanFeed.receive_frame``: parsed, paired, numbered by the broker).

Refused, with the reason (nothing is fed): no code; more codes than one book carries; a code in
a symbology the kiosk does not read (only EAN-13, NW-7/Codabar, Code 39 and Code 128: the
book's codes and the library's item labels); an EAN-13 that is not 13 digits; two different
ISBNs or two different 192 codes in one look (two books: which price goes with which?).
A code read twice in one frame is one code.

Pure: no I/O, no clock.
"""

import re
from dataclasses import dataclass

from kiosk.errors import KioskError
from kiosk.scan.pairing import Pairing

CAMERA_SCANNER = re.compile(r"camera(-[a-z0-9]{1,16})?")  # a page's camera; the stream tells its scans by it
FORMATS = {  # BarcodeDetector's names → what the kiosk calls them
    "ean_13": "EAN-13",
    "codabar": "NW-7",
    "code_39": "Code 39",
    "code_128": "Code 128",
}
MAX_CODES = 4  # a book's two codes and an item label, with room for one stray
MAX_CHARACTERS = 64  # an item label or an EAN, not a document
# A frame whose sharpness (the variance of the Laplacian of the frame shrunk to 320 pixels wide,
# in grey levels 0-255; measured on the page) is below SHARPNESS_MIN is too blurred to trust: the
# panel says ピントが合っていません and no code of it counts. Sharp print is in the hundreds or
# more (a photo-like test frame ~650), a barcode out of focus falls below 10. A frame whose grey
# levels hardly vary (standard deviation below FLAT_MAX: a bare desk, a blank wall) shows nothing
# to focus on: the panel says バーコードが見つかりません there, not ピント.
SHARPNESS_MIN = 60.0
FLAT_MAX = 15.0


@dataclass(frozen=True)
class CameraCode:
    """One barcode the page read in a frame: its text and BarcodeDetector format."""

    text: str
    format: str

    @property
    def book_code(self) -> str | None:
        """``isbn`` (978/979…), ``price_code`` (192…) or None (anything else)."""
        if self.format != "ean_13":
            return None
        if self.text.startswith(("978", "979")):
            return "isbn"
        return "price_code" if self.text.startswith("192") else None


@dataclass(frozen=True)
class CameraFrame:
    """The codes of one look, in the order the feed takes them: the ISBN, its 192 code, the rest."""

    codes: tuple[CameraCode, ...]

    @property
    def texts(self) -> list[str]:
        return [code.text for code in self.codes]

    @property
    def paired(self) -> bool:
        """An ISBN and a 192 code in this one look: they go on one copy."""
        kinds = [code.book_code for code in self.codes]
        return "isbn" in kinds and "price_code" in kinds


def read_frame(posted: object) -> CameraFrame:
    """The codes a page posted for one frame (a list of ``{"text": …, "format": …}``), checked
    and ordered; a KioskError (English, Japanese) says why a post is refused."""
    if not isinstance(posted, list) or not posted:
        raise _refused("a camera scan carries the list of codes read in one frame; none was posted",
                       "カメラで読んだバーコードが届きませんでした。もう一度写してください")
    if len(posted) > MAX_CODES:
        raise _refused(f"{len(posted)} codes in one frame: at most {MAX_CODES} (one book at a time)",
                       "バーコードが多すぎます。本を1冊ずつ写してください")
    codes: dict[str, CameraCode] = {}
    for entry in posted:
        code = _code(entry)
        codes.setdefault(code.text, code)
    for kind, what in (("isbn", "ISBNs"), ("price_code", "192 price codes")):
        found = [c.text for c in codes.values() if c.book_code == kind]
        if len(found) > 1:
            raise _refused(f"two different {what} in one frame ({', '.join(found)}): one book at a time",
                           "2冊の本が写っています。本を1冊ずつ写してください")
    order = {"isbn": 0, "price_code": 1, None: 2}
    return CameraFrame(tuple(sorted(codes.values(), key=lambda c: order[c.book_code])))


def _code(entry: object) -> CameraCode:
    if not isinstance(entry, dict):
        raise _refused(f"a camera code is an object with text and format, not {entry!r:.40}",
                       "カメラで読んだバーコードの形式が違います")
    text, format_ = entry.get("text"), entry.get("format")
    if format_ not in FORMATS:
        raise _refused(f"barcode format {format_!r:.40} is not read by the kiosk "
                       f"(only {', '.join(FORMATS.values())})",
                       "本のバーコード（EAN-13）と図書館のバーコード（NW-7・Code 39・Code 128）だけを読みます")
    if not isinstance(text, str) or not text.strip():
        raise _refused("a camera code without text", "カメラで読んだバーコードが空でした")
    if len(text) > MAX_CHARACTERS:
        raise _refused(f"a camera code of {len(text)} characters (at most {MAX_CHARACTERS})",
                       "読み取った文字が長すぎます。バーコードだけを写してください")
    if format_ == "ean_13" and not re.fullmatch(r"\d{13}", text):
        raise _refused(f"EAN-13 code {text!r} is not 13 digits", "本のバーコードを読み違えました。もう一度写してください")
    return CameraCode(text, format_)


def _refused(english: str, japanese: str) -> KioskError:
    return KioskError(english, japanese)


def one_copy_per_book(pairings: list[Pairing]) -> list[Pairing]:
    """One look's scans, as the feed paired them, as a delivery takes them: an ISBN and the 192
    code the feed attached to it right after are one copy with its list price and C-code (added
    in one write, as when a scanner reads the 192 code first), not a copy then its price."""
    taken: list[Pairing] = []
    for pairing in pairings:
        previous = taken[-1] if taken else None
        if (pairing.action == "attach" and pairing.scan.kind == "price_code" and previous is not None
                and previous.action == "book" and previous.isbn13 == pairing.isbn13):
            taken[-1] = Pairing("attach", previous.scan, isbn13=previous.isbn13, price_code=pairing.scan)
        else:
            taken.append(pairing)
    return taken
