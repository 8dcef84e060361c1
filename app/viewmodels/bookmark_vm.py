"""Saving a precedent into a case file (through the case repository in services.cases)."""
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
        from services.cases import open_repository  # type: ignore[attr-defined]
    except Exception:
        raise SanjaeError(UNAVAILABLE) from None
    repo = open_repository(services.user_store)
    services.cases = repo
    return repo


def list_cases(services: Any) -> list[tuple[str, str]]:
    return [(c.id, c.alias) for c in repository(services).list()]


def create_case(services: Any, alias: str) -> str:
    return repository(services).create(alias).id


def add_bookmark(services: Any, case_id: str, record: Any) -> None:
    repository(services).add_bookmark(case_id, record)
