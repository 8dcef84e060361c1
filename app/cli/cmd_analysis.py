"""``analyze`` (situation analysis from free text on stdin) and ``redact`` (mask personal data)."""
from __future__ import annotations

import argparse
import sys
from typing import Any

from app.cli.cmd_cases import _resolve_id
from app.cli.cmd_cases import _services as case_services
from app.cli.output import confirm, print_json, read_stdin_text
from app.viewmodels.analysis_vm import evidence_todo, saved_record
from app.wiring import AppServices, open_from_environment
from core.errors import ConfigError
from core.progress import CancelToken
from services.ai.model import ChatModel
from services.analysis import AnalysisResult, OverlapFinder, SituationInput, analyze
from services.analysis.grounding import SimilarFinder
from services.analysis.service import AnalysisRequest, build_request
from services.cases.repository import UserFileCaseRepository
from services.redaction import redact
from services.user_file import LOCKED_CLI


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("analyze",
                              help="내 상황을 표준 입력으로 받아 비슷한 판례 근거(또는 AI 분석)를 보여 줍니다")
    p.add_argument("--engine", choices=("offline", "auto", "gemma", "gemini"), default="offline",
                   help="offline: 판례 근거만 (기본값), gemma: SANJAE_LLM_URL의 AI 서버로 분석, "
                        "gemini: GEMINI_API_KEY로 분석, auto: 설정에 따라 (Gemma 먼저, 없으면 Gemini)")
    p.add_argument("-k", type=int, default=6, help="함께 볼 비슷한 판례 수 (기본 6)")
    p.add_argument("--json", action="store_true", help="결과를 JSON으로 출력")
    p.add_argument("--no-index", action="store_true", help="검색 색인 없이 글자 겹침으로 간단히 비교 (빠름)")
    p.add_argument("--yes", action="store_true",
                   help="AI 서버로 보낼 글을 보여 준 뒤 묻지 않고 보냅니다 (스크립트용)")
    p.add_argument("--save-to", metavar="CASE_ID",
                   help="결과를 이 사건에 저장하고 모아 둘 자료를 할 일에 더합니다 (사건 번호, 앞부분만 써도 됩니다)")
    p.set_defaults(func=run_analyze)
    r = subparsers.add_parser("redact", help="표준 입력의 글에서 개인정보를 가려 출력합니다")
    r.add_argument("--json", action="store_true", help="가린 항목까지 JSON으로 출력")
    r.set_defaults(func=run_redact)


def run_redact(args: argparse.Namespace) -> int:
    result = redact(read_stdin_text())
    if args.json:
        print_json(result.to_dict())
    else:
        sys.stdout.write(result.text)
    return 0


def _finder(services: AppServices, use_index: bool) -> SimilarFinder:
    if not use_index:
        return OverlapFinder(services.require_precedents().iter_records())
    return services.require_search()


def _model(services: AppServices, engine: str) -> ChatModel | None:
    if engine == "offline":
        return None
    model = services.analysis_model(engine)
    if model is None:
        raise ConfigError("AI 설정이 없습니다. 설정 화면에서 AI 서버 주소나 Gemini API 키를 저장하거나 "
                          "(SANJAE_LLM_URL, GEMINI_API_KEY), --engine offline으로 판례 근거만 보세요.")
    return model


def _open_services(save_to: str | None) -> AppServices:
    if save_to:
        # The cases commands' way: a damaged user file stops the command instead of reading as no cases.
        return case_services()
    return open_from_environment(web_mode=False, create_user_file=False)


def _case_to_save_in(services: AppServices, text: str | None) -> tuple[UserFileCaseRepository, str] | None:
    """The repository and the full case id for --save-to, or None without it."""
    if not text:
        return None
    repository = services.cases.desktop(LOCKED_CLI)
    return repository, _resolve_id(repository, text)


def _save_in_case(repository: UserFileCaseRepository, case_id: str, result: AnalysisResult) -> str:
    """Store the analysis as the app's "사건에 저장" does (its evidence list joins the 할 일); says so in Korean."""
    data = result.to_dict()
    before = len(repository.get(case_id).checklist)
    case = repository.add_analysis(case_id, saved_record(data, []), evidence_todo(data))
    added = len(case.checklist) - before
    todo = f"할 일이 {added}개 늘었습니다." if added > 0 else "할 일에 더할 새 자료는 없었습니다."
    return f"분석 결과를 사건 '{case.alias}'에 저장했습니다. {todo}"


ASK_TO_SEND = "이 글을 AI 서버로 보낼까요? [y/N] "
NOT_SENT = ("보내지 않았습니다. 가릴 것이 더 있으면 글을 고쳐 다시 실행하세요. 확인했다면 --yes를 붙이면 묻지 않고 "
            "보냅니다. 인터넷 없이 판례 근거만 보려면 --engine offline으로 실행하세요.")


