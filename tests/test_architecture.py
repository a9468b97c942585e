"""The import rules of docs/architecture.md, read from the code's AST (imports inside
functions included: an import put inside a function to dodge a cycle is still a dependency).

- No import cycles among the modules of kiosk/, printer/ and web/, except the ones listed in
  ALLOWED_CYCLES with the reason.
- The domain package kiosk/ imports no flask (nor werkzeug, jinja2, waitress), no web, no
  printer and no kiosk_app (the app shell: the `kiosk` command and serving the web app).
  kiosk/__main__.py, which only runs the command, is the one exception.
- printer/ imports no web and no flask.
- The shell (web/, kiosk_app/) opens no transaction: no ``with X.read()`` / ``with X.write()``
  and no ``Session(...)``; views and commands call the domain's use cases and read models,
  which own their transaction (docs/architecture.md, "Who owns the transaction").
"""

import ast
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("kiosk", "kiosk_app", "printer", "web")
WEB_ONLY = ("flask", "werkzeug", "jinja2", "waitress")
RUNS_THE_SHELL = {"kiosk.__main__"}
SHELL = ("web", "kiosk_app")
# Shell modules allowed to open a transaction, and why. (web/db.py hands out the Database and
# opens none; it is listed so that it stays the one place that may.)
OPENS_TRANSACTIONS = {
    "web.db": "the app's Database, handed to the domain's use cases",
}
SESSION_FACTORIES = {"Session", "sessionmaker", "scoped_session"}

# Each entry: the modules of a cycle still allowed, and why. A cycle found must lie within one.
ALLOWED_CYCLES = {
    frozenset({"web.context", "web.security"}):
        "web/security.py's staff_required reads the current library from web/context.py inside "
        "the function, and web/context.py reads who is signed in from web/security.py; not yet "
        "untangled (the library lookup could move to web/db.py or a small web/library.py)",
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def modules() -> dict[str, Path]:
    return {_module_name(path): path for package in PACKAGES for path in (ROOT / package).rglob("*.py")}


def imported_names(name: str, path: Path) -> set[str]:
    """Every module name imported anywhere in the file (top level, in functions, in
    ``if TYPE_CHECKING``), relative imports resolved; ``from a import b`` gives ``a.b`` when
    that is a module, else ``a``."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[:len(package) - node.level + 1] + ([base] if base else []))
            for alias in node.names:
                names.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules() else base)
    return names


def _own(name: str) -> str | None:
    """The project module ``name`` is or lies in (``kiosk.lookup.chain.X`` → kiosk.lookup.chain)."""
    while name and name not in modules():
        name = name.rpartition(".")[0]
    return name or None


@cache
def import_graph() -> dict[str, frozenset[str]]:
    graph = {}
    for name, path in modules().items():
        targets = {_own(imported) for imported in imported_names(name, path)}
        graph[name] = frozenset(target for target in targets if target and target != name)
    return graph


def cycles(graph: dict[str, frozenset[str]]) -> list[set[str]]:
    """The strongly connected components with more than one module (Tarjan, iterative)."""
    index, low, on_stack, stack, found = {}, {}, set(), [], []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, targets = work[-1]
            target = next(targets, None)
            if target is not None:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph[target]))))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(component)
    return found


def test_the_graph_sees_imports_inside_functions():
    """The reader must see what the review's cycles were hidden by: imports in a function body."""
    graph = import_graph()
    assert "kiosk.lookup.marc21" in graph["kiosk.lookup.catalogue_import"]  # import_catalogue's lazy import
    assert "web" in graph["kiosk_app.serve"]  # serve_kiosk's lazy `from web import create_app, stop_app`
    assert cycles({"a": frozenset({"b"}), "b": frozenset({"c"}), "c": frozenset({"a"}), "d": frozenset({"a"})}) \
        == [{"a", "b", "c"}]


def test_no_import_cycles_but_the_listed_ones():
    unexpected = [sorted(component) for component in cycles(import_graph())
                  if not any(component <= allowed for allowed in ALLOWED_CYCLES)]
    assert not unexpected, f"import cycles (move the shared part to a module both can import): {unexpected}"


def test_every_allowed_cycle_is_still_there():
    """An entry left after its cycle is gone would let the cycle come back unnoticed."""
    found = cycles(import_graph())
    stale = [sorted(allowed) for allowed in ALLOWED_CYCLES if not any(allowed <= component for component in found)]
    assert not stale, f"these cycles are gone: take them off ALLOWED_CYCLES: {stale}"


def test_the_domain_imports_no_web_framework_no_web_and_no_printer():
    offending = {}
    for name, path in modules().items():
        if not (name == "kiosk" or name.startswith("kiosk.")) or name in RUNS_THE_SHELL:
            continue
        bad = sorted(imported for imported in imported_names(name, path)
                     if imported.split(".")[0] in ("web", "printer", "kiosk_app", *WEB_ONLY))
        if bad:
            offending[name] = bad
    assert not offending, f"kiosk/ is the domain: these modules import the shell, web or printer: {offending}"


def test_printer_imports_no_web():
    """printer/ draws and sends labels for the domain; the web app calls it, never the reverse."""
    offending = {name: sorted(imported for imported in imported_names(name, path)
                              if imported.split(".")[0] in ("web", *WEB_ONLY))
                 for name, path in modules().items() if name.startswith("printer")}
    assert not {name: bad for name, bad in offending.items() if bad}


def transactions_opened(source: str) -> list[str]:
    """Where a module opens a transaction itself: ``with X.read()`` / ``with X.write()`` (the
    Database's two kinds, also as ``async with``) and a session made directly (``Session(…)``,
    ``sessionmaker(…)``), each as ``line: what``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                call = item.context_expr
                if (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                        and call.func.attr in ("read", "write") and not call.args):
                    found.append(f"{node.lineno}: with {ast.unparse(call)}")
        elif isinstance(node, ast.Call):
            called = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
            if called in SESSION_FACTORIES:
                found.append(f"{node.lineno}: {ast.unparse(node.func)}(…)")
    return found


def test_the_transaction_scan_sees_both_kinds():
    source = ("def view():\n"
              "    with get_db().read() as session:\n        pass\n"
              "    with db.write() as session, open('f') as handle:\n        pass\n"
              "    s = orm.Session(engine)\n"
              "    data = upload.read()\n"
              "    with open('f') as handle:\n        handle.write('x')\n")
    assert transactions_opened(source) == ["2: with get_db().read()", "4: with db.write()", "6: orm.Session(…)"]


def test_the_shell_opens_no_transaction():
    """Views and commands call use cases (they take the Database and own one transaction) and
    read models; a view holding a session would render ORM rows and split one answer over
    several transactions."""
    offending = {name: opened for name, path in modules().items()
                 if name.split(".")[0] in SHELL and name not in OPENS_TRANSACTIONS
                 and (opened := transactions_opened(path.read_text(encoding="utf-8")))}
    assert not offending, f"these modules open transactions: call a use case of kiosk/ instead: {offending}"


def test_every_listed_transaction_opener_exists():
    """An exception for a module that is gone would let a new one of that name in unnoticed."""
    assert not [name for name in OPENS_TRANSACTIONS if name not in modules()]
