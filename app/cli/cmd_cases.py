"""CLI: appeal deadlines and case files (``deadlines``, ``cases ...``)."""
from __future__ import annotations

import argparse

from app.cli.output import print_json
from services.deadlines import STAGES, compute_deadlines, parse_date


def register(subparsers: argparse._SubParsersAction) -> None:
    deadlines = subparsers.add_parser("deadlines", help="불복 기한 계산 (심사청구·재심사청구·행정소송)")
    deadlines.add_argument("--learned", required=True, help="결정을 안 날 (YYYY-MM-DD)")
    deadlines.add_argument("--decided", help="처분일/결정일 (YYYY-MM-DD), 행정소송 1년 제한 확인용")
    deadlines.add_argument("--today", help="기준일 (기본: 오늘)")
    deadlines.add_argument("--stage", default="불승인", choices=STAGES, help="날짜가 가리키는 결정 (기본: 불승인)")
    deadlines.add_argument("--disease-committee", action="store_true",
                           help="업무상질병판정위원회를 거친 결정 (심사청구 없이 재심사청구 가능)")
    deadlines.add_argument("--json", action="store_true", help="JSON으로 출력")
    deadlines.set_defaults(func=run_deadlines)


def run_deadlines(args: argparse.Namespace) -> int:
    learned = parse_date(args.learned, "결정을 안 날")
    decided = parse_date(args.decided, "처분일") if args.decided else None
    today = parse_date(args.today, "기준일") if args.today else None
    items = compute_deadlines(learned, decided, stage=args.stage, disease_committee=args.disease_committee,
                              today=today)
    if args.json:
        print_json([item.to_dict() for item in items])
        return 0
    if not items:
        print("이 단계에서는 계산할 불복 기한이 없습니다.")
    for item in items:
        print(f"■ {item.name} ({item.statute}): {item.deadline.isoformat()}까지, {item.days_left}일 남음")
        print(f"  {item.explanation}")
        if item.notice:
            print(f"  {item.notice}")
        for option in item.options_if_overdue:
            print(f"  - {option}")
    return 0
