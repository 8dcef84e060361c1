"""The composition root: every long-lived part of the product is built here, once, and handed down.

``AppServices.open(data_dir, web_mode=...)`` opens the precedent store, the user file (plain, or with
its passphrase), the settings reading that file, the summary cache, the search service and the case
repositories. ``python -m app`` keeps one per process (``app.context.Services``); each CLI command opens
one for its run. Services below get what they need passed in; none of them builds its own defaults.

No Flet here: the CLI uses this module too.
"""
from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

from core.errors import StoreError
from core.paths import data_dir as default_data_dir
from services.ai.choice import analysis_engine, build_model, summary_engine
from services.ai.model import ChatModel
from services.ai.names import ModelName, SummaryEngine
from services.cases.provider import CaseRepositories
from services.judgment import READER
from services.rate_limit import Limits, RateLimiter
from services.search import SearchService
from services.settings import Settings
from services.summaries import Summaries
from services.sync import SourceClient, make_client
from services.user_file import FILE_NAME, PASSPHRASE_ENV, UserFile
from storage.precedents import PrecedentStore
from storage.summary_cache import SummaryCache
from storage.user_store import UserStore

log = logging.getLogger(__name__)

CACHE_DIR = "cache"
INDEX_DIR = "index"
SUMMARY_FILE = "summaries.json"


def open_precedents(data_dir: Path) -> PrecedentStore:
    """The one place the precedent store is constructed."""
    return PrecedentStore(data_dir / CACHE_DIR, reader=READER)


