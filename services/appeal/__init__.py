"""From a case to a 심사청구서 (or 재심사청구서) draft: the form filled, an offline 청구 이유 citing local judgments
only, edited on the draft page, kept with the case and handed out as PDF, DOCX or Markdown."""
from services.appeal.citations import Citation, PrecedentLookup, case_numbers_in
from services.appeal.draft import AppealDraft, build_offline_draft, latest_draft
from services.appeal.export import FORMATS, appeal_bytes, appeal_file_name, check_for_filing, export_appeal
from services.appeal.facts import available_stages, stage_for
from services.appeal.form import STAGES, AppealError, benefit_name, branch_name
from services.appeal.rewrite import ENGINES, draft_for_engine

__all__ = [
    "Citation", "PrecedentLookup", "case_numbers_in", "AppealDraft", "build_offline_draft", "latest_draft",
    "FORMATS", "appeal_bytes", "appeal_file_name", "check_for_filing", "export_appeal", "available_stages",
    "stage_for", "STAGES", "AppealError", "benefit_name", "branch_name", "ENGINES", "draft_for_engine",
]
