"""A barcode scanner's keys, as Chromium gets them from the OS: sent through the DevTools
protocol, each stamped with the time a scanner would have sent it.

Playwright's ``keyboard.type`` sends a key, waits for the page, then sends the next: on a
loaded two-core machine the driver itself is late by tens of milliseconds now and then, and the
page's wedge (which times keys by ``event.timeStamp``, as a real scanner's keys are stamped when
they arrive) then takes the burst for a person typing. Stamped keys do not depend on the
driver's pace."""

import time


def key_events(char: str) -> list[dict]:
    """keyDown (with its text) and keyUp of one key, as a US-layout scanner types it."""
    if char == "\r":
        down = {"key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13, "text": "\r", "unmodifiedText": "\r"}
        return [{"type": "keyDown", **down}, {"type": "keyUp", "key": "Enter", "code": "Enter",
                                               "windowsVirtualKeyCode": 13}]
    if char.isdigit():
        key = {"key": char, "code": f"Digit{char}", "windowsVirtualKeyCode": ord(char)}
        return [{"type": "keyDown", **key, "text": char, "unmodifiedText": char}, {"type": "keyUp", **key}]
    shift = {"key": "Shift", "code": "ShiftLeft", "windowsVirtualKeyCode": 16}
    key = {"key": char, "code": f"Key{char}", "windowsVirtualKeyCode": ord(char), "modifiers": 8}
    return [{"type": "rawKeyDown", **shift, "modifiers": 8},
            {"type": "keyDown", **key, "text": char, "unmodifiedText": char.lower()},
            {"type": "keyUp", **key}, {"type": "keyUp", **shift}]


def scanner_burst(page, code: str, gap_ms: float = 3.0, end: str = "\r") -> None:
    """``code`` then Enter, as a USB scanner in keyboard mode types it (sync Playwright page)."""
    cdp = getattr(page, "_scanner_cdp", None)
    if cdp is None:
        cdp = page._scanner_cdp = page.context.new_cdp_session(page)
    clock = time.time()
    for char in code + end:
        for event in key_events(char):
            cdp.send("Input.dispatchKeyEvent", {**event, "timestamp": clock})
        clock += gap_ms / 1000
