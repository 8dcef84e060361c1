"""The case file a support worker keeps for one worker: plain dataclasses ↔ JSON-ready dicts.

Nothing here knows about TinyDB, so the same model serves the desktop store and a browser-storage
JSON blob. ``history`` holds short fingerprints of the case's past contents; import/merge uses it to
tell "the other copy is simply newer" from "both copies were edited" (see ``services.cases.merge``).
"""
from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from core.errors import SanjaeError
from core.records import OUTCOME_LABELS, OUTCOMES
from services.deadlines import STAGES, Deadline, DeadlineError, check_plausible, compute_deadlines

HISTORY_MAX = 200
ALIAS_MAX = 100
APPEAL_DRAFTS_MAX = 10    # saved 심사청구서 drafts kept per case (the oldest go first); a browser keeps all cases
# Fields that describe what the case says; bookkeeping fields are left out of the fingerprint.
_BOOKKEEPING = ("id", "created_at", "updated_at", "rev", "history", "copied_from", "replaced")
# Fields added after cases were first stored: left out of the fingerprint while empty, so a case that never
# used them keeps the fingerprint (and so the import history) it had before they existed.
_LATER_FIELDS = ("benefit", "denial_reason", "branch", "appeal_drafts")
# The facts a 심사청구서 draft shares with the case; saving a draft page writes them back to the case.
DRAFT_FACTS = ("branch", "benefit", "denial_reason")


class CaseError(SanjaeError):
    """A case could not be found, saved or read."""


class CaseNotFound(CaseError):
    def __init__(self, case_id: str) -> None:
        super().__init__("찾는 사건이 없습니다. 이미 지웠거나 다른 기기에서만 만든 사건일 수 있습니다. "
                         "사건 목록을 다시 확인해 주세요.")
        self.case_id = case_id


class CaseValidationError(CaseError):
    """Case data (typed in or imported) is not in the expected shape."""


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def new_id() -> str:
    return str(uuid.uuid4())


@dataclass
class Bookmark:
    precedent_id: str
    title: str = ""
    citation: str = ""
    note: str = ""
    source: str = ""
    added_at: str = field(default_factory=now_iso)
    outcome: str = ""  # the result for the worker when it was saved (``Precedent.outcome``), for reports

    @property
    def outcome_label(self) -> str:
        return OUTCOME_LABELS.get(self.outcome, "")


@dataclass
class CaseDocument:
    text: str
    title: str = ""
    summary: dict[str, Any] | None = None
    id: str = field(default_factory=new_id)
    added_at: str = field(default_factory=now_iso)


@dataclass
class ChecklistItem:
    text: str
    done: bool = False
    why: str = ""   # why this item matters (e.g. which recognition criterion asks for it); "" in older files


