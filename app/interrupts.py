"""Ctrl-C while a program entry point is loading or exiting: one Korean line and exit code 130.

Python turns Ctrl-C into ``KeyboardInterrupt`` wherever it happens to be, also inside the import machinery
and its callbacks, where it prints a traceback or is even swallowed. While modules load nothing has been
done yet, so leaving at once is both safe and quiet. Only this module's few imports come before it.
"""
from __future__ import annotations

import os
import signal
from types import FrameType

INTERRUPTED = "중단했습니다."


def _leave(_signum: int, _frame: FrameType | None) -> None:
    try:  # noqa: SIM105 - contextlib would be one more import before the handler is in place
        os.write(2, (INTERRUPTED + "\n").encode("utf-8"))
    except OSError:
        pass  # stderr closed: the exit code still says it
    os._exit(130)


def leave_on_ctrl_c() -> None:
    """From now on Ctrl-C ends the process at once (no cleanup runs: use while loading or exiting)."""
    signal.signal(signal.SIGINT, _leave)


def raise_on_ctrl_c() -> None:
    """Back to ``KeyboardInterrupt``, so a running command can stop cleanly and say how to resume."""
    signal.signal(signal.SIGINT, signal.default_int_handler)
