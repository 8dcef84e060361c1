"""Settings page logic: which keys exist, how to show them, connection checks, sync."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from core.errors import ConfigError, SanjaeError
from core.progress import CancelToken, ProgressCallback
from services.ai.choice import analysis_engine, build_model, configured, summary_engine
from services.retry import RetryPolicy
from services.settings import Settings, mask
from services.sync import make_client, sync


@dataclass(frozen=True)
class KeyField:
    name: str          # Settings name
    label: str
    help: str
    secret: bool
    check: str | None = None   # which connection check belongs to this field


KEY_FIELDS = (
    KeyField("portal_key", "공공데이터포털 인증키",
             "data.go.kr에서 '근로복지공단_산재보험 판례 판결문 조회 서비스'를 활용신청하면 "
             "마이페이지에서 볼 수 있습니다. 'Decoding' 키를 넣으세요 (Encoding 키도 됩니다).", True, "portal"),
    KeyField("lawgokr_oc", "국가법령정보 OC (아이디)",
             "open.law.go.kr에 가입하고 API 사용을 신청한 아이디입니다. 이 컴퓨터의 IP도 등록해야 합니다.",
             True, "lawgokr"),
    KeyField("gemini_key", "Gemini API 키",
             "Google AI Studio에서 만든 키입니다. 판례·문서 요약과 (Gemma 서버가 없을 때) 상황 분석에 씁니다.",
             True, "gemini"),
    KeyField("llm_url", "Gemma 엔드포인트 주소",
             "Hugging Face Inference Endpoint 주소입니다 (https://…endpoints.huggingface.cloud).", False, "gemma"),
    KeyField("hf_token", "Hugging Face 토큰", "엔드포인트를 부를 때 쓰는 토큰(hf_…)입니다.", True, "gemma"),
)
FIELDS_BY_NAME = {f.name: f for f in KEY_FIELDS}
VISITOR_HELP = "운영자가 서버에서 설정합니다. '연결 확인'을 누르면 지금 쓸 수 있는지 알 수 있습니다."
VISITOR_HELP_NO_CHECK = "운영자가 서버에서 설정합니다."


def field_help(field: KeyField, web_mode: bool) -> str:
    """How to get the key on the desktop; a web visitor only learns that the operator sets it up."""
    if not web_mode:
        return field.help
    return VISITOR_HELP if field.check else VISITOR_HELP_NO_CHECK


@dataclass(frozen=True)
class ChoiceField:
    """A setting picked from a few options; "" = let the app choose from the saved keys."""
    name: str          # Settings name
    label: str
    help: str
    options: tuple[tuple[str, str], ...]   # (value, Korean label)


CHOICE_FIELDS = (
    ChoiceField("summary_engine", "판례·문서 요약 방식",
                "'자동'이면 Gemini 키가 있으면 Gemini, 없고 Gemma 주소가 있으면 Gemma, "
                "둘 다 없으면 자동 발췌를 씁니다.",
                (("", "자동"), ("offline", "자동 발췌 (인터넷 없이)"), ("gemini", "Gemini"), ("gemma", "Gemma"))),
    ChoiceField("analysis_engine", "상황 분석에 쓸 AI",
                "'자동'이면 Gemma 주소가 있으면 Gemma, 없고 Gemini 키만 있으면 Gemini를 씁니다. "
                "어느 쪽이든 보내기 전에 개인정보를 가린 글을 먼저 보여 드립니다.",
                (("", "자동"), ("gemma", "Gemma (설정한 AI 서버)"), ("gemini", "Gemini (Google)"))),
)


def choice_value(settings: Any, field: ChoiceField) -> str:
    """The saved option ("" when none is saved or the saved one is unknown)."""
    value = str(settings.get(field.name) or "").strip().lower() if settings is not None else ""
    return value if any(value == v for v, _ in field.options) else ""


def choice_effect(settings: Any, field: ChoiceField, web_mode: bool = False) -> str:
    """What the app will actually use with these settings, in Korean (a saved choice may lack its key)."""
    words = dict(field.options)
    if field.name == "summary_engine":
        return f"지금 쓰는 방식: {words[summary_engine(settings)]}"
    engine = analysis_engine(settings)
    if engine is None:
        how = "운영자에게 문의하세요" if web_mode else "쓰려면 위에서 키나 주소를 넣어 주세요"
        return f"지금은 AI 없이 판례 근거만 보여 드립니다 ({how})."
    return f"지금 쓰는 AI: {words[engine]}"


def _writable(settings: Settings | None, web_mode: bool, what: str) -> Settings:
    """The settings a desktop user may change; in web mode the operator sets ``what`` on the server."""
    if web_mode:
        raise ConfigError(f"웹으로 제공되는 앱에서는 운영자가 서버에서 {what} 정합니다.")
    if settings is None:
        raise ConfigError("설정을 저장할 곳이 없습니다. 앱을 다시 시작해 주세요.")
    return settings


def save_choice(settings: Settings | None, field: ChoiceField, value: str, web_mode: bool) -> str:
    settings = _writable(settings, web_mode, "AI 방식을")
    if value and not configured(value, settings):
        raise ConfigError(f"'{dict(field.options).get(value, value)}'에 필요한 키나 주소가 아직 없습니다. "
                          "위에서 먼저 넣어 주세요.")
    return settings.set(field.name, value)


OPERATOR_SET = "운영자가 설정함"
OPERATOR_UNSET = "설정되지 않음 (운영자에게 문의하세요)"
SYNC_SOURCES = (("portal", "공공데이터포털 판례"), ("lawgokr", "국가법령정보센터 판례"),
                ("iaciac", "재심사위원회 재결"))


def display_value(settings: Any, field: KeyField, web_mode: bool) -> str:
    """What the page may show for a field: never a secret in full, nothing at all to web visitors."""
    if settings is None:
        return ""
    value = settings.get(field.name) or ""
    if web_mode:
        return OPERATOR_SET if value else OPERATOR_UNSET
    if not value:
        return "아직 넣지 않았습니다"
    if field.secret:
        where = {"env": " (환경변수)", "keyring": " (안전한 저장소)", "memory": " (이번 실행 동안만)"}.get(
            settings.source(field.name), "")
        return f"저장됨: {mask(value)}{where}"
    return f"저장됨: {value}"


def save_value(settings: Settings | None, field: KeyField, value: str, web_mode: bool) -> str:
    return _writable(settings, web_mode, "키를").set(field.name, value)


# ---- connection checks (blocking: run them in a worker thread) ------------------------------

def _check_portal(settings: Any, cancel: CancelToken) -> str:
    client = make_client("portal", settings)
    try:
        check = getattr(client, "check", None)
        if callable(check):
            return str(check(cancel=cancel))
        kinds = client.kind_a_codes(cancel=cancel)
        return f"공공데이터포털에 연결되었습니다. 인증키가 올바릅니다 (판결 결과 종류 {len(kinds)}가지 확인)."
    finally:
        client.close()


def _check_lawgokr(settings: Any, cancel: CancelToken) -> str:
    client = make_client("lawgokr", settings)
    try:
        check = getattr(client, "check", None)
        if callable(check):
            return str(check(cancel=cancel))
        client.list_page("prec", 1, display=1, cancel=cancel)
        return "국가법령정보센터에 연결되었습니다. OC가 올바릅니다."
    finally:
        client.close()


def _check_gemma(settings: Any, cancel: CancelToken) -> str:
    if not configured("gemma", settings):
        raise ConfigError("Gemma 엔드포인트 주소를 먼저 넣어 주세요.")
    model = build_model("gemma", settings)
    try:
        return model.check(cancel=cancel)
    finally:
        model.close()


def _check_gemini(settings: Any, cancel: CancelToken) -> str:
    model = build_model("gemini", settings, timeout=30.0, retry=NO_RETRY)
    try:
        return model.check(cancel=cancel)
    finally:
        model.close()


NO_RETRY = RetryPolicy(attempts=1)
CHECKS: dict[str, Callable[[Any, CancelToken], str]] = {
    "portal": _check_portal, "lawgokr": _check_lawgokr, "gemma": _check_gemma, "gemini": _check_gemini,
}


def check_connection(kind: str, settings: Any, cancel: CancelToken | None = None) -> str:
    """Run one connection check; returns a Korean success sentence or raises ``SanjaeError``."""
    try:
        return CHECKS[kind](settings, cancel or CancelToken())
    except SanjaeError:
        raise
    except Exception as exc:  # a client bug must still end in words the user understands
        raise SanjaeError("연결을 확인하지 못했습니다. 주소와 키를 다시 확인하고 잠시 뒤 다시 해 주세요.") from exc


def run_sync(source: str, store: Any, settings: Any, progress: ProgressCallback | None,
             cancel: CancelToken | None) -> str:

    client = make_client(source, settings)
    try:
        report = sync(source, store, client=client, progress=progress, cancel=cancel)
    finally:
        client.close()
    return report.summary()
