"""``summarize RECORD_ID`` and ``summarize-text < file``: precedent and document summaries."""
from __future__ import annotations

import argparse
import sys
from typing import Any

from app.cli.output import print_json, read_stdin_text
from app.wiring import open_from_environment

ENGINE_CHOICES = ("offline", "gemini", "gemma")
ENGINE_HELP = "요약 방식 (기본: 설정값, 없으면 Gemini 키→Gemma 주소→offline 자동 발췌 순)"


def register(subparsers: Any) -> None:
    one = subparsers.add_parser("summarize", help="판례 한 건을 쉬운 말로 요약합니다 (한 번 만든 요약은 저장해 둡니다)")
    one.add_argument("record_id", help="판례 번호 (예: sample:001, portal:2019구단12345)")
    one.add_argument("--engine", choices=ENGINE_CHOICES, help=ENGINE_HELP)
    one.add_argument("--force", action="store_true", help="저장된 요약이 있어도 새로 만듭니다 (다시 요약)")
    one.add_argument("--json", action="store_true", help="JSON으로 출력합니다")
    one.set_defaults(func=run_summarize)

    text = subparsers.add_parser("summarize-text", help="표준 입력으로 받은 통지서·소견서 등을 쉬운 말로 요약합니다")
    text.add_argument("--engine", choices=ENGINE_CHOICES, help=ENGINE_HELP)
    text.add_argument("--json", action="store_true", help="JSON으로 출력합니다")
    text.set_defaults(func=run_summarize_text)


def _stream_to_stderr(piece: str) -> None:
    sys.stderr.write(piece)
    sys.stderr.flush()


def run_summarize(args: argparse.Namespace) -> int:
    summaries = open_from_environment(web_mode=False, create_user_file=False).require_summaries()
    live = None if args.json or not sys.stderr.isatty() else _stream_to_stderr
    summary = summaries.summarize_id(args.record_id, args.engine, force=args.force, on_delta=live)
    if live is not None:
        sys.stderr.write("\n")
    if args.json:
        data = summary.to_dict()
        data["from_cache"] = summary.from_cache
        print_json(data)
        return 0
    facts = summary.deciding_facts
    lines = [
        f"[{summary.label}] {summary.preview}",
        f"원고: {summary.plaintiff}",
        f"피고: {summary.defendant}",
        f"결과: {summary.result}",
        f"배경: {summary.background}",
        "쟁점:", *[f"  - {item}" for item in summary.issues],
        f"판단 이유: {summary.reasoning}",
        "인정 요인:", *[f"  + {item}" for item in facts.recognized or ["(없음)"]],
        "불인정 요인:", *[f"  - {item}" for item in facts.not_recognized or ["(없음)"]],
        "관련 법령: " + ", ".join(summary.statutes),
        "",
        summary.notice + (" (저장된 요약)" if summary.from_cache else ""),
        "이 요약은 참고용 정보이며 법률 자문이 아닙니다.",
    ]
    print("\n".join(lines))
    return 0


def run_summarize_text(args: argparse.Namespace) -> int:
    text = read_stdin_text()
    summaries = open_from_environment(web_mode=False, create_user_file=False).require_summaries()
    live = None if args.json or not sys.stderr.isatty() else _stream_to_stderr
    summary = summaries.summarize_text(text, args.engine, on_delta=live)
    if live is not None:
        sys.stderr.write("\n")
    if args.json:
        print_json(summary.to_dict())
        return 0
    lines = [
        f"[{summary.label}] 문서 종류: {summary.doc_type}",
        f"무슨 문서인가요: {summary.what_it_is}",
        "핵심 내용:", *[f"  - {item}" for item in summary.key_points],
        f"무슨 뜻인가요: {summary.what_it_means}",
        "이제 할 일:", *[f"  {n}. {item}" for n, item in enumerate(summary.next_steps, 1)],
    ]
    if summary.deadline_note:
        lines.append(f"기한 안내: {summary.deadline_note}")
    if summary.redacted_items:
        lines.append(f"개인정보 {summary.redacted_items}건을 가린 뒤 처리했습니다.")
    lines += ["", summary.notice, "이 요약은 참고용 정보이며 법률 자문이 아닙니다."]
    print("\n".join(lines))
    return 0
