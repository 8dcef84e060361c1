"""CLI: precedent data (``sync``, ``status``, ``export``, ``import``)."""
from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path
from typing import Any, TextIO

from app.cli.output import print_json
from app.wiring import AppServices, open_from_environment
from core.errors import Cancelled, SanjaeError
from core.progress import CancelToken, Progress
from services.sync import SOURCE_NAMES, SOURCES, sync
from storage.atomic import check_export_target
from storage.precedents import PrecedentStore

RESUME_HINT = "중단했습니다. 지금까지 받은 자료는 저장되어 있습니다. 다시 실행하면 이어서 받습니다."


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p_sync = subparsers.add_parser("sync", help="판례 자료를 내려받아 저장 (중단해도 이어받기)")
    p_sync.add_argument("--source", choices=SOURCES, default="portal",
                        help="portal: 공공데이터포털, lawgokr: 국가법령정보센터 판례, iaciac: 재심사위원회 재결")
    p_sync.add_argument("--limit", type=int, help="이번에 받을 최대 건수")
    p_sync.set_defaults(func=run_sync)

    p_status = subparsers.add_parser("status", help="저장된 판례 수와 마지막 동기화 시각")
    p_status.add_argument("--json", action="store_true", help="JSON으로 출력")
    p_status.set_defaults(func=run_status)

    p_export = subparsers.add_parser("export", help="저장된 판례를 파일 하나(.json.gz)로 내보내기")
    p_export.add_argument("file", type=Path)
    p_export.set_defaults(func=run_export)

    p_import = subparsers.add_parser("import", help="내보낸 판례 파일(.json.gz) 가져오기")
    p_import.add_argument("file", type=Path)
    p_import.set_defaults(func=run_import)


def _services() -> AppServices:
    """The root for this command: the precedent store, and settings reading env, keyring and the user
    file (server addresses); a passphrase-protected user file without its passphrase is left closed."""
    return open_from_environment(web_mode=False, create_user_file=False)


def _store() -> PrecedentStore:
    return _services().require_precedents()


class ProgressBar:
    """A one-line bar on a terminal; plain lines when stderr is a file or pipe."""

    WIDTH = 30

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.tty = bool(getattr(stream, "isatty", lambda: False)())
        self.drawn = False

    def __call__(self, progress: Progress) -> None:
        fraction = progress.fraction
        if fraction is None:
            line = progress.message
        else:
            filled = int(round(fraction * self.WIDTH))
            line = f"[{'#' * filled}{'.' * (self.WIDTH - filled)}] {fraction * 100:5.1f}% {progress.message}"
        if self.tty:
            self.stream.write("\r" + line + "\x1b[K")
            self.drawn = True
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def end(self) -> None:
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
            self.drawn = False


def _install_interrupt(cancel: CancelToken) -> Any | None:
    """First Ctrl-C asks the sync to stop after the current request; a second one stops at once."""

    def handler(_signum: int, _frame: Any) -> None:
        if cancel.cancelled:
            raise KeyboardInterrupt
        cancel.cancel()
        print("\n멈추는 중입니다… 바로 멈추려면 Ctrl-C를 한 번 더 누르세요.", file=sys.stderr, flush=True)

    try:
        return signal.signal(signal.SIGINT, handler)
    except ValueError:  # not the main thread
        return None


def run_sync(args: argparse.Namespace) -> int:
    services = _services()
    store = services.require_precedents()
    client = services.source_client(args.source)
    cancel = CancelToken()
    bar = ProgressBar(sys.stderr)
    previous = _install_interrupt(cancel)
    try:
        print(f"{SOURCE_NAMES[args.source]} 받기를 시작합니다.", file=sys.stderr, flush=True)
        result = sync(args.source, store, client=client, limit=args.limit, progress=bar, cancel=cancel)
    except (Cancelled, KeyboardInterrupt):
        bar.end()
        print(RESUME_HINT, file=sys.stderr)
        return 130
    except SanjaeError:
        bar.end()
        raise  # the dispatcher prints the Korean message and exits 2
    finally:
        client.close()
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
    bar.end()
    print(result.summary())
    if result.skipped:
        print(f"목록에는 있지만 본문을 받을 수 없는 자료 {result.skipped:,}건은 건너뛰었습니다.")
    return 0


def status_data(store: Any) -> dict[str, Any]:
    counts = store.count_by_source()
    data: dict[str, Any] = {name: int(counts.get(name, 0)) for name in ("portal", "lawgokr", "iaciac", "sample")}
    data["total"] = sum(data.values())
    data["last_sync"] = {name: store.last_sync().get(name) for name in SOURCES}
    return data


def run_status(args: argparse.Namespace) -> int:
    store = _store()
    data = status_data(store)
    if args.json:
        print_json(data)
        return 0
    print(f"저장된 판례: 모두 {data['total']:,}건")
    for name in SOURCES:
        when = data["last_sync"][name] or "아직 받지 않음"
        print(f"  {SOURCE_NAMES[name]}: {data[name]:,}건 (마지막 동기화: {when})")
    if data["sample"]:
        print(f"  가상 예시: {data['sample']:,}건 (실제 판례를 받기 전까지만 보입니다)")
    return 0  # recovery notices: printed on stderr by the CLI for every command


def run_export(args: argparse.Namespace) -> int:
    check_export_target(args.file)  # the precedent store's writer would replace a link or make folders
    count = _store().export_corpus(args.file)
    if count == 0:
        print(f"내보낼 실제 판례가 없어 빈 파일을 만들었습니다: {args.file}")
    else:
        print(f"판례 {count:,}건을 '{args.file}'(으)로 내보냈습니다.")
    return 0


def run_import(args: argparse.Namespace) -> int:
    result = _store().import_corpus(args.file)
    print(f"'{args.file.name}'에서 가져왔습니다: 새로 {result.added:,}건, 바뀐 것 {result.updated:,}건, "
          f"이미 있던 것 {result.unchanged:,}건.")
    if result.dropped_fields:
        print(f"값이 맞지 않는 사건 연도·심급·선고일 {result.dropped_fields:,}개는 비워 두고 가져왔습니다.")
    if result.skipped:
        print(f"제목이나 출처가 없거나 형식이 맞지 않는 판례 {result.skipped:,}건은 건너뛰었습니다.")
    return 0
