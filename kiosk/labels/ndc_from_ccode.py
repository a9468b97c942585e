"""A proposed NDC class (分類記号の推定) from the C-code (Cコード) printed on a book, for books no
source gives an NDC for.

The C-code's last two digits (内容) are the 日本図書コード's subject table, built on NDC's first
two digits with some changes (家事 is 77 under the arts, comics have their own 79). This module
maps each subject to the NDC class whose caption says the same thing; where the subject leaves
the region or language open (外国歴史, 各国語, 外国文学), it proposes the general class and says
where to look. The form digit wins where it settles the class: form 7 (絵本) is NDC 726.6, form 9
(コミック) is 726.1. Codes outside the table get no proposal, never a guess.

Every proposal is *estimated* (推定): a publisher chooses its C-code for the bookshop shelf, not
for the library's, so staff confirm the class with a tap before a label is printed.

Sources:
- The C-code table: 日本図書コード管理センター, 『ISBNコード／日本図書コード／書籍JANコード
  利用の手引き』, 「分類コード（Cコード）」, https://isbn.jpo.or.jp/doc/08.pdf#page=44 (the page
  EDItEUR's ONIX code list 26, value 78 "Japanese book trade C-Code", cites; the 2025 edition
  is https://isbn.jpo.or.jp/doc/ISBN_jp2025.pdf). The captions are in kiosk/codes/ccode.py.
- The NDC side: 『日本十進分類法 新訂10版』 (日本図書館協会, 2014), its summaries (第2次区分表
  綱目表, 第3次区分表 要目表) as published by the JLA's NDC data (https://www.jla.or.jp/committees/bunrui/tabid/789/Default.aspx)
  and by libraries, e.g. https://www.library.metro.tokyo.jp/support_school/research/for_study/report_guide/tool/ndc .
- No published table maps the one onto the other (searched: the 管理センター's guide, the NDL,
  the JLA, school-library guides). This table is the kiosk's own, caption by caption; each row
  says which NDC caption it follows, and docs/callnumbers.md lists it.
"""

import logging
import unicodedata
from dataclasses import dataclass

from kiosk.errors import KioskError
from kiosk.lookup.record import clean_text
from kiosk.codes.ccode import decode_c_code

log = logging.getLogger(__name__)

ESTIMATED_JA = "推定"

