"""Case files as portable JSON: the export envelope, reading it back safely, and the workspace backup.

Export envelope: ``{"format": "sanjae-gemma-cases", "version": 1, "exported_at": ISO, "cases": [...]}``.
Workspace backup: ``{"format": "sanjae-gemma-workspace", "version": 1, "exported_at": ISO, "cases": [...],
"settings": {name: value}}`` with secrets (API keys, tokens, passphrases) left out.
Only the path the user chose is ever written; names inside imported data are never used as paths.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from core.progress import CancelToken, ProgressCallback
from services.cases.merge import MergeReport, merge_into
from services.cases.model import Case, CaseError, CaseValidationError, case_from_dict, check_entry_dates, now_iso
from services.picked_files import PickedFileError, read_local_file
from services.settings import SPECS, restorable_from_backup
from storage.atomic import write_export_atomic

CASES_FORMAT = "sanjae-gemma-cases"
WORKSPACE_FORMAT = "sanjae-gemma-workspace"
FORMAT_VERSION = 1
MAX_IMPORT_BYTES = 200 * 1024 * 1024

SECRET_SETTINGS = frozenset({"portal_key", "lawgokr_oc", "gemini_key", "hf_token", "passphrase"})
_SECRET_WORDS = re.compile(r"key|token|secret|pass|password|oc$|credential", re.IGNORECASE)


class ImportFileError(CaseError):
    """A file given to import is not a readable case export or backup."""


def is_secret_setting(name: str) -> bool:
    return name in SECRET_SETTINGS or bool(_SECRET_WORDS.search(name))


# ------------------------------------------------------------------------------ writing

def envelope(cases: Iterable[Case], fmt: str = CASES_FORMAT, **extra: Any) -> dict[str, Any]:
    return {"format": fmt, "version": FORMAT_VERSION, "exported_at": now_iso(),
            "cases": [case.to_dict() for case in cases], **extra}


def dumps_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


def export_json(cases: Iterable[Case], path: Path) -> Path:
    path = Path(path)
    write_export_atomic(path, dumps_json(envelope(cases)))
    return path


# ------------------------------------------------------------------------------ reading

def _read_file(path: Path) -> bytes:
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ImportFileError(f"'{path.name}' 파일을 찾을 수 없습니다. 파일 위치를 다시 확인해 주세요.") from None
    except OSError:
        raise ImportFileError(f"'{path.name}' 파일을 열 수 없습니다. 권한이나 파일 위치를 확인해 주세요.") from None
    if size > MAX_IMPORT_BYTES:
        raise ImportFileError("파일이 너무 큽니다(200MB 초과). 이 프로그램에서 내보낸 사건 파일인지 확인해 주세요.")
    try:  # a regular file only, never past the cap (a device node such as /dev/zero never ends)
        return read_local_file(path, MAX_IMPORT_BYTES, "이 프로그램에서 내보낸 사건 파일인지 확인해 주세요.")
    except PickedFileError as exc:
        raise ImportFileError(exc.message) from None


def parse_envelope(raw: bytes | str, accepted: tuple[str, ...] = (CASES_FORMAT, WORKSPACE_FORMAT)) -> dict[str, Any]:
    """Check a file's bytes and return its envelope with ``cases`` as validated ``Case`` objects."""
    try:
        return _parse_envelope(raw, accepted)
    except RecursionError:  # nesting thousands deep: not something this program writes
        raise ImportFileError("파일 안의 자료가 지나치게 깊게 겹쳐 있어 읽을 수 없습니다. 파일이 손상되었거나 "
                              "이 프로그램에서 내보낸 파일이 아닙니다. 아무것도 가져오지 않았습니다.") from None


