"""Turn whatever the HTTP stack raises into an ``LLMError`` with a plain Korean message.

Messages are built from fixed text and the status code only: server bodies and URLs are never
copied in, so a token that a proxy might echo back cannot reach the screen or a log.
"""
from __future__ import annotations

from core.errors import SanjaeError


class LLMError(SanjaeError):
    """An AI-server failure. ``kind`` lets callers react without parsing the Korean text."""

    def __init__(self, message: str, *, kind: str = "other", status: int | None = None,
                 retryable: bool = False) -> None:
        super().__init__(message, retryable=retryable)
        self.kind = kind
        self.status = status


MSG_AUTH = ("AI 서버가 토큰을 받아들이지 않았습니다. 설정에서 Hugging Face 토큰(HF_TOKEN)이 맞는지, "
            "그 토큰에 이 엔드포인트를 쓸 권한이 있는지 확인해 주세요.")
MSG_PAUSED = ("AI 서버(엔드포인트)가 일시 정지되어 있습니다. 스스로 깨어나지 않으니 Hugging Face 콘솔의 "
              "Inference Endpoints 화면에서 '재개(Resume)'를 누른 뒤 다시 시도해 주세요.")
MSG_COLD = ("AI 서버가 아직 깨어나지 않았습니다. 서버를 켜는 데 몇 분이 걸릴 수 있으니 잠시 후 다시 시도해 주세요. "
            "그동안 판례 근거 보기는 AI 없이도 쓸 수 있습니다.")
MSG_TIMEOUT = ("AI 서버의 응답이 너무 늦어 기다리기를 멈췄습니다. 잠시 후 다시 시도해 주세요. "
               "계속되면 답변 길이를 줄이거나 서버 상태를 확인해 주세요.")
MSG_CONNECT = ("AI 서버에 연결할 수 없습니다. 인터넷 연결과 설정의 AI 서버 주소(SANJAE_LLM_URL)가 맞는지 "
               "확인해 주세요.")
MSG_OFFLINE = ("HF_HUB_OFFLINE 환경 변수가 켜져 있어 AI 서버에 연결하지 않았습니다. 이 변수를 지운 뒤 다시 "
               "시도해 주세요.")
MSG_RATE = "AI 서버가 지금 요청이 너무 많다고 답했습니다. 1~2분 뒤 다시 시도해 주세요."
MSG_NOT_FOUND = ("AI 서버 주소에서 대화 기능을 찾지 못했습니다(HTTP 404). Hugging Face 엔드포인트 화면에 나온 "
                 "주소를 그대로 붙여 넣었는지 확인해 주세요.")
MSG_CONTEXT = ("보낼 내용이 AI 모델이 한 번에 읽을 수 있는 길이를 넘었습니다. 사연을 줄이거나 함께 보낼 판례 수를 "
               "줄여 다시 시도해 주세요.")
MSG_STREAM = "AI 서버가 답을 쓰는 도중에 오류를 보냈습니다. 잠시 후 다시 시도해 주세요."
MSG_OVERLOADED = "AI 서버가 지금 너무 바빠 답을 끝내지 못했습니다. 잠시 후 다시 시도해 주세요."
MSG_BROKEN = "AI 서버가 알아볼 수 없는 답을 보냈습니다. 서버 주소가 대화형 AI 엔드포인트가 맞는지 확인해 주세요."


def server_error(status: int) -> LLMError:
    return LLMError(f"AI 서버에 문제가 생겼습니다(HTTP {status}). 잠시 후 다시 시도해 주세요.",
                    kind="server", status=status, retryable=True)


def rejected(status: int) -> LLMError:
    return LLMError(f"AI 서버가 요청을 받아들이지 않았습니다(HTTP {status}). 서버가 대화형 모델(예: ko-gemma)을 "
                    "올린 엔드포인트인지 확인해 주세요.", kind="rejected", status=status)
