"""Particles after Hangul, digits and Latin words, and where the app prints them."""
from __future__ import annotations

from datetime import date

import pytest

from app.viewmodels import analysis_vm
from app.viewmodels.case_rows import with_object_particle
from core.korean import attach
from services.deadlines import DeadlineError, check_plausible


@pytest.mark.parametrize(("word", "which", "expected"), [
    ("Gemma", "로", "Gemma로"), ("Markdown", "로", "Markdown으로"), ("JSON", "로", "JSON으로"), ("PDF", "로", "PDF로"),
    ("토큰", "로", "토큰으로"), ("파기환송", "로", "파기환송으로"), ("서울", "로", "서울로"),
    ("Google Gemini", "이", "Google Gemini가"),
    ("설정한 AI 서버(Gemma)", "로", "설정한 AI 서버(Gemma)로"), ("2026-01-05", "이", "2026-01-05가"),
    ("2027-01-01", "이", "2027-01-01이"), ("판례", "을", "판례를"), ("분석 결과", "을", "분석 결과를"),
    ("일요일", "이라", "일요일이라"), ("신정연휴", "이라", "신정연휴라"),
])
def test_the_particle_follows_the_last_sound(word: str, which: str, expected: str) -> None:
    assert attach(word, which) == expected


def test_screens_use_it() -> None:
    assert with_object_particle("문서 요약") == "문서 요약을"
    assert analysis_vm.ai_mode_line("gemini").startswith("Google Gemini가 설정되어")
    with pytest.raises(DeadlineError, match="2027-01-01이 오늘보다 뒤입니다"):
        check_plausible(date(2027, 1, 1), "결정을 안 날", today=date(2026, 12, 2))
