"""Case-file logic: where a visitor's cases live, list rows, deadline badges, sorting and filtering.

Storage choice lives in ``repository_for(ctx)`` only:
- desktop: the TinyDB user file (``UserStore`` table "cases");
- web mode: the visitor's own browser storage (``ft.SharedPreferences``, one JSON blob), so one
  visitor never sees another's cases and several server processes can serve one address.
The browser storage is async and lives on the page's event loop; repository calls therefore run
in worker threads (``ctx.run_background``) and reach the browser through ``page.run_task``.
"""
from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.errors import SanjaeError, StoreError
from services.cases.repository import CaseListing, DamagedCase
from services.deadlines import STAGES, Deadline, compute_deadlines, format_day
from storage.atomic import write_export_atomic

if TYPE_CHECKING:
    from core.progress import CancelToken, ProgressCallback

log = logging.getLogger(__name__)

BROWSER_KEY = "sanjae.cases.v1"
IMPORT_FILE_MAX_BYTES = 20_000_000  # a case file picked in the app (thousands of cases)
PREFS_STORE_KEY = "cases.prefs"          # ctx.store slot holding this tab's SharedPreferences
BROWSER_TIMEOUT_S = 20.0
SORTS = {"deadline": "기한이 가까운 순", "updated": "최근 고친 순", "alias": "이름 순"}
ALL_STAGES = "전체"


class BrowserStorageError(StoreError):
    """The browser's storage could not be read or written."""


# ---------------------------------------------------------------------------- small accessors

def as_dict(case: Any) -> dict[str, Any]:
    """A case as a plain dict (accepts the service's case objects or dicts)."""
    if case is None:
        return {}
    if isinstance(case, dict):
        return case
    to_dict = getattr(case, "to_dict", None)
    if callable(to_dict):
        as_plain: dict[str, Any] = to_dict()
        return as_plain
    return dict(getattr(case, "__dict__", {}))


def _parse_day(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or "").strip()[:10])
    except ValueError:
        return None


# ---------------------------------------------------------------------------- deadlines and badges

@dataclass(frozen=True)
class Badge:
    """A short label for the nearest deadline of a case, with a tone for its colour."""

    text: str          # "심사청구 D-7", "심사청구 기한 지남"
    tone: str          # "overdue", "urgent" (≤3 days), "soon" (≤7), "near" (≤14), "calm", "none"
    detail: str        # a plain sentence for screen readers and tooltips
    days_left: int | None = None


def case_deadlines(case: Any, today: date | None = None) -> list[Deadline]:
    """The appeal deadlines open for this case's stage and dates; [] when the dates are missing."""
    data = as_dict(case)
    learned = _parse_day(data.get("learned_on"))
    decided = _parse_day(data.get("decided_on"))
    stage = data.get("stage") or "불승인"
    if learned is None or stage not in STAGES:
        return []
    if decided is not None and decided > learned:
        decided = None  # inconsistent dates: the page asks the user to fix them
    try:
        return compute_deadlines(learned, decided, stage=stage, today=today,
                                 disease_committee=bool(data.get("disease_committee")))
    except SanjaeError:
        return []


def nearest_deadline(deadlines: list[Deadline]) -> Deadline | None:
    """The next deadline still open; if all have passed, the most recently passed one."""
    if not deadlines:
        return None
    open_ones = [d for d in deadlines if not d.overdue]
    if open_ones:
        return min(open_ones, key=lambda d: d.deadline)
    return max(deadlines, key=lambda d: d.deadline)


def badge_for(deadline: Deadline | None) -> Badge:
    if deadline is None:
        return Badge("기한 정보 없음", "none", "결정을 안 날을 입력하면 불복 기한을 계산해 드립니다.")
    days = deadline.days_left
    day = format_day(deadline.deadline)
    if days < 0:
        return Badge(f"{deadline.name} 기한 지남", "overdue",
                     f"{deadline.name} 기한({day})이 {-days}일 지났습니다. "
                     "지금 할 수 있는 일을 사건 화면에서 확인하세요.",
                     days)
    if days == 0:
        return Badge(f"{deadline.name} 오늘 마감", "urgent", f"오늘({day})이 {deadline.name} 마지막 날입니다.", days)
    tone = "urgent" if days <= 3 else "soon" if days <= 7 else "near" if days <= 14 else "calm"
    return Badge(f"{deadline.name} D-{days}", tone, f"{deadline.name} 기한은 {day}, {days}일 남았습니다.", days)


