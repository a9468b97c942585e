"""The stored form of a settings section: one JSON object in the library's settings document.

Each section (kiosk.codes.itemcode.ItemCodeSettings, kiosk.scanner_settings.ScannerSettings, …) is a
frozen dataclass whose field names are the stored keys; its ``from_stored`` reads the object
through ``section_values`` and its ``to_stored`` writes it with ``stored_form``. A key the
section does not have is refused, so a mistyped key is never silently ignored; keys an earlier
version stored and nothing reads any more are named by the section and passed over.
"""

from dataclasses import fields, is_dataclass

from kiosk.errors import KioskError


def section_values(section: type, values, name_ja: str, obsolete: tuple[str, ...] = ()) -> dict:
    """``values`` (the stored object, or a part of it) as keyword arguments for ``section``, or
    KioskError naming the keys it does not have."""
    if not isinstance(values, dict):
        raise KioskError(f"the {section.__name__} settings must be an object, not {values!r:.60}",
                         f"{name_ja}の設定が正しくありません（項目と値の組ではありません）")
    known = {field.name for field in fields(section)}
    unknown = set(values) - known - set(obsolete)
    if unknown:
        raise KioskError(f"unknown {section.__name__} settings: {', '.join(sorted(map(str, unknown)))}",
                         f"{name_ja}の設定に不明な項目があります（{'、'.join(sorted(map(str, unknown)))}）")
    return {key: value for key, value in values.items() if key in known}


def stored_form(section) -> dict:
    """A section's fields as JSON values: tuples as lists, nested dataclasses as objects."""
    return {field.name: _plain(getattr(section, field.name)) for field in fields(section)}


def _plain(value):
    if is_dataclass(value):
        return stored_form(value)
    if isinstance(value, (tuple, list)):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def is_number(value) -> bool:
    """An int or a float, not a bool (JSON's true is not 1 second)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def is_whole_number(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