def _parse_envelope(raw: bytes | str, accepted: tuple[str, ...]) -> dict[str, Any]:
    try:
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
        data = json.loads(text)
    except (UnicodeDecodeError, ValueError):
        raise ImportFileError("파일 내용을 읽을 수 없습니다. 파일이 손상되었거나 사건 내보내기 파일(.json)이 아닙니다. "
                              "원래 내보낸 파일을 다시 골라 주세요.") from None
    if not isinstance(data, dict) or data.get("format") not in (CASES_FORMAT, WORKSPACE_FORMAT):
        raise ImportFileError("이 프로그램에서 내보낸 사건 파일이 아닙니다. "
                              "'사건 내보내기'나 '전체 백업'으로 만든 파일을 골라 주세요.")
    if data["format"] not in accepted:
        wanted = "전체 백업 파일" if accepted == (WORKSPACE_FORMAT,) else "사건 내보내기 파일"
        raise ImportFileError(f"{wanted}이 아닙니다. 알맞은 파일을 골라 주세요.")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise ImportFileError("파일의 형식 버전 정보가 없습니다. 파일이 손상되었을 수 있습니다.")
    if version > FORMAT_VERSION:
        raise ImportFileError("더 새로운 버전의 프로그램에서 만든 파일입니다. "
                              "프로그램을 최신 버전으로 바꾼 뒤 가져와 주세요.")
    rows = data.get("cases")
    if not isinstance(rows, list):
        raise ImportFileError("파일에 사건 목록이 없습니다. 파일이 손상되었을 수 있습니다.")
    cases: list[Case] = []
    seen: set[str] = set()
    for number, row in enumerate(rows, start=1):
        try:
            case = case_from_dict(row)
            check_entry_dates(case)
        except CaseValidationError as exc:
            raise ImportFileError(f"{number}번째 사건을 읽을 수 없어 아무것도 가져오지 않았습니다: "
                                  f"{exc.message}") from None
        if case.id in seen:
            raise ImportFileError(f"{number}번째 사건의 번호가 앞의 사건과 겹칩니다. "
                                  "파일이 손상되었을 수 있어 아무것도 가져오지 않았습니다.")
        seen.add(case.id)
        cases.append(case)
    settings = data.get("settings", {})
    if not isinstance(settings, dict):
        raise ImportFileError("백업 파일의 설정 부분 모양이 맞지 않습니다.")
    return {**data, "cases": cases, "settings": settings}


def read_cases_file(path: Path) -> list[Case]:
    cases: list[Case] = parse_envelope(_read_file(path))["cases"]  # validated by parse_envelope
    return cases


def import_cases(repository: Any, path: Path, *, progress: ProgressCallback | None = None,
                 cancel: CancelToken | None = None) -> MergeReport:
    """Validate the whole file first, then merge; a bad file changes nothing."""
    return merge_into(repository, read_cases_file(path), progress=progress, cancel=cancel)


# ------------------------------------------------------------------------------ workspace backup

def _plain_settings(store: Any) -> dict[str, Any]:
    if store is None:
        return {}
    out = {}
    for row in store.table("settings").all():
        name = row.get("name")
        if isinstance(name, str) and not is_secret_setting(name):
            out[name] = row.get("value")
    return out


def backup_workspace(repository: Any, path: Path, store: Any = None) -> Path:
    """All cases plus the non-secret settings in one file. ``store``: the ``UserStore`` (settings)."""
    path = Path(path)
    if store is None:
        store = getattr(repository, "store", None)
    data = envelope(repository.all(), WORKSPACE_FORMAT, settings=_plain_settings(store))
    write_export_atomic(path, dumps_json(data))
    return path


def restore_workspace(repository: Any, path: Path, store: Any = None, *,
                      progress: ProgressCallback | None = None,
                      cancel: CancelToken | None = None) -> dict[str, Any]:
    """Merge a backup's cases (same rules as import) and add settings we do not have yet.

    Settings already set here are kept; secrets are never taken from a file, and neither are server
    addresses or the summary engine (``settings_refused`` lists them, with the host named in a backup
    address, so the user can set them by hand if they are really his).
    """
    data = parse_envelope(_read_file(path), accepted=(WORKSPACE_FORMAT,))
    merged = merge_into(repository, data["cases"], progress=progress, cancel=cancel)
    if store is None:
        store = getattr(repository, "store", None)
    added: list[str] = []
    kept: list[str] = []
    refused: list[dict[str, str]] = []
    if store is not None:
        with store.transaction():
            for name, value in data["settings"].items():
                if not isinstance(name, str) or is_secret_setting(name):
                    continue
                if not restorable_from_backup(name):
                    refused.append({"name": name, "host": _host_of(value)})
                    continue
                if store.get_setting(name, _MISSING) is _MISSING:
                    store.set_setting(name, value)
                    added.append(name)
                else:
                    kept.append(name)
    return {"cases": merged.to_dict(), "summary": merged.summary(), "settings_added": added,
            "settings_kept": kept, "settings_refused": refused}


def _host_of(value: Any) -> str:
    """The host a backup's address names (shown to the user), or '' for a value that is no address."""
    if not isinstance(value, str) or "://" not in value:
        return ""
    try:
        return urlsplit(value.strip()).hostname or ""
    except ValueError:
        return ""


def refused_settings_text(refused: list[dict[str, str]]) -> str:
    """One Korean sentence about the settings a restore left out, or ''."""
    if not refused:
        return ""
    parts = [f"{SPECS[r['name']].label if r['name'] in SPECS else r['name']}"
             + (f" ({r['host']})" if r.get("host") else "") for r in refused]
    return ("백업 파일에 든 서버 주소와 요약 방식은 가져오지 않았습니다: " + ", ".join(parts)
            + ". 믿을 수 있는 주소라면 설정에서 직접 넣어 주세요.")


_MISSING = object()
