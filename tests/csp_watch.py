"""Every browser test doubles as a check of the Content-Security-Policy (web/headers.py): a
page that breaks it (an inline script, an inline handler, a javascript: link, a foreign
resource) logs "Refused to …" in Chromium's console, and the test fails at teardown."""


def watch(page) -> list[str]:
    """Collect the page's CSP violations, across its navigations."""
    violations: list[str] = []

    def on_console(message) -> None:
        if "Content Security Policy" in message.text:
            violations.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    return violations


def assert_none(violations: list[str]) -> None:
    assert not violations, "the page broke its Content-Security-Policy:\n" + "\n".join(violations)
