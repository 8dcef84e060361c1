"""The precedent cache: up to ~32,000 judgments kept in TinyDB shards plus a small manifest.

Why shards: TinyDB rewrites a whole file on every write. With one file for the whole corpus, saving
one page of a sync would rewrite hundreds of MB. Here a page touches the newest shard (at most
``SHARD_SIZE`` records) and the manifest, and opening the store reads only the manifest.

Consistency: shards are written before the manifest. A record is visible only when the manifest
points at it, so a crash between the two leaves an orphan that the next upsert overwrites or
ignores; never a duplicate, never a broken file.
"""
from __future__ import annotations

import gzip
import json
import uuid
import zlib
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from core.errors import StoreError
from core.paths import data_dir, sample_corpus_path
from core.records import SOURCES, Precedent, PrecedentReader, drop_bad_fields
from storage.atomic import AtomicJSONStorage, recovery_notices, remove_stale_temp_files, write_bytes_atomic
from storage.locks import PathLock

SHARD_SIZE = 250
MANIFEST_FORMAT = 1
EXPORT_FORMAT = "sanjae-gemma-corpus"
EXPORT_VERSION = 1
# A 30,000-judgment export unpacks to about 0.6 GB (bench/synthetic.py: 20 KB a judgment); anything far
# beyond is not an export but a gzip bomb that would fill memory.
MAX_CORPUS_BYTES = 2 * 2**30
_READ_CHUNK = 2**20
_TABLE = "records"  # TinyDB table name inside each shard, so a shard opens with plain TinyDB too


@dataclass
class UpsertResult:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0  # import only: records without the required fields or with wrong types
    dropped_fields: int = 0  # import only: out-of-range years, court levels and dates left blank

    @property
    def changed(self) -> int:
        return self.added + self.updated


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


_TEXT_FIELDS = ("id", "title", "case_number", "court", "outcome", "kind_b", "kind_c", "decided_on", "order",
                "reasons", "full_text", "issues_text", "fetched_at", "source_outcome", "outcome_note")


def _small_int(value: Any) -> bool:
    # The store writes with orjson, which takes 64-bit integers only.
    return isinstance(value, int) and not isinstance(value, bool) and -2**63 <= value < 2**63


def _importable(item: Any) -> bool:
    """A record from a corpus file with the field types the app relies on (others are skipped)."""
    if not isinstance(item, dict) or not isinstance(item.get("id"), str) or item.get("source") not in SOURCES:
        return False
    if not isinstance(item.get("title"), str):  # required by Precedent
        return False
    if any(not isinstance(item.get(name, ""), str) for name in _TEXT_FIELDS):
        return False
    if not _small_int(item.get("reader_version", 0)):
        return False
    for name in ("case_year", "court_level"):
        value = item.get(name)
        if value is not None and not _small_int(value):
            return False
    related = item.get("related", [])
    flat = isinstance(related, list) and all(
        isinstance(r, dict) and all(v is None or isinstance(v, str) or _small_int(v) for v in r.values())
        for r in related)
    return flat and isinstance(item.get("is_sample", False), bool)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# Sync state keys sync.py turns into numbers or flags; another type there would stop every sync.
_STATE_INTS = ("next_page", "total_count", "known_total", "num_of_rows")
_STATE_FLAGS = ("complete", "stop_when_nothing_new")


def _check_manifest(data: dict[str, Any]) -> None:
    """Raise ValueError when the manifest has values of the wrong type (then it is restored like a broken file)."""
    if not _is_int(data.get("format", MANIFEST_FORMAT)) or not isinstance(data.get("version", ""), str):
        raise ValueError("format or version of the wrong type")
    ids = data.get("ids", {})
    if not isinstance(ids, dict) or not all(
            isinstance(loc, list) and len(loc) in (2, 4) and all(_is_int(n) and n >= 0 for n in loc)
            for loc in ids.values()):
        raise ValueError("ids is not a map of record id to [shard, document(, offset, length)]")
    tail = data.get("tail", [0, 0])
    if not isinstance(tail, list) or len(tail) != 2 or not all(_is_int(n) and n >= 0 for n in tail):
        raise ValueError("tail is not [shard, count]")
    sync = data.get("sync", {})
    if not isinstance(sync, dict) or not all(isinstance(state, dict) for state in sync.values()):
        raise ValueError("sync is not a map of source to state")
    for state in sync.values():
        if any(state.get(k) is not None and not _is_int(state[k]) for k in _STATE_INTS) or any(
                not isinstance(state.get(k, False), bool) for k in _STATE_FLAGS):
            raise ValueError("sync state of the wrong type")


