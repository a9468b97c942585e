"""LookupFailed: a bibliographic source could not give a trustworthy answer.

"Not found" is not a fault (a source returns None). A fault means the service is down,
slow, or said something the kiosk cannot trust; the scan is kept either way and nothing
is cached. ``status`` is a short machine word for logs, the UI and the circuit breaker.
"""

from kiosk.errors import KioskError

# status → (English reason, Japanese reason a librarian can act on)
STATUSES = {
    "timeout": ("did not answer in time", "時間内に応答がありませんでした"),
    "unreachable": ("could not be reached",
                    "接続できませんでした（ネットワークを確認してください）"),
    "http_error": ("answered with an HTTP error", "エラーを返しました"),
    "html_page": ("sent a web page instead of data (a proxy or filter page?)",
                  "データではなくWebページを返しました（校内のフィルタやプロキシの可能性）"),
    "truncated": ("sent an incomplete response", "応答が途中で切れていました"),
    "encoding": ("sent text in a wrong or undeclared encoding", "文字コードが正しくない応答でした"),
    "malformed": ("sent a response that cannot be read", "読み取れない応答でした"),
    "too_large": ("sent a response too large to be a book record", "応答が大きすぎます"),
    "mismatch": ("answered for a different ISBN", "別のISBNの書誌を返しました"),
    "incomplete": ("sent a record without the essential fields",
                   "必要な項目（書名など）が欠けた書誌でした"),
    "circuit_open": ("is skipped for a while after repeated failures",
                     "続けて失敗したため、しばらく問い合わせを止めています"),
}
# Faults that say the service itself is unwell: they count toward the circuit breaker.
SERVICE_FAULTS = {"timeout", "unreachable", "http_error", "html_page", "truncated", "encoding",
                  "malformed", "too_large"}


class LookupFailed(KioskError):
    """A source failed for ``isbn13``; ``status`` is one of STATUSES."""

    def __init__(self, source: str, status: str, isbn13: str | None = None,
                 detail: str | None = None):
        reason_en, reason_ja = STATUSES.get(status, ("failed", "失敗しました"))
        label = SOURCE_LABELS.get(source, source)
        about = f" for ISBN {isbn13}" if isbn13 else ""
        message = f"{source} lookup{about} failed: the service {reason_en}"
        if detail:
            message += f" ({detail})"
        ja = (f"{label}の書誌検索に失敗しました：{reason_ja}。スキャンは記録済みです。"
              "書誌はあとで再検索するか手で入力できます")
        super().__init__(message, ja)
        self.source = source
        self.status = status
        self.isbn13 = isbn13
        self.detail = detail

    @property
    def counts_against_service(self) -> bool:
        return self.status in SERVICE_FAULTS


SOURCE_LABELS = {
    "ndl": "国立国会図書館サーチ",
    "openbd": "openBD",
    "cache": "キャッシュ",
    "sample": "サンプル目録",
    "typed": "手入力",
}
