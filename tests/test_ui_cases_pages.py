"""The case, analysis and summary pages on a headless Flet page (no browser): build, load, save.

Mirrors what flet_web does for a new client (Session → page patch), with a connection that
msgpack-serialises messages like the real transports.
"""
from __future__ import annotations

import threading
import time

import flet as ft
import msgpack
import pytest
from flet.controls.base_control import BaseControl
from flet.messaging.connection import Connection
from flet.messaging.protocol import configure_encode_object_for_msgpack
from flet.messaging.session import Session
from flet.pubsub.pubsub_hub import PubSubHub

from app.context import PageContext, Services
from app.main import Navigator
from app.router import Router


class _RecordingConnection(Connection):
    def __init__(self):
        super().__init__()
        self.pubsubhub = PubSubHub()
        self.sent = []

    def send_message(self, message):
        self.sent.append(msgpack.packb([message.action, message.body],
                                       default=configure_encode_object_for_msgpack(BaseControl)))


@pytest.fixture
def app_ctx():
    conn = _RecordingConnection()
    session = Session(conn)
    msgpack.packb(session.get_page_patch(), default=configure_encode_object_for_msgpack(BaseControl))
    conn.session = session  # the page only keeps a weak reference to its session
    Services.reset_shared()
    services = Services.create()
    ctx = PageContext(session.page, services, web_mode=False)
    router = Router.discover()
    ctx.nav_entries = router.nav_entries()
    nav = Navigator(session.page, ctx, router)
    ctx._navigate, ctx._refresh = nav.navigate, nav.refresh
    yield ctx, nav, conn
    Services.reset_shared()


def _texts(control) -> list[str]:
    """Every Text value under ``control`` (walks the public control tree)."""
    out = []
    stack = [control]
    while stack:
        c = stack.pop()
        if isinstance(c, ft.Text) and c.value:
            out.append(str(c.value))
        for name in ("content", "controls", "title", "subtitle", "label"):
            value = getattr(c, name, None)
            if isinstance(value, list):
                stack.extend(v for v in value if isinstance(v, ft.Control))
            elif isinstance(value, ft.Control):
                stack.append(value)
    return out


