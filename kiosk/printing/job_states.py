"""What a print job holds (LabelKind) and where it is (JobStatus), stored as their values in
print_jobs; apart from the queue so that kiosk.printing.waiting_spines and the queue share them."""

from enum import StrEnum

from kiosk.errors import KioskError


class LabelKind(StrEnum):
    """Which labels a job (or a PDF) holds; stored as its value in print_jobs.kind."""

    SPINE = "spine"  # 背ラベル
    BARCODE = "barcode"  # バーコードラベル
    BOTH = "both"

    @property
    def ja(self) -> str:
        return LABEL_KIND_LABELS_JA[self]

    @property
    def has_spine(self) -> bool:
        return self in (LabelKind.SPINE, LabelKind.BOTH)

    @property
    def has_barcode(self) -> bool:
        return self in (LabelKind.BARCODE, LabelKind.BOTH)


LABEL_KIND_LABELS_JA = {LabelKind.SPINE: "背ラベル", LabelKind.BARCODE: "バーコードラベル",
                        LabelKind.BOTH: "背ラベルとバーコードラベル"}


def parse_label_kind(value: str, ja: str = "ラベルの種類が正しくありません") -> LabelKind:
    """The kind ``value`` names, else KioskError (``ja``: what the screen says)."""
    try:
        return LabelKind(value)
    except ValueError:
        raise KioskError(f"label kind must be one of {', '.join(LabelKind)}", ja) from None


class JobStatus(StrEnum):
    """A print job's state; stored as its value in print_jobs.status."""

    QUEUED = "queued"
    SENDING = "sending"  # committed before the bytes go: after a crash, staff decide
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"
    WAITING = "waiting"  # 請求記号待ち: a spine label held until the copy's call number is set (kiosk.printing.waiting_spines)

    @property
    def ja(self) -> str:
        return JOB_STATUS_LABELS_JA[self]


JOB_STATUS_LABELS_JA = {JobStatus.QUEUED: "印刷待ち", JobStatus.SENDING: "送信中（確認が必要）",
                        JobStatus.SENT: "印刷済み", JobStatus.FAILED: "失敗", JobStatus.CANCELLED: "取り消し",
                        JobStatus.WAITING: "請求記号待ち"}
STATUS_JA = JOB_STATUS_LABELS_JA  # the name the 印刷 screen knew
