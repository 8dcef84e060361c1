"""Who may import whom, read from the source with ``ast`` (module-level and function-level imports).

    core      imports nothing of ours
    storage   imports core (and storage)
    services  imports core, storage, services; never app, never flet
    app       imports anything of ours; the only place flet is imported
    tinydb    only under storage/

No two modules of ours import each other, directly or around a loop (imports under ``if TYPE_CHECKING``
count too: a type-only loop is still two modules that cannot be understood apart). An import of our own
modules inside a function is allowed only where ``FUNCTION_LEVEL`` names it and the line carries a comment
saying why (at most five in the whole tree).
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import REPO

OURS = ("app", "core", "services", "storage", "bench")

# (file, imported module) -> why it is imported inside a function; the import line needs a comment too.
FUNCTION_LEVEL: dict[tuple[str, str], str] = {
    # ``python -m app`` installs its Ctrl-C handler first; Flet and the pages take about a second to load.
    ("app/__main__.py", "app.main"): "loads Flet and every page",
    ("app/__main__.py", "app.web.server"): "loads Flet",
    ("app/__main__.py", "app.theme"): "loads Flet",
    # The AI SDKs load only when a model is built (google-genai alone takes about half a second to import).
    ("services/ai/choice.py", "services.ai.gemini"): "loads google-genai",
    ("services/ai/choice.py", "services.ai.openai_compat"): "loads the HTTP client stack of the Gemma server",
}


@dataclass(frozen=True)
class Import:
    file: str          # path relative to the repository
    line: int
    target: str        # the imported module (most specific module of ours, or the top-level name)
    in_function: bool
    type_only: bool    # under ``if TYPE_CHECKING:``
    source_line: str


def _files() -> list[Path]:
    return sorted(p for package in OURS for p in (REPO / package).rglob("*.py"))


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _known_modules() -> set[str]:
    return {_module_name(p) for p in _files()}


KNOWN = _known_modules()


def _top(name: str) -> str:
    return name.split(".")[0]


def _resolve(name: str) -> str:
    """The most specific module of ours ``name`` points at (``app.viewmodels.cases_vm.Badge`` → the module)."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in KNOWN:
            return candidate
        parts.pop()
    return name.split(".")[0]


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or \
        (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports_of(path: Path) -> list[Import]:
    rel = path.relative_to(REPO).as_posix()
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: list[Import] = []

    def record(node: ast.Import | ast.ImportFrom, in_function: bool, type_only: bool) -> None:
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[:len(anchor) - (node.level - 1)] if node.level > 1 else anchor
                base = ".".join([*anchor, base] if base else anchor)
            names = [f"{base}.{alias.name}" for alias in node.names] if _top(base) in OURS else [base]
        for name in names:
            found.append(Import(rel, node.lineno, _resolve(name) if _top(name) in OURS else name,
                                in_function, type_only, lines[node.lineno - 1]))

    def handle(node: ast.AST, in_function: bool, type_only: bool) -> None:
        if isinstance(node, ast.Import | ast.ImportFrom):
            record(node, in_function, type_only)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            visit(node, True, type_only)
        elif isinstance(node, ast.If) and _is_type_checking(node.test):
            for item in node.body:
                handle(item, in_function, True)
            for item in node.orelse:
                handle(item, in_function, type_only)
        else:
            visit(node, in_function, type_only)

    def visit(node: ast.AST, in_function: bool, type_only: bool) -> None:
        for child in ast.iter_child_nodes(node):
            handle(child, in_function, type_only)

    visit(ast.parse(source, filename=rel), False, False)
    return found


ALL_IMPORTS = [imp for path in _files() for imp in _imports_of(path)]


def _layer_problems(layer: str, allowed: set[str]) -> list[str]:
    return [f"{imp.file}:{imp.line} imports {imp.target}" for imp in ALL_IMPORTS
            if imp.file.startswith(layer + "/") and _top(imp.target) in OURS and _top(imp.target) not in allowed]


def test_the_parser_sees_imports_of_every_kind() -> None:
    by_file = {(i.file, i.target, i.in_function, i.type_only) for i in ALL_IMPORTS}
    assert ("app/main.py", "flet", False, False) in by_file
    assert any(i.file == "app/__main__.py" and i.target == "app.main" and i.in_function for i in ALL_IMPORTS)
    assert any(i.type_only for i in ALL_IMPORTS)
    assert len(ALL_IMPORTS) > 500


def test_core_imports_nothing_of_ours() -> None:
    assert _layer_problems("core", {"core"}) == []


def test_storage_imports_only_core() -> None:
    assert _layer_problems("storage", {"core", "storage"}) == []


def test_services_never_import_app_or_flet() -> None:
    problems = _layer_problems("services", {"core", "storage", "services"})
    problems += [f"{i.file}:{i.line} imports flet" for i in ALL_IMPORTS
                 if i.file.startswith("services/") and _top(i.target) == "flet"]
    assert problems == []


def test_tinydb_only_under_storage() -> None:
    # The benchmarks time plain TinyDB as the naive baseline they compare the product with.
    assert [f"{i.file}:{i.line}" for i in ALL_IMPORTS
            if _top(i.target) == "tinydb" and not i.file.startswith(("storage/", "bench/"))] == []


def test_flet_only_under_app() -> None:
    assert [f"{i.file}:{i.line}" for i in ALL_IMPORTS
            if _top(i.target) == "flet" and not i.file.startswith("app/")] == []


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for imp in ALL_IMPORTS:
        if _top(imp.target) not in OURS:
            continue
        source = _module_name(REPO / imp.file)
        if imp.target != source:
            graph.setdefault(source, set()).add(imp.target)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import loop as a path (``a → b → a``), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def walk(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt):], nxt]
            if nxt not in state:
                loop = walk(nxt)
                if loop:
                    return loop
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state:
            loop = walk(start)
            if loop:
                return loop
    return None


def test_find_cycle_reports_the_loop() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_cycles() -> None:
    loop = find_cycle(_graph())
    assert loop is None, "import cycle: " + " → ".join(loop or [])


def _has_reason(imp: Import) -> bool:
    """A comment of a few words on the import line, or (for ``- see above``) a comment just above it."""
    comment = imp.source_line.partition("#")[2]
    reason = comment.split("-", 1)[1] if comment.strip().startswith("noqa") and "-" in comment else comment
    if len(reason.strip().split()) >= 3:
        return True
    lines = (REPO / imp.file).read_text(encoding="utf-8").splitlines()
    above = lines[max(0, imp.line - 10):imp.line - 1]
    return "see above" in reason and any(line.strip().startswith("#") for line in above)


def test_function_level_imports_of_our_modules_are_few_and_explained() -> None:
    problems = []
    for imp in ALL_IMPORTS:
        if not imp.in_function or imp.type_only or _top(imp.target) not in OURS:
            continue
        if (imp.file, imp.target) not in FUNCTION_LEVEL:
            problems.append(f"{imp.file}:{imp.line} imports {imp.target} inside a function")
        elif not _has_reason(imp):
            problems.append(f"{imp.file}:{imp.line} needs a comment saying why it imports inside a function")
    assert problems == []
    assert len(FUNCTION_LEVEL) <= 5
