"""Case model and repositories: CRUD, search, deadline sort, validation, the JSON-blob variant."""
from __future__ import annotations

import json
from datetime import date

import pytest

from core.records import Precedent
from services.cases import (
    Case,
    CaseNotFound,
    CaseValidationError,
    JsonBlobCaseRepository,
    UserFileCaseRepository,
    case_from_dict,
)
from storage.user_store import UserStore

TODAY = date(2026, 2, 1)


def _tinydb_repo(tmp_path) -> UserFileCaseRepository:
    return UserFileCaseRepository(UserStore(tmp_path / "user.json"))


def _blob_repo() -> tuple[JsonBlobCaseRepository, dict]:
    box: dict[str, str | None] = {"text": None}

    def save(text: str) -> None:
        box["text"] = text

    return JsonBlobCaseRepository(lambda: box["text"], save), box


@pytest.fixture(params=["tinydb", "blob"])
def repo(request, tmp_path):
    if request.param == "tinydb":
        return _tinydb_repo(tmp_path)
    return _blob_repo()[0]


def test_create_get_update_delete(repo) -> None:
    case = repo.create("A씨 허리", situation="건설 현장 20년", learned_on="2026-01-19", decided_on="2026-01-15")
    assert case.rev == 1 and case.created_at == case.updated_at
    fetched = repo.get(case.id)
    assert fetched.to_dict() == case.to_dict()
    updated = repo.update(case.id, notes="상담 예정", stage="심사청구")
    assert updated.rev == 2
    assert updated.updated_at > case.updated_at
    assert updated.created_at == case.created_at
    assert repo.get(case.id).notes == "상담 예정"
    assert len(updated.history) == 2 and updated.history[-1] == updated.fingerprint()
    assert repo.delete(case.id) is True
    assert repo.delete(case.id) is False
    with pytest.raises(CaseNotFound) as excinfo:
        repo.get(case.id)
    assert "사건" in excinfo.value.message


def test_bookmark_analysis_document_checklist(repo) -> None:
    case = repo.create("B씨")
    precedent = Precedent(id="sample:007", source="sample", title="요양불승인처분취소", case_number="2019구단1",
                          court="서울행정법원", decided_on="2020-03-02")
    case = repo.add_bookmark(case.id, precedent, "비슷한 업무")
    case = repo.add_bookmark(case.id, precedent.to_dict())  # same precedent again: no duplicate, note kept
    assert len(case.bookmarks) == 1
    assert case.bookmarks[0].note == "비슷한 업무"
    assert "서울행정법원 2020-03-02 2019구단1" in case.bookmarks[0].citation
    case = repo.add_analysis(case.id, {"title": "분석", "issues": ["인과관계"], "assessment": "정리"})
    case = repo.add_document(case.id, "불승인 통지서 내용", {"preview": "요약"}, title="통지서")
    case = repo.set_checklist(case.id, ["진단서", {"text": "진술서", "done": True}])
    stored = repo.get(case.id)
    assert stored.analyses[0]["issues"] == ["인과관계"] and "saved_at" in stored.analyses[0]
    assert stored.documents[0].summary == {"preview": "요약"} and stored.documents[0].title == "통지서"
    assert [(c.text, c.done) for c in stored.checklist] == [("진단서", False), ("진술서", True)]
    assert stored.rev == 6


def test_list_search_filter_and_deadline_sort(repo) -> None:
    far = repo.create("먼 기한", learned_on="2026-01-19", situation="허리 디스크")        # 2026-04-20
    near = repo.create("가까운 기한", learned_on="2025-11-17", notes="허리 통증 메모")    # 2026-02-19
    none = repo.create("기한 없음", stage="요양신청", situation="어깨")
    listed = repo.list(today=TODAY)
    assert [c.id for c in listed] == [near.id, far.id, none.id]
    assert [c.id for c in repo.list(search="허리", today=TODAY)] == [near.id, far.id]
    assert [c.id for c in repo.list(search="메모 허리", today=TODAY)] == [near.id]
    assert [c.id for c in repo.list(stage="요양신청", today=TODAY)] == [none.id]
    with pytest.raises(CaseValidationError):
        repo.list(stage="없는단계")


def test_validation_messages_are_korean(repo) -> None:
    with pytest.raises(CaseValidationError) as excinfo:
        repo.create("  ")
    assert "별칭" in excinfo.value.message
    with pytest.raises(CaseValidationError) as excinfo:
        repo.create("C씨", learned_on="2026-13-01")
    assert "결정을 안 날" in excinfo.value.message
    case = repo.create("C씨")
    with pytest.raises(CaseValidationError):
        repo.update(case.id, rev=99)
    with pytest.raises(CaseValidationError):
        repo.update(case.id, decided_on="2026-02-01", learned_on="2026-01-01")
    assert repo.get(case.id).rev == 1  # a refused update changes nothing


def test_model_round_trips_through_plain_json() -> None:
    case = Case(alias="D씨", learned_on="2026-01-19")
    data = json.loads(json.dumps(case.to_dict(), ensure_ascii=False))
    again = case_from_dict(data)
    assert again.to_dict() == case.to_dict()
    assert again.deadlines(TODAY)[0].deadline == date(2026, 4, 20)


def test_blob_repository_stores_one_json_string() -> None:
    repository, box = _blob_repo()
    case = repository.create("E씨")
    stored = json.loads(box["text"])
    assert stored["cases"][0]["id"] == case.id
    # A second repository over the same storage sees the case: nothing lives only in memory.
    other = JsonBlobCaseRepository(lambda: box["text"], lambda text: box.update(text=text))
    assert other.get(case.id).alias == "E씨"


def _desktop_cases(data_dir, passphrase=None):
    from app.wiring import AppServices

    return AppServices.open(data_dir, web_mode=False, passphrase=passphrase).cases.desktop()


def test_the_desktop_repository_refuses_an_encrypted_file_without_passphrase(isolated_data_dir) -> None:
    from core.errors import StoreError
    from storage.crypto_codec import KdfParams, enable_protection

    repository = _desktop_cases(isolated_data_dir)
    repository.create("F씨")
    repository.store.close()
    enable_protection(isolated_data_dir / "user.json", "비밀 문장", KdfParams(1, 1024, 1, 1))
    with pytest.raises(StoreError) as excinfo:
        _desktop_cases(isolated_data_dir)
    assert "암호" in excinfo.value.message
    assert _desktop_cases(isolated_data_dir, "비밀 문장").list()[0].alias == "F씨"


def test_blob_repository_merges_an_export(tmp_path) -> None:
    from services.cases.exchange import export_json, import_cases

    desktop = _tinydb_repo(tmp_path)
    case = desktop.create("G씨", learned_on="2026-01-19")
    export_file = export_json(desktop.all(), tmp_path / "cases.json")
    browser, box = _blob_repo()
    assert len(import_cases(browser, export_file).added) == 1
    assert len(import_cases(browser, export_file).skipped) == 1
    assert browser.get(case.id).to_dict() == case.to_dict()
    assert len(json.loads(box["text"])["cases"]) == 1
