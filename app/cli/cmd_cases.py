"""CLI: appeal deadlines and case files (``deadlines``, ``cases ...``)."""
from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path
from typing import Any

from app.cli.output import confirm, print_json
from app.wiring import AppServices, open_from_environment
from core.errors import ConfigError
from core.paths import data_dir as default_data_dir
from services.appeal import (
    ENGINES,
    FORMATS,
    benefit_name,
    branch_name,
    build_offline_draft,
    export_appeal,
    latest_draft,
    stage_for,
)
from services.appeal.draft import AppealDraft, search_for
from services.appeal.form import STAGES as APPEAL_STAGES
from services.appeal.form import TITLES
from services.appeal.guidance import REVIEW_NOTE, deadline_state
from services.appeal.rewrite import rewrite_reasons
from services.cases.calendar_export import ALARM_DAYS, export_ics, open_deadlines
from services.cases.claimant_checklist import export_checklist
from services.cases.exchange import (
    backup_workspace,
    export_json,
    import_cases,
    refused_settings_text,
    restore_workspace,
)
from services.cases.model import Case, CaseError, default_checklist
from services.cases.pdf_report import export_pdf
from services.cases.report import cases_markdown, export_markdown
from services.cases.repository import DamagedCase, UserFileCaseRepository
from services.deadlines import (
    STAGES,
    DeadlineError,
    compute_deadlines,
    nearest_open_deadline,
    parse_date,
    read_entered_date,
)
from services.redaction import redact
from services.user_file import FILE_NAME, LOCKED_CLI, PASSPHRASE_ENV
from storage.crypto_codec import copies_text, disable_protection, enable_protection


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    deadlines = subparsers.add_parser("deadlines", help="불복 기한 계산 (심사청구·재심사청구·행정소송)")
    deadlines.add_argument("--learned", required=True, help="결정을 안 날 (YYYY-MM-DD)")
    deadlines.add_argument("--decided", help="처분일/결정일 (YYYY-MM-DD), 행정소송 1년 제한 확인용")
    deadlines.add_argument("--today", help="기준일 (기본: 오늘)")
    deadlines.add_argument("--stage", default="불승인", choices=STAGES, help="날짜가 가리키는 결정 (기본: 불승인)")
    deadlines.add_argument("--disease-committee", action="store_true",
                           help="업무상질병판정위원회를 거친 결정 (심사청구 없이 재심사청구 가능)")
    deadlines.add_argument("--json", action="store_true", help="JSON으로 출력")
    deadlines.set_defaults(func=run_deadlines)
    register_cases(subparsers)


def run_deadlines(args: argparse.Namespace) -> int:
    today = parse_date(args.today, "기준일") if args.today else None
    learned = read_entered_date(args.learned, "결정을 안 날", today)
    decided = read_entered_date(args.decided, "처분일", today) if args.decided else None
    items = compute_deadlines(learned, decided, stage=args.stage, disease_committee=args.disease_committee,
                              today=today)
    if args.json:
        print_json([item.to_dict() for item in items])
        return 0
    if not items:
        print("이 단계에서는 계산할 불복 기한이 없습니다.")
    for item in items:
        left = f"{item.days_left}일 남음" if item.days_left >= 0 else f"{-item.days_left}일 지남"
        print(f"■ {item.name} ({item.statute}): {item.deadline.isoformat()}까지, {left}")
        print(f"  {item.explanation}")
        if item.notice:
            print(f"  {item.notice}")
        for option in item.options_if_overdue:
            print(f"  - {option}")
    return 0


# ------------------------------------------------------------------------------ cases

def _services() -> AppServices:
    # A file and backup both unreadable stop the command with a Korean message (never an empty list);
    # with SANJAE_PASSPHRASE set, a user file made by this command is protected from the start.
    return open_from_environment(web_mode=False, empty_on_damage=False, protect_new=True)


def _repository() -> UserFileCaseRepository:
    return _services().cases.desktop(LOCKED_CLI)


def _resolve_id(repository: UserFileCaseRepository, text: str) -> str:
    """A full id, or a unique beginning of one (ids are long to type)."""

    ids = [case.id for case in repository.all()]
    if text in ids:
        return text
    matches = [case_id for case_id in ids if case_id.startswith(text)]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise CaseError(f"'{text}'(으)로 시작하는 사건이 없습니다. 'cases list'로 번호를 확인해 주세요.")
    raise CaseError(f"'{text}'(으)로 시작하는 사건이 여러 개입니다. 번호를 더 길게 입력해 주세요.")


