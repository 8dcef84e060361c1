"""Web visitors see only what they can act on: no link to 설정 they can't use, no environment-variable
names, and a long paste on the document page is cut with an announcement, never silently."""
from __future__ import annotations

import re
import time
from types import ModuleType

import flet as ft
import pytest

from app import visitor_words
from app.context import PageContext, Services
from app.pages.summarize import SummarizePage
from app.viewmodels import settings_vm
from app.viewmodels import summarize_vm as vm
from app.viewmodels.home_vm import TO_SETTINGS, TRY_SAMPLES, DataStatus, status_action
from core.errors import ConfigError
from services.ai import errors as ai_errors
from services.settings import Settings
from services.sources import lawgokr_parse, portal, portal_parse
from tests.fakes.ui_session import find_button, make_page, texts

ENV_NAME = re.compile(r"[A-Z][A-Z0-9]*_[A-Z0-9_]*[A-Z0-9]")
SETUP_MODULES = (ai_errors, portal, portal_parse, lawgokr_parse)


def _messages(module: ModuleType) -> list[str]:
    """Every Korean message a module defines at its top level (plain strings and dicts of them)."""
    out: list[str] = []
    for name, value in vars(module).items():
        if name.startswith("__"):
            continue
        values = value.values() if isinstance(value, dict) else [value]
        out += [v for v in values if isinstance(v, str) and re.search("[가-힣]", v) and len(v) > 20]
    return out


def _assert_plain(text: str) -> None:
    assert not ENV_NAME.search(text), text
    assert "환경 변수" not in text and "환경변수" not in text, text
    assert not visitor_words.is_setup_message(text), text


# ---- message wording -------------------------------------------------------------------------

def test_every_setup_message_of_the_services_reads_plainly_to_a_visitor():
    messages = [m for module in SETUP_MODULES for m in _messages(module)]
    assert portal.MISSING_KEY_MESSAGE in messages and ai_errors.MSG_AUTH in messages
    named = [m for m in messages if ENV_NAME.search(m)]
    assert len(named) >= 6  # the key, OC, Gemma address, token, offline switch … messages
    for message in messages:
        _assert_plain(visitor_words.shown(message, web_mode=True))
        assert visitor_words.shown(message, web_mode=False) == message  # the desktop keeps the names


def test_visitor_wording_by_topic_keeps_the_code_for_the_operator():
    key = visitor_words.for_visitor(portal.MISSING_KEY_MESSAGE)
    assert key.startswith("공공데이터포털") and "운영자" in key
    gemma = visitor_words.for_visitor(ai_errors.MSG_NO_SERVER)
    assert gemma.startswith("Gemma AI") and "자동 발췌" in gemma
    assert visitor_words.for_visitor(lawgokr_parse.MISSING_OC_MESSAGE).startswith("국가법령정보센터")
    code30 = visitor_words.for_visitor(portal_parse.REASON_MESSAGES["30"])
    assert "운영자에게 알릴 때: 코드 30" in code30
    _assert_plain(code30)


def test_messages_a_visitor_can_act_on_stay_as_they_are():
    for message in (ai_errors.MSG_RATE, ai_errors.MSG_COLD, portal_parse.REASON_MESSAGES["23"],
                    "요약할 글을 붙여 넣거나 .txt 파일을 열어 주세요."):
        assert visitor_words.for_visitor(message) == message


def test_a_real_connection_check_without_a_key_reaches_a_visitor_in_plain_words():
    settings = Settings(web_mode=True)
    with pytest.raises(ConfigError) as caught:
        settings_vm.check_connection("portal", settings)
    assert "SANJAE_PORTAL_KEY" in caught.value.message  # what the desktop and the CLI still say
    shown = visitor_words.shown(caught.value.message, web_mode=True)
    _assert_plain(shown)
    assert "운영자" in shown


def test_settings_help_tells_a_visitor_the_operator_sets_the_keys():
    for field in settings_vm.KEY_FIELDS:
        assert settings_vm.field_help(field, web_mode=False) == field.help
        web = settings_vm.field_help(field, web_mode=True)
        assert web.startswith("운영자가 서버에서 설정합니다") and "data.go.kr" not in web and "IP" not in web


# ---- home ------------------------------------------------------------------------------------

def test_home_status_on_the_desktop_sends_to_settings():
    sample = DataStatus(total=30, sample_only=True)
    assert "설정에서 인증키" in " ".join(sample.lines(web_mode=False))
    assert status_action(sample, web_mode=False) == TO_SETTINGS
    assert status_action(DataStatus(available=False), web_mode=False) == TO_SETTINGS
    assert status_action(DataStatus(total=5, sample_only=False), web_mode=False) is None


def test_home_status_in_web_mode_offers_what_a_visitor_can_do():
    sample = DataStatus(total=30, sample_only=True)
    lines = " ".join(sample.lines(web_mode=True))
    assert "가상 예시 판례 30건" in lines and "운영자가 받아 오면" in lines and "설정" not in lines
    assert status_action(sample, web_mode=True) == TRY_SAMPLES and TRY_SAMPLES.route == "/search"
    broken = DataStatus(available=False)
    assert "운영자에게 알려" in broken.lines(web_mode=True)[0] and "다시 시작" not in broken.lines(web_mode=True)[0]
    assert status_action(broken, web_mode=True) is None
    assert status_action(DataStatus(total=5, sample_only=False), web_mode=True) is None