def case_badge(case: Any, today: date | None = None) -> Badge:
    return badge_for(nearest_deadline(case_deadlines(case, today)))


# ---------------------------------------------------------------------------- list rows

@dataclass(frozen=True)
class CaseRow:
    case_id: str
    alias: str
    stage: str
    situation: str
    badge: Badge
    updated_at: str
    counts: str          # "분석 1 · 판례 2 · 메모 0"
    damaged: bool = False  # a stored case that can't be read: shown, but it can't be opened


def listing_entries(listing: CaseListing) -> list[Any]:
    """What the list page shows: the readable cases and then the damaged ones (never left out)."""
    return [*listing.cases, *listing.damaged]


def damaged_row(item: DamagedCase) -> CaseRow:
    detail = (f"{item.problem} 이 사건은 열 수 없지만 지우지 않고 그대로 두었습니다. "
              "내보내 둔 파일이 있다면 '가져오기'로 되살려 주세요.")
    return CaseRow(case_id=item.raw_id, alias=item.label, stage="", situation=detail,
                   badge=Badge("읽을 수 없음", "damaged", detail), updated_at="", counts="", damaged=True)


def _first_line(text: str, limit: int = 80) -> str:
    line = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    return line if len(line) <= limit else line[:limit - 1] + "…"


def case_row(case: Any, today: date | None = None) -> CaseRow:
    data = as_dict(case)
    counts = (f"분석 {len(data.get('analyses') or [])} · 판례 {len(data.get('bookmarks') or [])} · "
              f"문서 {len(data.get('documents') or [])}")
    return CaseRow(
        case_id=str(data.get("id") or data.get("case_id") or ""),
        alias=str(data.get("alias") or "이름 없는 사건"),
        stage=str(data.get("stage") or ""),
        situation=_first_line(str(data.get("situation") or "")),
        badge=case_badge(data, today),
        updated_at=str(data.get("updated_at") or data.get("created_at") or ""),
        counts=counts,
    )


def _matches(data: dict[str, Any], words: list[str]) -> bool:
    haystack = " ".join(str(data.get(k) or "") for k in ("alias", "contact", "situation", "stage", "notes")).lower()
    haystack += " " + " ".join(str(b.get("title") or "") + " " + str(b.get("note") or "")
                               for b in (data.get("bookmarks") or []) if isinstance(b, dict)).lower()
    return all(w in haystack for w in words)


def filter_cases(cases: list[Any], *, text: str = "", stage: str = "") -> list[dict[str, Any]]:
    """Cases whose alias/contact/situation/notes contain every word of ``text``, at ``stage``."""
    words = [w for w in (text or "").lower().split() if w]
    out = []
    for case in cases:
        data = as_dict(case)
        if stage and stage != ALL_STAGES and data.get("stage") != stage:
            continue
        if words and not _matches(data, words):
            continue
        out.append(data)
    return out


def _deadline_key(row: CaseRow) -> tuple[int, int, str]:
    # Open deadlines first (nearest first), then overdue ones (most recently passed first),
    # then cases without dates.
    days = row.badge.days_left
    if days is None:
        return (2, 0, row.alias)
    if days >= 0:
        return (0, days, row.alias)
    return (1, -days, row.alias)


def sort_rows(rows: list[CaseRow], sort: str = "deadline") -> list[CaseRow]:
    if sort == "alias":
        return sorted(rows, key=lambda r: r.alias)
    if sort == "updated":
        return sorted(rows, key=lambda r: r.updated_at, reverse=True)
    return sorted(rows, key=_deadline_key)


