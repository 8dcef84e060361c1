"""What a web visitor reads instead of a message meant for whoever runs the app.

Messages built in ``services`` speak to the person who can change the setup: they name environment
variables (SANJAE_PORTAL_KEY), send people to the 설정 screen, or ask them to fix an endpoint. On the
desktop and in the CLI that person is the user. A visitor of the web app (``python -m app --web``) can do
none of it: the operator sets the app up. ``shown`` keeps every other message as it is and replaces these
with plain Korean that says what the visitor can do, keeping a code such as "코드 30" for the operator.
"""
from __future__ import annotations

import re

# Words that only make sense to whoever sets the app up.
_SETUP_WORDS = ("환경 변수", "환경변수", "설정에서", "설정 화면", "'설정'", "설정의 ", "설정한 ", "엔드포인트",
                "콘솔", "토큰", "인증키", "API 키", "OC 값", "활용신청", "AI Studio")
# SANJAE_PORTAL_KEY, HF_TOKEN, GEMINI_API_KEY (Hangul right after the name is a word character: no \b)
_ENV_NAME = re.compile(r"(?<![A-Za-z0-9_])[A-Z][A-Z0-9]*_[A-Z0-9_]*[A-Z0-9](?![A-Za-z0-9_])")
_CODE = re.compile(r"(?:코드 \d+|HTTP \d{3})")

OPERATOR_NOT_READY = "운영자가 아직 설정하지 않았거나 설정에 문제가 있습니다."
_AI_INSTEAD = "그동안 AI 없이 쓸 수 있는 방식(자동 발췌·판례 근거 보기)을 써 주세요."
# (word in the original message, what the visitor reads); the first that matches wins.
_TOPICS = (
    ("Gemma", f"Gemma AI는 지금 쓸 수 없습니다. {OPERATOR_NOT_READY} {_AI_INSTEAD}"),
    ("Gemini", f"Gemini AI는 지금 쓸 수 없습니다. {OPERATOR_NOT_READY} {_AI_INSTEAD}"),
    ("AI", f"AI는 지금 쓸 수 없습니다. {OPERATOR_NOT_READY} {_AI_INSTEAD}"),
    ("공공데이터포털", f"공공데이터포털 연결은 {OPERATOR_NOT_READY} "
                 "지금 들어 있는 판례는 그대로 찾아볼 수 있습니다."),
    ("국가법령정보", f"국가법령정보센터 연결은 {OPERATOR_NOT_READY} "
                "지금 들어 있는 판례는 그대로 찾아볼 수 있습니다."),
)
GENERIC = f"이 기능은 {OPERATOR_NOT_READY} 잠시 뒤 다시 해 보시고, 계속되면 운영자에게 알려 주세요."
TELL_OPERATOR = "운영자에게 알릴 때: {code}"


def is_setup_message(message: str) -> bool:
    """True when ``message`` asks for something only the operator can do, or names a setting's variable."""
    return bool(_ENV_NAME.search(message)) or any(w in message for w in _SETUP_WORDS)


def for_visitor(message: str) -> str:
    """The visitor's wording of a setup message (any other message comes back unchanged)."""
    if not is_setup_message(message):
        return message
    words = next((text for topic, text in _TOPICS if topic in message), GENERIC)
    code = _CODE.search(message)
    return f"{words} ({TELL_OPERATOR.format(code=code.group(0))})" if code else words


def shown(message: str, web_mode: bool) -> str:
    """``message`` as this screen shows it: unchanged on the desktop, ``for_visitor`` in web mode."""
    return for_visitor(message) if web_mode else message
