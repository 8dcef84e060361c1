"""Progress reports and cancellation for long work (sync, indexing, AI calls, PDF)."""
from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from core.errors import Cancelled


@dataclass(frozen=True)
class Progress:
    done: int
    total: int | None
    message: str = ""

    @property
    def fraction(self) -> float | None:
        if not self.total:
            return None
        return max(0.0, min(1.0, self.done / self.total))


ProgressCallback = Callable[[Progress], None]


class CancelToken:
    """Shared flag a UI button or Ctrl-C handler sets; workers check it between steps."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled()

    def wait(self, seconds: float) -> None:
        """Sleep up to ``seconds``; raise ``Cancelled`` as soon as the token is cancelled."""
        if self._event.wait(max(0.0, seconds)):
            raise Cancelled()


def report(progress: ProgressCallback | None, done: int, total: int | None, message: str = "") -> None:
    if progress is not None:
        progress(Progress(done, total, message))


def check(cancel: CancelToken | None) -> None:
    if cancel is not None:
        cancel.raise_if_cancelled()
