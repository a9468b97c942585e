"""Waiting for a condition in a page served with the kiosk's Content-Security-Policy.

Playwright's wait_for_function evaluates its predicate inside the page with the equivalent of
eval, which the CSP (script-src 'self', no 'unsafe-eval') refuses. These poll with
page.evaluate instead, which runs through the DevTools protocol and is not the page's own
script, so the page keeps its real policy while a test waits on it."""

import asyncio
import time

from playwright.async_api import Error as AsyncError
from playwright.sync_api import Error

POLL_MS = 25
_NAVIGATING = ("Execution context was destroyed", "navigation", "Cannot find context")


def wait_for(page, expression: str, arg=None, timeout: float = 10_000) -> None:
    deadline = time.monotonic() + timeout / 1000
    while True:
        try:
            if page.evaluate(expression, arg):
                return
        except Error as error:
            if not any(text in str(error) for text in _NAVIGATING):
                raise
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited {timeout:g} ms for: {expression}")
        page.wait_for_timeout(POLL_MS)


async def wait_for_async(page, expression: str, arg=None, timeout: float = 10_000) -> None:
    deadline = time.monotonic() + timeout / 1000
    while True:
        try:
            if await page.evaluate(expression, arg):
                return
        except AsyncError as error:
            if not any(text in str(error) for text in _NAVIGATING):
                raise
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited {timeout:g} ms for: {expression}")
        await asyncio.sleep(POLL_MS / 1000)
