"""Nothing asked twice: the start page's choices fill the analysis form, and the analysis's evidence
to collect becomes the case's 할 일 with a reason for each item."""
from __future__ import annotations

from datetime import date

from app.router import Router
from app.viewmodels import analysis_vm as vm
from app.viewmodels.home_vm import HomeChoices
from services.analysis import OverlapFinder, analyze
from services.cases import JsonBlobCaseRepository, default_checklist
from services.judgment import READER
from storage.precedents import PrecedentStore

TODAY = date(2026, 3, 9)


def _form_from_choices(choices: HomeChoices) -> vm.AnalysisForm:
    """What the analysis page receives after 내 상황 분석하기 (through the real router)."""
    match = Router.discover().resolve(choices.to_analysis_route())
    assert match is not None and match.path == "/analysis"
    return vm.form_from_start(match.params)


def test_illness_back_pain_and_treatment_fill_the_form() -> None:
    form = _form_from_choices(HomeChoices(kind_c="업무상질병", kind_b="요양", keywords=["허리 디스크"]))
    assert (form.kind_c, form.diagnoses, form.benefit, form.story) == ("업무상질병", ("허리 디스크",), "요양급여", "")


def test_words_about_what_happened_start_the_story() -> None:
    form = _form_from_choices(HomeChoices(kind_c="업무상사고", kind_b="퇴직후진단",
                                          keywords=["출퇴근 사고", "어깨 회전근개", "과로"]))
    assert form.kind_c == "업무상사고" and form.benefit == ""
    assert form.diagnoses == ("어깨 회전근개",)
    assert form.story == "관련된 말: 퇴직 후 진단, 출퇴근 사고, 과로\n"
    assert vm.check_form(form).ok


def test_each_benefit_choice_maps_to_a_form_benefit() -> None:
    for value, form_benefit in (("장해", "장해급여"), ("유족", "유족급여"), ("재요양등", "재요양")):
        assert _form_from_choices(HomeChoices(kind_b=value)).benefit == form_benefit


def test_no_choice_gives_a_plain_link_and_an_empty_form() -> None:
    assert HomeChoices().to_analysis_route() == "/analysis"
    assert vm.form_from_start({}) == vm.AnalysisForm()


def test_a_deep_link_with_search_style_words_and_odd_values() -> None:
    # The same c/b/q keys as a search link; words separated by spaces are still found.
    form = vm.form_from_start({"c": "업무상질병", "b": "요양급여", "q": "허리 디스크 과로 요추 염좌"})
    assert form.diagnoses == ("허리 디스크", "요추 염좌") and form.story.startswith("관련된 말: 과로")
    assert form.benefit == "요양급여"
    odd = vm.form_from_start({"c": "모름", "b": "<script>", "q": ""})
    assert odd == vm.AnalysisForm()


def test_evidence_todo_gives_specific_items_with_reasons() -> None:
    form = _form_from_choices(HomeChoices(kind_c="업무상질병", kind_b="요양", keywords=["허리 디스크"]))
    finder = OverlapFinder(list(PrecedentStore(reader=READER).iter_records()))
    result = analyze(vm.to_input(form), finder, today=TODAY).to_dict()
    todo = vm.evidence_todo(result)
    texts = [t["text"] for t in todo]
    assert texts == result["evidence"]["evidence_checklist"]
    special = next(t for t in todo if t["text"].startswith("특별진찰"))
    assert special["why"] == "근골격계 질병 인정 기준에서 살펴보는 자료"
    assert all(t["why"] for t in todo)

    box: dict[str, str | None] = {"text": None}
    repo = JsonBlobCaseRepository(lambda: box["text"], lambda text: box.update(text=text))
    case = repo.create("허리", checklist=default_checklist("불승인"))
    saved = repo.add_analysis(case.id, vm.saved_record(result, []), todo)
    saved_texts = [it.text for it in saved.checklist]
    assert special["text"] in saved_texts and "동료 진술서 부탁하기" not in saved_texts
    assert len(saved_texts) == len(set(saved_texts))


def test_the_ai_answers_own_evidence_joins_the_todo_without_repeats() -> None:
    form = _form_from_choices(HomeChoices(kind_c="업무상질병", kind_b="요양", keywords=["허리 디스크"]))
    finder = OverlapFinder(list(PrecedentStore(reader=READER).iter_records()))
    result = analyze(vm.to_input(form), finder, today=TODAY).to_dict()
    offline = result["evidence"]["evidence_checklist"]
    result["answer"] = {"evidence_checklist": ["물류센터 작업장 상자 무게를 잰 사진", offline[0]]}
    todo = vm.evidence_todo(result)
    own = next(t for t in todo if t["text"] == "물류센터 작업장 상자 무게를 잰 사진")
    assert own["why"] == "AI 분석이 이 사건에서 모아 두라고 한 자료"

    box: dict[str, str | None] = {"text": None}
    repo = JsonBlobCaseRepository(lambda: box["text"], lambda text: box.update(text=text))
    case = repo.create("허리", checklist=default_checklist("불승인"))
    saved_texts = [it.text for it in repo.add_analysis(case.id, vm.saved_record(result, []), todo).checklist]
    assert own["text"] in saved_texts
    assert saved_texts.count(offline[0]) == 1  # named by both lists, kept once
