"""One page of a canned query's rows for the query page (``/queries/NAME?...&run=1&page=N``).

A page shows rows ``N*ROWS .. (N+1)*ROWS - 1`` of what ``graphkit query NAME`` prints. A query
with a ``limit`` parameter (and no Python post-processing) is asked for no more rows than the page
needs, so the server stops early (an index-ordered query reads a page, not the graph); the
query's own ``limit`` still caps the rows, as on the command line. Other queries return few rows
(aggregates, one profile): they run whole and the page is cut in Python. The page does not count
every row (that would run the whole query again): it says whether more follow. The downloads and
the JSON API still give every row up to the limit.
"""
from __future__ import annotations

from graphkit.queries import library
from graphkit.queries.parse import LIMIT

ROWS = 50  # rows on a page of results


def page_number(raw: str | None) -> int:
    """``page=N`` from the query string (0 when missing or not a whole number)."""
    raw = (raw or "").strip()
    return int(raw) if raw.isdigit() and len(raw) < 7 else 0


def run_page(graph, name: str, given: dict, page: int, rows: int | None = None) -> dict:
    """Rows ``page*rows ..`` of canned query ``name`` with the form's ``given`` values:
    ``{"result": Result (this page's rows), "first": index of its first row, "more": bool,
    "cut": the query's own limit cut the output, "limit": that limit}``."""
    rows = rows or ROWS
    query = library.get(name)
    bound = query.bind(given)  # parameter errors first, as on the command line
    start, end = page * rows, (page + 1) * rows
    pushable = query.parameter(LIMIT) is not None and not query.postprocess
    if pushable:
        asked = bound[LIMIT]
        need = end if asked == 0 else min(end, asked)
        result = library.execute(graph, name, {**given, LIMIT: str(need)})
        # cut: rows beyond `need` exist; they are the query's own cut when need is its limit
        more = result.cut and (asked == 0 or need < asked)
        cut, limit = result.cut and need == asked, (asked or None)
    else:
        result = library.execute(graph, name, given)
        more = len(result.rows) > end
        cut, limit = result.cut, result.limit
    shown = library.Result(result.rows[start:end], result.columns, limit, cut)
    return {"result": shown, "first": start, "more": more, "cut": cut and not more, "limit": limit}
