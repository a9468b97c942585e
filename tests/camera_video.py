"""Videos for Chromium's fake camera (--use-file-for-fake-video-capture=FILE.y4m), made from the
barcodes the kiosk reads: a Japanese book's two EAN-13 (ISBN above, 192 price code below) and
the library's NW-7 item label (printer.barcode's own pattern). A "photo-like" frame is the same
drawing as a camera sees it: turned a few degrees, a little out of focus, noisy, low contrast.

Chromium plays the file at the header's frame rate, over and over.
"""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

QUIET = 10  # modules of white each side of a symbol


def ean13_modules(code: str) -> str:
    """The EAN-13 pattern ('1' bar, '0' space) of a 13-digit code (python-barcode's encoder)."""
    from barcode.ean import EAN13

    symbol = EAN13(code[:12])
    assert symbol.ean == code, f"{code} has a wrong check digit (EAN13 makes {symbol.ean})"
    return "".join(symbol.build())


def item_modules(number: int, settings=None) -> str:
    """The library's item label as the kiosk prints it (printer.barcode; NW-7 unless ``settings``
    say Code 39 or Code 128)."""
    from kiosk.codes.itemcode import ItemCodeSettings
    from printer.barcode import item_barcode

    return item_barcode(number, settings or ItemCodeSettings()).modules


def draw_symbol(draw: ImageDraw.ImageDraw, modules: str, left: int, top: int, module: int, height: int) -> None:
    x = left + QUIET * module
    for bit in modules:
        if bit == "1":
            draw.rectangle([x, top, x + module - 1, top + height - 1], fill=(20, 20, 20))
        x += module


def book_frame(size: tuple[int, int], isbn: str | None = None, price: str | None = None, item: int | None = None,
               module: int | None = None, item_settings=None) -> Image.Image:
    """A book's back cover: its ISBN above its 192 code (either may be left out), on a pale cover."""
    width, height = size
    module = module or max(2, width // 320)
    image = Image.new("RGB", size, (236, 228, 212))
    draw = ImageDraw.Draw(image)
    symbol_width = (95 + 2 * QUIET) * module
    bar_height = height // 5
    left = width // 2 - symbol_width // 2
    draw.rectangle([left, height // 8, left + symbol_width, height * 7 // 8], fill=(255, 255, 255))
    if isbn:
        draw_symbol(draw, ean13_modules(isbn), left, height // 6, module, bar_height)
    if price:
        draw_symbol(draw, ean13_modules(price), left, height // 6 + bar_height + height // 8, module, bar_height)
    if item is not None:
        modules = item_modules(item, item_settings)
        draw_symbol(draw, modules, max(0, width // 2 - (len(modules) + 2 * QUIET) * module // 2), height // 3,
                    module, bar_height)
    return image


def empty_frame(size: tuple[int, int]) -> Image.Image:
    """The desk with no book on it: a few soft shapes, no barcode."""
    image = Image.new("RGB", size, (150, 130, 110))
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.rectangle([w // 10, h // 5, w // 3, h // 2], fill=(120, 100, 85))
    draw.ellipse([w // 2, h // 3, w * 3 // 4, h * 4 // 5], fill=(180, 170, 150))
    return image


def photo_like(image: Image.Image, angle: float = 3.0, blur: float = 0.8, noise: float = 10.0,
               contrast: float = 0.7, seed: int = 1) -> Image.Image:
    """The drawing as a camera sees it: turned, slightly out of focus, noisy, flat."""
    import random

    turned = image.rotate(angle, resample=Image.BICUBIC, fillcolor=(150, 130, 110))
    soft = turned.filter(ImageFilter.GaussianBlur(blur))
    flat = Image.blend(Image.new("RGB", image.size, (140, 135, 125)), soft, contrast)
    rng = random.Random(seed)
    grain = Image.effect_noise(image.size, noise).convert("RGB")
    shifted = Image.blend(flat, grain, 0.08 + rng.random() * 0.02)
    return shifted


def blurred(image: Image.Image, radius: float = 7.0) -> Image.Image:
    """Far out of focus: no bar edge left."""
    return image.filter(ImageFilter.GaussianBlur(radius))


def write_y4m(path: Path, frames: list[Image.Image], fps: int = 15) -> Path:
    """A YUV4MPEG2 file ('C420': full Y plane, U and V at half size) of the frames."""
    width, height = frames[0].size
    assert width % 2 == 0 and height % 2 == 0
    with open(path, "wb") as out:
        out.write(f"YUV4MPEG2 W{width} H{height} F{fps}:1 Ip A1:1 C420\n".encode())
        for frame in frames:
            y, u, v = frame.convert("RGB").convert("YCbCr").split()
            out.write(b"FRAME\n")
            out.write(y.tobytes())
            out.write(u.resize((width // 2, height // 2), Image.BILINEAR).tobytes())
            out.write(v.resize((width // 2, height // 2), Image.BILINEAR).tobytes())
    return path


def isbn13(n: int) -> str:
    """The n-th made-up ISBN of a test publisher (978-4-99…), with its check digit."""
    from kiosk.codes.isbn import isbn13_check_digit

    body = f"9784990{n:05d}"
    return body + str(isbn13_check_digit(body))


def price_code(list_price: int, c_code: str = "8797") -> str:
    """A 192 code: 192 + C-code + list price (5 digits) + check digit."""
    from kiosk.codes.isbn import isbn13_check_digit

    body = f"192{c_code}{list_price:05d}"
    return body + str(isbn13_check_digit(body))
