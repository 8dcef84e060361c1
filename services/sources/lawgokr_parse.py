"""Reading 국가법령정보센터 (law.go.kr DRF) responses for ``target=prec`` and ``target=iaciac``.

XML is converted by ``payload.parse_body`` into the same nested dicts JSON gives, so one set of
readers serves both. Roots: ``PrecSearch``/``PrecService`` and ``Iaciac``/``IaciacService``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from core.records import Precedent, split_case_number
from services.judgment import READER
from services.judgment.sections import clean_text
from services.sources.errors import LawGoKrError, NotFoundError
from services.sources.kinds import kind_b_from_title, kind_c_normalized
from services.sources.payload import as_list, text_of

LABEL = "국가법령정보센터"
IACIAC_COURT = "산업재해보상보험재심사위원회"

OC_FAILED_MESSAGE = (
    "국가법령정보센터가 사용자 확인에 실패했습니다. 설정 화면(또는 환경 변수 SANJAE_LAWGOKR_OC)에 넣은 OC 값이 "
    "open.law.go.kr에 가입할 때 등록한 아이디(이메일의 @ 앞부분)와 같은지, 그리고 open.law.go.kr의 "
    "'OPEN API 신청' 정보에 이 컴퓨터의 IP 주소가 등록되어 있는지 확인해 주세요."
)
MISSING_OC_MESSAGE = (
    "국가법령정보센터 OC 값이 없습니다. open.law.go.kr에 가입하고 OPEN API 활용을 신청한 뒤, 등록한 아이디를 "
    "앱의 '설정' 화면에 넣거나 환경 변수 SANJAE_LAWGOKR_OC에 넣어 주세요."
)

_ROOTS = {"prec": ("PrecSearch", "PrecService"), "iaciac": ("Iaciac", "IaciacService")}
_ID_FIELDS = {"prec": ("판례일련번호", "판례정보일련번호"), "iaciac": ("결정문일련번호",)}


def _failure_text(doc: dict[str, Any]) -> str:
    """The ``result`` text of an error answer (XML ``<Response><result>`` or the JSON variants)."""
    for holder in (doc.get("Response"), doc.get("response"), doc):
        if isinstance(holder, dict):
            result = text_of(holder.get("result"))
            if result:
                return result
    return ""


def check_answer(doc: dict[str, Any]) -> None:
    """Raise ``LawGoKrError`` for the OC failure and other error answers; ``NotFoundError`` for 'no such id'."""
    failure = _failure_text(doc)
    if failure:
        if "검증" in failure or "인증" in failure or "사용자" in failure:
            raise LawGoKrError(OC_FAILED_MESSAGE, code="oc")
        raise LawGoKrError(
            "국가법령정보센터가 요청을 처리하지 못했다고 답했습니다. "
            "잠시 후 다시 시도하고, 계속되면 설정의 OC 값을 확인해 주세요.",
            code="result",
        )
    law = doc.get("Law")
    if isinstance(law, str) and ("없습니다" in law or "일치하는" in law):
        raise NotFoundError("국가법령정보센터에 해당 자료가 없습니다. 목록이 바뀌었을 수 있으니 다시 동기화해 주세요.",
                            code="not-found")


def _root(doc: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    for name in names:
        value = doc.get(name)
        if isinstance(value, dict):
            return value
    if len(doc) == 1:
        (only,) = doc.values()
        if isinstance(only, dict):
            return only
    raise LawGoKrError(
        "국가법령정보센터에서 예상과 다른 형식의 응답이 왔습니다. "
        "설정의 서버 주소를 확인하고 잠시 후 다시 시도해 주세요.",
        code="shape",
    )


def _to_int(value: Any) -> int | None:
    text = text_of(value).replace(",", "")
    return int(text) if text.isdecimal() else None  # isdigit() also passes "²", which int() refuses


@dataclass
class ListPage:
    entries: list[dict[str, Any]] = field(default_factory=list)
    total: int | None = None
    page: int | None = None

    def ids(self, target: str) -> list[str]:
        return [entry_id(target, e) for e in self.entries if entry_id(target, e)]


def entry_id(target: str, entry: dict[str, Any]) -> str:
    for name in _ID_FIELDS[target]:
        value = text_of(entry.get(name))
        if value:
            return value
    return ""


def read_list(doc: dict[str, Any], target: str) -> ListPage:
    root = _root(doc, (_ROOTS[target][0],))
    entries = [e for e in as_list(root.get(target)) if isinstance(e, dict)]
    return ListPage(entries=entries, total=_to_int(root.get("totalCnt")), page=_to_int(root.get("page")))


def read_body(doc: dict[str, Any], target: str) -> dict[str, Any]:
    return _root(doc, (_ROOTS[target][1],))


def _field(body: dict[str, Any], entry: dict[str, Any] | None, name: str) -> str:
    value = text_of(body.get(name))
    if not value and entry:
        value = text_of(entry.get(name))
    return value


def prec_to_precedent(doc_id: str, body: dict[str, Any], entry: dict[str, Any] | None = None,
                      fetched_at: str = "") -> Precedent:
    """A 근로복지공단산재판례 body. 사건번호 is blank and the date 0001.01.01 for these rows, so the
    judgment reader takes both from the text where it can; the result comes from the 주문 alone."""
    title = _field(body, entry, "사건명")
    full_text = clean_text(_field(body, entry, "판례내용"))
    case_number, case_year = split_case_number(_field(body, entry, "사건번호"))
    issues = clean_text(_field(body, entry, "판시사항")) or clean_text(_field(body, entry, "판결요지"))
    return READER.read(Precedent(
        id=f"lawgokr:{doc_id}",
        source="lawgokr",
        title=title,
        case_number=case_number,
        case_year=case_year,
        court=_field(body, entry, "법원명"),
        kind_b=kind_b_from_title(title),
        decided_on=_field(body, entry, "선고일자"),
        full_text=full_text,
        issues_text=issues,
        fetched_at=fetched_at,
    ))


_IACIAC_SECTIONS = ("청구인", "원처분기관", "주문", "청구취지", "이유")
_IACIAC_YEAR = re.compile(r"((?:19|20)\d{2})")


def iaciac_to_precedent(doc_id: str, body: dict[str, Any], entry: dict[str, Any] | None = None,
                        fetched_at: str = "") -> Precedent:
    """A 재심사위원회 재결: outcome from 주문, kind_b from 사건, kind_c from 사건중분류, issues from 쟁점."""
    title = _field(body, entry, "사건")
    case_number = _field(body, entry, "사건번호")
    year_match = _IACIAC_YEAR.match(case_number) or _IACIAC_YEAR.match(title)
    order = clean_text(_field(body, entry, "주문"))
    sections = []
    for name in _IACIAC_SECTIONS:
        value = clean_text(_field(body, entry, name))
        if value:
            sections.append(f"【{name}】\n{value}")
    return READER.read(Precedent(
        id=f"iaciac:{doc_id}",
        source="iaciac",
        title=title,
        case_number=case_number,
        case_year=int(year_match.group(1)) if year_match else None,
        court=IACIAC_COURT,
        court_level=None,
        kind_b=kind_b_from_title(title),
        kind_c=kind_c_normalized(_field(body, entry, "사건중분류")),
        decided_on=_field(body, entry, "의결일자"),
        order=order,
        reasons=clean_text(_field(body, entry, "이유")),
        full_text="\n\n".join(sections),
        issues_text=clean_text(_field(body, entry, "쟁점")),
        fetched_at=fetched_at,
    ))
