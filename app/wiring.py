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
from dataclasses import dataclass, field
from pathlib import Path

from core.errors import StoreError
from core.paths import data_dir as default_data_dir
from services.cases.provider import CaseRepositories
from services.rate_limit import Limits, RateLimiter
from services.search import SearchService
from services.settings import Settings
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
    return PrecedentStore(data_dir / CACHE_DIR)


@dataclass
class AppServices:
    """Process-wide parts shared by every window, tab and command (each is thread-safe on its own).

    A part whose file can't be read is ``None`` (pages and commands say so in Korean); anything else,
    a missing module above all, is a bug and fails loudly.
    """

    data_dir: Path
    web_mode: bool
    user_file: UserFile
    settings: Settings
    cases: CaseRepositories
    precedents: PrecedentStore | None = None
    search: SearchService | None = None
    summary_cache: SummaryCache | None = None
    # Web visitors share the operator's AI quota: each AI call they start is counted (PageContext.charge_ai).
    problems: dict[str, StoreError] = field(default_factory=dict)  # part name -> why it is None
    ai_limit: RateLimiter = field(default_factory=lambda: RateLimiter(Limits.from_env()))
    # The AI models come here: the summary engine choice and the analysis model, both read from
    # ``settings`` when the root is opened (see ``open``). They are not built yet.

    @classmethod
    def open(cls, data_dir: Path, *, web_mode: bool, passphrase: str | None = None,
             empty_on_damage: bool = True) -> AppServices:
        """Open everything under ``data_dir``.

        ``passphrase`` opens a protected user file (``SANJAE_PASSPHRASE``); without it the file stays
        locked until ``user_file.unlock``. ``empty_on_damage=False`` (the CLI): a user file and its
        backup both unreadable are refused with a Korean message instead of starting empty.
        """
        user_file = UserFile.open(data_dir / FILE_NAME, passphrase, empty_on_damage=empty_on_damage)
        settings = Settings(user_store=user_file.store, web_mode=web_mode)
        user_file.watch(lambda store: setattr(settings, "user_store", store))  # unlocking reaches the settings
        services = cls(data_dir=data_dir, web_mode=web_mode, user_file=user_file, settings=settings,
                       cases=CaseRepositories(user_file, web_mode=web_mode))
        try:
            services.precedents = open_precedents(data_dir)
        except StoreError as exc:
            services._unavailable("precedents", exc)
        if services.precedents is not None:
            services.search = SearchService(services.precedents, data_dir / INDEX_DIR)
        try:
            services.summary_cache = SummaryCache(data_dir / SUMMARY_FILE)
        except StoreError as exc:
            services._unavailable("summary_cache", exc)
        # The AI models (summary engine, analysis model) will be chosen from ``settings`` here.
        return services

    def _unavailable(self, part: str, exc: StoreError) -> None:
        # INFO, not an error: the app and the CLI tell the user in Korean when the part is needed.
        log.info("%s unavailable: %s", part, exc.message, exc_info=True)
        self.problems[part] = exc

    @property
    def user_store(self) -> UserStore | None:
        """The user file's open store (None while it is locked or unreadable)."""
        return self.user_file.store

    def source_client(self, source: str) -> SourceClient:
        """A client for precedent source ``source`` configured from the settings (the caller closes it)."""
        return make_client(source, self.settings)

    def require_search(self) -> SearchService:
        """The search service, or the Korean reason the precedents can't be read."""
        if self.search is None:
            raise self.problems.get("precedents") or StoreError(PRECEDENTS_UNAVAILABLE)
        return self.search

    def require_precedents(self) -> PrecedentStore:
        """The precedent store, or the Korean reason it could not be opened."""
        if self.precedents is None:
            raise self.problems.get("precedents") or StoreError(PRECEDENTS_UNAVAILABLE)
        return self.precedents


PRECEDENTS_UNAVAILABLE = ("판례 자료 파일을 열지 못했습니다. 자료 폴더를 쓸 수 있는지 확인하고 "
                          "앱을 다시 시작해 주세요.")


def open_from_environment(*, web_mode: bool, empty_on_damage: bool = True) -> AppServices:
    """The root for this process: ``data_dir()`` (SANJAE_DATA_DIR) and the passphrase in SANJAE_PASSPHRASE."""
    return AppServices.open(default_data_dir(), web_mode=web_mode,
                            passphrase=os.environ.get(PASSPHRASE_ENV) or None, empty_on_damage=empty_on_damage)