# C-code subject (内容) → (NDC class, its NDC caption, where else to look when the subject is broad).
SUBJECT_TO_NDC: dict[str, tuple[str, str, str | None]] = {
    "00": ("000", "総記", None),
    "01": ("030", "百科事典", None),
    "02": ("050", "逐次刊行物", "年鑑は059"),
    "04": ("007", "情報科学", "コンピュータの機器は548"),
    "10": ("100", "哲学", None),
    "11": ("140", "心理学", None),
    "12": ("150", "倫理学.道徳", None),
    "14": ("160", "宗教", "神道は170"),
    "15": ("180", "仏教", None),
    "16": ("190", "キリスト教", None),
    "20": ("200", "歴史", "世界史は209"),
    "21": ("210", "日本史", None),
    "22": ("200", "歴史", "地域で選ぶ：アジア220・ヨーロッパ230・アフリカ240・北アメリカ250・南アメリカ260・オセアニア270"),
    "23": ("280", "伝記", "個人の伝記は289"),
    "25": ("290", "地理.地誌.紀行", "日本は291"),
    "26": ("290", "地理.地誌.紀行", "日本の旅行案内は291.09"),
    "30": ("300", "社会科学", None),
    "31": ("310", "政治", "国防・軍事は390"),
    "32": ("320", "法律", None),
    "33": ("330", "経済", "財政は340、統計は350"),
    "34": ("335", "企業.経営", "経営管理は336"),
    "36": ("360", "社会", None),
    "37": ("370", "教育", None),
    "39": ("380", "風俗習慣.民俗学.民族学", None),
    "40": ("400", "自然科学", None),
    "41": ("410", "数学", None),
    "42": ("420", "物理学", None),
    "43": ("430", "化学", None),
    "44": ("440", "天文学.宇宙科学", "地学は450"),
    "45": ("460", "生物科学.一般生物学", "植物は470、動物は480"),
    "47": ("490", "医学.薬学", None),
    "50": ("500", "技術.工学", None),
    "51": ("510", "建設工学.土木工学", None),
    "52": ("520", "建築学", None),
    "53": ("530", "機械工学", None),
    "54": ("540", "電気工学", None),
    "55": ("547", "通信工学.電気通信", "情報工学（コンピュータ）は548、電子工学は549、プログラミングは007.64"),
    "56": ("550", "海洋工学.船舶工学", "海運は683"),
    "57": ("560", "金属工学.鉱山工学", None),
    "58": ("580", "製造工業", "化学工業は570"),
    "60": ("600", "産業", None),
    "61": ("610", "農業", "林業は650"),
    "62": ("660", "水産業", None),
    "63": ("670", "商業", None),
    "65": ("680", "運輸.交通", "通信事業は690"),
    "70": ("700", "芸術.美術", None),
    "71": ("720", "絵画", "彫刻は710"),
    "72": ("740", "写真", "工芸は750"),
    "73": ("760", "音楽", "舞踊は769"),
    "74": ("770", "演劇", "映画は778"),
    "75": ("780", "スポーツ.体育", None),
    "76": ("790", "諸芸.娯楽", None),
    "77": ("590", "家政学.生活科学", None),  # Cコードでは芸術の類、NDCでは技術の類
    "79": ("726.1", "漫画.劇画", None),
    "80": ("800", "言語", None),
    "81": ("810", "日本語", None),
    "82": ("830", "英語", None),
    "84": ("840", "ドイツ語", None),
    "85": ("850", "フランス語", None),
    "87": ("800", "言語", "言語で選ぶ：中国語820・スペイン語860・イタリア語870・ロシア語880・その他890"),
    "90": ("900", "文学", None),
    "91": ("910", "日本文学", None),
    "92": ("911", "詩歌", None),
    "93": ("913", "小説.物語", "明治以降の作品は913.6"),
    "95": ("914", "評論.エッセイ.随筆", "日記・書簡・紀行は915、記録・手記は916"),
    "97": ("900", "文学", "原作の言語で選ぶ：英米933・ドイツ943・フランス953・ロシア983…（小説は9□3）"),
    "98": ("900", "文学", "原作の言語で選ぶ：英米930・ドイツ940・フランス950…"),
}
# C-code form (発行形態) digits that settle the class whatever the subject says.
FORM_TO_NDC: dict[str, tuple[str, str]] = {
    "7": ("726.6", "絵本"),
    "9": ("726.1", "漫画.劇画"),
}


@dataclass(frozen=True)
class NdcProposal:
    """An NDC class proposed from a C-code: always estimated until staff confirm it."""

    ndc: str
    caption: str  # the NDC caption the class follows
    c_code: str
    why: str  # in Japanese, for the card: which digit of which code gave it
    hint: str | None = None  # where else to look when the C-code is broad
    estimated: bool = True

    def to_json(self) -> dict:
        return {"ndc": self.ndc, "caption": self.caption, "c_code": self.c_code, "why": self.why,
                "hint": self.hint, "estimated": self.estimated}


def ndc_from_c_code(code: str | None) -> NdcProposal | None:
    """The NDC class the C-code suggests (``C0193`` → 913, 推定), or None when there is no
    code or its subject is outside the published table. A code that is not four digits raises
    KioskError with a Japanese message (it came from a scan, a slip or openBD: say so)."""
    if code is None or not str(code).strip():
        return None
    try:
        decoded = decode_c_code(unicodedata.normalize("NFKC", str(code)).strip())
    except KioskError:
        log.warning("not a C-code, no class proposed: %r", str(code)[:100])
        shown = clean_text(code, 20) or ""
        raise KioskError(f"{str(code)[:100]!r} is not a C-code: expected C and 4 digits, e.g. C0193",
                         f"「{shown}」はCコードではありません（C＋4桁の数字、例: C0193）") from None
    if decoded.code[1] in FORM_TO_NDC:
        ndc, caption = FORM_TO_NDC[decoded.code[1]]
        return NdcProposal(ndc, caption, decoded.code,
                           f"Cコード {decoded.code} の形態「{decoded.form}」から{ESTIMATED_JA}")
    row = SUBJECT_TO_NDC.get(decoded.code[2:])
    if row is None:
        return None
    ndc, caption, hint = row
    return NdcProposal(ndc, caption, decoded.code,
                       f"Cコード {decoded.code} の内容「{decoded.subject}」から{ESTIMATED_JA}", hint)

