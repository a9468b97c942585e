"""Japanese first, English available: the screen's words in both languages.

The language is a cookie set by the switch in the header (default Japanese). Domain errors
carry both languages already (``KioskError.ja`` and its English message).

Two ways to name a text: ``t(key)`` for the keys below, and ``_(japanese)`` for a screen's own
Japanese, written as it is in the template and translated by web/english/ (keyed by the
Japanese itself, as gettext keys by its msgid): the templates stay readable, and the labels
of domain values (``FUND_LABELS_JA``…) translate the same way, ``_(label)``. Data shown on a
screen (titles, names, notes) is never translated; docs/screens.md says how it is marked.
"""

from flask import request

from web.english import ENGLISH
from web.callnumber_texts import CALL_NUMBER_TEXTS

LANGUAGES = ("ja", "en")

TEXTS = {
    "app.title": ("受入キオスク", "Accession kiosk"),
    "nav.home": ("ホーム", "Home"),
    "nav.delivery": ("納品の受入", "Receive a delivery"),
    "nav.find": ("本をさがす", "Find a copy"),
    "nav.scan": ("スキャン確認", "Scan check"),
    "nav.ledger": ("図書台帳", "Ledger"),
    "nav.printing": ("印刷", "Printing"),
    "nav.settings": ("設定", "Settings"),
    "nav.language": ("English", "日本語"),
    "staff.login": ("職員ログイン", "Staff sign-in"),
    "staff.pin": ("暗証番号", "PIN"),
    "staff.logout": ("職員ログアウト", "Sign out"),
    "staff.wrong_pin": ("暗証番号が違います", "Wrong PIN"),
    "staff.no_pin": ("暗証番号がまだ設定されていません。設定画面で決めてください。",
                     "No staff PIN is set yet: choose one in the settings."),
    "keypad.clear": ("消去", "Clear"),
    "keypad.back": ("1字消す", "Back"),
    "keypad.ok": ("決定", "OK"),
    "delivery.new": ("新しい納品", "New delivery"),
    "delivery.vendor": ("書店名・寄贈者", "Bookseller or donor"),
    "delivery.date": ("納品日", "Delivery date"),
    "delivery.kind": ("受入の種類", "Kind"),
    "delivery.fund": ("財源", "Fund"),
    "delivery.fund_note": ("財源の内訳（その他）", "Fund note (other)"),
    "delivery.slip": ("納品書ファイル（CSV・Excel、なくても可）", "Delivery slip file (CSV or Excel, optional)"),
    "delivery.start": ("受入を始める", "Start"),
    "delivery.open": ("受入中の納品", "Deliveries in progress"),
    "scan.prompt": ("本のバーコードをスキャンしてください", "Scan a book's barcode"),
    "scan.counts": ("スキャン {scanned} 冊 ／ 納品書 {expected} 冊", "Scanned {scanned} / slip {expected}"),
    "scan.waiting": ("書誌を検索中…", "Looking the book up…"),
    "scan.unknown": ("書誌が見つかりません。書名を入力してください。", "No source knows this book: type its title."),
    "inspect.ok": ("ページOK", "Pages fine"),
    "inspect.defective": ("落丁・乱丁", "Defective"),
    "inspect.pending": ("未検品", "Not inspected"),
    "inspect.remove": ("取り消し", "Remove"),
    "check.title": ("納品書との照合", "Check against the slip"),
    "check.missing": ("不足", "Missing"),
    "check.extra": ("過剰・納品書にない", "Extra / not on the slip"),
    "check.price": ("価格の違い", "Price differences"),
    "check.total": ("合計金額", "Total"),
    "check.exchange": ("交換する本（落丁・乱丁）", "To exchange (defective)"),
    "check.agrees": ("納品書と一致しています", "The delivery agrees with the slip"),
    "check.report": ("書店への連絡票を印刷", "Print the report for the bookseller"),
    "register.button": ("登録する（登録番号をつける）", "Register (give numbers)"),
    "register.accept": ("差異を確認のうえ登録する", "Register despite the differences"),
    "register.done": ("登録しました", "Registered"),
    "form.title": ("書名", "Title"),
    "form.authors": ("著者", "Authors"),
    "form.publisher": ("出版社", "Publisher"),
    "form.price": ("価格（税込）", "Price (tax incl.)"),
    "form.list_price": ("本体価格", "List price"),
    "form.save": ("保存", "Save"),
    "ledger.title": ("図書台帳", "Accession ledger"),
    "error.title": ("エラー", "Error"),
    "error.back": ("戻る", "Back"),
    "error.retry": ("もう一度", "Try again"),
    "error.unexpected": ("思いがけないエラーが起きました。いまの操作が記録されたかどうかは、本をさがす・図書台帳の画面で確かめてください。"
                         "くり返し起きるときは、時刻とこの画面のことを管理者に知らせてください。",
                         "Something unexpected went wrong. Check on the Find or Ledger screens whether the action "
                         "was recorded; if it happens again, tell whoever looks after the kiosk, with the time."),
    "error.too_large": ("送られたデータが大きすぎます（上限 {mb} MB）。何も登録されていません。小さいファイルにして、もう一度送ってください。",
                        "What was sent is too large (the limit is {mb} MB). Nothing was registered: send a smaller file."),
    "error.bad_request": ("送られた内容を読めませんでした。何も登録されていません。画面を開き直して、もう一度操作してください。",
                          "The request could not be read. Nothing was registered: reopen the screen and try again."),
    "error.method": ("この操作はできません（画面を開き直してください）", "This action is not possible here (reopen the screen)."),
    "error.http": ("エラーが起きました（{code}）。画面を開き直してください。", "Error {code}: reopen the screen."),
    "fault.nothing": ("いまの操作は何も登録・記録されていません。", "Nothing was registered or recorded."),
    "scan.slow": ("書誌の検索に時間がかかっています。書名を入力することもできます（あとで見つかれば入ります）",
                  "The lookup is taking long: you can type the title (a late answer still fills it in)."),
    "scan.failed": ("書誌が見つかりませんでした（検索先が応答しません）。書名を入力してください",
                    "No record: the lookup services did not answer. Type the title."),
    "scan.not_found": ("書誌が見つかりませんでした。書名を入力してください", "No source knows this book: type its title."),
    "scan.offline": ("書誌が見つかりませんでした（オフラインのため検索していません）。書名を入力してください",
                     "No record: the kiosk is offline and did not look it up. Type the title."),
    "scan.type": ("書名を入力する", "Type the title"),
    "scan.page": ("新しい順 {first}〜{last} 冊目 ／ 全 {total} 冊", "Newest first: {first}–{last} of {total}"),
    "scan.newest": ("最新のページ", "Newest"),
    "scan.newer": ("← 新しい{count}冊", "← Newer {count}"),
    "scan.older": ("前の{count}冊 →", "Older {count} →"),
    "scan.elsewhere": ("スキャンしました（一覧の最新のページに出ています）", "Scanned (shown on the newest page of the list)"),
    "busy.failed": ("送信できませんでした。もう一度押してください", "Could not send: tap again."),
    "staff.who": ("名前", "Who"),
    "staff.wait": ("暗証番号を続けて間違えました。次に入れられるのは{until}からです",
                   "Wrong PINs in a row: the next try is taken from {until}."),
    "staff.locked": ("暗証番号を何度も間違えたため、このキオスクの職員ログインは{until}まで止まっています",
                     "Too many wrong PINs: staff sign-in on this kiosk is locked until {until}."),
    "staff.members": ("職員と暗証番号", "Staff and PINs"),
    "staff.first": ("最初の職員（管理者）の名前と暗証番号を決めてください。管理者がほかの職員を追加・削除します",
                    "Choose the first staff member (the administrator), who adds and removes the others."),
    "staff.own_pin": ("自分の暗証番号を変える（4〜8桁）", "Change your PIN (4 to 8 digits)"),
    "staff.add": ("職員を追加", "Add a staff member"),
    "staff.admin": ("管理者", "Administrator"),
    "staff.remove": ("削除", "Remove"),
    "staff.failures": ("最近の暗証番号の間違い", "Recent wrong PINs"),
    "staff.no_failures": ("ありません", "None"),
}
TEXTS |= CALL_NUMBER_TEXTS


def language() -> str:
    chosen = request.cookies.get("lang", "ja")
    return chosen if chosen in LANGUAGES else "ja"


def t(key: str, **values) -> str:
    ja, en = TEXTS.get(key, (key, key))
    text = en if language() == "en" else ja
    return text.format(**values) if values else text


def tr(japanese: str, **values) -> str:
    """``japanese`` (a screen's own text) in the screen's language; ``values`` filled in after,
    as ``str.format`` does. Text with no English yet stays Japanese (tests/web/test_english.py
    finds it)."""
    text = ENGLISH.get(japanese, japanese) if language() == "en" else japanese
    return text.format(**values) if values else text


def error_text(error) -> str:
    """A KioskError in the screen's language."""
    return str(error) if language() == "en" else getattr(error, "ja", str(error))
