"""A bar chart of how similar cases ended, with a text fallback that screen readers can read.

The bars come from ``app.viewmodels.analysis_vm.outcome_bars`` (plain data); this module only draws.
"""
from __future__ import annotations

import logging
from collections.abc import Sequence

import flet as ft

from app.theme import px
from app.viewmodels.analysis_vm import OutcomeBar

log = logging.getLogger(__name__)

CHART_HEIGHT = 220


def _bar_chart(bars: Sequence[OutcomeBar]) -> ft.Control:
    import flet_charts as fch  # noqa: PLC0415 - optional extension; text rows are the fallback

    top = max(b.count for b in bars)
    groups = [
        fch.BarChartGroup(x=i, rods=[fch.BarChartRod(
            from_y=0, to_y=b.count, width=28, color=b.color,
            border_radius=ft.BorderRadius.only(top_left=4, top_right=4),
            tooltip=f"{b.label}: {b.count}건",
        )])
        for i, b in enumerate(bars)
    ]
    labels = [fch.ChartAxisLabel(value=i, label=ft.Text(b.short_label, theme_style=px(13))) for i, b in enumerate(bars)]
    chart: ft.Control = fch.BarChart(  # flet_charts ships no type information
        groups=groups,
        bottom_axis=fch.ChartAxis(labels=labels, label_size=40),
        left_axis=fch.ChartAxis(label_size=32, label_spacing=max(1, round(top / 4))),
        horizontal_grid_lines=fch.ChartGridLines(color=ft.Colors.OUTLINE_VARIANT, width=1,
                                                 interval=max(1, round(top / 4))),
        max_y=top + max(1, round(top * 0.15)),
        interactive=True,
        height=CHART_HEIGHT,
    )
    return chart


def _bar_rows(bars: Sequence[OutcomeBar]) -> ft.Control:
    """Plain proportional rows: always readable, also without the chart extension."""
    total = sum(b.count for b in bars) or 1
    rows: list[ft.Control] = []
    for b in bars:
        rows.append(ft.Row([
            ft.Text(b.label, theme_style=px(15), width=150),
            ft.Container(bgcolor=b.color, height=14, width=max(4, 160 * b.count / total), border_radius=3),
            ft.Text(f"{b.count}건", theme_style=px(15)),
        ], spacing=8, vertical_alignment=ft.CrossAxisAlignment.CENTER))
    return ft.Column(rows, spacing=4, tight=True)


def outcome_chart(bars: Sequence[OutcomeBar], *, summary: str) -> ft.Control:
    """The chart (when the extension is available) plus its numbers as text rows."""
    if not bars:
        return ft.Text("비슷한 사례가 아직 없어 그래프를 그리지 않았습니다.", theme_style=px(15))
    parts: list[ft.Control] = [ft.Text(summary, theme_style=px(15))]
    try:
        parts.append(ft.Semantics(content=_bar_chart(bars),
                                  label="결과별 건수 막대 그래프 (아래에 숫자로도 적혀 있습니다)"))
    except Exception:  # the extension is missing or incompatible: rows below still say it all
        log.info("bar chart unavailable, showing rows only", exc_info=True)
    parts.append(_bar_rows(bars))
    return ft.Column(parts, spacing=8, tight=True)
