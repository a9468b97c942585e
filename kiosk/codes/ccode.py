"""The C-code (Cコード, 図書分類コード) of the 日本図書コード: readership, form, subject.

Four digits, printed as ``C8797`` beside the ISBN and carried in the book's second barcode
(``192`` + C-code + price): 1st digit 販売対象 (readership), 2nd 発行形態 (form), 3rd–4th
内容 (subject, a matrix of 大分類 × 中分類 loosely after NDC).

Source: 日本図書コード管理センター (isbn.jpo.or.jp), 『ISBNコード／日本図書コード／
書籍JANコード 利用の手引き』, 「分類記号（Cコード）一覧表」, as reproduced at
sabimaru.mydns.jp/memo/shoseki-code.html and described in NDL レファレンス協同データベース
(crd.ndl.go.jp, 山口県立山口図書館, 管理番号 0000110974). Readership 4 was an unused code
(空番) in the older tables; the current guide lists it as 検定教科書・消費税非課税品・その他,
which is what we show. Subject codes not in the table (e.g. 03, 78) are reported with
``subject`` None rather than guessed: publishers occasionally print codes outside it.
"""

from dataclasses import dataclass
from functools import lru_cache

from kiosk.errors import KioskError

READERSHIP = {
    "0": "一般",
    "1": "教養",
    "2": "実用",
    "3": "専門",
    "4": "検定教科書・消費税非課税品・その他",
    "5": "婦人",
    "6": "学参I（小・中学生対象）",
    "7": "学参II（高校生対象）",
    "8": "児童（中学生以下対象）",
    "9": "雑誌扱い",
}

FORM = {
    "0": "単行本",
    "1": "文庫",
    "2": "新書",
    "3": "全集・双書",
    "4": "ムック・その他",
    "5": "事・辞典",
    "6": "図鑑",
    "7": "絵本",
    "8": "磁性媒体など",
    "9": "コミック",
}

SUBJECT = {
    "00": "総記", "01": "百科事典", "02": "年鑑・雑誌", "04": "情報科学",
    "10": "哲学", "11": "心理（学）", "12": "倫理（学）", "14": "宗教", "15": "仏教", "16": "キリスト教",
    "20": "歴史総記", "21": "日本歴史", "22": "外国歴史", "23": "伝記", "25": "地理", "26": "旅行",
    "30": "社会科学総記", "31": "政治（含む国防軍事）", "32": "法律", "33": "経済・財政・統計",
    "34": "経営", "36": "社会", "37": "教育", "39": "民族・風習",
    "40": "自然科学総記", "41": "数学", "42": "物理学", "43": "化学", "44": "天文・地学",
    "45": "生物学", "47": "医学・歯学・薬学",
    "50": "工学・工学総記", "51": "土木", "52": "建築", "53": "機械", "54": "電気",
    "55": "電子通信", "56": "海事", "57": "採鉱・冶金", "58": "その他の工業",
    "60": "産業総記", "61": "農林業", "62": "水産業", "63": "商業", "65": "交通・通信",
    "70": "芸術総記", "71": "絵画・彫刻", "72": "写真・工芸", "73": "音楽・舞踊", "74": "演劇・映画",
    "75": "体育・スポーツ", "76": "諸芸・娯楽", "77": "家事", "79": "コミックス・劇画",
    "80": "語学総記", "81": "日本語", "82": "英米語", "84": "ドイツ語", "85": "フランス語", "87": "各国語",
    "90": "文学総記", "91": "日本文学総記", "92": "日本文学詩歌", "93": "日本文学、小説・物語",
    "95": "日本文学、評論、随筆、その他", "97": "外国文学小説", "98": "外国文学、その他",
}


@dataclass(frozen=True)
class CCode:
    """A decoded C-code; ``subject`` is None for a code outside the published table."""

    code: str
    readership: str
    form: str
    subject: str | None

    def to_json(self) -> dict:
        return {"code": self.code, "readership": self.readership, "form": self.form, "subject": self.subject}


def decode_c_code(code: str) -> CCode:
    """Decode four digits (``"8797"`` or ``"C8797"``) into readership, form and subject."""
    digits = code[1:] if code[:1] in ("C", "c") else code
    if len(digits) != 4 or not (digits.isascii() and digits.isdigit()):
        raise KioskError(
            f"{code!r} is not a C-code: expected 4 digits, e.g. C8797",
            f"「{code}」はCコードではありません（C＋4桁の数字、例: C8797）",
        )
    return _decode(digits)


@lru_cache(maxsize=None)
def _decode(digits: str) -> CCode:
    """Cached: there are only 10,000 C-codes and the parser meets the same few all day."""
    return CCode(digits, READERSHIP[digits[0]], FORM[digits[1]], SUBJECT.get(digits[2:]))
