"""Settings and secrets.

Resolution order for every name: the environment (how an operator configures the web app and how
tests point clients at local servers), then the OS keyring for secrets, or the user file for plain
settings. Secrets are never written to a JSON file. Where no keyring exists (a headless server), a
secret set in the app is kept in memory for this run only, and the user is told so.
"""
from __future__ import annotations

import contextlib
import logging
import os
import threading
from dataclasses import dataclass
from typing import Any, Protocol

from core.errors import ConfigError
from core.korean import attach

log = logging.getLogger(__name__)
KEYRING_SERVICE = "sanjae-gemma"


@dataclass(frozen=True)
class SettingSpec:
    name: str
    env: str
    secret: bool
    label: str
    default: str = ""
    # Only settings that change neither where data is sent nor which service gets it may come back from a
    # backup file: a tampered backup must not send the user's keys or documents to a server it names.
    restorable: bool = False


SPECS: dict[str, SettingSpec] = {s.name: s for s in (
    SettingSpec("portal_key", "SANJAE_PORTAL_KEY", True, "공공데이터포털 인증키"),
    SettingSpec("lawgokr_oc", "SANJAE_LAWGOKR_OC", True, "국가법령정보 공동활용 OC(아이디)"),
    SettingSpec("gemini_key", "GEMINI_API_KEY", True, "Gemini API 키"),
    SettingSpec("hf_token", "HF_TOKEN", True, "Hugging Face 토큰"),
    SettingSpec("llm_url", "SANJAE_LLM_URL", False, "Gemma 엔드포인트 주소"),
    SettingSpec("llm_model", "SANJAE_LLM_MODEL", False, "Gemma 모델 이름", "rtzr/ko-gemma-2-9b-it",
                restorable=True),
    SettingSpec("gemini_model", "SANJAE_GEMINI_MODEL", False, "Gemini 모델", restorable=True),
    SettingSpec("gemini_url", "SANJAE_GEMINI_URL", False, "Gemini 주소 (미러·시험용)"),
    SettingSpec("portal_url", "SANJAE_PORTAL_URL", False, "공공데이터포털 서비스 주소",
                "https://apis.data.go.kr/B490001/sjbPrecedentInfoService"),
    SettingSpec("lawgokr_url", "SANJAE_LAWGOKR_URL", False, "국가법령정보센터 주소", "https://www.law.go.kr"),
    SettingSpec("summary_engine", "SANJAE_SUMMARY_ENGINE", False, "요약 방식", ""),
    SettingSpec("analysis_engine", "SANJAE_ANALYSIS_ENGINE", False, "상황 분석 AI", ""),
)}



def restorable_from_backup(name: str) -> bool:
    spec = SPECS.get(name)
    return spec is not None and spec.restorable


_memory_secrets: dict[str, str] = {}
_memory_guard = threading.Lock()


def mask(secret: str | None) -> str:
    """Show a key as 'abcd…wxyz' (or only dots when it is short), never in full."""
    if not secret:
        return ""
    if len(secret) <= 10:
        return "•" * 6
    return f"{secret[:4]}…{secret[-4:]}"


class _Keyring(Protocol):
    """The functions of the ``keyring`` module used here."""

    def get_password(self, service_name: str, username: str) -> str | None: ...
    def set_password(self, service_name: str, username: str, password: str) -> None: ...
    def delete_password(self, service_name: str, username: str) -> None: ...


def _keyring() -> _Keyring | None:
    try:
        import keyring  # noqa: PLC0415 - optional at run time
        from keyring.backends import fail, null  # noqa: PLC0415

        backend = keyring.get_keyring()
        if isinstance(backend, (fail.Keyring, null.Keyring)):
            return None
        return keyring
    except Exception:  # any import/back-end failure means: no keyring here
        return None


class Settings:
    """Read and change settings. ``web_mode`` makes secrets env-only: visitors never see or set them."""

    def __init__(self, user_store: Any = None, *, web_mode: bool = False) -> None:
        self.user_store = user_store
        self.web_mode = web_mode

    def spec(self, name: str) -> SettingSpec:
        try:
            return SPECS[name]
        except KeyError:
            raise ConfigError(f"알 수 없는 설정 이름입니다: {name}") from None

    def get(self, name: str) -> str | None:
        spec = self.spec(name)
        env = os.environ.get(spec.env, "").strip()
        if env:
            return env
        if spec.secret:
            if self.web_mode:
                return None
            with _memory_guard:
                if name in _memory_secrets:
                    return _memory_secrets[name]
            kr = _keyring()
            if kr is not None:
                try:
                    value = kr.get_password(KEYRING_SERVICE, name)
                except Exception:
                    value = None
                if value:
                    return value
            return None
        if self.user_store is not None:
            value = self.user_store.get_setting(name)
            if value:
                return str(value)
        return spec.default or None

    def source(self, name: str) -> str:
        """Where the current value comes from: 'env', 'keyring', 'memory', 'file', 'default' or ''."""
        spec = self.spec(name)
        if os.environ.get(spec.env, "").strip():
            return "env"
        if spec.secret:
            if name in _memory_secrets:
                return "memory"
            return "keyring" if self.get(name) else ""
        if self.user_store is not None and self.user_store.get_setting(name):
            return "file"
        return "default" if spec.default else ""

    def is_set(self, name: str) -> bool:
        return bool(self.get(name))

    def set(self, name: str, value: str | None) -> str:
        """Store a value; returns a Korean sentence saying where it was kept."""
        spec = self.spec(name)
        value = (value or "").strip()
        if spec.secret:
            return self._set_secret(spec, value)
        if self.user_store is None:
            raise ConfigError("설정을 저장할 곳이 없습니다. 앱을 다시 시작해 주세요.")
        if value:
            self.user_store.set_setting(name, value)
        else:
            self.user_store.delete_setting(name)
        return f"{attach(spec.label, '을')} 저장했습니다."

    def _set_secret(self, spec: SettingSpec, value: str) -> str:
        if self.web_mode:
            raise ConfigError("웹으로 제공되는 앱에서는 키를 운영자가 서버 환경변수로 설정합니다. "
                              "운영자에게 문의해 주세요.")
        kr = _keyring()
        with _memory_guard:
            _memory_secrets.pop(spec.name, None)
        if kr is not None:
            try:
                if value:
                    kr.set_password(KEYRING_SERVICE, spec.name, value)
                else:
                    with contextlib.suppress(Exception):
                        kr.delete_password(KEYRING_SERVICE, spec.name)
                return f"{attach(spec.label, '을')} 운영체제의 안전한 저장소에 보관했습니다."
            except Exception:
                log.warning("keyring write failed for %s", spec.name)
        if value:
            with _memory_guard:
                _memory_secrets[spec.name] = value
        return (f"이 컴퓨터에는 안전한 키 저장소가 없어 {attach(spec.label, '을')} 이번 실행 동안만 기억합니다. "
                f"계속 쓰려면 환경변수 {attach(spec.env, '로')} 설정해 주세요.")


def forget_memory_secrets() -> None:
    with _memory_guard:
        _memory_secrets.clear()