def _wait_for(predicate, timeout=10.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_pages_register_with_the_router(app_ctx):
    ctx, nav, _ = app_ctx
    entries = {e.route: (e.label, e.order) for e in ctx.nav_entries}
    assert entries["/analysis"] == ("상황 분석", 30)
    assert entries["/summarize"] == ("문서 요약", 40)
    assert entries["/cases"] == ("사건", 50)
    assert nav.router.resolve("/case/abc").params == {"case_id": "abc"}


def test_case_list_and_case_page_show_a_stored_case(app_ctx):
    ctx, nav, _ = app_ctx
    from app.viewmodels import cases_vm

    case = cases_vm.repository_for(ctx).create("김OO 허리", learned_on="2026-01-19")
    cases_vm.repository_for(ctx).add_analysis(case.id, {"kind": "상황 분석", "answer": {"issues": ["퇴행성 여부"]}})
    nav.show("/cases")
    ctx.page.update()
    listing = ctx.page.views[-1]
    assert _wait_for(lambda: "김OO 허리" in _texts(listing)), _texts(listing)
    assert any(t.startswith("사건 1건") for t in _texts(listing))

    nav.show(f"/case/{case.id}")
    ctx.page.update()
    detail = ctx.page.views[-1]
    assert _wait_for(lambda: "저장한 상황 분석 (1)" in _texts(detail)), _texts(detail)
    texts = _texts(detail)
    assert any(t.startswith("심사청구: 2026-04-20(월)까지") for t in texts)
    assert "• 퇴행성 여부" in texts
    # Right under the case's name: the next step, with the date to act by.
    header, first_card = detail_page_sections(detail)[:2]
    assert "김OO 허리" in _texts(header)
    card_texts = _texts(first_card)
    assert {"다음에 할 일", "2026년 4월 20일 (월)"} <= set(card_texts)


def detail_page_sections(view) -> list[ft.Control]:
    """The case page's sections (the body column that holds header, next step, details, …)."""
    stack = list(view.controls)
    while stack:
        c = stack.pop(0)
        if isinstance(c, ft.Column) and len(c.controls) > 5:
            return list(c.controls)
        for name in ("content", "controls"):
            value = getattr(c, name, None)
            stack.extend(v for v in (value if isinstance(value, list) else [value]) if isinstance(v, ft.Control))
    raise AssertionError("no section column on the case page")


def test_saving_a_case_edit_reloads_the_list_on_the_stack(app_ctx):
    ctx, nav, _ = app_ctx
    from app.pages.case_detail import CasePage
    from app.viewmodels import cases_vm

    case = cases_vm.repository_for(ctx).create("처음 이름")
    nav.show("/cases")
    ctx.page.update()
    listing = ctx.page.views[-1]
    assert _wait_for(lambda: "처음 이름" in _texts(listing))
    page = CasePage(ctx, case.id)
    done = threading.Event()
    page.show = lambda saved: done.set()  # the save's own redraw is not under test here
    page.save(lambda repo: repo.update(case.id, alias="바뀐 이름"))
    assert done.wait(10)
    assert _wait_for(lambda: "바뀐 이름" in _texts(listing)), _texts(listing)


def test_analysis_page_fills_an_example_and_shows_the_offline_view(app_ctx):
    ctx, nav, _ = app_ctx
    from app.pages.analysis import AnalysisPage
    from app.viewmodels import analysis_vm

    page = AnalysisPage(ctx)
    ctx.page.views.append(ft.View(route="/analysis", controls=page.controls()))
    ctx.page.update()
    label = analysis_vm.worked_examples()[1][0]
    page.fill_example(label)
    assert page.form.diagnoses == ("뇌내출혈",) and page.kind_c.value == "업무상질병"
    page.run_offline()
    assert _wait_for(lambda: page.save_row.visible, timeout=60), page.status.value
    texts = _texts(page.results)
    assert "판례 근거 (인터넷 없이 정리)" in texts
    assert any(t.startswith("비슷한 사례") for t in texts)
    assert page.save_row.visible and not page.chat_area.visible  # no AI server: no follow-up chat
    # The result opens with the next step: the date to act by and whom to call.
    controls = page.controls()
    assert controls.index(page.next_step_area) < controls.index(page.save_row) < controls.index(page.results)
    step_texts = _texts(page.next_step_area)
    assert page.next_step_area.visible and "다음에 할 일" in step_texts
    assert any(t.endswith("일 남음") for t in step_texts)


def test_analysis_form_blocks_and_explains(app_ctx):
    ctx, _, _ = app_ctx
    from app.pages.analysis import AnalysisPage

    page = AnalysisPage(ctx)
    ctx.page.views.append(ft.View(route="/analysis", controls=page.controls()))
    ctx.page.update()
    page.learned_on.value = "어제"
    page.run_offline()
    assert page.result is None
    assert page.check_text.visible and "어제" in page.check_text.value
    assert page.learned_on.error


def test_summary_page_offline_summary(app_ctx):
    ctx, _, _ = app_ctx
    from app.pages.summarize import SummarizePage

    page = SummarizePage(ctx)
    ctx.page.views.append(ft.View(route="/summarize", controls=page.controls()))
    ctx.page.update()
    assert page.engines == ["offline"]
    page.text.value = ("근로복지공단 요양급여 불승인 결정 통지서. 업무와 상병 사이의 상당인과관계를 인정하기 어려워 "
                       "불승인합니다. 이 결정에 이의가 있으면 90일 이내에 심사청구를 할 수 있습니다.")
    page.run()
    assert _wait_for(lambda: page.result.controls, timeout=60), page.status.value
    assert "무슨 문서인가요" in _texts(page.result)


def test_start_choices_arrive_in_the_analysis_form_and_reasons_show_on_the_case(app_ctx):
    ctx, nav, _ = app_ctx
    from app.viewmodels import cases_vm
    from app.viewmodels.home_vm import HomeChoices

    nav.show(HomeChoices(kind_c="업무상질병", kind_b="요양", keywords=["허리 디스크"]).to_analysis_route())
    ctx.page.update()
    view = ctx.page.views[-1]
    assert "허리 디스크" in _texts(view)
    radios = [c for c in _walk(view) if isinstance(c, ft.RadioGroup)]
    dropdowns = [c for c in _walk(view) if isinstance(c, ft.Dropdown) and c.label == "신청한 급여"]
    assert [r.value for r in radios] == ["업무상질병"] and [d.value for d in dropdowns] == ["요양급여"]

    repo = cases_vm.repository_for(ctx)
    case = repo.create("박OO 허리",
                       checklist=[{"text": "특별진찰 결과", "why": "근골격계 질병 인정 기준에서 살펴보는 자료"}])
    nav.show(f"/case/{case.id}")
    ctx.page.update()
    detail = ctx.page.views[-1]
    assert _wait_for(lambda: "특별진찰 결과" in _texts(detail)), _texts(detail)
    assert "왜: 근골격계 질병 인정 기준에서 살펴보는 자료" in _texts(detail)
    # Ticking the item off keeps its reason.
    box = next(c for c in _walk(detail) if isinstance(c, ft.Checkbox) and c.semantics_label == "특별진찰 결과")
    box.on_change(type("Event", (), {"control": type("Box", (), {"value": True})()})())
    assert _wait_for(lambda: repo.get(case.id).checklist[0].done)
    assert repo.get(case.id).checklist[0].why == "근골격계 질병 인정 기준에서 살펴보는 자료"


def _walk(control):
    stack = [control]
    while stack:
        c = stack.pop()
        yield c
        for name in ("content", "controls"):
            value = getattr(c, name, None)
            stack.extend(v for v in (value if isinstance(value, list) else [value]) if isinstance(v, ft.Control))
