"""One row format and one printed table for every benchmark."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Row:
    area: str
    metric: str
    value: float
    unit: str
    goal: str = ""
    ok: bool | None = None
    naive: float | None = None  # the naive or peer figure measured in the same run

    @property
    def ratio(self) -> float | None:
        if self.naive is None or not self.value:
            return None
        return self.naive / self.value


def _fmt(x: float | None) -> str:
    if x is None:
        return "-"
    if abs(x) >= 100:
        return f"{x:,.0f}"
    return f"{x:.3g}"


def render(rows: list[Row]) -> str:
    head = ("area", "metric", "value", "unit", "goal", "met", "naive", "naive/ours")
    lines = [head]
    for r in rows:
        ratio = r.ratio
        lines.append((r.area, r.metric, _fmt(r.value), r.unit, r.goal,
                      {True: "yes", False: "NO", None: "-"}[r.ok], _fmt(r.naive),
                      f"{ratio:.1f}x" if ratio else "-"))
    widths = [max(len(str(line[i])) for line in lines) for i in range(len(head))]
    out = []
    for n, line in enumerate(lines):
        out.append("  ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=True)).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)
