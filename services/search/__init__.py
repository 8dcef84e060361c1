"""Korean full-text search over the cached precedents (see docs/search.md)."""
from services.search.service import Hit, SearchError, SearchFilters, SearchResult, SearchService

__all__ = ["Hit", "SearchError", "SearchFilters", "SearchResult", "SearchService"]