@dataclass
class Case:
    alias: str
    id: str = field(default_factory=new_id)
    contact: str = ""
    situation: str = ""
    decided_on: str = ""      # 처분일/결정일, YYYY-MM-DD or ""
    learned_on: str = ""      # 결정을 안 날, YYYY-MM-DD or ""
    stage: str = "불승인"
    disease_committee: bool = False  # the decision went through 업무상질병판정위원회
    benefit: str = ""         # 청구한 급여 (요양급여, 휴업급여, …) the decision refused
    denial_reason: str = ""   # 처분 이유, as the notice gives it
    branch: str = ""          # 원처분기관: the 근로복지공단 branch that decided (통지서에 적힌 곳)
    analyses: list[dict[str, Any]] = field(default_factory=list)
    bookmarks: list[Bookmark] = field(default_factory=list)
    documents: list[CaseDocument] = field(default_factory=list)
    checklist: list[ChecklistItem] = field(default_factory=list)
    notes: str = ""
    created_at: str = field(default_factory=now_iso)
    updated_at: str = ""
    rev: int = 1
    history: list[str] = field(default_factory=list)
    copied_from: str = ""     # id of the case this one was copied from on an import conflict
    # Values that gave way when two tabs or windows saved the same field (``services.cases.edit_merge``).
    replaced: list[dict[str, Any]] = field(default_factory=list)
    # 심사청구서 drafts saved from the draft page, oldest first; each holds its ``saved_at`` and ``stage``.
    appeal_drafts: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.updated_at:
            self.updated_at = self.created_at
        if not self.history:
            self.history = [self.fingerprint()]

    # -- conversion ---------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Any) -> Case:
        return case_from_dict(data)

    def content_dict(self) -> dict[str, Any]:
        content = {k: v for k, v in self.to_dict().items() if k not in _BOOKKEEPING}
        # An item without a reason hashes as it did before ``why`` existed, so older files keep their history.
        content["checklist"] = [{k: v for k, v in item.items() if k != "why" or v} for item in content["checklist"]]
        for name in _LATER_FIELDS:
            if not content[name]:
                del content[name]
        return content

    def fingerprint(self) -> str:
        canonical = json.dumps(self.content_dict(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:20]

    def touch(self) -> None:
        """Record an edit: new time, next revision, the new content's fingerprint."""
        self.updated_at = max(now_iso(), self.updated_at)
        self.rev += 1
        fingerprint = self.fingerprint()
        if not self.history or self.history[-1] != fingerprint:
            self.history = (self.history + [fingerprint])[-HISTORY_MAX:]

    # -- derived ------------------------------------------------------------------------
    def deadlines(self, today: date | None = None) -> list[Deadline]:
        if not self.learned_on:
            return []
        learned = date.fromisoformat(self.learned_on)
        decided = date.fromisoformat(self.decided_on) if self.decided_on else None
        return compute_deadlines(learned, decided, stage=self.stage, disease_committee=self.disease_committee,
                                 today=today)


# ------------------------------------------------------------------------------ validation

def _text(data: dict[str, Any], key: str, label: str, *, required: bool = False, max_len: int = 200_000) -> str:
    value = data.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise CaseValidationError(f"'{label}' 항목은 글자여야 합니다.")
    if not _is_utf8(value):
        # A lone surrogate (bytes that were not UTF-8, or a "\ud800" escape) can be neither hashed nor saved.
        raise CaseValidationError(f"'{label}' 항목에 깨진 글자가 있습니다. 글자를 다시 입력하거나 "
                                  "파일을 UTF-8로 저장한 뒤 다시 시도해 주세요.")
    value = value.strip() if key in ("alias", "id") else value
    if required and not value:
        raise CaseValidationError(f"'{label}' 항목이 비어 있습니다. 내용을 입력해 주세요.")
    if len(value) > max_len:
        raise CaseValidationError(f"'{label}' 항목이 너무 깁니다({max_len:,}자까지).")
    return value


def _is_utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _date_text(data: dict[str, Any], key: str, label: str) -> str:
    value = _text(data, key, label, max_len=10)
    if value:
        try:
            date.fromisoformat(value)
        except ValueError:
            raise CaseValidationError(f"'{label}' 날짜 '{value}'을(를) 알아볼 수 없습니다. "
                                      "2026-01-19처럼 입력해 주세요.") from None
    return value


def _list(data: dict[str, Any], key: str, label: str) -> list[Any]:
    value = data.get(key) or []
    if not isinstance(value, list):
        raise CaseValidationError(f"'{label}' 항목은 목록이어야 합니다.")
    return value


def _dicts(data: dict[str, Any], key: str, label: str) -> list[dict[str, Any]]:
    items = _list(data, key, label)
    if not all(isinstance(item, dict) for item in items):
        raise CaseValidationError(f"'{label}' 목록의 항목 모양이 맞지 않습니다.")
    return items


def _bookmark(item: dict[str, Any]) -> Bookmark:
    return Bookmark(precedent_id=_text(item, "precedent_id", "판례 번호", required=True),
                    title=_text(item, "title", "판례 제목"), citation=_text(item, "citation", "인용"),
                    note=_text(item, "note", "메모"), source=_text(item, "source", "출처"),
                    added_at=_text(item, "added_at", "추가한 때") or now_iso(),
                    outcome=outcome if (outcome := _text(item, "outcome", "판결 결과")) in OUTCOMES else "")


def _document(item: dict[str, Any]) -> CaseDocument:
    summary = item.get("summary")
    if summary is not None and not isinstance(summary, dict):
        raise CaseValidationError("'문서 요약' 항목의 모양이 맞지 않습니다.")
    return CaseDocument(text=_text(item, "text", "문서 내용", max_len=2_000_000),
                        title=_text(item, "title", "문서 제목"),
                        summary=summary, id=_text(item, "id", "문서 번호") or new_id(),
                        added_at=_text(item, "added_at", "추가한 때") or now_iso())


WHY_MAX = 500


def checklist_item(item: Any) -> ChecklistItem:
    if isinstance(item, ChecklistItem):
        return ChecklistItem(item.text, bool(item.done), item.why)
    if isinstance(item, str):
        item = {"text": item}
    if not isinstance(item, dict):
        raise CaseValidationError("'할 일' 목록의 항목 모양이 맞지 않습니다.")
    done = item.get("done", False)
    if not isinstance(done, bool):
        raise CaseValidationError("'할 일'의 완료 표시는 예/아니오(true/false)여야 합니다.")
    return ChecklistItem(text=_text(item, "text", "할 일", required=True, max_len=2000), done=done,
                         why=_text(item, "why", "할 일의 이유", max_len=WHY_MAX))


def case_from_dict(data: Any) -> Case:
    """Build a ``Case`` from stored or imported data, with a Korean message for anything malformed."""
    if not isinstance(data, dict):
        raise CaseValidationError("사건 자료의 모양이 맞지 않습니다.")
    stage = data.get("stage") or "불승인"
    if stage not in STAGES:
        raise CaseValidationError(f"알 수 없는 단계 '{stage}'입니다. {', '.join(STAGES)} 중 하나여야 합니다.")
    rev = data.get("rev", 1)
    if not isinstance(rev, int) or isinstance(rev, bool) or rev < 1:
        raise CaseValidationError("사건의 수정 번호(rev)가 올바르지 않습니다.")
    history = _list(data, "history", "수정 기록")
    if not all(isinstance(h, str) for h in history):
        raise CaseValidationError("사건의 수정 기록 모양이 맞지 않습니다.")
    analyses = _dicts(data, "analyses", "분석")
    case = Case(
        id=_text(data, "id", "사건 번호", required=True, max_len=100),
        alias=_text(data, "alias", "사건 별칭", required=True, max_len=ALIAS_MAX),
        contact=_text(data, "contact", "연락처", max_len=500),
        situation=_text(data, "situation", "상황 설명"),
        decided_on=_date_text(data, "decided_on", "처분일"),
        learned_on=_date_text(data, "learned_on", "결정을 안 날"),
        stage=stage,
        disease_committee=bool(data.get("disease_committee", False)),
        analyses=[dict(a) for a in analyses],
        bookmarks=[_bookmark(b) for b in _dicts(data, "bookmarks", "판례 북마크")],
        documents=[_document(d) for d in _dicts(data, "documents", "문서")],
        checklist=[checklist_item(c) for c in _list(data, "checklist", "할 일")],
        notes=_text(data, "notes", "메모"),
        created_at=_text(data, "created_at", "만든 때") or now_iso(),
        updated_at=_text(data, "updated_at", "고친 때"),
        rev=rev,
        history=list(history)[-HISTORY_MAX:],
        copied_from=_text(data, "copied_from", "원본 사건 번호", max_len=100),
        replaced=[dict(r) for r in _dicts(data, "replaced", "합칠 때 바뀐 값")],
        benefit=_text(data, "benefit", "급여 종류", max_len=40),
        denial_reason=_text(data, "denial_reason", "처분 이유", max_len=5000),
        branch=_text(data, "branch", "원처분기관", max_len=100),
        appeal_drafts=[dict(d) for d in _dicts(data, "appeal_drafts", "심사청구서 초안")][-APPEAL_DRAFTS_MAX:],
    )
    if case.decided_on and case.learned_on and case.decided_on > case.learned_on:
        raise CaseValidationError("처분일이 결정을 안 날보다 늦습니다. 두 날짜를 다시 확인해 주세요.")
    # A case written by hand (or by an older version) may lack its current fingerprint.
    if case.history[-1:] != [case.fingerprint()]:
        case.history = (case.history + [case.fingerprint()])[-HISTORY_MAX:]
    return case


DATE_LABELS = {"decided_on": "처분일", "learned_on": "결정을 안 날"}


def check_entry_dates(case: Case, fields: tuple[str, ...] = tuple(DATE_LABELS), today: date | None = None) -> None:
    """Refuse dates typed in or imported that cannot be a real decision date (see ``check_plausible``).

    Stored cases are not checked on reading: a case must stay readable whatever date it holds.
    """
    for name in fields:
        value = getattr(case, name, "") if name in DATE_LABELS else ""
        if value:
            try:
                check_plausible(date.fromisoformat(value), DATE_LABELS[name], today)
            except DeadlineError as exc:
                raise CaseValidationError(exc.message) from None


DEFAULT_CHECKLIST: dict[str, list[str]] = {
    "요양신청": ["진단서·소견서 받기", "업무 내용과 근무 시간 기록 모으기", "사고 경위 적어 두기 (날짜·장소·목격자)"],
    "불승인": ["불승인 통지서 사본 보관 (받은 날 적어 두기)", "불승인 이유 확인하기", "진료기록·의사 소견서 모으기",
             "근무 기록(출퇴근·업무량) 모으기", "동료 진술서 부탁하기", "심사청구서 내기 (기한 확인)"],
    "심사청구": ["심사 결정서 받은 날 적어 두기", "결정 이유 확인하기", "새로 낼 증거 정리하기",
             "재심사청구서 내기 (기한 확인)"],
    "재심사청구": ["재결서 받은 날 적어 두기", "소송 여부를 노무사·변호사와 상의하기", "소송 구조(비용 지원) 알아보기"],
    "행정소송": ["소송 서류와 기일 정리하기", "대리인 연락처 적어 두기"],
}


def default_checklist(stage: str) -> list[ChecklistItem]:
    return [ChecklistItem(text) for text in DEFAULT_CHECKLIST.get(stage, [])]
