"""The one-page checklist for the claimant: through the CLI (``cases export --format checklist``) and directly."""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

from services.cases import UserFileCaseRepository
from services.cases.blocks import dotted_day
from services.cases.claimant_checklist import checklist_document, checklist_markdown, checklist_pdf_bytes
from services.cases.model import Case, ChecklistItem, default_checklist
from services.deadlines import compute_deadlines
from services.user_file import FILE_NAME
from storage.user_store import UserStore
from tests.conftest import REPO

TODAY = date(2026, 12, 2)
PHONES = ("1588-0075", "132", "1350")


def _cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SANJAE_DATA_DIR": str(data_dir)}
    return subprocess.run([sys.executable, "-m", "app.cli", *args], cwd=REPO, capture_output=True, text=True,
                          encoding="utf-8", env=env)


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True).stdout
    return text.decode("utf-8").split("\f")[:-1]


def _pdf_pages(data: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "checklist.pdf"
    path.write_bytes(data)
    return _pages(path)


def _flat(text: str) -> str:
    return " ".join(text.split())


def _case(learned: date | None, extra: tuple[str, ...] = ()) -> Case:
    items = default_checklist("불승인") + [ChecklistItem(text) for text in extra]
    items[0].done = True
    return Case(alias="김OO 허리 디스크", learned_on=learned.isoformat() if learned else "", checklist=items,
                contact="010-1234-5678", situation="물류센터에서 일하다 허리를 다쳤습니다.", notes="상담 메모: 비밀")


def test_cli_writes_a_one_page_checklist_with_the_deadline_and_free_numbers(tmp_path: Path,
                                                                             isolated_data_dir: Path) -> None:
    today = date.today()  # the CLI counts from today
    learned = today - timedelta(days=20)
    store = UserStore(isolated_data_dir / FILE_NAME)
    repository = UserFileCaseRepository(store)
    case = repository.create("김OO 허리 디스크", learned_on=learned.isoformat(), contact="010-1234-5678",
                             situation="물류센터 상하차", notes="상담 메모: 비밀",
                             checklist=default_checklist("불승인"))
    repository.set_checklist(case.id, [{"text": item.text, "done": index == 0}
                                       for index, item in enumerate(case.checklist)])
    repository.create("다른 사건")
    store.close()

    out = tmp_path / "체크리스트.pdf"
    result = _cli(isolated_data_dir, "cases", "export", str(out), "--format", "checklist", "--id", case.id[:8])
    assert result.returncode == 0, result.stderr
    pages = _pages(out)
    assert len(pages) == 1
    text = _flat(pages[0])
    deadline = compute_deadlines(learned, today=today)[0]
    assert deadline.name == "심사청구"
    assert f"{dotted_day(deadline.deadline)}까지" in text
    assert f"{deadline.days_left}일 남음" in text
    assert "낼 서류: 심사청구서" in text
    for phone in PHONES:
        assert phone in text
    assert "김OO 허리 디스크" in text
    assert "□ 불승인 이유 확인하기" in text and "불승인 통지서 사본" not in text  # only what is still to do
    for private in ("010-1234-5678", "물류센터 상하차", "상담 메모"):
        assert private not in text

    # A checklist is for one person: all the cases at once are refused in Korean.
    both = _cli(isolated_data_dir, "cases", "export", str(tmp_path / "both.pdf"), "--format", "checklist")
    assert both.returncode != 0 and "한 사건씩" in both.stderr and "Traceback" not in both.stderr


def test_many_long_items_still_fit_on_one_page(tmp_path: Path) -> None:
    long_items = tuple(f"자료 {n}: 근무시간 기록(출퇴근 기록, 근무표, 급여명세서의 연장·야간수당, 메신저 시간)"
                       for n in range(30))
    pages = _pdf_pages(checklist_pdf_bytes(_case(TODAY - timedelta(days=20), long_items), TODAY), tmp_path)
    assert len(pages) == 1
    text = _flat(pages[0])
    assert "그 밖에" in text and "사건 기록을 보세요" in text  # says that some were left out
    assert "자료 0:" in text and all(phone in text for phone in PHONES)


def test_the_usual_case_keeps_every_item_in_large_type(tmp_path: Path) -> None:
    blocks = checklist_document(_case(TODAY - timedelta(days=83)), TODAY)
    pages = _pdf_pages(checklist_pdf_bytes(_case(TODAY - timedelta(days=83)), TODAY), tmp_path)
    assert len(pages) == 1 and "그 밖에" not in pages[0]
    text = _flat(pages[0])
    assert "2026. 12. 9.(수)까지" in text and "D-7 · 7일 남음" in text
    assert "행정소송(소장)도 낼 수 있습니다" in text  # the other route that ends the same day
    assert "근로복지공단 지사" in text and "우편" in text and "온라인" in text
    assert [b.text for b in blocks if b.kind == "big"] == ["2026. 12. 9.(수)까지"]


def test_when_every_deadline_passed_it_says_what_can_still_be_done(tmp_path: Path) -> None:
    pages = _pdf_pages(checklist_pdf_bytes(_case(date(2025, 6, 1)), TODAY), tmp_path)
    assert len(pages) == 1
    text = _flat(pages[0])
    assert "불복 기한이 모두 지났습니다" in text and "정당한 사유" in text
    assert "낼 서류" not in text and all(phone in text for phone in PHONES)


def test_without_a_date_and_as_markdown() -> None:
    markdown = checklist_markdown(_case(None), TODAY)
    assert "# 산재 불복 준비 체크리스트" in markdown and "기한을 계산하려면 날짜가 필요합니다" in markdown
    assert "- [ ] 불승인 이유 확인하기" in markdown and "| 근로복지공단 고객센터 | 1588-0075 |" in markdown
    assert "010-1234-5678" not in markdown and "비밀" not in markdown
