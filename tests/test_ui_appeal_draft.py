"""The 심사청구서 draft page: its viewmodel (plain Python) and the page itself on a headless Flet page."""
from __future__ import annotations

import threading
from pathlib import Path

import pytest

from app.viewmodels import appeal_vm
from services.appeal import AppealError
from services.appeal.citations import SAMPLES_ONLY
from services.cases import JsonBlobCaseRepository
from tests.appeal_cases import TODAY, lumbar_case, repository, sample_store, synced_store
from tests.test_ui_cases_pages import _texts, _wait_for, app_ctx  # noqa: F401 - the fixture


@pytest.fixture(scope="module")
def synced(tmp_path_factory):
    return synced_store(tmp_path_factory.mktemp("vm-synced") / "cache")


def _blob_repository() -> JsonBlobCaseRepository:
    text: list[str | None] = [None]
    return JsonBlobCaseRepository(lambda: text[0], lambda value: text.__setitem__(0, value))


def test_the_page_loads_edits_saves_and_loads_the_saved_version(synced, tmp_path: Path) -> None:
    repo = _blob_repository()  # a web visitor's cases: kept in the browser
    case = lumbar_case(repo, synced, benefit="요양급여")
    assert appeal_vm.button_label(case) == "심사청구서 초안 만들기"
    state = appeal_vm.load_state(repo, case.id, synced, None, today=TODAY)
    assert state.draft is not None and not state.saved and state.versions == []
    assert state.title == "심사청구서 초안" and not state.deadline.overdue
    assert dict(state.filing)["언제까지"].startswith("2026. 5. 18.(월)까지")
    groups = [group for group, _ in appeal_vm.form_specs(state.draft)]
    assert groups == ["청구인", "재해근로자", "대리인", "원처분", "그 밖의 사항"]

    fields = {**state.draft.fields, "claimant_name": "  김철수 ", "branch": "근로복지공단 안산지사", "notice": ""}
    edited = appeal_vm.edited_draft(state.draft, fields, state.draft.purpose, state.draft.reasons + "\n덧붙임.",
                                    "1. 진단서\n- 동료 진술서\n\n진단서")
    assert edited.fields["claimant_name"] == "김철수" and "notice" not in edited.fields
    assert edited.evidence == ["진단서", "동료 진술서"] and edited.citations == state.draft.citations
    saved = appeal_vm.save_draft(repo, case.id, edited, state.case)
    after = appeal_vm.saved_state(state, saved.case, edited)
    assert after.saved and after.versions[0][1].endswith("저장 · 심사청구서")

    again = appeal_vm.load_state(repo, case.id, synced, None, today=TODAY)
    assert again.saved and again.draft.fields["claimant_name"] == "김철수"
    assert again.case.branch == "근로복지공단 안산지사"
    fresh = appeal_vm.load_state(repo, case.id, synced, None, fresh=True, today=TODAY)
    assert not fresh.saved and fresh.draft.fields["claimant_name"] == "김철수"  # typed details carry over
    assert "덧붙임." not in fresh.draft.reasons

    name, data = appeal_vm.export_file(again.draft, again.case, "docx", synced, TODAY)
    assert name == "심사청구서-초안-김OO-허리-2026-03-09.docx" and data[:2] == b"PK"
    bad = appeal_vm.edited_draft(again.draft, again.draft.fields, again.draft.purpose,
                                 again.draft.reasons + " 대법원 2099두7 판결", "")
    assert appeal_vm.problems(bad, again.case, synced)
    with pytest.raises(AppealError):
        appeal_vm.export_file(bad, again.case, "pdf", synced, TODAY)


def test_a_case_that_can_draft_nothing_says_why(tmp_path: Path) -> None:
    repo = repository(tmp_path / "user.json")
    case = repo.create("오OO", stage="행정소송")
    state = appeal_vm.load_state(repo, case.id, sample_store(tmp_path / "cache"), None)
    assert state.draft is None and "소송 단계" in state.problem
    assert appeal_vm.button_label(case) == "심사청구서 초안"
    reviewed = repo.create("최OO", stage="심사청구", learned_on="2026-02-20")
    assert appeal_vm.button_label(reviewed) == "재심사청구서 초안 만들기"


def test_the_page_draws_on_a_headless_flet_page(app_ctx) -> None:  # noqa: F811 - the fixture
    ctx, nav, _ = app_ctx
    from app.pages.appeal_draft import AppealPage
    from app.viewmodels import cases_vm

    case = cases_vm.repository_for(ctx).create("김OO 허리", learned_on="2025-03-04", situation="물류센터 상하차 6년")
    nav.show(f"/case/{case.id}/appeal")
    ctx.page.update()
    view = ctx.page.views[-1]
    assert view.route == f"/case/{case.id}/appeal"
    assert _wait_for(lambda: "초안입니다. 검토한 뒤 내세요" in _texts(view), timeout=60), _texts(view)
    texts = _texts(view)
    assert f"※ {SAMPLES_ONLY}" in texts and "인용한 판례 (0)" in texts  # nothing synced: no sample is cited

    page = AppealPage(ctx, case.id)
    done = threading.Event()
    original = page.show

    def shown(state):
        original(state)
        done.set()

    page.show = shown
    page.load()
    assert done.wait(60)
    # Under the title, the passed deadline comes first, then that this is a draft.
    sections = [_texts(control) for control in page.body.controls]
    assert "기한이 지났습니다" in sections[1] and "초안입니다. 검토한 뒤 내세요" in sections[2]
    page.fields["claimant_name"].value = "김철수"
    done.clear()
    page.save()
    assert done.wait(20)
    stored = cases_vm.repository_for(ctx).get(case.id)
    assert stored.appeal_drafts[-1]["fields"]["claimant_name"] == "김철수"
