"""Which case repository a visitor gets: the desktop user file, or a blob kept by a web visitor's browser.

The app and the CLI get one ``CaseRepositories`` from the composition root (``app.wiring``) and ask it
for a repository each time they need one, so an unlocked or re-encrypted user file is picked up at once.
"""
from __future__ import annotations

import threading
from typing import Protocol

from core.errors import StoreError
from services.cases.repository import JsonBlobCaseRepository, UserFileCaseRepository
from services.user_file import LOCKED_MESSAGE, UserFile

NO_BROWSER_STORAGE = "브라우저 저장소에 연결하지 못했습니다. 페이지를 새로 고친 뒤 다시 시도해 주세요."


class BlobStore(Protocol):
    """One JSON text kept somewhere else (a browser's local storage): ``load()`` is None while empty."""

    def load(self) -> str | None: ...
    def save(self, text: str) -> None: ...
    @property
    def lock(self) -> threading.RLock | None: ...  # shared by every writer of this text, if several


class CaseRepositories:
    """Hands out the case repository for the desktop user or for one web visitor."""

    def __init__(self, user_file: UserFile, *, web_mode: bool) -> None:
        self.user_file = user_file
        self.web_mode = web_mode

    def desktop(self, locked_message: str = LOCKED_MESSAGE) -> UserFileCaseRepository:
        """The user file's cases; ``StoreError`` (Korean) while it is locked or could not be read."""
        return UserFileCaseRepository(self.user_file.require_store(locked_message))

    def for_visitor(self, blob: BlobStore | None) -> UserFileCaseRepository | JsonBlobCaseRepository:
        """Web mode: the visitor's own browser blob (one visitor never sees another's cases); else the user file."""
        if not self.web_mode:
            return self.desktop()
        if blob is None:
            raise StoreError(NO_BROWSER_STORAGE)
        return JsonBlobCaseRepository(blob.load, blob.save, blob.lock)
