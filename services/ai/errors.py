"""The AI layer's one error family, with plain Korean messages.

``AIError`` is what every adapter raises for a failure the user should read; ``kind`` lets callers
react without parsing the text. ``AIFormatRejected`` is the refusal after a model twice gave output
that does not fit the asked-for shape. Messages are fixed text plus safe values (status code, model
name): server bodies and URLs are never copied in, so a key a proxy echoes back cannot reach a
screen or a log.
"""
from __future__ import annotations

from core.errors import SanjaeError


class AIError(SanjaeError):
    """An AI call failed. ``kind``: config, auth, paused, cold_start, timeout, connection, offline,
    rate_limit, not_found, context, stream, broken, server, rejected, blocked, format, …"""

    def __init__(self, message: str, *, kind: str = "other", status: int | None = None,
                 retryable: bool = False) -> None:
        super().__init__(message, retryable=retryable)
        self.kind = kind
        self.status = status


class AIFormatRejected(AIError):
    """The model's answer did not fit the schema, even after one repair request."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message or MSG_FORMAT_REJECTED, kind="format")


class AIFormatError(ValueError):
    """Model output that is not the JSON asked for (internal: it drives the one repair request).

    ``reason`` is written for the model, not for the user.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


MSG_FORMAT_REJECTED = ("AI가 만든 답의 형식이 올바르지 않아 보여 드리지 않았습니다. 한 번 더 시도하거나, "
                       "AI 없이 쓸 수 있는 방식(자동 발췌·판례 근거 보기)을 써 보세요.")

# ---- OpenAI-compatible server (Hugging Face Inference Endpoint, TGI, vLLM) ----------------
MSG_BAD_URL = ("AI 서버 주소는 http:// 또는 https:// 로 시작해야 합니다. Hugging Face 엔드포인트 화면의 "
               "주소를 그대로 붙여 넣어 주세요.")
MSG_NO_SERVER = ("Gemma AI 서버 주소가 설정되어 있지 않습니다. 설정에서 AI 서버 주소(SANJAE_LLM_URL)를 넣거나, "
                 "다른 방식(자동 발췌·Gemini)을 골라 주세요.")
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


def server_error(status: int) -> AIError:
    return AIError(f"AI 서버에 문제가 생겼습니다(HTTP {status}). 잠시 후 다시 시도해 주세요.",
                   kind="server", status=status, retryable=True)


def rejected(status: int) -> AIError:
    return AIError(f"AI 서버가 요청을 받아들이지 않았습니다(HTTP {status}). 서버가 대화형 모델(예: ko-gemma)을 "
                   "올린 엔드포인트인지 확인해 주세요.", kind="rejected", status=status)


# ---- Gemini --------------------------------------------------------------------------------
GEMINI_NO_KEY = ("Gemini API 키가 설정되어 있지 않습니다. 설정에서 Gemini API 키를 넣거나, "
                 "다른 방식(자동 발췌·Gemma)을 골라 주세요.")
GEMINI_BAD_KEY = ("Gemini가 API 키를 받아들이지 않았습니다. 설정의 Gemini API 키가 맞는지 "
                  "(Google AI Studio에서 새로 발급받은 키인지) 확인해 주세요.")
GEMINI_FORBIDDEN = ("Gemini API 키에 이 기능을 쓸 권한이 없습니다(HTTP 403). Google AI Studio에서 키와 "
                    "프로젝트 설정을 확인하거나, 다른 방식(자동 발췌·Gemma)을 골라 주세요.")
GEMINI_RATE = ("Gemini 사용량 한도에 걸렸습니다(잠시 동안 요청이 너무 많음). 1~2분 뒤 다시 시도하거나, "
               "다른 방식(자동 발췌·Gemma)을 골라 주세요.")
GEMINI_SERVER = "Gemini 서버에 일시적인 문제가 있습니다(HTTP {status}). 잠시 후 다시 시도해 주세요."
GEMINI_TIMEOUT = "Gemini의 응답이 너무 늦어 기다리기를 멈췄습니다. 잠시 후 다시 시도해 주세요."
GEMINI_CONNECT = "Gemini 서버에 연결할 수 없습니다. 인터넷 연결과 설정의 Gemini 주소를 확인해 주세요."
GEMINI_MODEL = ("설정한 Gemini 모델 '{model}'을(를) 찾을 수 없습니다. 설정에서 모델 이름을 지우면 "
                "기본 모델({default})을 씁니다.")
GEMINI_TOO_LONG = "보낸 글이 Gemini가 한 번에 읽을 수 있는 길이를 넘었습니다. 글을 줄여 다시 시도해 주세요."
GEMINI_REJECTED = ("Gemini가 요청을 받아들이지 않았습니다(HTTP {status}). 잠시 후 다시 시도하거나 "
                   "AI 없이 쓸 수 있는 방식(자동 발췌·판례 근거 보기)을 써 보세요.")
GEMINI_BLOCKED = ("Gemini가 안전 기준에 걸린다며 이 글에 답하기를 거절했습니다. 판결문이나 사연에 폭력·질병 등에 "
                  "대한 묘사가 있으면 이런 일이 생깁니다. "
                  "AI 없이 쓸 수 있는 방식(자동 발췌·판례 근거 보기)을 써 보세요.")
GEMINI_RECITATION = ("Gemini가 원문을 그대로 옮기는 답이 될 수 있다며 멈췄습니다. 다시 시도하거나 "
                     "'자동 발췌'를 써 보세요.")