def list_rows(cases: list[Any], *, text: str = "", stage: str = "", sort: str = "deadline",
              today: date | None = None) -> list[CaseRow]:
    """Rows for readable cases matching the filters, sorted; damaged cases always follow, unfiltered."""
    readable = [c for c in cases if not isinstance(c, DamagedCase)]
    damaged = [damaged_row(c) for c in cases if isinstance(c, DamagedCase)]
    return sort_rows([case_row(c, today) for c in filter_cases(readable, text=text, stage=stage)], sort) + damaged


# ---------------------------------------------------------------------------- storage choice

class BrowserBlob:
    """load()/save(text) of one JSON blob in this visitor's browser (SharedPreferences).

    Must be called from a worker thread: the value travels over the page's websocket and the
    answer arrives on the page's event loop.
    """

    def __init__(self, page: Any, prefs: Any, key: str = BROWSER_KEY) -> None:
        self.page = page
        self.prefs = prefs
        self.key = key

    def _call(self, coro_fn: Callable[..., Any], *args: Any) -> Any:
        loop = self.page.session.connection.loop
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            raise RuntimeError("browser storage must be used from a worker thread")
        future = asyncio.run_coroutine_threadsafe(coro_fn(*args), loop)
        try:
            return future.result(timeout=BROWSER_TIMEOUT_S)
        except Exception as exc:
            future.cancel()
            raise BrowserStorageError("브라우저 저장소를 읽거나 쓰지 못했습니다. "
                                      "페이지를 새로 고친 뒤 다시 시도해 주세요. "
                                      "사생활 보호 모드에서는 저장이 되지 않을 수 있습니다.") from exc

    def load(self) -> str | None:
        value = self._call(self.prefs.get, self.key)
        return value if isinstance(value, str) and value else None

    def save(self, text: str) -> None:
        ok = self._call(self.prefs.set, self.key, text)
        if ok is False:
            raise BrowserStorageError("브라우저 저장소가 가득 찼거나 저장을 막고 있습니다. "
                                      "필요 없는 사건을 내보낸 뒤 지워 주세요.")


_service_lock = threading.Lock()


def tab_service(ctx: Any, key: str, factory: Callable[[], Any]) -> Any:
    """One Flet service (SharedPreferences, FilePicker) per tab, kept in the session store.

    Call it from ``build`` or a handler: a service registers with the page that is current.
    """
    # A new service registers with the "current" page; make sure that is this tab's page.
    from flet.controls.context import _context_page  # noqa: PLC0415 - keep this module Flet-free

    with _service_lock:
        service = ctx.store.get(key)
        if service is None:
            token = _context_page.set(ctx.page)
            try:
                service = factory()
            finally:
                _context_page.reset(token)
            ctx.store.set(key, service)
    return service


def browser_prefs(ctx: Any) -> Any:
    """This tab's ``ft.SharedPreferences``."""
    import flet as ft  # noqa: PLC0415

    return tab_service(ctx, PREFS_STORE_KEY, ft.SharedPreferences)


def file_picker(ctx: Any) -> Any:
    """This tab's ``ft.FilePicker`` (open a file; save a file: a download in web mode)."""
    import flet as ft  # noqa: PLC0415

    return tab_service(ctx, "cases.file_picker", ft.FilePicker)


def repository_for(ctx: Any) -> Any:
    """The case repository for this visitor: browser storage in web mode, the user file on desktop.

    The web repository must be used from a worker thread (``ctx.run_background``).
    """
    from services.cases.repository import JsonBlobCaseRepository, TinyDBCaseRepository  # noqa: PLC0415

    if getattr(ctx, "web_mode", False):
        blob = BrowserBlob(ctx.page, browser_prefs(ctx))
        return JsonBlobCaseRepository(blob.load, blob.save)
    from app.viewmodels.protection_vm import LOCKED_MESSAGE, is_locked  # noqa: PLC0415

    if is_locked(ctx.services):  # protected and not yet opened with its passphrase
        raise StoreError(LOCKED_MESSAGE)
    store = ctx.services.user_store
    if store is None:
        raise StoreError("사용자 파일을 열지 못해 사건을 저장할 수 없습니다. 앱을 다시 시작해 주세요.")
    return TinyDBCaseRepository(store)


