"""Start the app: ``python -m app`` (desktop window) or ``python -m app --web [--host H] [--port N]``."""
from __future__ import annotations

import argparse
import errno
import logging
import os
import socket
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from app.interrupts import leave_on_ctrl_c
from core import paths
from core.errors import ConfigError, SanjaeError

DESKTOP_FAILED = (
    "데스크톱 창을 열지 못했습니다. 처음 실행할 때는 인터넷에서 화면 프로그램을 한 번 내려받아야 하는데, "
    "지금은 받을 수 없습니다.\n"
    "대신 브라우저로 쓰려면 다음 명령을 실행해 주세요:\n"
    "    python -m app --web\n"
    "그다음 브라우저에서 http://127.0.0.1:8550/ 을 여세요."
)
NO_DISPLAY = (
    "이 컴퓨터에는 창을 띄울 화면(DISPLAY)이 없습니다.\n"
    "브라우저로 쓰려면 다음 명령을 실행해 주세요:\n"
    "    python -m app --web\n"
    "그다음 브라우저에서 http://127.0.0.1:8550/ 을 여세요."
)
DEFAULT_PORT = 8550


def _port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"포트는 1~65535 사이의 번호로 주세요 (예: --port {DEFAULT_PORT})")
    return int(text)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m app", description="산재 판례 도우미")
    parser.add_argument("--web", action="store_true", help="브라우저용 웹 서버로 실행합니다")
    parser.add_argument("--host", default=None, help="웹 서버 주소 (기본 127.0.0.1)")
    parser.add_argument("--port", type=_port, default=None, help=f"웹 서버 포트 (기본 {DEFAULT_PORT})")
    return parser.parse_args(argv)


def _prepare() -> str:
    """Fonts into assets/ before the server starts serving them; returns the assets path."""
    from app import theme  # noqa: PLC0415 - loads Flet and the pages: only after the Ctrl-C handler is in place

    theme.ensure_fonts()
    return str(paths.assets_dir())


def check_address(host: str, port: int) -> None:
    """Raise ``ConfigError`` when the web server could not listen on host:port.

    Flet reports a taken port as a pile of tracebacks from its server task, so we try the address first.
    """
    retry = f"python -m app --web --port {port + 1 if port < 65535 else DEFAULT_PORT}"
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except OSError as exc:  # an unknown host name
        raise ConfigError(f"웹 서버 주소 '{host}'를 찾을 수 없습니다. --host를 빼고 다시 실행해 주세요: "
                          "python -m app --web") from exc
    with socket.socket(family, kind, proto) as probe:
        if os.name == "posix":
            # As the server binds: a port only left in TIME_WAIT by an earlier run is not "in use".
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise ConfigError(f"{port}번 포트는 이미 다른 프로그램(이 앱을 먼저 켠 창일 수도 있습니다)이 쓰고 "
                                  f"있습니다. 다른 번호를 --port로 주어 다시 실행해 주세요: {retry}") from exc
            raise ConfigError(f"웹 서버를 {host}:{port}에서 열 수 없습니다({exc.strerror}). 다른 번호를 --port로 "
                              f"주어 다시 실행해 주세요: {retry}") from exc


def run_web(host: str | None, port: int | None) -> int:
    from app.web import server  # noqa: PLC0415 - loads Flet and the pages: only after the Ctrl-C handler is in place

    host, port = host or "127.0.0.1", DEFAULT_PORT if port is None else port
    check_address(host, port)
    return server.serve(host, port, Path(_prepare()))


def run_desktop() -> int:
    import flet as ft
    from flet.utils.platform_utils import is_linux_server

    from app.main import main  # noqa: PLC0415 - loads Flet and the pages: only after the Ctrl-C handler is in place

    headless: Callable[[], bool] = is_linux_server  # Flet leaves this helper unannotated
    if headless():
        # Flet would silently turn into a public web server here; say what to do instead.
        print(NO_DISPLAY, file=sys.stderr)
        return 1
    assets = _prepare()
    try:
        ft.run(main, view=ft.AppView.FLET_APP, assets_dir=assets)
    except KeyboardInterrupt:
        return 0
    except Exception as exc:  # the desktop client download or start failed
        logging.getLogger(__name__).debug("desktop start failed", exc_info=exc)
        print(DESKTOP_FAILED, file=sys.stderr)
        return 1
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    args = parse_args(argv)
    try:
        # Checked once before any window or server: otherwise each visitor's session would fail on its own.
        paths.data_dir()
        if args.web or args.host or args.port is not None:
            return run_web(args.host, args.port)
        return run_desktop()
    except SanjaeError as exc:
        print(exc.message, file=sys.stderr)
        return 2


if __name__ == "__main__":
    leave_on_ctrl_c()  # Flet and the pages take about a second to load; Flet sets its own handler once it runs
    sys.exit(main())