@pytest.fixture
def fresh_services():
    Services.reset_shared()
    yield
    Services.reset_shared()


def _start_home(monkeypatch: pytest.MonkeyPatch, web: bool):
    from app.main import main  # loads every page (as app.main does at start)

    if web:
        monkeypatch.setenv("SANJAE_WEB_MODE", "1")
    page, _ = make_page("/")
    main(page)
    return page.views[-1]


def test_home_page_in_web_mode_has_no_settings_button(monkeypatch, fresh_services):
    home = _start_home(monkeypatch, web=True)
    with pytest.raises(AssertionError):
        find_button(home, TO_SETTINGS.label)
    assert find_button(home, TRY_SAMPLES.label)
    assert not any("설정에서" in t for t in texts(home))


def test_home_page_on_the_desktop_keeps_the_settings_button(monkeypatch, fresh_services):
    home = _start_home(monkeypatch, web=False)
    assert find_button(home, TO_SETTINGS.label)


# ---- document summary: the length limit -------------------------------------------------------

def test_the_limit_is_said_before_pasting_and_a_cut_is_announced():
    assert f"최대 {vm.TEXT_MAX_CHARS:,}자" in vm.LIMIT_HELP
    assert vm.length_counter("") == f"0 / {vm.TEXT_MAX_CHARS:,}자"
    short = "가" * 6_300
    assert vm.fit_text(short) == vm.FittedText(short)
    long = "나" * 31_200
    fitted = vm.fit_text(long)
    assert fitted.text == long[:vm.TEXT_MAX_CHARS]
    assert fitted.cut_message.startswith("앞의 30,000자만 남겼습니다 (붙여 넣은 글 31,200자).")
    assert vm.length_counter(fitted.text) == "30,000 / 30,000자"


def test_an_engine_that_reads_only_part_of_a_long_text_says_so():
    text = "다" * 6_300
    note = vm.engine_reads_note(text, "gemma")
    assert "6,300자" in note and "4,500자" in note and "앞부분과 끝부분" in note
    assert vm.engine_reads_note("다" * 4_000, "gemma") == ""
    assert vm.engine_reads_note(text, "gemini") == vm.engine_reads_note(text, "offline") == ""


def test_the_privacy_preview_says_when_it_shows_only_the_beginning():
    shown, note = vm.shown_preview("라" * 6_300)
    assert shown == "라" * vm.PREVIEW_SHOWN_CHARS + "…"
    assert "앞의 4,000자만" in note and "6,300자" in note
    assert vm.shown_preview("짧은 글") == ("짧은 글", "")


def test_engine_words_for_a_visitor_do_not_mention_this_computer_or_settings():
    for engine in vm.ENGINE_WORDS:
        web = vm.engine_label(engine, web_mode=True)
        assert "이 컴퓨터" not in web and "설정" not in web, web
        assert vm.engine_label(engine, web_mode=False) == vm.ENGINE_WORDS[engine]


def test_summary_page_cuts_a_long_paste_and_keeps_the_note(fresh_services):
    page, _ = make_page("/summarize")
    ctx = PageContext(page, Services.create(), web_mode=True)
    summary = SummarizePage(ctx)
    page.views.append(ft.View(route="/summarize", controls=summary.controls()))
    page.update()
    assert summary.text.helper == vm.LIMIT_HELP and summary.text.counter == "0 / 30,000자"
    summary.text.value = "가나다라 " * 7_800  # 39,000 characters
    summary.text_changed()
    assert len(summary.text.value) == vm.TEXT_MAX_CHARS
    assert summary.cut_note.visible and "붙여 넣은 글 39,000자" in str(summary.cut_note.value)
    assert summary.text.counter == "30,000 / 30,000자"
    summary.run()  # the kept text is summarized, not refused
    deadline = time.monotonic() + 60
    while not summary.result.controls and time.monotonic() < deadline:
        time.sleep(0.05)
    assert summary.result.controls, summary.status.value


def test_a_failed_summary_shows_a_visitor_plain_words(fresh_services):
    page, _ = make_page("/summarize")
    ctx = PageContext(page, Services.create(), web_mode=True)
    summary = SummarizePage(ctx)
    page.views.append(ft.View(route="/summarize", controls=summary.controls()))
    page.update()
    summary.engine.value = "gemma"  # not configured: the service says to set SANJAE_LLM_URL
    summary.text.value = "근로복지공단 요양급여 불승인 결정 통지서입니다. 심사청구는 90일 이내에 할 수 있습니다."
    summary.run()
    deadline = time.monotonic() + 30
    while summary.token is not None and time.monotonic() < deadline:
        time.sleep(0.05)
    status = str(summary.status.value)
    assert status.startswith("Gemma AI는 지금 쓸 수 없습니다"), status
    _assert_plain(status)