def _list_row(case: Case, today: date | None) -> dict[str, Any]:
    try:
        upcoming = nearest_open_deadline(case.deadlines(today))
        problem = ""
    except DeadlineError as exc:  # e.g. a stored date past the calendar: the case still shows
        upcoming, problem = None, exc.message
    return {"id": case.id, "alias": case.alias, "stage": case.stage, "updated_at": case.updated_at,
            "next_deadline": upcoming.to_dict() if upcoming else None,
            **({"deadline_problem": problem} if problem else {})}


def _damaged_row(item: DamagedCase) -> dict[str, Any]:
    return {"id": item.raw_id, "alias": item.label, "damaged": True, "problem": item.problem}


def _warn_damaged(count: int, what: str) -> None:
    if count:
        print(f"손상된 사건 {count}건은 읽을 수 없어 {what}. 사용자 파일에는 그대로 남아 있습니다. "
              "'cases list'로 어느 사건인지 확인해 주세요.", file=sys.stderr)


def register_cases(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cases = subparsers.add_parser("cases", help="사건 기록 (목록·보기·만들기·내보내기·가져오기·백업)")
    sub = cases.add_subparsers(dest="cases_command", metavar="ACTION")
    sub.required = True

    listing = sub.add_parser("list", help="사건 목록 (가까운 기한 순)")
    listing.add_argument("--stage", choices=STAGES)
    listing.add_argument("--search", default="", help="별칭·상황·메모에서 찾을 말")
    listing.add_argument("--today", help="기한 계산 기준일 (기본: 오늘)")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=run_list)

    show = sub.add_parser("show", help="사건 하나 보기")
    show.add_argument("id", help="사건 번호 (앞부분만 써도 됩니다)")
    show.add_argument("--today", help="기한 계산 기준일 (기본: 오늘)")
    show.add_argument("--json", action="store_true")
    show.set_defaults(func=run_show)

    create = sub.add_parser("create", help="새 사건 만들기")
    create.add_argument("--alias", required=True, help="사건 별칭 (실명이 필요 없습니다)")
    create.add_argument("--learned", help="결정을 안 날 (YYYY-MM-DD)")
    create.add_argument("--decided", help="처분일 (YYYY-MM-DD)")
    create.add_argument("--stage", default="불승인", choices=STAGES)
    create.add_argument("--situation", default="", help="상황 설명")
    create.add_argument("--disease-committee", action="store_true", help="업무상질병판정위원회를 거친 결정")
    create.add_argument("--benefit", default="", help="청구한 급여 (요양급여, 휴업급여, 장해급여, 유족급여 …)")
    create.add_argument("--denial-reason", default="", help="통지서에 적힌 불승인(처분) 이유")
    create.add_argument("--branch", default="", help="결정을 한 근로복지공단 지사 (예: 서울관악지사)")
    create.add_argument("--json", action="store_true")
    create.set_defaults(func=run_create)

    appeal = sub.add_parser("appeal", help="사건으로 심사청구서(재심사청구서) 초안 만들기 (pdf, docx, md)")
    appeal.add_argument("id", help="사건 번호 (앞부분만 써도 됩니다)")
    appeal.add_argument("out", help="만들 파일 경로")
    appeal.add_argument("--format", choices=FORMATS, help="기본: 파일 확장자로 판단, 없으면 pdf")
    appeal.add_argument("--stage", choices=APPEAL_STAGES, help="기본: 사건 단계에 맞는 청구 (불승인 → 심사청구)")
    appeal.add_argument("--engine", choices=ENGINES, default="offline",
                        help="청구 이유를 쓰는 방법: offline (인터넷 없이 사건과 이 컴퓨터의 판례로, 기본), "
                             "gemma·gemini (그 초안을 AI가 다듬음; 보낼 글을 보여 주고 물음)")
    appeal.add_argument("--yes", action="store_true", help="AI로 보낼 글을 보여 준 뒤 묻지 않고 보냅니다")
    appeal.add_argument("--new", action="store_true", help="저장한 초안이 있어도 사건 기록으로 새로 만들기")
    appeal.add_argument("--save", action="store_true", help="새로 만든 초안을 사건에 저장하기")
    appeal.set_defaults(func=run_appeal)

    export = sub.add_parser("export", help="사건을 파일로 내보내기 (json, md, pdf, ics, checklist)")
    export.add_argument("file", help="만들 파일 경로")
    export.add_argument("--format", choices=("json", "md", "pdf", "ics", "checklist"),
                        help="기본: 파일 확장자로 판단, 없으면 json. ics: 달력 앱에 넣을 기한, "
                             "checklist: 신청인에게 줄 한 장짜리 PDF")
    export.add_argument("--id", action="append", help="이 사건만 (여러 번 쓸 수 있음, 기본: 전체)")
    export.set_defaults(func=run_export)

    importing = sub.add_parser("import", help="내보낸 사건 파일 가져오기 (겹치면 합칩니다)")
    importing.add_argument("file")
    importing.add_argument("--json", action="store_true")
    importing.set_defaults(func=run_import)

    backup = sub.add_parser("backup", help="사건과 (비밀이 아닌) 설정을 파일 하나로 백업")
    backup.add_argument("file")
    backup.set_defaults(func=run_backup)

    restore = sub.add_parser("restore", help="백업 파일에서 되살리기 (겹치면 합칩니다)")
    restore.add_argument("file")
    restore.add_argument("--json", action="store_true")
    restore.set_defaults(func=run_restore)

    protect = sub.add_parser("protect", help="사용자 파일 암호 보호 켜기/끄기 (암호: SANJAE_PASSPHRASE)")
    protect.add_argument("--off", action="store_true", help="암호 보호 끄기")
    protect.set_defaults(func=run_protect)


