"""Who writes the 청구 이유: the offline draft is the only engine so far.

This is the seam for the AI rewrite (Gemma or Gemini through ``services.ai``): ``draft_for_engine`` takes the
offline draft and returns the draft the engine wrote. An AI engine will get the masked facts
(``services.redaction``) and the draft's own citations only, keep a sentence only when every case number in it is
among those citations (``services.appeal.citations.check_numbers``), restore the user's details locally, and
return a new ``AppealDraft`` with ``engine`` set, for the page to show beside the offline one.
"""
from __future__ import annotations

from services.appeal.draft import AppealDraft
from services.appeal.form import AppealError

OFFLINE = "offline"
ENGINES = (OFFLINE,)   # "gemma" and "gemini" join when the AI rewrite is added


def draft_for_engine(draft: AppealDraft, engine: str = OFFLINE) -> AppealDraft:
    """The draft ``engine`` writes from the offline ``draft`` (the offline engine returns it as it is)."""
    if engine == OFFLINE:
        return draft
    raise AppealError(f"'{engine}'(으)로 청구 이유를 다시 쓰는 기능은 아직 없습니다. 지금은 인터넷 없이 만드는 초안"
                      "(offline)만 쓸 수 있습니다.")
