"""One browser's case blob, shared by that browser's open tabs while the server serves them.

Each tab of a web visitor reads browser storage through its own copy taken when the tab was loaded
(Flutter's SharedPreferences keeps one in memory and never re-reads it), so a tab can't see what
another tab wrote since. The tabs of one browser share a random key kept in that browser's storage;
the server holds, per key, the newest blob any of its tabs read or wrote, and one lock, for as long as
one of those tabs is connected. Every save goes through it: a compare-and-set on the blob's revision,
under the lock, so a tab always changes what the other tabs last wrote, never its own stale copy.
Nothing here outlives the tabs: the entry is dropped when the last of them leaves.
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from core.errors import StoreError


class BlobConflict(StoreError):
    """The blob changed between reading and writing it (a save without the lock)."""


@dataclass
class SharedBlob:
    """The newest blob text of one browser, its revision, and the tabs (holders) using it."""

    text: str | None
    revision: int
    lock: threading.RLock = field(default_factory=threading.RLock)
    holders: set[str] = field(default_factory=set)

    def replace(self, text: str, revision: int, expected: int) -> None:
        """Store ``text`` as ``revision`` if the blob is still at ``expected``; else ``BlobConflict``."""
        with self.lock:
            if self.revision != expected:
                raise BlobConflict("다른 창에서 방금 사건을 저장했습니다. 다시 시도해 주세요.")
            self.text, self.revision = text, revision


class SharedBlobs:
    """Shared blobs by browser key; ``revision_of(text)`` reads the revision a blob text carries."""

    def __init__(self, revision_of: Callable[[str | None], int]) -> None:
        self._revision_of = revision_of
        self._blobs: dict[str, SharedBlob] = {}
        self._lock = threading.Lock()

    def join(self, key: str, holder: str, seen: str | None) -> SharedBlob:
        """The blob of browser ``key`` for tab ``holder``, which read ``seen`` from its own storage copy.

        The newer of the two (by revision) is kept: a tab loaded after the others closed brings the
        latest text, a tab loaded earlier brings an older one and gets the shared text instead.
        """
        revision = self._revision_of(seen)
        with self._lock:
            blob = self._blobs.get(key)
            if blob is None:
                blob = self._blobs[key] = SharedBlob(seen, revision)
            with blob.lock:
                if revision > blob.revision:
                    blob.text, blob.revision = seen, revision
                blob.holders.add(holder)
            return blob

    def leave(self, key: str, holder: str) -> None:
        """Tab ``holder`` closed; the blob is forgotten with the last tab of that browser."""
        with self._lock:
            blob = self._blobs.get(key)
            if blob is None:
                return
            blob.holders.discard(holder)
            if not blob.holders:
                del self._blobs[key]

    def get(self, key: str) -> SharedBlob | None:
        with self._lock:
            return self._blobs.get(key)

    def __len__(self) -> int:
        with self._lock:
            return len(self._blobs)
