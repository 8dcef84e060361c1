"""Two tabs or windows editing the same cases: every save is checked against what it was edited on,
and a save made on an older copy is merged field by field, never written over the other tab's work."""
from __future__ import annotations

import threading
from pathlib import Path

import pytest

from app.viewmodels.case_rows import replaced_lines
from services.cases.blob_format import blob_revision
from services.cases.edit_merge import OTHER_SIDE_HEADING, merge_checklist, merge_text
from services.cases.model import ChecklistItem
from services.cases.repository import JsonBlobCaseRepository, UserFileCaseRepository
from storage.shared_blobs import BlobConflict, SharedBlobs
from storage.user_store import UserStore


class Tab:
    """One browser tab: its own copy of browser storage, taken when it loaded and never re-read
    (what Flutter's SharedPreferences does), joined to the browser's shared blob."""

    def __init__(self, shared: SharedBlobs, storage: dict[str, str | None], name: str) -> None:
        self.storage = storage
        self.own_copy = storage.get("cases")
        self.blob = shared.join("browser-1", name, self.own_copy)
        self.repo = JsonBlobCaseRepository(lambda: self.blob.text, self.save, self.blob.lock)

    def save(self, text: str) -> None:
        self.own_copy = text
        self.storage["cases"] = text  # what localStorage holds: the last write of any tab
        revision = blob_revision(text)
        self.blob.replace(text, revision, expected=revision - 1)


@pytest.fixture
def two_tabs() -> tuple[Tab, Tab, dict[str, str | None]]:
    shared = SharedBlobs(blob_revision)
    storage: dict[str, str | None] = {"cases": None}
    return Tab(shared, storage, "A"), Tab(shared, storage, "B"), storage


def test_the_reported_sequence_loses_nothing(two_tabs: tuple[Tab, Tab, dict[str, str | None]]) -> None:
    a, b, storage = two_tabs
    case = a.repo.create("김OO 요추")
    seen_by_a = a.repo.get(case.id)
    seen_by_b = b.repo.get(case.id)  # both tabs show the case as it is now

    first = a.repo.save_edit(case.id, seen_by_a, notes="A에서 쓴 메모")
    assert first.notice == ""  # nothing had changed under it
    second = b.repo.save_edit(case.id, seen_by_b, notes="B에서 쓴 메모")
    assert "메모는 둘 다 남김" in second.notice
    assert "A에서 쓴 메모" in second.case.notes and "B에서 쓴 메모" in second.case.notes

    created = a.repo.create("박OO 뇌출혈")  # a new case in A, then a memo in B on its old page
    b.repo.save_edit(case.id, second.case, notes=second.case.notes + "\nB 한 줄 더")
    aliases = sorted(c.alias for c in b.repo.all())
    assert aliases == ["김OO 요추", "박OO 뇌출혈"]
    # What the browser keeps after every tab is closed holds all of it too.
    kept = JsonBlobCaseRepository(lambda: storage["cases"], lambda text: None)
    assert {c.id for c in kept.all()} == {case.id, created.id}
    notes = kept.get(case.id).notes
    assert notes.count("A에서 쓴 메모") == 1 and notes.count("B에서 쓴 메모") == 1 and "B 한 줄 더" in notes


def test_a_tab_loaded_after_the_others_closed_brings_the_newest_copy() -> None:
    shared = SharedBlobs(blob_revision)
    storage: dict[str, str | None] = {"cases": None}
    a = Tab(shared, storage, "A")
    a.repo.create("첫 사건")
    shared.leave("browser-1", "A")
    assert len(shared) == 0  # nothing of that browser stays on the server
    later = Tab(shared, storage, "C")
    assert [c.alias for c in later.repo.all()] == ["첫 사건"]


def test_an_older_copy_never_replaces_the_shared_one() -> None:
    shared = SharedBlobs(blob_revision)
    storage: dict[str, str | None] = {"cases": None}
    a = Tab(shared, storage, "A")
    a.repo.create("첫 사건")
    a.repo.create("둘째 사건")
    stale = Tab(shared, {"cases": None}, "B")  # a tab whose own copy is empty (loaded long ago)
    assert sorted(c.alias for c in stale.repo.all()) == ["둘째 사건", "첫 사건"]


def test_a_write_from_an_older_read_is_refused() -> None:
    shared = SharedBlobs(blob_revision)
    blob = shared.join("x", "A", None)
    blob.replace('{"revision": 1}', 1, expected=0)
    with pytest.raises(BlobConflict) as info:
        blob.replace('{"revision": 1}', 1, expected=0)
    assert "다시 시도해 주세요" in info.value.message


