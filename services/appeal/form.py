"""The parts of a 심사청구서 and a 재심사청구서, and how each is filled from a case.

The parts follow the items the 산업재해보상보험법 시행령 asks a 심사청구서 to carry (the 1995–2008 text, 제93조
and 제99조 for the 재심사청구서): who files and where he lives, the decision appealed (원처분), the day he learned
of it, the 청구 취지 and 이유, whether and how he was told he could appeal (고지), and for a claimant who is not the
injured worker, the worker's name and workplace, plus a representative where there is one. The paper form itself
is the 근로복지공단's own (the 시행규칙 leaves forms to the 공단: 제79조 of the 2010 text); see docs/appeal-form.md.

The claimant's and the worker's personal details are never taken from the case: the draft leaves them as marked
blanks to fill on paper or in the editor.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from core.errors import SanjaeError
from core.korean import attach
from services.analysis.model import BENEFITS

STAGES = ("심사청구", "재심사청구")
KOWEL = "근로복지공단"
REVIEW_BOARD = "산업재해보상보험재심사위원회"

BLANK = "[직접 적기]"
BLANK_IF_ANY = "[있으면 적기]"
BLANK_FROM_NOTICE = "[통지서를 보고 적기]"

# The decision a refused benefit is called by on the notice and in the 청구 취지.
DECISIONS = {"요양급여": "요양불승인", "휴업급여": "휴업급여 부지급", "장해급여": "장해급여 부지급",
             "유족급여": "유족급여 부지급", "장례비": "장례비 부지급", "간병급여": "간병급여 부지급",
             "상병보상연금": "상병보상연금 부지급", "재요양": "재요양 불승인"}
# Words people type for a benefit → the name the 공단 uses.
BENEFIT_WORDS = {"요양": "요양급여", "휴업": "휴업급여", "장해": "장해급여", "유족": "유족급여", "장의비": "장례비",
                 "간병": "간병급여", "상병보상": "상병보상연금", "재요양등": "재요양"}


class AppealError(SanjaeError):
    """A 심사청구서 draft cannot be made, saved or handed out as asked."""


@dataclass(frozen=True)
class FormField:
    key: str
    label: str
    group: str
    blank: str = BLANK_FROM_NOTICE   # what an empty part prints as
    personal: bool = False           # the claimant's or the worker's own details: never filled by the app
    hint: str = ""
    multiline: bool = False


_PEOPLE = (
    FormField("claimant_name", "성명", "청구인", BLANK, True),
    FormField("claimant_birth", "생년월일", "청구인", BLANK, True),
    FormField("claimant_address", "주소", "청구인", BLANK, True),
    FormField("claimant_phone", "전화번호", "청구인", BLANK, True),
    FormField("claimant_relation", "재해근로자와의 관계", "청구인", BLANK, True, "본인이 내면 '본인'"),
    FormField("worker_name", "성명", "재해근로자", BLANK, True, "청구인이 본인이면 '청구인과 같음'"),
    FormField("worker_birth", "생년월일", "재해근로자", BLANK, True),
    FormField("workplace", "재해 당시 사업장", "재해근로자", BLANK, True, "회사 이름"),
    FormField("workplace_address", "사업장 소재지", "재해근로자", BLANK, True),
    FormField("agent_name", "성명", "대리인", BLANK_IF_ANY, True, "노무사 등 대리인이 없으면 비워 두세요"),
    FormField("agent_address", "주소·연락처", "대리인", BLANK_IF_ANY, True),
)
_DECISION = (
    FormField("branch", "원처분기관", "원처분", hint="통지서에 적힌 근로복지공단 지사"),
    FormField("decided_on", "원처분일", "원처분", hint="예: 2026. 9. 3."),
    FormField("learned_on", "원처분이 있음을 안 날", "원처분", hint="통지서를 받은 날"),
    FormField("benefit", "급여 종류", "원처분", hint="예: 요양급여"),
    FormField("decision", "처분 내용", "원처분", hint="예: 요양불승인"),
    FormField("denial_reason", "처분 이유", "원처분", hint="통지서에 적힌 이유를 그대로", multiline=True),
)
_REVIEW = (
    FormField("review_decided_on", "심사 결정일", "심사 결정", hint="심사결정서의 날짜"),
    FormField("review_learned_on", "심사 결정이 있음을 안 날", "심사 결정", hint="심사결정서를 받은 날"),
    FormField("review_result", "심사 결정 내용", "심사 결정", hint="예: 심사청구 기각"),
)
_OTHER = (
    FormField("notice", "불복 안내(고지) 여부", "그 밖의 사항", BLANK,
              hint="통지서에 심사청구 방법과 기간이 적혀 있었는지"),
    FormField("filed_on", "청구일", "그 밖의 사항", BLANK, hint="내는 날"),
)

FORM_FIELDS: dict[str, tuple[FormField, ...]] = {
    "심사청구": (*_PEOPLE, *_DECISION, *_OTHER),
    "재심사청구": (*_PEOPLE, *_DECISION, *_REVIEW, *_OTHER),
}
TITLES = {"심사청구": "심사청구서", "재심사청구": "재심사청구서"}
SUBTITLES = {"심사청구": "보험급여 결정 등에 대한 심사청구 (산업재해보상보험법 제103조)",
             "재심사청구": "심사 결정 등에 대한 재심사청구 (산업재해보상보험법 제106조)"}
CLOSING = {"심사청구": "위와 같이 심사청구를 합니다.", "재심사청구": "위와 같이 재심사청구를 합니다."}
FORM_NOTE = ("칸은 산업재해보상보험법 시행령이 정한 청구서의 기재 사항을 따릅니다. 공단 지사에 있는 서식이나 공단 "
             "누리집 서식자료실의 서식에 옮겨 적어 내도 됩니다.")


def fields_for(stage: str) -> tuple[FormField, ...]:
    check_stage(stage)
    return FORM_FIELDS[stage]


def check_stage(stage: str) -> str:
    if stage not in STAGES:
        raise AppealError(f"'{stage}'은(는) 만들 수 있는 청구서가 아닙니다. "
                          "심사청구 또는 재심사청구 중에서 골라 주세요.")
    return stage


def benefit_name(text: str) -> str:
    """The 공단's name for a benefit typed in any common way ('요양' → '요양급여'); a Korean message otherwise."""
    word = " ".join((text or "").split())
    if not word:
        return ""
    if word in BENEFITS:
        return word
    if word in BENEFIT_WORDS:
        return BENEFIT_WORDS[word]
    raise AppealError(f"급여 종류 '{word}'을(를) 알 수 없습니다. 다음 가운데 하나로 적어 주세요: "
                      f"{', '.join(b for b in BENEFITS if b != '기타')}.")