def sending_preview(request: AnalysisRequest) -> str:
    """The user's own words as the AI server will get them, and each masked item with its kind."""
    lines = ["── AI 서버로 보낼 내 상황 (개인정보를 가린 글) ──", request.own_words or request.text, ""]
    if request.findings:
        lines.append(f"가린 것 {len(request.findings)}개:")
        lines += [f"- {f.label}: {f.original} → {f.placeholder}" for f in request.findings]
    else:
        lines.append("가린 것이 없습니다.")
    lines.append("이름·회사·병원 이름은 모두 찾아내지 못할 수 있습니다. 더 있으면 글에서 직접 지운 뒤 다시 실행하세요.")
    return "\n".join(lines)


def run_analyze(args: argparse.Namespace) -> int:
    situation = SituationInput.from_story(read_stdin_text())
    services = _open_services(args.save_to)
    # Before the analysis: a wrong case id is said at once, not after waiting for the AI.
    target = _case_to_save_in(services, args.save_to)
    finder = _finder(services, not args.no_index)
    model = _model(services, args.engine)
    request = None
    if model is not None:
        # What leaves this computer is shown first, and sent only when the user says so (or --yes).
        request = build_request(situation, finder, k=args.k)
        print(sending_preview(request), file=sys.stderr)
        if not args.yes and not confirm(ASK_TO_SEND):
            model.close()
            print(NOT_SENT, file=sys.stderr)
            return 1
    stream_to_screen = model is not None and not args.json
    try:
        result = analyze(situation, finder, model=model, k=args.k, cancel=CancelToken(), request=request,
                         on_status=lambda s: print(s, file=sys.stderr),
                         on_delta=(lambda d: print(d, end="", file=sys.stderr, flush=True)) if stream_to_screen
                         else None)
    finally:
        if model is not None:
            model.close()
    if args.json:
        print_json(result.to_dict())
    else:
        print_result(result)
    if target is not None:
        # With --json the confirmation goes to stderr, so stdout stays one JSON document.
        print(_save_in_case(*target, result), file=sys.stderr if args.json else sys.stdout)
    return 0


def print_result(result: AnalysisResult) -> None:
    ev = result.evidence
    print("■ 비슷한 판례")
    for hit in ev["similar"]:
        sample = " [가상 예시]" if hit["is_sample"] else ""
        print(f"- [{hit['id']}] {hit['court']} {hit['decided_on']} {hit['case_number']}: "
              f"{hit['outcome_plain']}{sample}")
    counts = ", ".join(f"{k} {v}건" for k, v in ev["outcome_counts"].items())
    print(f"  결과별: {counts}" if counts else "  찾은 판례가 없습니다.")
    print("\n■ 판단에 영향을 준 사실 (판결문에서)")
    for fact in ev["deciding_facts"]:
        print(f"- ({fact['direction']}) [{fact['id']}] {fact['sentence']}")
    print("\n■ 인정 기준")
    for criterion in ev["criteria"]:
        print(f"- {criterion['title']}")
        for point in criterion["points"]:
            print(f"  · {point}")
        print(f"  (근거: {'; '.join(criterion['sources'])})")
    if result.answer:
        answer = result.answer
        print(f"\n■ AI 정리 ({result.model or result.engine})")
        for title, key in (("쟁점", "issues"), ("유리한 사실", "favourable_facts"),
                           ("불리한 사실", "unfavourable_facts"), ("다음에 할 일", "next_steps")):
            for item in answer.get(key, []):
                print(f"- {title}: {item}")
        for item in answer["assessment"].get("strengths", []):
            print(f"- 도움이 될 수 있는 점: {item}")
        for item in answer["assessment"].get("weaknesses", []):
            print(f"- 약할 수 있는 점: {item}")
        for cite in answer.get("cited_precedents", []):
            print(f"- 참고 판례 [{cite['id']}]: {cite['why']}")
    elif result.raw_answer:
        print("\n■ AI 답변 (형식을 읽지 못해 그대로 보여 드립니다)\n" + result.raw_answer)
    print("\n■ 모아 두면 좋은 자료")
    items = ev["evidence_checklist"] + (result.answer or {}).get("evidence_checklist", [])
    for item in dict.fromkeys(items):
        print(f"- {item}")
    print("\n■ 기한")
    for d in ev["deadlines"]:
        print(f"- {d['name']}: {d['deadline']}까지 (남은 날 {d['days_left']}일) - {d['explanation']}")
    for note in ev["deadline_notes"]:
        print(f"- {note}")
    print("\n■ 도움받을 곳")
    for step in ev["support_steps"]:
        print(f"- {step}")
    for warning in result.warnings:
        print(f"\n※ {warning}")
    print(f"\n※ {result.disclaimer}")
