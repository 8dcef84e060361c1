"""Run every benchmark and print one table: ``python -m bench [--n 30000] [--only storage,search]``."""
from __future__ import annotations

import argparse
import importlib
import pkgutil
import platform
import sys
from typing import Any

import bench
from bench.table import Row, render


def _goal_text(goal: Any, unit: str) -> str:
    if goal is None or goal == "":
        return ""
    if isinstance(goal, (int, float)):
        return f"<= {goal:g} {unit}".strip()  # numeric goals from the benchmarks are upper limits
    return str(goal)


def _as_row(item: Any, area: str) -> Row:
    if isinstance(item, Row):
        return item
    unit = item.get("unit", "") or ""
    return Row(area=item.get("area", area), metric=item["metric"], value=float(item["value"]), unit=unit,
               goal=_goal_text(item.get("goal"), unit), ok=item.get("ok"), naive=item.get("naive"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=30_000, help="number of synthetic judgments")
    parser.add_argument("--only", default="", help="comma-separated names (storage, search, web-first-load, …)")
    args = parser.parse_args()
    only = {x.strip() for x in args.only.split(",") if x.strip()}
    rows: list[Row] = []
    for info in sorted(pkgutil.iter_modules(bench.__path__), key=lambda i: i.name):
        if not info.name.startswith("bench_"):
            continue
        name = info.name.removeprefix("bench_")
        if only and name not in only and name.replace("_", "-") not in only:
            continue
        module = importlib.import_module(f"bench.{info.name}")
        print(f"running {name} …", file=sys.stderr, flush=True)
        rows.extend(_as_row(item, name) for item in module.run(n=args.n))
    print(f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}, "
          f"{__import__('os').cpu_count()} cores")
    print(render(rows))


if __name__ == "__main__":
    main()