class AppServices:
    """Process-wide parts shared by every window, tab and command (each is thread-safe on its own).

    The user file, the settings and the case repositories open with the root; the precedent store,
    the search service and the summary cache open on first use (once, under a lock), so a command
    about cases never creates the precedent cache. A part whose file can't be read is ``None``
    (pages and commands say so in Korean, ``problems`` keeps why); anything else, a missing module
    above all, is a bug and fails loudly.
    """

    def __init__(self, data_dir: Path, *, web_mode: bool, user_file: UserFile, settings: Settings) -> None:
        self.data_dir = data_dir
        self.web_mode = web_mode
        self.user_file = user_file
        self.settings = settings
        self.cases = CaseRepositories(user_file, web_mode=web_mode)
        # Web visitors share the operator's AI quota: each AI call they start is counted (PageContext.charge_ai).
        self.ai_limit = RateLimiter(Limits.from_env())
        self.problems: dict[str, StoreError] = {}  # part name -> why it is None
        self._lock = threading.Lock()
        self._opened = False
        self._precedents: PrecedentStore | None = None
        self._search: SearchService | None = None
        self._summary_cache: SummaryCache | None = None
        self._summaries: Summaries | None = None

    @classmethod
    def open(cls, data_dir: Path, *, web_mode: bool, passphrase: str | None = None,
             empty_on_damage: bool = True, protect_new: bool = False,
             create_user_file: bool = True) -> AppServices:
        """The root for ``data_dir``.

        ``passphrase`` opens a protected user file (``SANJAE_PASSPHRASE``); without it the file stays
        locked until ``user_file.unlock``. ``empty_on_damage=False`` (the CLI): a user file and its
        backup both unreadable are refused with a Korean message instead of starting empty.
        ``protect_new`` (the CLI): a user file created while a passphrase is given is encrypted from the start.
        ``create_user_file=False`` (commands that only read settings): a missing user file is not created.
        """
        user_file = UserFile.open(data_dir / FILE_NAME, passphrase, empty_on_damage=empty_on_damage,
                                  protect_new=protect_new, create=create_user_file)
        settings = Settings(user_store=user_file.store, web_mode=web_mode)
        user_file.watch(lambda store: setattr(settings, "user_store", store))  # unlocking reaches the settings
        return cls(data_dir, web_mode=web_mode, user_file=user_file, settings=settings)

    # ---------------------------------------------------------------------------- parts opened on first use

    def _open_stores(self) -> None:
        with self._lock:
            if self._opened:
                return
            self._opened = True
            try:
                self._precedents = open_precedents(self.data_dir)
            except StoreError as exc:
                self._unavailable("precedents", exc)
            if self._precedents is not None:
                self._search = SearchService(self._precedents, self.data_dir / INDEX_DIR)
            try:
                self._summary_cache = SummaryCache(self.data_dir / SUMMARY_FILE)
            except StoreError as exc:
                self._unavailable("summary_cache", exc)

    def _unavailable(self, part: str, exc: StoreError) -> None:
        # INFO, not an error: the app and the CLI tell the user in Korean when the part is needed.
        log.info("%s unavailable: %s", part, exc.message, exc_info=True)
        self.problems[part] = exc

    @property
    def precedents(self) -> PrecedentStore | None:
        self._open_stores()
        return self._precedents

    @property
    def search(self) -> SearchService | None:
        self._open_stores()
        return self._search

    @property
    def summary_cache(self) -> SummaryCache | None:
        self._open_stores()
        return self._summary_cache

    @property
    def summaries(self) -> Summaries | None:
        """Summaries made, cached and read back (None when the summary cache can't be read)."""
        cache, precedents = self.summary_cache, self.precedents  # opened before taking the lock they use too
        if cache is None:
            return None
        with self._lock:
            if self._summaries is None:
                self._summaries = Summaries(self.settings, cache, precedents)
            return self._summaries

    def require_summaries(self) -> Summaries:
        """The summaries, or the Korean reason the summary cache can't be read."""
        summaries = self.summaries
        if summaries is None:
            raise self.problems.get("summary_cache") or StoreError(SUMMARIES_UNAVAILABLE)
        return summaries

    # ---------------------------------------------------------------------------- the AI models

    def summary_engine(self) -> SummaryEngine:
        """The summary engine the settings choose (services.ai.choice: the one place that decides)."""
        return summary_engine(self.settings)

    def analysis_engine(self, requested: str = "auto") -> ModelName | None:
        """The model the situation analysis runs on: ``requested`` ("gemma", "gemini"), or for "auto" the
        settings' choice (Gemma first); None means the offline evidence view only."""
        if requested in ("gemma", "gemini"):
            return "gemini" if requested == "gemini" else "gemma"
        return analysis_engine(self.settings)

    def analysis_model(self, requested: str = "auto") -> ChatModel | None:
        """The model for the situation analysis and its follow-up questions, built from the saved settings."""
        name = self.analysis_engine(requested)
        return build_model(name, self.settings) if name is not None else None

    @property
    def user_store(self) -> UserStore | None:
        """The user file's open store (None while it is locked or unreadable)."""
        return self.user_file.store

    def source_client(self, source: str) -> SourceClient:
        """A client for precedent source ``source`` configured from the settings (the caller closes it)."""
        return make_client(source, self.settings)

    def require_search(self) -> SearchService:
        """The search service, or the Korean reason the precedents can't be read."""
        search = self.search
        if search is None:
            raise self.problems.get("precedents") or StoreError(PRECEDENTS_UNAVAILABLE)
        return search

    def require_precedents(self) -> PrecedentStore:
        """The precedent store, or the Korean reason it could not be opened."""
        precedents = self.precedents
        if precedents is None:
            raise self.problems.get("precedents") or StoreError(PRECEDENTS_UNAVAILABLE)
        return precedents


SUMMARIES_UNAVAILABLE = ("저장된 요약 파일(summaries.json)을 열지 못했습니다. 자료 폴더를 쓸 수 있는지 확인하고 "
                         "앱을 다시 시작해 주세요.")
PRECEDENTS_UNAVAILABLE = ("판례 자료 파일을 열지 못했습니다. 자료 폴더를 쓸 수 있는지 확인하고 "
                          "앱을 다시 시작해 주세요.")


def open_from_environment(*, web_mode: bool, empty_on_damage: bool = True, protect_new: bool = False,
                          create_user_file: bool = True) -> AppServices:
    """The root for this process: ``data_dir()`` (SANJAE_DATA_DIR) and the passphrase in SANJAE_PASSPHRASE."""
    return AppServices.open(default_data_dir(), web_mode=web_mode, passphrase=os.environ.get(PASSPHRASE_ENV) or None,
                            empty_on_damage=empty_on_damage, protect_new=protect_new,
                            create_user_file=create_user_file)
