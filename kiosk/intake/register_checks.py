"""What 登録 asks a second, deliberate confirmation for, and how that confirmation is checked.

- A delivery that disagrees with its slip (不足・過剰・価格・合計): the confirmation carries the
  fingerprint of the differences staff were shown, so a confirmation given for one set of
  differences never registers another (a copy scanned or a line typed meanwhile).
- Copies whose call number has a tier estimated (推定) or missing (未定): the confirmation names
  the copies staff were shown; a copy not among them (its record arrived meanwhile) is refused.
"""

import hashlib
import json

from kiosk.errors import KioskError


class UnconfirmedCallNumbers(KioskError):
    """Copies about to be registered with a call-number tier estimated or missing: listed for
    staff, who confirm them on the touch editor or register them as they are, deliberately."""

    def __init__(self, intake_id: int, item_ids: list[int]):
        super().__init__(
            f"delivery {intake_id}: {len(item_ids)} copies have an estimated or missing call-number tier "
            f"(items {item_ids[:10]}): confirm them, or confirm registering them as they are",
            f"請求記号が推定または未定の本が{len(item_ids)}冊あります。確認してから登録するか、"
            "このまま登録することを確認してください")
        self.intake_id, self.item_ids = intake_id, item_ids


class SlipDisagrees(KioskError):
    """The delivery does not agree with its slip and the differences were not confirmed (or
    changed since): the screen lists them with a distinct confirmation."""

    def __init__(self, intake_id: int, fingerprint: str):
        super().__init__(f"delivery {intake_id} does not agree with the slip: check the discrepancies with the vendor, "
                         "or confirm them to register anyway",
                         "納品書と一致しません（不足・過剰・価格・合計）。書店に確認するか、差異を確認のうえ登録してください")
        self.intake_id, self.fingerprint = intake_id, fingerprint


def unsettled_items(proposals: dict) -> list[int]:
    """Item ids (in order) whose proposal (kiosk.labels.proposal) has a tier estimated or missing."""
    return [item_id for item_id, proposal in proposals.items() if not proposal.settled]


def discrepancy_fingerprint(check) -> str:
    """A short digest of what the slip check found (kiosk.intake.delivery.SlipCheck): the lines
    missing copies, the extra copies, the price differences and both totals."""
    facts = {"missing": [(line.position, line.missing) for line in check.missing], "extra": sorted(check.extra),
             "prices": sorted(check.price_differences), "totals": [check.slip_total, check.lines_total]}
    return hashlib.sha256(json.dumps(facts, sort_keys=True, default=str).encode()).hexdigest()[:16]


def discrepancies_accepted(check, accepted: bool | str) -> bool:
    """True from a command that accepts any difference; from a screen, the fingerprint of the
    differences staff confirmed must be the check's now."""
    if accepted is True:
        return True
    return bool(accepted) and isinstance(accepted, str) and accepted == discrepancy_fingerprint(check)


def registration_questions(view) -> tuple[str | None, list]:
    """What the confirmation screen before 登録 lists, from the delivery's read model
    (kiosk.intake.delivery.IntakeView): the fingerprint of the slip's differences (None when it
    agrees or there is no slip) and the copies to register whose call number has a tier
    estimated or missing, in scan order."""
    fingerprint = None if view.check.agrees or not view.check.has_slip else discrepancy_fingerprint(view.check)
    waiting = [item for item in reversed(view.items)
               if item.inspection == "ok" and item.copy_number is None and item.call_number
               and (item.call_number["estimated"] or item.call_number["missing"])]
    return fingerprint, waiting
