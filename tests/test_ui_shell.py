"""The whole app on a headless page: routes, deep links, back navigation, page contract."""
from __future__ import annotations

import time

import pytest

from app.context import Services
from app.router import Router, compile_route
from tests.fakes.ui_session import find_button, make_page, texts


@pytest.fixture(autouse=True)
def fresh_services():
    Services.reset_shared()
    yield
    Services.reset_shared()


def start(route: str = "/", width: float = 1280):
    from app.main import main

    page, conn = make_page(route, width)
    main(page)
    return page, conn


def wait_for(predicate, timeout: float = 10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()


def top_texts(page) -> str:
    return "\n".join(texts(page.views[-1]))


def test_route_patterns():
    assert compile_route("/precedent/<id>").match("/precedent/sample:001")["id"] == "sample:001"
    assert compile_route("/").match("/")
    assert not compile_route("/search").match("/searching")


def test_every_page_module_follows_the_contract():
    router = Router.discover()
    routes = {s.route for s in router.specs}
    assert {"/", "/search", "/precedent/<id>", "/settings"} <= routes
    for spec in router.specs:
        assert spec.title, spec.route
    labels = [n.label for n in router.nav_entries()]
    assert labels[0] == "시작" and labels[-1] == "설정"


def test_home_shows_sample_notice_and_choices():
    page, _ = start("/")
    assert [v.route for v in page.views] == ["/"]
    text = top_texts(page)
    assert "가상 예시" in text
    assert "판례 찾기" in text and "내 상황 분석하기" in text
    assert page.fonts and "NanumGothic" in page.fonts
    assert page.theme.font_family == "NanumGothic" and page.dark_theme.font_family == "NanumGothic"


def test_deep_link_to_a_precedent_stacks_home_below_it():
    from storage.precedents import PrecedentStore

    first = next(iter(PrecedentStore().iter_records()))
    page, _ = start(f"/precedent/{first.id}")
    assert [v.route for v in page.views] == ["/", f"/precedent/{first.id}"]
    text = top_texts(page)
    assert first.title in text
    assert "가상 예시" in text  # the sample badge and the credit line
    assert "주문 (판결의 결론)" in text or "판결문 전체" in text


def test_unknown_route_and_missing_precedent_show_korean_messages():
    page, _ = start("/nowhere")
    assert "주소에 맞는 화면이 없습니다" in top_texts(page)
    page, _ = start("/precedent/portal:does-not-exist")
    assert "이 판례를 찾을 수 없습니다" in top_texts(page)


def test_navigation_and_back():
    page, _ = start("/")
    page.views[-1]  # home
    find_button(page.views[-1], "내 상황 분석하기")
    ctx_nav = page.on_route_change
    page.route = "/settings"
    ctx_nav(None)
    assert [v.route for v in page.views] == ["/", "/settings"]
    assert "인증키와 연결" in top_texts(page)
    # Browser back: the route goes back to "/" and the stack shrinks to it (home view reused).
    home = page.views[0]
    page.route = "/"
    ctx_nav(None)
    assert page.views == [home]


def test_narrow_window_uses_bottom_bar_wide_uses_rail():
    page, _ = start("/settings", width=390)
    parts = page.views[-1].data
    assert parts["bar"].visible and not parts["rail"].visible
    page.width = 1280
    page.on_resize(None)
    assert parts["rail"].visible and not parts["bar"].visible


def test_background_work_reports_errors_in_korean(tmp_path):
    from app.context import PageContext
    from app.wiring import AppServices
    from core.errors import SanjaeError

    page, _ = make_page()
    ctx = PageContext(page, AppServices.open(tmp_path, web_mode=False), web_mode=False)
    got = []
    ctx.run_background(lambda report, cancel: (_ for _ in ()).throw(SanjaeError("키가 틀렸습니다. 다시 넣어 주세요.")),
                       on_error=lambda exc: got.append(exc.message))
    assert wait_for(lambda: got)
    assert got == ["키가 틀렸습니다. 다시 넣어 주세요."]
    done = []
    ctx.run_background(lambda report, cancel: 41 + 1, on_done=done.append)
    assert wait_for(lambda: done) and done == [42]


def test_search_page_fills_results_from_a_worker_thread():
    page, _ = start("/search?a=%EC%B7%A8%EC%86%8C")  # a=취소
    # Without a running loop the worker thread applies the result itself: wait for the last part.
    assert wait_for(lambda: "건을 찾았습니다" in top_texts(page) and "가상 예시" in top_texts(page), timeout=30)
    text = top_texts(page)
    assert "노동자 승소 (취소)" in text and "가상 예시" in text
    assert "노동자 패소 (기각)" in text  # chips keep the other outcomes' counts


def test_desktop_entry_without_display_explains_web_mode():
    import os
    import subprocess
    import sys

    from tests.conftest import REPO

    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}
    env.pop("FLET_FORCE_WEB_SERVER", None)
    proc = subprocess.run([sys.executable, "-m", "app"], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 1
    assert "python -m app --web" in proc.stderr and "Traceback" not in proc.stderr
