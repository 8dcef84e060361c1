"""Saving a precedent into a case file.

The cases page offers a shared picker (``app.viewmodels.cases_vm.save_into_case``) that also knows
the web visitor's browser-side storage; this module is the fallback on the local user file.
"""
from __future__ import annotations

from typing import Any

from services.errors import SanjaeError

UNAVAILABLE = "사건 파일 기능을 열지 못했습니다. 앱을 다시 시작해 주세요."


def repository(services: Any) -> Any:
    """The case repository kept on the shared services (opened on first use)."""
    repo = getattr(services, "cases", None)
    if repo is not None:
        return repo
    try:
        from services.cases import TinyDBCaseRepository
    except Exception:
        raise SanjaeError(UNAVAILABLE) from None
    if services.user_store is None:
        raise SanjaeError(UNAVAILABLE)
    repo = TinyDBCaseRepository(services.user_store)
    services.cases = repo
    return repo


def list_cases(services: Any) -> list[tuple[str, str]]:
    return [(c.id, c.alias) for c in repository(services).list()]


def create_case(services: Any, alias: str) -> str:
    return repository(services).create(alias).id


def add_bookmark(services: Any, case_id: str, record: Any) -> None:
    repository(services).add_bookmark(case_id, record)
