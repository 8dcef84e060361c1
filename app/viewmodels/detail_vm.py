"""Precedent page logic: header lines, source credit, sections of the judgment, citation."""
from __future__ import annotations

from dataclasses import dataclass

from app.viewmodels.search_vm import BENEFIT_WORDS, KIND_C_WORDS, OUTCOME_WORDS, court_line
from core.records import Precedent
from services.judgment.headline import headline

SOURCE_CREDIT = {
    "portal": ("출처: 근로복지공단, 산재보험 판례 판결문 (공공데이터포털 data.go.kr). "
               "공공저작물 출처표시 조건에 따라 이용합니다."),
    "lawgokr": "출처: 근로복지공단 산재판례, 국가법령정보센터 (law.go.kr). 공공저작물 출처표시 조건에 따라 이용합니다.",
    "iaciac": "출처: 산업재해보상보험재심사위원회 재결, 국가법령정보센터 (law.go.kr).",
    "sample": "가상 예시: 앱 사용법을 보여 주려고 만든 판례입니다. 실제 사건이 아니니 근거로 쓰지 마세요.",
}
KIND_C_LONG = {"업무상사고": "업무상 사고", "업무상질병": "업무상 질병"}


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    text: str
    expanded: bool = False


class DetailViewModel:
    def __init__(self, record: Precedent) -> None:
        self.record = record

    @property
    def headline(self) -> str:
        """The plain title (work · condition · result for the worker), from the judgment's own words."""
        return headline(self.record)

    @property
    def case_name(self) -> str:
        """The 사건명 shown under the headline."""
        return self.record.title or "(제목 없음)"

    @property
    def is_sample(self) -> bool:
        return bool(self.record.is_sample or self.record.source == "sample")

    @property
    def outcome_words(self) -> str:
        r = self.record
        return OUTCOME_WORDS.get(r.outcome, r.outcome or "결과 정보 없음")

    @property
    def outcome_note(self) -> str:
        """Where the source's own result code and the 주문 disagree, what the 주문 shows ('' otherwise)."""
        return self.record.outcome_note

    def facts(self) -> list[tuple[str, str]]:
        """(label, value) pairs for the header; empty values are left out."""
        r = self.record
        pairs = [
            ("사건번호", r.case_number),
            ("법원", court_line(r)),
            ("결과", self.outcome_words),
            ("급여 종류", BENEFIT_WORDS.get(r.kind_b, r.kind_b)),
            ("사고/질병", KIND_C_LONG.get(r.kind_c, KIND_C_WORDS.get(r.kind_c, r.kind_c))),
        ]
        return [(k, v) for k, v in pairs if v]

    @property
    def credit(self) -> str:
        return SOURCE_CREDIT.get(self.record.source, f"출처: {self.record.source}")

    def related_text(self) -> str:
        lines = []
        for item in self.record.related or []:
            level = item.get("level")
            level_word = {1: "1심", 2: "2심", 3: "대법원"}.get(level, str(level or "")) \
                if isinstance(level, int) else str(level or "")
            line = " ".join(p for p in (item.get("court", ""), item.get("case_number", ""),
                                        f"({level_word})" if level_word else "") if p)
            if line:
                lines.append("• " + line)
        return "\n".join(lines)

    def sections(self) -> list[Section]:
        r = self.record
        out = []
        related = self.related_text()
        if related:
            out.append(Section("related", "연관판결 (같은 사건의 다른 심급)", related))
        if r.issues_text:
            out.append(Section("issues", "쟁점", r.issues_text))
        if r.order:
            out.append(Section("order", "주문 (판결의 결론)", r.order, expanded=True))
        if r.reasons:
            out.append(Section("reasons", "이유", r.reasons))
        if not (r.order or r.reasons) and r.full_text:
            out.append(Section("full", "판결문 전체", r.full_text, expanded=True))
        return out

    def citation(self) -> str:
        return self.record.citation()
