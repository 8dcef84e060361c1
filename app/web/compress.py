"""Compressed copies of the files the web client loads: brotli and gzip, made once and kept on disk.

The Flet client is about 13 MB (the Dart program and its renderer, both WebAssembly) and compresses to
about 4 MB. Compressing for each request would cost seconds of CPU per visitor, so each file is compressed
once, in a background thread after the server starts, and the copies are kept in the cache folder under
the hash of the file's content: a new Flet version gets new copies, a restart finds the old ones at once.

Two passes: a quick one (gzip 9 and brotli 5, a few seconds in all) so that the first visitors already get
small files, then brotli 11 (another 10-15 % smaller, about two minutes of one core at low priority) for
the files every visitor loads. A file without copies yet is sent as it is, and queued.
"""
from __future__ import annotations

import contextlib
import gzip
import hashlib
import logging
import os
import queue
import sys
import threading
import time
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path

import brotli

from core.errors import StoreError
from storage.atomic import write_bytes_atomic
from storage.locks import PathLock

log = logging.getLogger(__name__)

# Formats that are already compressed (images, WOFF2) gain nothing.
COMPRESSIBLE = frozenset({".js", ".mjs", ".wasm", ".json", ".html", ".css", ".txt", ".svg", ".otf", ".ttf",
                          ".bin", ".frag", ".map", ".xml", ".ico"})
MIN_SIZE = 1024
QUICK_BROTLI, BEST_BROTLI = 5, 11
GZIP_LEVEL = 9
KEEP_DAYS = 30  # copies of files no longer served are removed after this long unused
LOCK_WAIT_S = 900.0  # brotli 11 of the largest file takes about a minute at low priority
# (suffix on disk, encoding, brotli quality or 0 for gzip, rank: higher is smaller)
_KINDS = ((f".q{BEST_BROTLI}.br", "br", BEST_BROTLI, 3), (f".q{QUICK_BROTLI}.br", "br", QUICK_BROTLI, 2),
          (".gz", "gzip", 0, 1))
_QUICK, _BEST = 0, 1


def compressible(path: Path, size: int) -> bool:
    return path.suffix.lower() in COMPRESSIBLE and size >= MIN_SIZE


def accepted_encodings(header: str) -> set[str]:
    """The encodings an ``Accept-Encoding`` header allows (``q=0`` refuses one)."""
    found: set[str] = set()
    for part in header.lower().split(","):
        name, _, params = part.strip().partition(";")
        q = params.strip().removeprefix("q=") if params.strip().startswith("q=") else "1"
        try:
            if name.strip() and float(q) > 0:
                found.add(name.strip())
        except ValueError:
            continue
    if "*" in found:
        found |= {"br", "gzip"}
    return found


def compress(data: bytes, encoding: str, quality: int = BEST_BROTLI) -> bytes:
    if encoding == "br":
        return bytes(brotli.compress(data, quality=quality))
    return gzip.compress(data, GZIP_LEVEL, mtime=0)


@dataclass(frozen=True)
class Copy:
    path: Path
    encoding: str  # "br" or "gzip", the Content-Encoding
    size: int
    rank: int
    quality: int   # brotli's quality, or gzip's level

    @property
    def tag(self) -> str:
        """Names these bytes in an ETag: copies of one file at two qualities are different bytes."""
        return f"{self.encoding}{self.quality}"


SourceKey = tuple[str, int, int]  # (path, size, mtime_ns): a file as it is now


def source_key(path: Path, stat: os.stat_result) -> SourceKey:
    return str(path), stat.st_size, stat.st_mtime_ns