def _readable_doc(doc: Any) -> bool:
    # What Precedent.from_dict needs at the least (the store itself only ever writes such documents).
    return isinstance(doc, dict) and all(isinstance(doc.get(k), str) for k in ("id", "source", "title"))


def _check_shard(data: dict[str, Any]) -> None:
    table = data.get(_TABLE, {})
    if not isinstance(table, dict) or not all(_readable_doc(doc) for doc in table.values()):
        raise ValueError("records is not a map of document number to record")


class _TooLarge(Exception):
    """A corpus file unpacks beyond the cap."""


def _read_capped(path: Path, packed: bool, limit: int) -> bytearray:
    """The file's bytes, unpacked when gzip, read a chunk at a time so that memory never passes ``limit``."""
    if not packed and path.stat().st_size > limit:
        raise _TooLarge
    data = bytearray()
    with gzip.open(path, "rb") if packed else open(path, "rb") as fh:
        while chunk := fh.read(_READ_CHUNK):
            if not data and not chunk.lstrip().startswith(b"{"):
                raise ValueError("not a JSON object")  # e.g. a bomb of zeros: stop at the first chunk
            data += chunk
            if len(data) > limit:
                raise _TooLarge
    return data


class PrecedentStore:
    """The cache of precedents.

    ``reader`` (see ``core.records.PrecedentReader``; the app passes ``services.judgment.READER``)
    derives the fields that come from a judgment's text. It is applied to every record written (sync,
    import) and to the bundled samples, and records stored under another ``reader.version`` are read
    again and saved (on the first full pass or version check after an upgrade). Without a reader,
    records are kept exactly as given.
    """

    def __init__(self, root: Path | None = None, *, sample_path: Path | None = None,
                 shard_cache: int = 4, reader: PrecedentReader | None = None) -> None:
        self._reader = reader
        self.root = Path(root) if root else data_dir() / "cache"
        self.root.mkdir(parents=True, exist_ok=True)
        remove_stale_temp_files(self.root)
        self._sample_path = sample_path or sample_corpus_path()
        self._manifest_storage = AtomicJSONStorage(self.root / "manifest.json", copy_on_read=False,
                                                   check_shape=_check_manifest)
        self.lock = PathLock(self.root / "store")  # held across shard + manifest writes
        self._shards: OrderedDict[int, dict[str, Any]] = OrderedDict()
        self._shard_stamps: dict[int, tuple[int, int, int]] = {}
        self._shard_cache = max(1, shard_cache)
        self._samples: list[Precedent] | None = None

    # -- manifest -------------------------------------------------------------------------
    def _manifest(self) -> dict[str, Any]:
        data = self._manifest_storage.read() or {}
        data.setdefault("format", MANIFEST_FORMAT)
        data.setdefault("ids", {})
        data.setdefault("version", "empty")
        data.setdefault("sync", {})
        if data["format"] > MANIFEST_FORMAT:
            raise StoreError("이 자료 폴더는 더 새로운 버전의 앱이 만든 것입니다. "
                             "앱을 최신 버전으로 업데이트해 주세요.")
        return data

    def _shard_path(self, shard: int) -> Path:
        return self.root / f"shard-{shard:04d}.json"

    def _shard_storage(self, shard: int) -> AtomicJSONStorage:
        return AtomicJSONStorage(self._shard_path(shard), copy_on_read=False, check_shape=_check_shard)

    def _read_shard(self, shard: int) -> dict[str, Any]:
        storage = self._shard_storage(shard)
        stamp = storage._stamp()
        cached = self._shards.get(shard)
        if cached is not None and stamp is not None and self._shard_stamps.get(shard) == stamp:
            self._shards.move_to_end(shard)
            return cached
        data = storage.read() or {}
        table: dict[str, Any] = data.get(_TABLE, {})
        self._shards[shard] = table
        if stamp is not None:
            self._shard_stamps[shard] = storage._stamp() or stamp
        while len(self._shards) > self._shard_cache:
            old, _ = self._shards.popitem(last=False)
            self._shard_stamps.pop(old, None)
        return table

    def _write_shard(self, shard: int, table: dict[str, Any]) -> dict[str, tuple[int, int]]:
        """Write one shard as TinyDB JSON and return where each document's bytes lie in the file.

        The file is assembled from separately serialised documents so that the byte offset and
        length of each one are known; ``get_many`` then reads just those bytes instead of parsing
        the whole shard (a results page touches up to 20 shards).
        """
        parts = [b'{"' + _TABLE.encode() + b'":{']
        pos = len(parts[0])
        offsets: dict[str, tuple[int, int]] = {}
        for n, (doc_id, doc) in enumerate(table.items()):
            head = (b"," if n else b"") + orjson.dumps(str(doc_id)) + b":"
            body = orjson.dumps(doc)
            offsets[str(doc_id)] = (pos + len(head), len(body))
            parts.append(head)
            parts.append(body)
            pos += len(head) + len(body)
        parts.append(b"}}")
        path = self._shard_path(shard)
        with self._shard_storage(shard).lock:
            write_bytes_atomic(path, b"".join(parts), backup=True)
        self._shards[shard] = table
        st = path.stat()
        self._shard_stamps[shard] = (st.st_ino, st.st_mtime_ns, st.st_size)
        while len(self._shards) > self._shard_cache:
            old, _ = self._shards.popitem(last=False)
            self._shard_stamps.pop(old, None)
        return offsets

    def _read_docs_at(self, shard: int, wanted: list[tuple[str, list[int]]]) -> dict[str, dict[str, Any]]:
        """Read single documents by their recorded byte ranges; ids that don't check out are left out."""
        found: dict[str, dict[str, Any]] = {}
        try:
            with open(self._shard_path(shard), "rb") as fh:
                for rid, loc in wanted:
                    fh.seek(loc[2])
                    try:
                        doc = orjson.loads(fh.read(loc[3]))
                    except orjson.JSONDecodeError:
                        continue
                    if _readable_doc(doc) and doc.get("id") == rid:
                        found[rid] = doc
        except OSError:
            pass
        return found

    # -- samples --------------------------------------------------------------------------
    def samples(self) -> list[Precedent]:
        if self._samples is None:
            try:
                raw = json.loads(self._sample_path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                raw = []
            self._samples = [self._read(Precedent.from_dict({**r, "is_sample": True, "source": "sample"}))
                             for r in raw if isinstance(r, dict)]
        return self._samples

    # -- the judgment reader ----------------------------------------------------------------
    def _read(self, record: Precedent) -> Precedent:
        return self._reader.read(record) if self._reader is not None else record

    def _current(self, doc: dict[str, Any]) -> Precedent:
        """The stored document as a record, read again when it was stored under another reader version."""
        record = Precedent.from_dict(doc)
        if self._reader is not None and doc.get("reader_version") != self._reader.version:
            record = self._reader.read(record)
        return record

    def upgrade(self) -> int:
        """Read again and save every record stored under another reader version; return how many changed."""
        reader = self._reader
        if reader is None:
            return 0
        manifest = self._manifest()
        if not manifest["ids"] or manifest.get("reader_version") == reader.version:
            return 0
        changed = 0
        with self.lock:
            manifest = self._manifest()
            ids: dict[str, list[int]] = manifest["ids"]
            for shard in sorted({loc[0] for loc in ids.values()}):
                table = dict(self._read_shard(shard))
                stale = [key for key, doc in table.items() if doc.get("reader_version") != reader.version]
                for key in stale:
                    table[key] = reader.read(Precedent.from_dict(table[key])).to_dict()
                if not stale:
                    continue
                changed += len(stale)
                for doc_key, (offset, length) in self._write_shard(shard, table).items():
                    loc = ids.get(table[doc_key].get("id"))
                    if loc and loc[0] == shard and loc[1] == int(doc_key):
                        ids[table[doc_key]["id"]] = [shard, int(doc_key), offset, length]
            manifest["reader_version"] = reader.version
            if changed:
                manifest["version"] = uuid.uuid4().hex
                manifest["updated_at"] = _now()
            self._manifest_storage.write(manifest)
        return changed

    # -- reading --------------------------------------------------------------------------
    def has_real_data(self) -> bool:
        return bool(self._manifest()["ids"])

    def __len__(self) -> int:
        n = len(self._manifest()["ids"])
        return n if n else len(self.samples())

    def ids(self) -> set[str]:
        ids = set(self._manifest()["ids"])
        return ids if ids else {s.id for s in self.samples()}

    def version(self) -> str:
        """Changes whenever what the records say changes (writes, a new reader version)."""
        self.upgrade()
        manifest = self._manifest()
        if manifest["ids"]:
            return f"real-{manifest['version']}"
        try:
            st = self._sample_path.stat()
            reader = f"-r{self._reader.version}" if self._reader is not None else ""
            return f"sample-{st.st_size}-{st.st_mtime_ns}{reader}"
        except OSError:
            return "sample-none"

    def count_by_source(self) -> dict[str, int]:
        counts = {s: 0 for s in SOURCES}
        ids = self._manifest()["ids"]
        for rid in ids:
            src = rid.split(":", 1)[0]
            if src in counts:
                counts[src] += 1
        if not ids:
            counts["sample"] = len(self.samples())
        return counts

    def get(self, record_id: str) -> Precedent | None:
        found = self.get_many([record_id])
        return found[0] if found else None

    def get_many(self, record_ids: Iterable[str]) -> list[Precedent]:
        """Records in the order asked for; unknown ids are skipped."""
        wanted = list(record_ids)
        ids = self._manifest()["ids"]
        by_id: dict[str, Precedent] = {}
        sample_ids = [r for r in wanted if r.startswith("sample:")]
        if sample_ids:
            samples = {s.id: s for s in self.samples()}
            by_id.update({r: samples[r] for r in sample_ids if r in samples})
        by_shard: dict[int, list[tuple[str, list[int]]]] = {}
        for rid in wanted:
            loc = ids.get(rid)
            if loc:
                by_shard.setdefault(loc[0], []).append((rid, loc))
        for shard, pairs in by_shard.items():
            direct = self._read_docs_at(shard, [(r, loc) for r, loc in pairs if len(loc) >= 4])
            missing = [(r, loc) for r, loc in pairs if r not in direct]
            table = self._read_shard(shard) if missing else {}
            for rid, loc in missing:  # no offsets yet, or the shard changed under us
                doc = table.get(str(loc[1]))
                if doc is not None:
                    direct[rid] = doc
            by_id.update({rid: self._current(doc) for rid, doc in direct.items()})
        return [by_id[r] for r in wanted if r in by_id]

    def iter_records(self) -> Iterator[Precedent]:
        """Every visible record: the cached ones, or the samples while nothing real is cached."""
        self.upgrade()
        ids = self._manifest()["ids"]
        if not ids:
            yield from self.samples()
            return
        wanted: dict[int, set[str]] = {}
        for loc in ids.values():
            wanted.setdefault(loc[0], set()).add(str(loc[1]))
        for shard in sorted(wanted):
            # Read shard by shard without filling the LRU: a full pass must not hold the corpus.
            data = self._shard_storage(shard).read() or {}
            table = data.get(_TABLE, {})
            for doc_id, doc in table.items():
                loc = ids.get(doc.get("id")) or [None, None]
                if doc_id in wanted[shard] and loc[0] == shard and loc[1] == int(doc_id):
                    yield self._current(doc)

    # -- writing --------------------------------------------------------------------------
    def upsert_many(self, records: Iterable[Precedent]) -> UpsertResult:
        result = UpsertResult()
        incoming: OrderedDict[str, dict[str, Any]] = OrderedDict()
        for rec in records:
            if rec.is_sample or rec.source == "sample":
                continue  # the samples live in assets/, never in the cache
            incoming[rec.id] = self._read(rec).to_dict()
        if not incoming:
            return result
        with self.lock:
            manifest = self._manifest()
            ids: dict[str, list[int]] = manifest["ids"]
            # Only this reader's output is written, so an empty or up-to-date store stays up to date.
            version = self._reader.version if self._reader is not None else None
            all_current = version is not None and (not ids or manifest.get("reader_version") == version)
            touched: dict[int, dict[str, Any]] = {}
            last_shard, in_last = manifest.get("tail") or self._tail(ids)
            next_ids: dict[int, int] = {}

            def shard_table(shard: int) -> dict[str, Any]:
                if shard not in touched:
                    touched[shard] = dict(self._read_shard(shard))
                return touched[shard]

            for rid, doc in incoming.items():
                loc = ids.get(rid)
                if loc:
                    table = shard_table(loc[0])
                    if table.get(str(loc[1])) == doc:
                        result.unchanged += 1
                        continue
                    table[str(loc[1])] = doc
                    result.updated += 1
                    continue
                if in_last >= SHARD_SIZE:
                    last_shard, in_last = last_shard + 1, 0
                table = shard_table(last_shard)
                if last_shard not in next_ids:
                    next_ids[last_shard] = self._next_doc_id(table)
                doc_id = next_ids[last_shard]
                next_ids[last_shard] += 1
                table[str(doc_id)] = doc
                ids[rid] = [last_shard, doc_id]
                in_last += 1
                result.added += 1
            if not result.changed:
                return result
            for shard, table in touched.items():
                for doc_key, (offset, length) in self._write_shard(shard, table).items():
                    rid = table[doc_key].get("id")
                    loc = ids.get(rid)
                    if loc and loc[0] == shard and loc[1] == int(doc_key):  # orphans keep no entry
                        ids[rid] = [shard, int(doc_key), offset, length]
            if all_current:
                manifest["reader_version"] = version
            manifest["tail"] = [last_shard, in_last]
            manifest["version"] = uuid.uuid4().hex
            manifest["updated_at"] = _now()
            self._manifest_storage.write(manifest)
        return result

    @staticmethod
    def _tail(ids: dict[str, list[int]]) -> list[int]:
        """The newest shard and how many records it holds (kept in the manifest as 'tail')."""
        last = max((loc[0] for loc in ids.values()), default=0)
        return [last, sum(1 for loc in ids.values() if loc[0] == last)]

    @staticmethod
    def _next_doc_id(table: dict[str, Any]) -> int:
        # Orphans from a crash between shard and manifest writes keep their ids; never reuse them.
        return max((int(k) for k in table), default=0) + 1

    # -- sync state -----------------------------------------------------------------------
    def sync_state(self, source: str) -> dict[str, Any]:
        return dict(self._manifest()["sync"].get(source, {}))

    def save_sync_state(self, source: str, state: dict[str, Any]) -> None:
        with self.lock:
            manifest = self._manifest()
            manifest["sync"][source] = dict(state)
            self._manifest_storage.write(manifest)

    def last_sync(self) -> dict[str, str | None]:
        sync = self._manifest()["sync"]
        return {s: sync.get(s, {}).get("last_sync") for s in ("portal", "lawgokr", "iaciac")}

    # -- portable corpus file -------------------------------------------------------------
    def export_corpus(self, path: Path) -> int:
        """Write every cached record into one ``.json.gz`` file (for a USB stick to an offline office)."""
        records = [r.to_dict() for r in self.iter_records() if not r.is_sample]
        payload = {"format": EXPORT_FORMAT, "version": EXPORT_VERSION, "exported_at": _now(),
                   "count": len(records), "records": records}
        raw = gzip.compress(json.dumps(payload, ensure_ascii=False).encode("utf-8"), compresslevel=6)
        write_bytes_atomic(Path(path), raw)
        return len(records)

    def import_corpus(self, path: Path, *, max_bytes: int | None = None) -> UpsertResult:
        """Add the records of an exported file; ``max_bytes`` caps its unpacked size (default MAX_CORPUS_BYTES)."""
        path = Path(path)
        limit = MAX_CORPUS_BYTES if max_bytes is None else max_bytes
        try:
            with open(path, "rb") as fh:
                packed = fh.read(2) == b"\x1f\x8b"
        except OSError as exc:
            raise StoreError(f"'{path.name}' 파일을 열 수 없습니다 ({exc.strerror}). 경로를 확인해 주세요.") from None
        try:
            text = _read_capped(path, packed, limit).decode("utf-8")  # the bytes go as soon as decoded
            payload = json.loads(text)
            del text
        except _TooLarge:
            raise StoreError(f"'{path.name}'을(를) 풀면 {limit // 2**20:,} MB가 넘어 가져오지 않았습니다. "
                             "이 앱의 '판례 내보내기'로 만든 파일인지 확인해 주세요.") from None
        except (OSError, EOFError, ValueError, RecursionError, zlib.error):
            raise StoreError(f"'{path.name}'은(는) 판례 자료 파일이 아니거나 손상되었습니다. "
                             "이 앱의 '판례 내보내기'로 만든 파일인지 확인해 주세요.") from None
        if not isinstance(payload, dict) or payload.get("format") != EXPORT_FORMAT:
            raise StoreError(f"'{path.name}'은(는) 판례 자료 파일이 아닙니다. "
                             "이 앱의 '판례 내보내기'로 만든 파일을 골라 주세요.")
        version = payload.get("version", 0)
        if not isinstance(version, int) or isinstance(version, bool):
            raise StoreError(f"'{path.name}'의 형식 버전 정보가 올바르지 않습니다. 파일이 손상되었을 수 있습니다.")
        if version > EXPORT_VERSION:
            raise StoreError("더 새로운 버전의 앱에서 만든 파일입니다. 앱을 업데이트한 뒤 가져와 주세요.")
        items = payload.get("records", [])
        items = items if isinstance(items, list) else []
        records = [Precedent.from_dict(item) for item in items if _importable(item)]
        total = UpsertResult(skipped=len(items) - len(records))
        total.dropped_fields = sum(drop_bad_fields(record) for record in records)
        for start in range(0, len(records), SHARD_SIZE):
            part = self.upsert_many(records[start:start + SHARD_SIZE])
            total.added += part.added
            total.updated += part.updated
            total.unchanged += part.unchanged
        return total

    def recovery_notices(self) -> list[str]:
        names = {"manifest.json"} | {p.name for p in self.root.glob("shard-*.json")}
        return [n for n in recovery_notices() if any(name in n for name in names)]
