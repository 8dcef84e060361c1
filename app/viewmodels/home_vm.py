"""Start page logic: the state of the data and the first choices."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from app.viewmodels.search_vm import SearchQuery
from core.records import SOURCE_LABELS

# (value stored in records, words shown)
ACCIDENT_KINDS = (("업무상사고", "사고로 다쳤어요"), ("업무상질병", "일하다 병을 얻었어요"))
BENEFIT_CHOICES = (
    ("요양", "요양 (치료비·휴업)"),
    ("장해", "장해"),
    ("유족", "유족"),
    ("재요양등", "재요양"),
    ("퇴직후진단", "퇴직 후 진단"),
)
KEYWORD_CHIPS = ("허리 디스크", "어깨 회전근개", "뇌출혈", "심근경색", "과로", "출퇴근 사고",
                 "소음성 난청", "진폐", "우울증", "근골격계")
# Chips that describe what happened rather than the illness: on the analysis form they start the story.
SITUATION_WORDS = ("과로", "출퇴근 사고")
ANALYSIS_ROUTE = "/analysis"


def format_when(iso: str | None) -> str:
    if not iso:
        return ""
    try:
        when = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso
    if when.tzinfo is not None:
        when = when.astimezone()
    return when.strftime("%Y년 %m월 %d일 %H:%M")


@dataclass
class DataStatus:
    total: int = 0
    by_source: dict[str, int] = field(default_factory=dict)
    last_sync: str = ""
    sample_only: bool = True
    available: bool = True

    @classmethod
    def from_store(cls, store: Any) -> DataStatus:
        if store is None:
            return cls(available=False)
        by_source = store.count_by_source()
        syncs = [v for v in store.last_sync().values() if v]
        return cls(total=len(store), by_source=by_source, last_sync=max(syncs) if syncs else "",
                   sample_only=not store.has_real_data())

    def lines(self, web_mode: bool = False) -> list[str]:
        """The state in plain words; a web visitor is not sent to set-up steps only the operator can do."""
        if not self.available:
            return ["판례 자료를 열지 못했습니다. 잠시 뒤 이 화면을 다시 열어 주세요. 계속되면 운영자에게 알려 주세요."
                    if web_mode else "판례 자료를 열지 못했습니다. 앱을 다시 시작해 주세요."]
        if self.sample_only:
            return [f"지금은 앱 사용법을 보여 주는 가상 예시 판례 {self.total:,}건만 있습니다.",
                    "실제 판례는 운영자가 받아 오면 여기에 나타납니다. 그동안 예시 판례로 찾는 법을 익혀 보세요."
                    if web_mode else "실제 판례를 보려면 설정에서 인증키를 넣고 자료를 받아 오세요."]
        parts = [f"{SOURCE_LABELS.get(src, src)} {n:,}건" for src, n in self.by_source.items()
                 if n and src != "sample"]
        lines = [f"판례 {self.total:,}건이 들어 있습니다."]
        if parts:
            lines.append("출처: " + ", ".join(parts))
        if self.last_sync:
            lines.append(f"마지막으로 받아 온 때: {format_when(self.last_sync)}")
        return lines


@dataclass(frozen=True)
class StatusAction:
    """The button under the data state: what the person looking at it can do about it."""
    label: str
    route: str
    tooltip: str


TO_SETTINGS = StatusAction("설정에서 실제 판례 받아 오기", "/settings", "설정 화면으로 가서 자료를 받아 옵니다")
TRY_SAMPLES = StatusAction("예시 판례 둘러보기", SearchQuery().to_route(), "가상 예시 판례로 찾는 법을 살펴봅니다")


def status_action(status: DataStatus, web_mode: bool) -> StatusAction | None:
    """Desktop: fetch real data in 설정. Web: the operator fetches it, so the visitor may try the samples."""
    if web_mode:
        return TRY_SAMPLES if status.available and status.sample_only else None
    return TO_SETTINGS if status.sample_only or not status.available else None


@dataclass
class HomeChoices:
    """What the visitor picked on the start page; becomes a search URL or a prefilled analysis form."""

    kind_c: str = ""
    kind_b: str = ""
    keywords: list[str] = field(default_factory=list)

    def toggle_keyword(self, word: str) -> None:
        if word in self.keywords:
            self.keywords.remove(word)
        else:
            self.keywords.append(word)

    def to_route(self) -> str:
        return SearchQuery(text=" ".join(self.keywords), kind_b=self.kind_b, kind_c=self.kind_c).to_route()

    def to_analysis_route(self) -> str:
        """The analysis form with these choices filled in; the same ``c``/``b``/``q`` keys as a search URL
        (words separated by commas, since a word such as "허리 디스크" has a space)."""
        params = {"c": self.kind_c, "b": self.kind_b, "q": ",".join(self.keywords)}
        query = urlencode({k: v for k, v in params.items() if v})
        return ANALYSIS_ROUTE + ("?" + query if query else "")
