"""Every module of the product imports in the test environment.

The environment is built from requirements*.txt alone (``.ci/run`` makes a fresh virtual environment), so a
package the code imports but nobody declared is a red test here, not a missing feature on a user's screen.
"""
from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import pytest

from tests.conftest import REPO

PACKAGES = ("app", "core", "services", "storage", "bench")
# Entry-point modules run their program on import; their contents are imported through app.cli/app.main.
_RUNS_ON_IMPORT = {"app.__main__", "app.cli.__main__", "bench.__main__"}


def _modules() -> list[str]:
    names: list[str] = []
    for package in PACKAGES:
        names.append(package)
        for info in pkgutil.walk_packages([str(REPO / package)], prefix=f"{package}."):
            if info.name not in _RUNS_ON_IMPORT:
                names.append(info.name)
    return sorted(names)


def test_the_walk_finds_the_product() -> None:
    names = _modules()
    assert len(names) > 80
    for expected in ("app.main", "app.pages.search", "services.search.index", "storage.precedents"):
        assert expected in names


@pytest.mark.parametrize("name", _modules())
def test_module_imports(name: str) -> None:
    importlib.import_module(name)


def _requirement_names(path: Path) -> set[str]:
    names: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        assert "==" in line, f"{path.name}: {line!r} is not pinned"
        names.add(re.split(r"[=<>\[]", line, maxsplit=1)[0].strip().lower().replace("_", "-"))
    return names


def test_every_runtime_requirement_is_pinned_and_imports_resolve_to_declared_packages() -> None:
    from importlib.metadata import packages_distributions

    declared = _requirement_names(REPO / "requirements.txt")
    stdlib = set(__import__("sys").stdlib_module_names)
    top_level: set[str] = set()
    pattern = re.compile(r"^\s*(?:from\s+([A-Za-z_][\w]*)[\w.]*\s+import|import\s+([A-Za-z_][\w]*))", re.M)
    for package in PACKAGES[:-1]:  # bench may use what the tests install
        for path in (REPO / package).rglob("*.py"):
            for match in pattern.finditer(path.read_text(encoding="utf-8")):
                top_level.add(match.group(1) or match.group(2))
    third_party = top_level - stdlib - {"app", "core", "services", "storage", "bench", "tests", "__future__"}
    dists = packages_distributions()
    undeclared = {}
    for module in sorted(third_party):
        owners = {d.lower().replace("_", "-") for d in dists.get(module, [])}
        if not owners & declared:
            undeclared[module] = sorted(owners)
    assert not undeclared, f"imported but not in requirements.txt (module: installed by): {undeclared}"
