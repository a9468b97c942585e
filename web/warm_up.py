"""Before a served kiosk takes its first request: compile every template and load the printing
code, so that the first ledger page or label sheet of the day costs what every later one does.
Measured (bench/bench_school_day.py): the first ledger page after start took ~120 ms against
~35 ms, most of it Jinja compiling ledger.html and base.html; the first labels PDF ~100 ms
against ~40 ms (python-barcode's import and the font's tables)."""

from flask import Flask


def warm_up(app: Flask) -> int:
    """Compile every template of ``app`` and render a throwaway label sheet; the number of
    templates compiled."""
    import printer.reports  # noqa: F401  (the report views import it lazily: the CLI's start-up stays small)
    from printer.warm_up import warm_up as warm_printer

    names = app.jinja_env.list_templates(filter_func=lambda name: name.endswith(".html"))
    for name in names:
        app.jinja_env.get_template(name)
    warm_printer()
    return len(names)