def _today(args: argparse.Namespace) -> date | None:
    return parse_date(args.today, "기준일") if getattr(args, "today", None) else None


def run_list(args: argparse.Namespace) -> int:
    today = _today(args)
    found = _repository().listing(search=args.search, stage=args.stage, today=today)
    rows = [_list_row(case, today) for case in found.cases]
    damaged = [_damaged_row(item) for item in found.damaged]
    if args.json:
        print_json(rows + damaged)
        return 0
    if not rows and not damaged:
        print("사건이 없습니다.")
    for row in rows:
        upcoming = row["next_deadline"]
        when = (f"{upcoming['name']} {upcoming['deadline']}까지 ({upcoming['days_left']}일)" if upcoming
                else "기한 계산 불가: " + row["deadline_problem"] if "deadline_problem" in row
                else "남은 기한 없음")
        print(f"{row['id'][:8]}  {row['alias']}  [{row['stage']}]  {when}")
    for row in damaged:
        print(f"{row['id'][:8] or '--------'}  {row['alias']}  {row['problem']}")
    return 0


def run_show(args: argparse.Namespace) -> int:
    repository = _repository()
    case = repository.get(_resolve_id(repository, args.id))
    today = _today(args)
    if args.json:
        print_json({**case.to_dict(), "deadlines": [d.to_dict() for d in case.deadlines(today)]})
    else:
        print(cases_markdown([case], today))  # the same document the Markdown and PDF exports hold
    return 0


def run_create(args: argparse.Namespace) -> int:
    learned = parse_date(args.learned, "결정을 안 날").isoformat() if args.learned else ""
    decided = parse_date(args.decided, "처분일").isoformat() if args.decided else ""  # range: repository
    case = _repository().create(args.alias, learned_on=learned, decided_on=decided, stage=args.stage,
                                situation=args.situation, disease_committee=args.disease_committee,
                                checklist=default_checklist(args.stage), benefit=benefit_name(args.benefit),
                                denial_reason=" ".join(args.denial_reason.split()), branch=branch_name(args.branch))
    if args.json:
        print_json(case.to_dict())
    else:
        print(f"사건을 만들었습니다: {case.id} ({case.alias})")
    return 0


def _rewritten(services: AppServices, draft: AppealDraft, engine: str, assume_yes: bool) -> AppealDraft:
    """The 청구 이유 rewritten by the AI, after showing what would be sent (masked) and asking."""
    model = services.analysis_model(engine)
    if model is None:
        raise ConfigError("AI 설정이 없습니다. 설정 화면에서 AI 서버 주소나 Gemini API 키를 저장하거나 "
                          "(SANJAE_LLM_URL, GEMINI_API_KEY), --engine offline으로 만드세요.")
    try:
        print("── AI로 보낼 청구 이유 (개인정보를 가린 글) ──", redact(draft.reasons).text, "", sep="\n",
              file=sys.stderr)
        if not assume_yes and not confirm("이 글을 AI로 보내 다듬을까요? [y/N] "):
            raise ConfigError("보내지 않았습니다. 인터넷 없이 만든 초안을 쓰려면 --engine offline으로 실행하세요.")
        rewrite = rewrite_reasons(draft, model)
    finally:
        model.close()
    print("── 인터넷 없이 만든 초안(-)과 AI가 다듬은 글(+)의 차이 ──", *rewrite.changes(draft), sep="\n")
    for sentence in rewrite.dropped:
        print(f"※ 뺀 문장 (보내지 않은 사건번호): {sentence}")
    return rewrite.draft


