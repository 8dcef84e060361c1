"""Saving an edit made on a case that someone else changed in the meantime (another tab or window).

A page edits the case it loaded (the *base*). When it saves, the stored case may have moved on. The
edit is then merged field by field against the stored copy, so nothing either side typed is lost:
- a field only one side changed takes that side's value;
- 메모, 상황 설명, 연락처 (free text) changed on both sides keep both texts;
- 할 일 (the checklist) is merged item by item: additions from both sides, a tick from either side,
  a deletion only when the other side left that item as it was;
- a date changed on both sides takes the later date; an alias, stage or 질판위 mark takes this edit's
  value. The value that gave way is kept in the case's ``replaced`` list, with when and what it was.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from core.korean import attach
from services.cases.model import Case, ChecklistItem, checklist_item, now_iso

TEXT_FIELDS = {"notes": "메모", "situation": "상황 설명", "contact": "연락처", "denial_reason": "처분 이유"}
DATE_FIELDS = {"decided_on": "처분일", "learned_on": "결정을 안 날"}
CHOICE_FIELDS = {"alias": "사건 이름", "stage": "단계", "disease_committee": "질병판정위원회 심의",
                 "benefit": "급여 종류", "branch": "원처분기관"}
OTHER_SIDE_HEADING = "── 다른 창에서 저장된 내용 ──"
REPLACED_MAX = 50


@dataclass
class MergedEdit:
    """What to write: the field values, the values that gave way, and how it was merged (Korean)."""

    changes: dict[str, Any]
    replaced: list[dict[str, Any]] = field(default_factory=list)
    merged_labels: list[str] = field(default_factory=list)

    def notice(self) -> str:
        """One line for the user; "" when the stored case had not changed the edited fields."""
        if not self.merged_labels:
            return ""
        return ("다른 창에서 먼저 저장한 내용과 합쳐 저장했습니다 (" + ", ".join(self.merged_labels)
                + "). 두 쪽 내용이 모두 남아 있습니다.")


def merge_edit(base: Case, stored: Case, changes: dict[str, Any]) -> MergedEdit:
    """``changes`` (fields edited on ``base``) merged with what ``stored`` holds now."""
    merged = MergedEdit(changes={})
    for name, ours in changes.items():
        mine, theirs, was = ours, getattr(stored, name), getattr(base, name)
        if name == "checklist":
            items = merge_checklist(base.checklist, [checklist_item(i) for i in mine], stored.checklist)
            if stored.checklist != base.checklist and [checklist_item(i) for i in mine] != base.checklist:
                merged.merged_labels.append("할 일 목록을 합침")
            merged.changes[name] = items
            continue
        if _same(theirs, was) or _same(theirs, mine):
            merged.changes[name] = mine  # only this edit changed it (or both made the same change)
            continue
        if _same(mine, was):
            continue  # only the other side changed it: keep theirs
        if name in TEXT_FIELDS:
            merged.changes[name] = merge_text(str(was or ""), str(mine or ""), str(theirs or ""))
            merged.merged_labels.append(f"{attach(TEXT_FIELDS[name], '은')} 둘 다 남김")
        elif name in DATE_FIELDS:
            later, other = (mine, theirs) if str(mine or "") >= str(theirs or "") else (theirs, mine)
            merged.changes[name] = later
            merged.replaced.append(_replaced(name, DATE_FIELDS[name], later, other))
            merged.merged_labels.append(f"{attach(DATE_FIELDS[name], '은')} 더 늦은 날짜로")
        else:
            label = CHOICE_FIELDS.get(name, name)
            merged.changes[name] = mine
            merged.replaced.append(_replaced(name, label, mine, theirs))
            merged.merged_labels.append(f"{attach(label, '은')} 이 창의 값으로")
    return merged


def _same(a: Any, b: Any) -> bool:
    return (a or "") == (b or "") if not isinstance(a, bool | list) else a == b


def _replaced(name: str, label: str, kept: Any, other: Any) -> dict[str, Any]:
    return {"at": now_iso(), "field": name, "label": label, "kept": kept, "other": other}


def merge_text(base: str, mine: str, theirs: str) -> str:
    """Both texts kept: both sides' additions after the common start, else theirs and then ours."""
    if mine in theirs:
        return theirs
    if theirs in mine:
        return mine
    if mine.startswith(base) and theirs.startswith(base):
        added = mine[len(base):]
        glue = "" if not theirs or theirs.endswith("\n") or added.startswith("\n") else "\n"
        return theirs + glue + added
    return f"{mine.rstrip()}\n\n{OTHER_SIDE_HEADING}\n{theirs}"


def merge_checklist(base: list[ChecklistItem], mine: list[ChecklistItem],
                    theirs: list[ChecklistItem]) -> list[ChecklistItem]:
    """Three-way merge of 할 일 by item text; the stored order first, this edit's new items after."""
    base_by, mine_by, theirs_by = _by_text(base), _by_text(mine), _by_text(theirs)
    out: list[ChecklistItem] = []
    for key, item in theirs_by.items():
        was, ours = base_by.get(key), mine_by.get(key)
        if ours is None:
            if was is not None and item == was:
                continue  # this edit deleted it and the other side left it as it was
            out.append(item)
            continue
        out.append(_merge_item(was, ours, item))
    for key, ours in mine_by.items():
        if key in theirs_by:
            continue
        was = base_by.get(key)
        if was is not None and ours == was:
            continue  # the other side deleted it and this edit left it as it was
        out.append(ours)
    return out


def _merge_item(was: ChecklistItem | None, mine: ChecklistItem, theirs: ChecklistItem) -> ChecklistItem:
    if was is None:
        return ChecklistItem(mine.text, mine.done or theirs.done, mine.why or theirs.why)
    done = mine.done if mine.done != was.done else theirs.done
    why = mine.why if mine.why != was.why else theirs.why
    return ChecklistItem(mine.text, done, why)


def _by_text(items: list[ChecklistItem]) -> dict[tuple[str, int], ChecklistItem]:
    """Items keyed by (text, how many times that text came before): a repeated item stays distinct."""
    seen: Counter[str] = Counter()
    keyed: dict[tuple[str, int], ChecklistItem] = {}
    for item in items:
        keyed[(item.text, seen[item.text])] = item
        seen[item.text] += 1
    return keyed


def keep_replaced(case: Case, replaced: list[dict[str, Any]]) -> None:
    """Record values that gave way in a merge on the case (newest last, the oldest dropped past a limit)."""
    if replaced:
        case.replaced = (case.replaced + replaced)[-REPLACED_MAX:]