def decision_for(benefit: str) -> str:
    """'요양급여' → '요양불승인': what the decision refusing it is called; '' when not known."""
    return DECISIONS.get(benefit, "")


def branch_name(text: str) -> str:
    """'서울관악지사' → '근로복지공단 서울관악지사': the 원처분기관 as a 청구서 names it."""
    name = " ".join((text or "").split())
    if not name or name.startswith(KOWEL):
        return name
    return f"{KOWEL} {name}"


def form_date(iso: str) -> str:
    """'2026-09-03' → '2026. 9. 3.', the way a 청구서 writes a date; anything else as it was."""
    try:
        day = date.fromisoformat(iso)
    except (TypeError, ValueError):
        return iso or ""
    return f"{day.year}. {day.month}. {day.day}."


def purpose_text(stage: str, decided_on: str, decision: str) -> str:
    """The 청구 취지 in its usual words: '원처분기관이 2026. 9. 3. 청구인에게 한 요양불승인 처분을 취소한다는 결정을
    구합니다.' (a 재심사청구 asks for a 재결). ``decided_on`` is the form's date text."""
    check_stage(stage)
    day = decided_on.strip() or "[원처분일]"
    what = decision.strip() or "[처분 내용]"
    if not what.endswith("처분"):
        what += " 처분"
    ask = "결정" if stage == "심사청구" else "재결"
    return f"원처분기관이 {day} 청구인에게 한 {attach(what, '을')} 취소한다는 {attach(ask, '을')} 구합니다."


def addressee(stage: str, branch: str) -> str:
    """Whom the 청구서 is addressed to; both are filed through the branch that decided
    (산업재해보상보험법 제103조 제2항, 제106조 제2항)."""
    to = KOWEL if stage == "심사청구" else REVIEW_BOARD
    via = branch.strip() or "원처분기관(통지서에 적힌 지사)"
    return f"{to} 귀중 ({attach(via, '을')} 거쳐 냅니다)"