def test_checklist_edits_from_both_sides_are_merged(two_tabs: tuple[Tab, Tab, dict[str, str | None]]) -> None:
    a, b, _ = two_tabs
    case = a.repo.create("사건", checklist=["진단서", "진술서", "출퇴근 기록"])
    page_a, page_b = a.repo.get(case.id), b.repo.get(case.id)
    a.repo.set_checklist(case.id, [{"text": "진단서", "done": True}, {"text": "진술서"}, {"text": "출퇴근 기록"},
                                   {"text": "A가 더한 일"}], base=page_a)
    saved = b.repo.set_checklist(case.id, [{"text": "진단서"}, {"text": "진술서", "done": True},
                                           {"text": "B가 더한 일"}], base=page_b)  # B also deleted 출퇴근 기록
    assert [(it.text, it.done) for it in saved.checklist] == [
        ("진단서", True), ("진술서", True), ("A가 더한 일", False), ("B가 더한 일", False)]


def test_dates_take_the_later_one_and_keep_the_other(two_tabs: tuple[Tab, Tab, dict[str, str | None]]) -> None:
    a, b, _ = two_tabs
    case = a.repo.create("사건", learned_on="2026-09-01")
    page_a, page_b = a.repo.get(case.id), b.repo.get(case.id)
    a.repo.save_edit(case.id, page_a, learned_on="2026-09-10", alias="A 이름")
    saved = b.repo.save_edit(case.id, page_b, learned_on="2026-09-03")
    assert saved.case.learned_on == "2026-09-10" and saved.case.alias == "A 이름"
    assert "더 늦은 날짜로" in saved.notice
    assert [(r["field"], r["kept"], r["other"]) for r in saved.case.replaced] == [
        ("learned_on", "2026-09-10", "2026-09-03")]
    shown = replaced_lines(saved.case)  # under 사건 정보 on the case page
    assert len(shown) == 1 and "결정을 안 날: '2026-09-10'으로 저장했습니다" in shown[0] and "'2026-09-03'" in shown[0]


def test_a_field_only_the_other_side_changed_is_left_as_it_is(two_tabs: tuple[Tab, Tab, dict[str, str | None]]) -> None:
    a, b, _ = two_tabs
    case = a.repo.create("사건", notes="처음 메모")
    page_a, page_b = a.repo.get(case.id), b.repo.get(case.id)
    a.repo.save_edit(case.id, page_a, notes="A가 고친 메모")
    # B's details form sends every field, its memo unchanged from what B loaded.
    saved = b.repo.save_edit(case.id, page_b, notes="처음 메모", contact="010-0000-0000")
    assert saved.case.notes == "A가 고친 메모" and saved.case.contact == "010-0000-0000"
    assert saved.notice == ""


def test_bookmark_notes_from_two_tabs_are_both_kept(two_tabs: tuple[Tab, Tab, dict[str, str | None]]) -> None:
    a, b, _ = two_tabs
    case = a.repo.create("사건")
    a.repo.add_bookmark(case.id, {"precedent_id": "p1", "title": "판례"})
    a.repo.set_bookmark_note(case.id, "p1", "A 메모", "")
    saved = b.repo.set_bookmark_note(case.id, "p1", "B 메모", "")
    assert saved.case.bookmarks[0].note == "A 메모\nB 메모" and "판례 메모" in saved.notice


def test_two_windows_on_one_user_file(tmp_path: Path) -> None:
    """Desktop: two windows (two stores on one file) save the memo each loaded; both texts stay."""
    first, second = UserStore(tmp_path / "user.json"), UserStore(tmp_path / "user.json")
    one, two = UserFileCaseRepository(first), UserFileCaseRepository(second)
    case = one.create("사건")
    seen_one, seen_two = one.get(case.id), two.get(case.id)
    one.save_edit(case.id, seen_one, notes="첫 창")
    saved = two.save_edit(case.id, seen_two, notes="둘째 창")
    assert saved.case.notes == "첫 창\n둘째 창"
    assert one.get(case.id).notes == "첫 창\n둘째 창"
    first.close()
    second.close()


def test_many_tabs_saving_at_once_keep_every_case() -> None:
    shared = SharedBlobs(blob_revision)
    storage: dict[str, str | None] = {"cases": None}
    tabs = [Tab(shared, storage, f"T{n}") for n in range(4)]
    threads = [threading.Thread(target=lambda t=t, n=n: [t.repo.create(f"{n}-{i}") for i in range(10)])
               for n, t in enumerate(tabs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(JsonBlobCaseRepository(lambda: storage["cases"], lambda text: None).all()) == 40


@pytest.mark.parametrize(("base", "mine", "theirs", "expected"), [
    ("", "A", "B", "B\nA"),
    ("공통\n", "공통\nA\n", "공통\nB\n", "공통\nB\nA\n"),
    ("메모", "메모 더", "메모", "메모 더"),
    ("긴 메모", "A로 바꿈", "B로 바꿈", f"A로 바꿈\n\n{OTHER_SIDE_HEADING}\nB로 바꿈"),
    ("x", "xy", "xyz", "xyz"),
])
def test_text_merge_keeps_both(base: str, mine: str, theirs: str, expected: str) -> None:
    assert merge_text(base, mine, theirs) == expected


def test_an_item_ticked_in_one_tab_and_deleted_in_the_other_stays() -> None:
    base = [ChecklistItem("진단서")]
    merged = merge_checklist(base, [], [ChecklistItem("진단서", done=True)])
    assert merged == [ChecklistItem("진단서", done=True)]
