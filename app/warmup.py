"""Load, in the background at server start, what the first search and the first precedent summary need.

Kiwi (the sentence splitter of the offline summary) takes about a second to load its model and nearly two
more for its first sentence; the search index is loaded or built on the first search; the pages are found
and the engine settings read on the first view. Without this the first visitor after a start waited for all
of it (about 9 s for the first summary).
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from app.main import get_router
from app.wiring import AppServices
from services.judgment.kiwi import kiwi

log = logging.getLogger(__name__)

SENTENCES = "원고는 공사 현장에서 일하다가 허리를 다쳤다. 피고는 요양을 승인하지 않았다."
QUERY = "허리 디스크"


def warm_up(services: AppServices) -> None:
    kiwi().split_into_sents(SENTENCES)
    search = services.search  # opens the precedent store
    if search is not None:
        search.search(QUERY, limit=1)  # loads the index, or builds it
    _ = services.summaries  # opens the summary cache
    services.summary_engine()  # reads the engine settings (and loads the key store)
    get_router()  # finds the pages


def start(services: Callable[[], AppServices]) -> threading.Thread:
    """Warm up in a thread of its own; the server answers meanwhile (a visitor who comes first just waits less)."""
    def run() -> None:
        try:
            warm_up(services())
        except Exception:  # a damaged store is reported to the visitor who needs it, in Korean
            log.info("warming up failed", exc_info=True)

    thread = threading.Thread(target=run, name="warm-up", daemon=True)
    thread.start()
    return thread
