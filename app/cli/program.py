"""The headless command line run by ``python -m app.cli COMMAND ...``.

Each ``cmd_*.py`` module in this package adds its own sub-commands through ``register(subparsers)``;
a handler takes the parsed args and returns an exit code. Errors with a Korean message
(``SanjaeError``) are printed without a traceback and exit with code 2; so is a result that cannot be
written (see ``output.guarded_streams``).
"""
from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence

import app.cli
from app.cli import output
from core.errors import Cancelled, SanjaeError
from storage.atomic import recovery_notices

INTERRUPTED = "중단했습니다. 같은 명령을 다시 실행하면 이어서 진행합니다."


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m app.cli", description="산재 판례 도우미 명령줄 도구")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for info in sorted(pkgutil.iter_modules(app.cli.__path__), key=lambda i: i.name):
        if info.name.startswith("cmd_"):
            module = importlib.import_module(f"app.cli.{info.name}")
            module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    return run(build_parser(), argv)


def run(parser: argparse.ArgumentParser, argv: Sequence[str] | None = None) -> int:
    """Parse and run one command; every failure a user can cause ends in a Korean line and an exit code."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            # Text that is not UTF-8 (a lone surrogate from argv) is shown escaped, never as a crash.
            stream.reconfigure(encoding="utf-8", errors="backslashreplace")
    with output.guarded_streams():
        code = _run_command(parser, argv)
        # A file restored from its backup (or started empty) is said on stderr, whatever the command was.
        for notice in recovery_notices(clear=True):
            print(f"알림: {notice}", file=sys.stderr)
        return code


def _run_command(parser: argparse.ArgumentParser, argv: Sequence[str] | None) -> int:
    try:
        output.require_stdout()
        args = parser.parse_args(argv)
        code = int(args.func(args) or 0)
        sys.stdout.flush()  # a full disk or a reader that left shows up here, before we report success
        return code
    except Cancelled as exc:
        print(exc.message, file=sys.stderr)
        return 130
    except KeyboardInterrupt:
        print(INTERRUPTED, file=sys.stderr)
        return 130
    except SanjaeError as exc:
        print(f"오류: {exc.message}", file=sys.stderr)
        return 2
