"""What is not registered (登録番号をつけない図書), from the city's manual.

Staff may still register such an item with an override note, which is kept with the copy.
"""

from dataclasses import dataclass

from kiosk.errors import KioskError, NotEligible


@dataclass(frozen=True)
class Category:
    code: str
    reason_ja: str
    reason_en: str


CATEGORIES = {
    c.code: c
    for c in (
        Category(
            "free_record",
            "無料でもらう「旅行記」「登山記」「○○学習記」などは登録しません",
            "free travel, climbing and study records are not registered",
        ),
        Category(
            "folk_tale_series",
            "無料で寄贈された「ふるさとの民話伝承シリーズ」などは登録しません",
            "local folk-tale series given free are not registered",
        ),
        Category(
            "graduation_anthology",
            "「卒業文集」などは登録しません",
            "graduation anthologies are not registered",
        ),
        Category(
            "pupils_works",
            "在校生・卒業生の文集など児童・生徒の作品集は登録しません",
            "collections of pupils' own work are not registered",
        ),
        Category(
            "leaflet",
            "貸し出しを行わず1年以上保存しないリーフ類は登録しません",
            "leaflets that are not loaned and kept under a year are not registered",
        ),
        Category(
            "shelved_apart",
            "寄贈された図書で書庫などに別置しているものは登録しません",
            "donated books shelved apart in storage are not registered",
        ),
        Category(
            "magazine",
            "雑誌は登録しません（貸し出すなら絵本と同様に扱い登録します）",
            "magazines are not registered unless they are loaned (then like picture books, E)",
        ),
        Category(
            "supplement",
            "別冊資料編など付録としてついてくるものは登録しません（基本カードは作ります）",
            "supplements that come with a book are not registered (a basic card is still made)",
        ),
    )
}


def check_eligible(category: str | None, *, loaned: bool = False, override_note: str | None = None) -> None:
    """Raise NotEligible for an item the manual does not register, unless overridden.

    ``category`` is None for an ordinary book. A magazine that is loaned is registered.
    An override needs a note saying why (it is kept with the copy and in the event log).
    """
    if category is None:
        return
    if category not in CATEGORIES:
        raise KioskError(
            f"unknown category {category!r}: use one of {', '.join(CATEGORIES)}",
            f"区分「{category}」はありません",
        )
    if category == "magazine" and loaned:
        return
    if override_note and override_note.strip():
        return
    c = CATEGORIES[category]
    raise NotEligible(
        f"not registered: {c.reason_en}; give an override note to register it anyway",
        f"登録しません: {c.reason_ja}。登録する場合は理由を記入してください",
        category,
    )
