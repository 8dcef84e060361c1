"""One writer at a time, across threads and processes."""
from __future__ import annotations

import threading
from pathlib import Path

from filelock import FileLock

_registry_guard = threading.Lock()
_locks: dict[str, tuple[threading.RLock, FileLock]] = {}


class PathLock:
    """A re-entrant lock for one data file: a thread lock inside this process plus a lock file for others.

    The lock file lives beside the data file (``name.lock``) so that it is on the same disk.
    """

    def __init__(self, path: Path, timeout: float = 30.0) -> None:
        key = str(path.resolve())
        with _registry_guard:
            if key not in _locks:
                # One FileLock per path in this process, shared by every thread that holds the RLock;
                # thread_local=False so that a re-entrant acquire from any of them is counted.
                _locks[key] = (threading.RLock(), FileLock(key + ".lock", timeout=timeout, thread_local=False))
            self._thread_lock, self._file_lock = _locks[key]

    def __enter__(self) -> PathLock:
        self._thread_lock.acquire()
        try:
            self._file_lock.acquire()
        except BaseException:
            self._thread_lock.release()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self._file_lock.release()
        finally:
            self._thread_lock.release()