# ---------------------------------------------------------------------------- change notices

LISTENER_KEY = "cases.on_changed"


def on_cases_changed(ctx: Any, callback: Callable[[], None]) -> None:
    """Let the case list (kept on the tab's view stack) reload after a save anywhere in this tab."""
    ctx.store.set(LISTENER_KEY, callback)


def cases_changed(ctx: Any) -> None:
    callback = ctx.store.get(LISTENER_KEY)
    if callback is not None:
        try:
            callback()
        except Exception:  # a closed view must not break the save that just succeeded
            log.debug("case list refresh failed", exc_info=True)


# ---------------------------------------------------------------------------- "사건에 저장"

SaveAction = Callable[[Any, str], Any]   # (repository, case_id) -> saved Case


def save_into_case(ctx: Any, save: SaveAction, *, what: str,
                   on_saved: Callable[[str, str], None] | None = None,
                   new_case_fields: dict[str, Any] | None = None) -> None:
    """Ask which case (or a new one), then run ``save(repo, case_id)`` in a worker thread.

    ``what`` names the thing saved, e.g. "분석 결과"; the user gets a notice with the case name.
    ``new_case_fields`` pre-fill a case created in the dialog (``repo.create`` fields).
    """
    from app.widgets.feature_case_picker import open_case_picker  # noqa: PLC0415 - UI only here

    def picked(case_id: str, alias: str) -> None:
        def work(progress: ProgressCallback, cancel: CancelToken) -> Any:
            return save(repository_for(ctx), case_id)

        def done(_case: Any) -> None:
            cases_changed(ctx)
            ctx.notify(f"{with_object_particle(what)} '{alias}' 사건에 저장했습니다. 사건 화면에서 볼 수 있습니다.")
            if on_saved is not None:
                on_saved(case_id, alias)

        ctx.run_background(work, on_done=done)

    open_case_picker(ctx, picked, new_case_fields=new_case_fields)


def new_case_fields_from_situation(values: dict[str, Any]) -> dict[str, Any]:
    """Fields for a case created while saving an analysis: the notice date, the story, a checklist."""
    from services.cases.model import default_checklist  # noqa: PLC0415

    learned = _parse_day(values.get("learned_on"))
    fields: dict[str, Any] = {"stage": "불승인", "checklist": default_checklist("불승인"),
                              "situation": str(values.get("story") or "")[:20_000]}
    if learned is not None and learned <= date.today():
        fields["learned_on"] = learned.isoformat()
    fields["disease_committee"] = False
    return fields


def with_object_particle(word: str) -> str:
    """"판례" → "판례를", "분석 결과" → "분석 결과를", "문서 요약" → "문서 요약을"."""
    last = (word or "")[-1:]
    if not ("가" <= last <= "힣"):
        return f"{word}을(를)"
    return word + ("을" if (ord(last) - ord("가")) % 28 else "를")


# ---------------------------------------------------------------------------- the case page

