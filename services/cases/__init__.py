"""Case files for support workers: model, repositories, merge/import, exports and backups."""
from services.cases.model import (
    Bookmark,
    Case,
    CaseDocument,
    CaseError,
    CaseNotFound,
    CaseValidationError,
    ChecklistItem,
    case_from_dict,
    default_checklist,
)
from services.cases.provider import BlobStore, CaseRepositories
from services.cases.repository import (
    CaseRepository,
    JsonBlobCaseRepository,
    UserFileCaseRepository,
    sort_by_deadline,
)

__all__ = [
    "Bookmark", "Case", "CaseDocument", "CaseError", "CaseNotFound", "CaseValidationError", "ChecklistItem",
    "case_from_dict", "default_checklist", "CaseRepository", "JsonBlobCaseRepository", "UserFileCaseRepository",
    "sort_by_deadline", "CaseRepositories", "BlobStore",
]
