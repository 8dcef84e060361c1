"""Redaction masks the user's words, not the public judgments packed beside them."""
from __future__ import annotations

import pytest

from services.analysis import EXAMPLES, OverlapFinder, build_request
from services.analysis.prompt import PRECEDENTS_HEADING
from services.judgment import READER
from services.redaction import redact
from storage.precedents import PrecedentStore


@pytest.mark.parametrize("text, masked", [
    ("홍길동 씨입니다. 허리가 아픕니다.", "홍길동"),
    ("제 이름은 박영희이고 용접공입니다.", "박영희"),
    ("이름은 김철수입니다.", "김철수"),
])
def test_names_in_common_phrasings_are_masked(text: str, masked: str) -> None:
    result = redact(text)
    assert masked not in result.text and "[이름1]" in result.text


@pytest.mark.parametrize("text", [
    "원고 주장은 이유 있다.", "근로자 연령 52세", "저는 허리가 아파서 일을 쉬었습니다.", "씨앗을 심었다.",
    "저는 용접공입니다.",
])
def test_ordinary_words_are_not_taken_for_names(text: str) -> None:
    assert redact(text).text == text


def test_only_the_situation_is_redacted_and_edits_are_checked_again() -> None:
    store = PrecedentStore(reader=READER)
    finder = OverlapFinder(list(store.iter_records()))
    inp = EXAMPLES["허리디스크 (퇴행성 이유로 불승인)"]
    inp = type(inp).from_dict({**inp.to_dict(), "story": inp.story + " 연락처는 010-2345-6789, 홍길동 씨입니다."})
    request = build_request(inp, finder, k=3)
    head, _, precedents = request.text.partition(PRECEDENTS_HEADING)
    assert "010-2345-6789" not in request.text and "홍길동" not in request.text
    assert {f.kind for f in request.findings} == {"phone", "name"}
    assert "[주소]" not in precedents and "[이름]" not in precedents  # judgments are left as written
    hit = request.hits[0]
    assert hit.record.order[:20] in precedents or hit.record.title in precedents
    # The user edits the preview and adds a phone number in the precedents part: it is masked too.
    edited = request.with_text(request.text + "\n추가: 제 번호 010-9876-5432")
    assert "010-9876-5432" not in edited.text
    unchanged = request.with_text(request.text)
    assert unchanged.text == request.text