def edit_changes(values: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Form values → (changes for ``repo.update``, Korean problems). Nothing is saved while problems remain."""
    problems: list[str] = []
    changes: dict[str, Any] = {}
    alias = str(values.get("alias") or "").strip()
    if not alias:
        problems.append("사건 이름이 비어 있습니다. 실명 대신 별칭도 괜찮습니다.")
    changes["alias"] = alias
    changes["contact"] = str(values.get("contact") or "").strip()
    changes["situation"] = str(values.get("situation") or "")
    days: dict[str, date | None] = {}
    for key, label in (("decided_on", "처분일"), ("learned_on", "결정을 안 날")):
        text = str(values.get(key) or "").strip()
        day = _parse_day(text) if text else None
        if text and (day is None or len(text) != 10):
            problems.append(f"{label} '{text}'을(를) 알아볼 수 없습니다. 2026-01-19처럼 연-월-일로 적어 주세요.")
        days[key] = day
        changes[key] = day.isoformat() if day else ""
    if days["decided_on"] and days["learned_on"] and days["decided_on"] > days["learned_on"]:
        problems.append("처분일이 결정을 안 날보다 늦습니다. 두 날짜를 다시 확인해 주세요.")
    stage = str(values.get("stage") or "불승인")
    if stage not in STAGES:
        problems.append(f"단계는 {', '.join(STAGES)} 중 하나여야 합니다.")
    changes["stage"] = stage
    changes["disease_committee"] = bool(values.get("disease_committee"))
    return changes, problems


@dataclass(frozen=True)
class DeadlineLine:
    title: str            # "심사청구: 2026-04-20(월)까지"
    badge: Badge
    explanation: str
    statute: str
    notice: str
    options: list[str]


def deadline_lines(case: Any, today: date | None = None) -> list[DeadlineLine]:
    lines = []
    for item in case_deadlines(case, today):
        lines.append(DeadlineLine(
            title=f"{item.name}: {format_day(item.deadline)}까지", badge=badge_for(item),
            explanation=item.explanation, statute=item.statute, notice=item.notice,
            options=list(item.options_if_overdue)))
    return lines


def no_deadline_reason(case: Any) -> str:
    data = as_dict(case)
    if not data.get("learned_on"):
        return "결정을 안 날(통지서를 받은 날)을 적으면 불복 기한을 계산해 드립니다."
    if data.get("stage") in ("요양신청", "행정소송"):
        return f"'{data.get('stage')}' 단계에서는 이 앱이 계산하는 불복 기한이 없습니다."
    return "기한을 계산하지 못했습니다. 날짜를 다시 확인해 주세요."


def export_file_name(case: Any, extension: str) -> str:
    """A safe file name from the case alias: '사건_김OO 허리.md' (no path separators or odd characters)."""
    import re  # noqa: PLC0415

    alias = re.sub(r"[^\w가-힣 .-]+", "_", str(as_dict(case).get("alias") or "사건")).strip(" ._") or "사건"
    return f"사건_{alias[:40]}.{extension.lstrip('.')}"


def analysis_title(analysis: dict[str, Any]) -> str:
    saved = str(analysis.get("saved_at") or analysis.get("created_at") or "")[:10]
    inp = analysis.get("input") if isinstance(analysis.get("input"), dict) else {}
    diagnoses = inp.get("diagnoses") if isinstance(inp, dict) else None
    what = (", ".join(diagnoses) if isinstance(diagnoses, list) and diagnoses
            else str(analysis.get("kind") or "상황 분석"))
    return f"{saved} {what}".strip()


EXPORT_KINDS = {"pdf": "PDF", "md": "Markdown", "json": "JSON"}


def export_bytes(case: Any, kind: str) -> bytes:
    """One case as a file's bytes: ``json`` (re-importable), ``md`` or ``pdf`` (to read and print)."""
    if kind == "json":
        from services.cases.exchange import dumps_json, envelope  # noqa: PLC0415

        return dumps_json(envelope([case]))
    if kind == "md":
        from services.cases.report import cases_markdown  # noqa: PLC0415

        return cases_markdown([case]).encode("utf-8")
    if kind == "pdf":
        from services.cases.pdf_report import cases_pdf_bytes  # noqa: PLC0415

        return cases_pdf_bytes([case])
    raise ValueError(kind)


def write_export(path: str | Path, data: bytes) -> None:
    """Save an export where the user chose on the desktop: refused for a link, folder, device or a
    missing folder (Korean message), and written atomically. Web mode downloads instead."""
    write_export_atomic(Path(path), data)


def import_bytes(repository: Any, raw: bytes, *, progress: Any = None, cancel: Any = None) -> str:
    """Merge the cases of an exported JSON file into ``repository``; returns the Korean summary."""
    from services.cases.exchange import parse_envelope  # noqa: PLC0415
    from services.cases.merge import merge_into  # noqa: PLC0415

    cases = parse_envelope(raw)["cases"]
    return merge_into(repository, cases, progress=progress, cancel=cancel).summary()
