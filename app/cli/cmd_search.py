"""``search``: find precedents in the local cache (builds the search index on first use)."""
from __future__ import annotations

import argparse
import sys
from typing import Any

from app.cli.output import print_json
from app.wiring import open_from_environment
from core.progress import Progress
from core.records import SOURCE_LABELS, SOURCES
from services.search import SearchFilters, SearchResult


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("search", help="저장된 판례 검색",
                                   description="저장된 판례를 검색합니다. 일상적인 말(예: 허리디스크)도 알아듣습니다.")
    parser.add_argument("query", nargs="?", default="", help="찾을 말 (비우면 최신 판례부터 보여 줍니다)")
    parser.add_argument("--kind-a", action="append", dest="kind_a", metavar="결과",
                        help="판결 결과: 취소, 일부취소, 기각, 취하, 파기환송 (여러 번 쓸 수 있음)")
    parser.add_argument("--kind-b", action="append", dest="kind_b", metavar="유형",
                        help="사건 유형: 요양, 장해, 유족 …")
    parser.add_argument("--kind-c", action="append", dest="kind_c", metavar="구분", help="업무상사고 또는 업무상질병")
    parser.add_argument("--court-level", type=int, action="append", dest="court_level", choices=(1, 2, 3),
                        help="심급: 1, 2, 3(대법원)")
    parser.add_argument("--source", action="append", choices=SOURCES, help="자료 출처")
    parser.add_argument("--year-from", type=int, help="사건 연도 시작")
    parser.add_argument("--year-to", type=int, help="사건 연도 끝")
    parser.add_argument("--limit", type=int, default=20, help="보여 줄 개수 (기본 20)")
    parser.add_argument("--offset", type=int, default=0, help="건너뛸 개수 (더 보기)")
    parser.add_argument("--json", action="store_true", help="JSON으로 출력")
    parser.set_defaults(func=run)


class _StderrProgress:
    """Shows index building on stderr; silent when a saved index is simply loaded."""

    def __init__(self) -> None:
        self.shown = False

    def __call__(self, progress: Progress) -> None:
        if not self.shown:
            print("검색 색인을 준비합니다. 처음에는 시간이 조금 걸립니다.", file=sys.stderr)
            self.shown = True
        total = f"/{progress.total}" if progress.total else ""
        print(f"\r{progress.message} {progress.done}{total}\033[K", end="", file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    service = open_from_environment(web_mode=False, create_user_file=False).require_search()
    progress = _StderrProgress()
    service.ensure_index(progress=progress)
    if progress.shown:
        print(file=sys.stderr)
    filters = SearchFilters(outcome=args.kind_a, kind_b=args.kind_b, kind_c=args.kind_c,
                            court_level=args.court_level, source=args.source,
                            year_from=args.year_from, year_to=args.year_to)
    result = service.search(args.query, filters, limit=max(1, args.limit), offset=max(0, args.offset))
    if args.json:
        print_json(result_to_json(result))
    else:
        print_human(result)
    return 0


def result_to_json(result: SearchResult) -> dict[str, Any]:
    return {
        "query": result.query,
        "total": result.total,
        "counts": result.counts,
        "expanded_terms": result.expanded_terms,
        "notes": result.notes,
        "results": [
            {
                "id": hit.record.id, "title": hit.record.title, "case_number": hit.record.case_number,
                "case_year": hit.record.case_year, "decided_on": hit.record.decided_on,
                "court": hit.record.court, "court_level": hit.record.court_level, "outcome": hit.record.outcome,
                "kind_b": hit.record.kind_b, "kind_c": hit.record.kind_c, "source": hit.record.source,
                "is_sample": hit.record.is_sample, "score": hit.score, "snippet": hit.snippet,
                "spans": [list(span) for span in hit.spans],
            }
            for hit in result.hits
        ],
    }


def print_human(result: SearchResult) -> None:
    for note in result.notes:
        print(note)
    if result.total == 0:
        print("찾는 판례가 없습니다. 다른 말로 바꾸거나 조건을 줄여 보세요.")
        return
    counts = ", ".join(f"{name} {n}건" for name, n in result.counts.items())
    heading = f"'{result.query}' 검색 결과" if result.query else "최신 판례"
    print(f"{heading}: 모두 {result.total}건 ({counts})")
    if result.expanded_terms:
        print(f"함께 찾은 법률 용어: {', '.join(result.expanded_terms[:8])}")
    print()
    for number, hit in enumerate(result.hits, start=result.offset + 1):
        record = hit.record
        sample = " [가상 예시]" if record.is_sample else ""
        where = " ".join(p for p in (record.court, record.case_number) if p)
        print(f"{number}. {record.title}{sample}")
        print(f"   {where} · {record.outcome_plain} · {record.kind_b} · {record.kind_c}")
        print(f"   {hit.marked_snippet}")
        print(f"   출처: {SOURCE_LABELS.get(record.source, record.source)} · {record.id}")
    if result.has_more:
        print(f"\n더 보려면 --offset {result.offset + len(result.hits)} 을 붙여 다시 실행하세요.")
