"""The shared record helpers and the settings resolution order."""
from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import ConfigError
from core.records import Precedent, court_level, split_case_number
from services.settings import Settings, forget_memory_secrets, mask
from storage.user_store import UserStore


@pytest.mark.parametrize("court, level", [
    ("대법원", 3), ("서울고등법원", 2), ("부산고등법원 (창원)", 2), ("서울행정법원", 1), ("대전지방법원", 1),
    ("수원지방법원 안산지원", 1), ("산업재해보상보험재심사위원회", None), ("", None),
])
def test_court_level(court: str, level: int | None) -> None:
    assert court_level(court) == level


@pytest.mark.parametrize("raw, expected", [
    ("2019구단12345", ("2019구단12345", 2019)),
    ("서울행정법원 2019 구합 678", ("2019구합678", 2019)),
    ("2021두45678", ("2021두45678", 2021)),
    ("사건번호 없음", ("사건번호 없음", None)),
])
def test_split_case_number(raw: str, expected: tuple[str, int | None]) -> None:
    assert split_case_number(raw) == expected


def test_precedent_round_trip_ignores_unknown_fields_and_cites_its_source() -> None:
    rec = Precedent.from_dict({"id": "portal:1", "source": "portal", "title": "요양불승인처분취소",
                               "court": "서울행정법원", "case_number": "2020구단1", "decided_on": "2021-03-04",
                               "future_field": 1})
    assert rec.to_dict()["title"] == "요양불승인처분취소"
    assert "future_field" not in rec.to_dict()
    assert rec.citation() == ("서울행정법원 2021-03-04 2020구단1 「요양불승인처분취소」 "
                              "(출처: 공공데이터포털 (근로복지공단))")


def test_mask_never_shows_a_key_in_full() -> None:
    assert mask("") == ""
    assert mask("short") == "••••••"
    masked = mask("abcdefghijklmnopqrstuvwxyz")
    assert masked == "abcd…wxyz" and "efgh" not in masked


def test_env_wins_then_keyring_or_memory_then_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    forget_memory_secrets()
    store = UserStore(tmp_path / "user.json")
    settings = Settings(store)
    assert settings.get("llm_model") == "rtzr/ko-gemma-2-9b-it"  # the default
    settings.set("llm_model", "my-model")
    assert settings.get("llm_model") == "my-model" and settings.source("llm_model") == "file"
    monkeypatch.setenv("SANJAE_LLM_MODEL", "env-model")
    assert settings.get("llm_model") == "env-model" and settings.source("llm_model") == "env"
    # No keyring back end in tests (conftest): the secret lives in memory only, and we say so.
    message = settings.set("portal_key", "SECRET-KEY-1234567890")
    assert "이번 실행 동안만" in message
    assert settings.get("portal_key") == "SECRET-KEY-1234567890"
    assert "SECRET-KEY-1234567890" not in (tmp_path / "user.json").read_text(encoding="utf-8")
    forget_memory_secrets()


def test_web_mode_keys_come_only_from_the_operator(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings(web_mode=True)
    with pytest.raises(ConfigError) as err:
        settings.set("gemini_key", "abc")
    assert "운영자" in err.value.message
    assert settings.get("gemini_key") is None
    monkeypatch.setenv("GEMINI_API_KEY", "operator-key-123456")
    assert settings.get("gemini_key") == "operator-key-123456"