class CompressedCopies:
    """The copies in ``folder``, looked up without blocking; one background thread makes missing ones."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._copies: dict[SourceKey, dict[str, Copy]] = {}
        self._digests: dict[SourceKey, str] = {}
        self._queued: set[tuple[SourceKey, int]] = set()
        self._lock = threading.Lock()
        self._work: queue.PriorityQueue[tuple[int, int, Path]] = queue.PriorityQueue()
        self._count = 0
        self._thread: threading.Thread | None = None

    # ---- serving (event loop) ------------------------------------------------------------------------

    def best(self, path: Path, stat: os.stat_result, accepted: Collection[str]) -> Copy | None:
        """The smallest ready copy the client accepts, or None (then the file goes out as it is)."""
        key = source_key(path, stat)
        with self._lock:
            copies = self._copies.get(key)
        if copies is None:
            self.queue([path], _QUICK)
            return None
        choices = [c for c in copies.values() if c.encoding in accepted]
        return max(choices, key=lambda c: c.rank, default=None)

    # ---- making copies (background) ------------------------------------------------------------------

    def queue(self, paths: Iterable[Path], stage: int) -> None:
        for path in paths:
            try:
                stat = path.stat()
            except OSError:
                continue
            item = (source_key(path, stat), stage)
            with self._lock:
                if item in self._queued:
                    continue
                self._queued.add(item)
                self._count += 1
                self._work.put((stage, self._count, path))

    def start(self, everything: Iterable[Path], loaded_by_all: Iterable[Path]) -> None:
        """Quick copies of ``everything`` (first those every visitor loads), then the best of ``loaded_by_all``."""
        first = list(loaded_by_all)
        self.queue(first, _QUICK)
        self.queue(everything, _QUICK)
        self.queue(first, _BEST)
        self._thread = threading.Thread(target=self._run, name="compress-web-files", daemon=True)
        self._thread.start()

    def idle(self) -> bool:
        return self._work.unfinished_tasks == 0

    def _run(self) -> None:
        niced = False
        while True:
            stage, _, path = self._work.get()
            try:
                if stage == _BEST and not niced:
                    _lower_priority()  # visitors' requests come first; this pass only makes files smaller
                    niced = True
                self._make(path, stage)
            except (OSError, StoreError) as exc:
                log.warning("could not compress %s: %s", path, exc)
            finally:
                self._work.task_done()
            if self.idle():
                self.prune()

    def _make(self, path: Path, stage: int) -> None:
        stat = path.stat()
        if not compressible(path, stat.st_size):
            return
        key = source_key(path, stat)
        data = path.read_bytes()
        digest = self._digests.get(key) or hashlib.sha256(data).hexdigest()
        self._digests[key] = digest
        has_best = (self.folder / f"{digest}{_KINDS[0][0]}").exists()
        for suffix, encoding, quality, rank in _KINDS:
            target = self.folder / f"{digest}{suffix}"
            wanted = stage == _BEST if quality == BEST_BROTLI else stage == _QUICK and not (has_best and quality)
            if wanted and not target.exists():
                # Several server processes share the cache: one makes a copy, the others wait for it.
                with PathLock(target, timeout=LOCK_WAIT_S):
                    if not target.exists():
                        packed = compress(data, encoding, quality)
                        if len(packed) >= len(data):
                            continue
                        write_bytes_atomic(target, packed)
            if target.exists():
                with contextlib.suppress(OSError):
                    os.utime(target)  # still in use: keep it (see prune)
                level = quality or GZIP_LEVEL
                self._register(key, Copy(target, encoding, target.stat().st_size, rank, level))

    def _register(self, key: SourceKey, copy: Copy) -> None:
        with self._lock:
            copies = self._copies.setdefault(key, {})
            known = copies.get(copy.encoding)
            if known is None or known.rank < copy.rank:
                copies[copy.encoding] = copy

    def prune(self) -> None:
        """Remove copies of files that are no longer served, once unused for KEEP_DAYS."""
        current = set(self._digests.values())
        limit = time.time() - KEEP_DAYS * 86400
        with contextlib.suppress(OSError):
            for entry in os.scandir(self.folder):
                digest = entry.name.split(".", 1)[0]
                if entry.is_file() and digest not in current and entry.stat().st_mtime < limit:
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)


def _lower_priority() -> None:
    # On Linux a thread's native id names that thread alone, so only the compressing thread is lowered.
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
