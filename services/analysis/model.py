"""What the user tells us about the denied claim (the input form), with checks in plain Korean."""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

KINDS_C = ("업무상사고", "업무상질병")
BENEFITS = ("요양급여", "휴업급여", "장해급여", "유족급여", "장례비", "간병급여", "상병보상연금", "재요양", "기타")
STORY_MIN_CHARS = 20


@dataclass(frozen=True)
class InputIssue:
    field: str
    message: str
    blocking: bool  # True: the analysis cannot run without it


@dataclass
class SituationInput:
    industry: str = ""                 # 업종 / 하던 일
    kind_c: str = ""                   # 업무상사고 or 업무상질병
    diagnoses: list[str] = field(default_factory=list)  # 상병명
    benefit: str = ""                  # 청구한 급여 (요양급여, 유족급여, …)
    denial_reason: str = ""            # 불승인 이유, 통지서에 적힌 대로
    learned_on: date | None = None  # 불승인 통지를 받은(안) 날
    story: str = ""                    # 자유롭게 쓴 사연

    def issues(self) -> list[InputIssue]:
        found: list[InputIssue] = []
        if len(self.story.strip()) < STORY_MIN_CHARS and not self.diagnoses:
            found.append(InputIssue("story", "무슨 일을 하다가 어떻게 다치거나 아프게 되었는지 "
                                             "두세 문장 이상 적어 주세요.", True))
        if self.kind_c and self.kind_c not in KINDS_C:
            found.append(InputIssue("kind_c", "재해 종류는 '업무상사고' 또는 '업무상질병' 중에서 골라 주세요.", True))
        if not self.kind_c:
            found.append(InputIssue("kind_c", "사고로 다친 것인지, 일하다 병이 생긴 것인지 골라 주세요. "
                                              "비슷한 판례를 찾는 데 쓰입니다.", False))
        if not self.diagnoses:
            found.append(InputIssue("diagnoses", "진단받은 병명(상병명)을 적어 주세요. "
                                                 "예: 요추 추간판탈출증, 뇌출혈.", False))
        if not self.industry.strip():
            found.append(InputIssue("industry", "어떤 일을 했는지(업종, 직무)를 적어 주세요. "
                                                "예: 택배 상하차, 건설 현장 형틀목공.", False))
        if not self.denial_reason.strip():
            found.append(InputIssue("denial_reason", "불승인 통지서에 적힌 불승인 이유를 그대로 옮겨 주세요. "
                                                     "무엇을 반박해야 하는지 알 수 있습니다.", False))
        if self.learned_on is None:
            found.append(InputIssue("learned_on", "불승인 통지를 받은 날을 적으면 "
                                                  "심사청구·소송 기한을 계산해 드립니다.", False))
        elif self.learned_on > date.today():
            found.append(InputIssue("learned_on", "통지를 받은 날이 오늘보다 뒤입니다. "
                                                  "날짜를 다시 확인해 주세요.", True))
        return found

    def missing_messages(self) -> list[str]:
        return [issue.message for issue in self.issues()]

    def blocking_messages(self) -> list[str]:
        return [issue.message for issue in self.issues() if issue.blocking]

    def query_text(self) -> str:
        """What the similar-precedent search looks for."""
        parts = [self.kind_c, " ".join(self.diagnoses), self.industry, self.denial_reason, self.story]
        return " ".join(p.strip() for p in parts if p and p.strip())

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["learned_on"] = self.learned_on.isoformat() if self.learned_on else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SituationInput:
        learned = data.get("learned_on")
        return cls(
            industry=data.get("industry", ""), kind_c=data.get("kind_c", ""),
            diagnoses=list(data.get("diagnoses") or []), benefit=data.get("benefit", ""),
            denial_reason=data.get("denial_reason", ""),
            learned_on=date.fromisoformat(learned) if isinstance(learned, str) and learned else learned or None,
            story=data.get("story", ""),
        )

    @classmethod
    def from_story(cls, text: str) -> SituationInput:
        """Best-effort form from free text (CLI): kind, diagnoses and the notice date by keywords."""
        story = text.strip()
        accident_words = ("사고", "넘어", "추락", "떨어", "끼었", "끼임", "부딪", "출근", "퇴근")
        kind = "업무상사고" if any(w in story for w in accident_words) and not any(
            w in story for w in ("디스크", "뇌출혈", "심근경색", "우울", "추간판")) else "업무상질병"
        diagnoses = [d for d in _KNOWN_DIAGNOSES if d in story]
        learned = _find_learned_date(story)
        reason = ""
        match = re.search(r"(?:불승인|거절)\s*(?:이유|사유)\s*[:：은는]?\s*([^\n.]+)", story)
        if match:
            reason = match.group(1).strip()
        return cls(kind_c=kind, diagnoses=diagnoses, denial_reason=reason, learned_on=learned, story=story)


_KNOWN_DIAGNOSES = (
    "추간판탈출증", "허리디스크", "목디스크", "회전근개 파열", "회전근개", "반월상연골", "손목터널증후군",
    "뇌출혈", "뇌경색", "지주막하출혈", "심근경색", "협심증", "대동맥박리", "우울증", "적응장애",
    "외상후스트레스장애", "골절", "염좌", "뇌진탕",
)


def _find_learned_date(text: str) -> date | None:
    for match in re.finditer(r"(20\d{2})\s*[.\-년/]\s*(\d{1,2})\s*[.\-월/]\s*(\d{1,2})\s*일?", text):
        tail = text[match.end(): match.end() + 20]
        if any(word in tail for word in ("통지", "받", "불승인", "알")):
            try:
                return date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                continue
    return None
