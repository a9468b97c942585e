"""The processing checklist's section of a library's settings (設定 → 装備チェックリスト): the
hand steps done to each registered copy, the manual's by default, in the order done.

Read by the checklist (kiosk.labels.processing_checklist). It is a module of its own because kiosk.labels.processing_checklist
reads copies through kiosk.labels.copy_set, which reads the settings: the section here imports neither.
"""

from dataclasses import dataclass

from kiosk.errors import KioskError
from kiosk.stored_section import section_values, stored_form

DEFAULT_STEPS = ("登録印", "小口印", "2段ラベル", "バーコード", "ラベルキーパー", "基本カード")
MAX_STEPS = 8
MAX_STEP_LENGTH = 8  # characters: the step's name heads a narrow column of boxes


@dataclass(frozen=True)
class ProcessingSettings:
    steps: tuple[str, ...] = DEFAULT_STEPS

    def __post_init__(self):
        """1 to 8 names, each 1 to 8 characters, none twice."""
        if not isinstance(self.steps, tuple) or not 1 <= len(self.steps) <= MAX_STEPS:
            raise KioskError(f"the checklist needs 1 to {MAX_STEPS} steps", f"装備の項目は1〜{MAX_STEPS}個にしてください")
        for step in self.steps:
            if not isinstance(step, str) or not 1 <= len(step.strip()) <= MAX_STEP_LENGTH or step != step.strip():
                raise KioskError(f"a step name must be 1 to {MAX_STEP_LENGTH} characters: {step!r}",
                                 f"装備の項目名は1〜{MAX_STEP_LENGTH}文字にしてください（「{step}」）")
        if len(set(self.steps)) != len(self.steps):
            raise KioskError("a step is named twice", "同じ装備の項目が2回あります")

    @classmethod
    def from_stored(cls, values: dict) -> "ProcessingSettings":
        values = section_values(cls, values, "装備チェックリスト")
        if isinstance(values.get("steps"), list):  # any other type is refused as it is
            values["steps"] = tuple(values["steps"])
        return cls(**values)

    def to_stored(self) -> dict:
        return stored_form(self)
