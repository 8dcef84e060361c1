"""Cases and precedent stores the 심사청구서 tests share.

``synced_store`` holds real-shaped synced judgments: portal items as the Open Data Portal sends them (accnum,
courtname, kinda, …, a ``noncontent`` with the 판결 선고 line), read by the real portal parser and the judgment
reader, with case numbers no sample uses, plus the real 재심사위원회 재결 of ``shared/fixtures``. ``sample_store``
has nothing synced, so only the samples (가상 예시) are there.
"""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from app.viewmodels import analysis_vm as vm
from core.paths import sample_corpus_path
from core.records import Precedent
from services.analysis import OverlapFinder, analyze
from services.cases import UserFileCaseRepository
from services.cases.model import Case, default_checklist
from services.judgment import READER
from services.sources import lawgokr_parse
from services.sources.payload import parse_body
from services.sources.portal_parse import item_to_precedent
from storage.precedents import PrecedentStore
from storage.user_store import UserStore
from tests.conftest import FIXTURES

TODAY = date(2026, 3, 9)
LUMBAR = "허리디스크 (퇴행성 이유로 불승인)"
BRANCH = "근로복지공단 서울관악지사"
SERIAL_SHIFT = 300_000   # synced case numbers: the sample's serial plus this, so no sample shares one


def synced_number(sample_number: str) -> str:
    head = sample_number.rstrip("0123456789")
    return f"{head}{int(sample_number[len(head):]) + SERIAL_SHIFT}"


def portal_items() -> list[dict[str, str]]:
    """Every sample judgment as the portal would send it, under a case number of its own."""
    items = []
    for sample in json.loads(sample_corpus_path().read_text(encoding="utf-8")):
        number = synced_number(sample["case_number"])
        body = sample["full_text"].replace(sample["case_number"], number)
        first, _, rest = body.partition("\n")
        day = date.fromisoformat(sample["decided_on"])
        text = (f"{first}\n사      건  {number} {sample['title']}\n원      고  김○○\n피      고  근로복지공단\n"
                f"판 결 선 고  {day.year}. {day.month}. {day.day}.\n{rest}")
        items.append({"accnum": number, "courtname": sample["court"], "kinda": sample["outcome"],
                      "kindb": sample["kind_b"], "kindc": sample["kind_c"], "title": sample["title"],
                      "noncontent": text})
    return items


def board_decision() -> Precedent:
    listing = lawgokr_parse.read_list(parse_body((FIXTURES / "lawgokr_iaciac_list.xml").read_bytes()), "iaciac")
    body = lawgokr_parse.read_body(parse_body((FIXTURES / "lawgokr_iaciac_body_7213.xml").read_bytes()), "iaciac")
    return lawgokr_parse.iaciac_to_precedent("7213", body, listing.entries[0])


def synced_store(root: Path) -> PrecedentStore:
    store = PrecedentStore(root, reader=READER)
    store.upsert_many([*(item_to_precedent(item) for item in portal_items()), board_decision()])
    return store


def sample_store(root: Path) -> PrecedentStore:
    return PrecedentStore(root, reader=READER)


def saved_analysis(store: PrecedentStore, example: str = LUMBAR) -> dict[str, Any]:
    """What "사건에 저장" keeps after analysing the worked example over ``store`` (offline)."""
    inp = vm.to_input(vm.example_form(example, today=TODAY))
    result = analyze(inp, OverlapFinder(list(store.iter_records())), today=TODAY).to_dict()
    return vm.saved_record(result, [])


def repository(path: Path) -> UserFileCaseRepository:
    return UserFileCaseRepository(UserStore(path))


def lumbar_case(repo: UserFileCaseRepository, store: PrecedentStore, *, learned_on: str = "2026-02-17",
                decided_on: str = "2026-02-12", bookmark: str | None = None, **fields: Any) -> Case:
    """The lumbar-disc example as a case: its story, dates, the default 할 일 and the analysis saved into it."""
    analysis = saved_analysis(store)
    fields.setdefault("branch", BRANCH)
    case = repo.create("김OO 허리", situation=analysis["input"]["story"], learned_on=learned_on,
                       decided_on=decided_on, checklist=default_checklist("불승인"), **fields)
    case = repo.add_analysis(case.id, analysis, vm.evidence_todo(analysis))
    if bookmark:
        case = repo.add_bookmark(case.id, store.get(bookmark))
    return case