def run_appeal(args: argparse.Namespace) -> int:
    services = _services()
    repository = services.cases.desktop(LOCKED_CLI)
    case = repository.get(_resolve_id(repository, args.id))
    store = services.require_precedents()
    stage = stage_for(case, args.stage)
    draft = None if args.new else latest_draft(case, stage)
    made = f"{draft.saved_at[:10]}에 저장한 초안" if draft is not None else "사건 기록으로 새로 만든 초안"
    if draft is None:
        draft = build_offline_draft(case, store, stage=stage, found=search_for(case, services.require_search(), stage))
    if args.engine != "offline":
        draft = _rewritten(services, draft, args.engine, args.yes)
    state = deadline_state(case, stage)
    if state.overdue:  # said before anything else
        for line in state.lines:
            print(f"※ {line}")
    path = export_appeal(draft, case, Path(args.out), store, args.format)
    if args.save and made.startswith("사건 기록"):
        repository.save_appeal_draft(case.id, draft.to_dict(), case)
        made += ", 사건에 저장함"
    print(f"{TITLES[stage]} 초안을 '{path}'(으)로 만들었습니다 ({made}).")
    for notice in draft.notices:
        print(f"※ {notice}")
    print(REVIEW_NOTE)
    return 0


def run_export(args: argparse.Namespace) -> int:


    repository = _repository()
    if args.id:
        chosen = [repository.get(_resolve_id(repository, text)) for text in args.id]
    else:
        found = repository.listing()
        chosen = found.cases
        _warn_damaged(len(found.damaged), "내보내지 않았습니다")
    path = Path(args.file)
    fmt = args.format or {".md": "md", ".pdf": "pdf", ".ics": "ics"}.get(path.suffix.lower(), "json")
    if fmt == "ics":
        return _export_calendar(chosen, path)
    if fmt == "checklist":
        export_checklist(chosen, path)
    elif fmt == "pdf":
        export_pdf(chosen, path)
    elif fmt == "md":
        export_markdown(chosen, path)
    else:
        export_json(chosen, path)
    print(f"사건 {len(chosen)}건을 '{path}'(으)로 내보냈습니다.")
    return 0


def _export_calendar(chosen: list[Case], path: Path) -> int:
    today = date.today()
    count = sum(len(open_deadlines(case, today)) for case in chosen)
    export_ics(chosen, path, today)
    if not count:
        print(f"남은 불복 기한이 없어 일정이 없는 달력 파일을 '{path}'(으)로 만들었습니다. "
              "사건에 결정을 안 날이 적혀 있는지, 기한이 이미 지나지 않았는지 확인해 주세요.")
        return 0
    before = "·".join(f"{days}일" for days in ALARM_DAYS)
    print(f"사건 {len(chosen)}건의 남은 불복 기한 {count}개를 '{path}'(으)로 내보냈습니다. "
          f"휴대폰 달력 앱에서 이 파일을 열면 기한 날짜에 하루 종일 일정으로 들어갑니다({before} 전 알림 포함).")
    return 0


def run_import(args: argparse.Namespace) -> int:


    result = import_cases(_repository(), Path(args.file))
    if args.json:
        print_json(result.to_dict())
    else:
        print(f"가져오기를 마쳤습니다: {result.summary()}")
    return 0


def run_backup(args: argparse.Namespace) -> int:


    repository = _repository()
    path = backup_workspace(repository, Path(args.file))
    _warn_damaged(len(repository.scan().damaged), "백업에 넣지 않았습니다")
    print(f"사건과 설정을 '{path}'에 백업했습니다. API 키 같은 비밀 정보는 들어 있지 않습니다.")
    return 0


def run_restore(args: argparse.Namespace) -> int:


    result = restore_workspace(_repository(), Path(args.file))
    if args.json:
        print_json(result)
    else:
        print(f"백업에서 되살렸습니다: {result['summary']} 새로 가져온 설정 {len(result['settings_added'])}개.")
        refused = refused_settings_text(result["settings_refused"])
        if refused:
            print(refused)
    return 0


def run_protect(args: argparse.Namespace) -> int:
    passphrase = os.environ.get(PASSPHRASE_ENV) or ""
    if not passphrase:
        raise CaseError("암호를 SANJAE_PASSPHRASE 환경 변수로 알려 주세요.")
    path = default_data_dir() / FILE_NAME
    if args.off:
        copies = disable_protection(path, passphrase)
        print("암호 보호를 껐습니다.")
    else:
        copies = enable_protection(path, passphrase)
        print("암호 보호를 켰습니다. 암호를 잊으면 자료를 되살릴 수 없으니 안전한 곳에 적어 두세요.")
    covered = copies_text(copies, protected=not args.off)
    if covered:
        print(covered)
    return 0
