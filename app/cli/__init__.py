"""Headless command line: ``python -m app.cli COMMAND ...``.

Each ``cmd_*.py`` module in this package adds its own sub-commands through ``register(subparsers)``;
a handler takes the parsed args and returns an exit code. Errors with a Korean message
(``SanjaeError``) are printed without a traceback and exit with code 2.
"""
from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence

from services.errors import Cancelled, SanjaeError
from storage.atomic import recovery_notices


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m app.cli", description="산재 판례 도우미 명령줄 도구")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    package = importlib.import_module(__name__)
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if info.name.startswith("cmd_"):
            module = importlib.import_module(f"{__name__}.{info.name}")
            module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            # Text that is not UTF-8 (a lone surrogate from argv) is shown escaped, never as a crash.
            stream.reconfigure(encoding="utf-8", errors="backslashreplace")
    parser = build_parser()
    args = parser.parse_args(argv)
    code = _run(args)
    # A file restored from its backup (or started empty) is said on stderr, whatever the command was.
    for notice in recovery_notices(clear=True):
        print(f"알림: {notice}", file=sys.stderr)
    return code


def _run(args: argparse.Namespace) -> int:
    try:
        return int(args.func(args) or 0)
    except Cancelled as exc:
        print(exc.message, file=sys.stderr)
        return 130
    except KeyboardInterrupt:
        print("중단했습니다. 같은 명령을 다시 실행하면 이어서 진행합니다.", file=sys.stderr)
        return 130
    except SanjaeError as exc:
        print(f"오류: {exc.message}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # Output piped into `head` and the like: the reader left early; that is not an error.
        _silence_stdout()
        return 0


def _silence_stdout() -> None:
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError:
        pass
