"""Names that refer to things in the graph (a group, an account, a platform ...), checked one way
everywhere: canned-query parameters that declare ``refers: KIND`` and the map's ``--group`` and
``--account`` go through :func:`check`.

A name the graph does not hold is an error (``NotInGraph`` unless the caller passes its own error
class) that says so in one sentence and offers the closest names that do exist::

    Error: group-footprint: no group 'TPP' in the graph
    Hint: Did you mean TTP (Tehreek-e-Taliban Pakistan)? ...

    refs.check(graph, "group", "ttp")            # -> 'TTP' (the gid)
    refs.check(graph, "account", "x:nobody")     # NotInGraph: no account x:nobody in the graph
"""
from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process

from graphkit.errors import NotInGraph
from graphkit.model.spec import model

SUGGESTIONS = 3  # closest names offered
_CUTOFF = 60  # rapidfuzz WRatio score (0..100) a name needs to be offered
_MAX_CANDIDATES = 200_000  # names read to look for the closest (per label and platform)
_KNOWN_SHOWN = 12  # names listed when none is close


@dataclass(frozen=True)
class Kind:
    """How to find one kind of thing: its label, the property a reference is compared with, how
    it is shown, and whether references carry a platform (``x:handle``)."""

    what: str  # "group", "account" ... as the messages say it
    labels: tuple[str, ...]
    key: str
    shown: str  # Cypher expression on `n`: the name shown to the user
    platform_scoped: bool = False


KINDS = {
    "group": Kind("group", ("Group",), "gid",
                  "n.gid + CASE WHEN n.name IS NULL OR n.name = n.gid THEN '' ELSE ' (' + n.name + ')' END"),
    "account": Kind("account", ("Account",), "key", "coalesce(n.platform + ':' + n.handle, n.key)", True),
    "channel": Kind("channel", ("Channel",), "key", "n.key", True),
    "account_or_channel": Kind("account or channel", ("Account", "Channel"), "key",
                               "coalesce(n.platform + ':' + n.handle, n.key)", True),
    "platform": Kind("platform", ("Platform",), "name", "n.name"),
    "operator": Kind("operator", ("Operator",), "oid", "n.oid"),
}
REFERS = tuple(KINDS)  # what a query parameter may declare in `refers:`


def _label(label: str) -> str:
    return model().node(label).label


def _display(kind: Kind, text: str) -> str:
    """``'TPP'`` for a free name, ``x:nobody`` for a PLATFORM:HANDLE reference."""
    return text if kind.platform_scoped and " " not in text else repr(text)


def find(graph, kind_name: str, value: str, typed: str | None = None) -> str | None:
    """The canonical value (gid, key, name) of the thing ``value`` names, or None. A group is
    also found by its name or any alias (any case), as typed (``typed``) or as converted."""
    kind = KINDS[kind_name]
    for label in kind.labels:
        if kind_name == "group":
            cypher = (f"MATCH (n:{_label(label)}) WHERE n.gid = $value OR toLower(n.name) IN $lower "
                      "OR any(a IN coalesce(n.aliases, []) WHERE toLower(a) IN $lower) "
                      "RETURN n.gid AS found ORDER BY (n.gid = $value) DESC, found LIMIT 1")
            params = {"value": value, "lower": sorted({value.lower(), (typed or value).strip().lower()})}
        else:
            cypher = f"MATCH (n:{_label(label)} {{{kind.key}: $value}}) RETURN n.{kind.key} AS found LIMIT 1"
            params = {"value": value}
        rows = graph.read(cypher, params)
        if rows:
            return rows[0]["found"]
    return None


def closest(graph, kind_name: str, value: str) -> tuple[list[str], list[str]]:
    """(the closest existing names, a few known names) for a reference that found nothing."""
    kind = KINDS[kind_name]
    platform, _, rest = value.partition(":") if kind.platform_scoped else ("", "", value)
    choices: dict[str, str] = {}  # text compared -> name shown
    for label in kind.labels:
        where = "WHERE n.platform = $platform " if kind.platform_scoped and rest else ""
        extra = ", coalesce(n.aliases, []) AS aliases" if kind_name == "group" else ", [] AS aliases"
        rows = graph.read(f"MATCH (n:{_label(label)}) {where}"
                          f"RETURN n.{kind.key} AS key, {kind.shown} AS shown{extra} "
                          f"ORDER BY key LIMIT {_MAX_CANDIDATES}", {"platform": platform})
        for row in rows:
            texts = [row["key"], row["shown"], *row["aliases"]]
            if kind.platform_scoped:  # compare handles, not the platform prefix
                texts = [t.partition(":")[2] for t in texts if isinstance(t, str)]
            for text in texts:
                if isinstance(text, str) and text:
                    choices.setdefault(text.lower(), row["shown"])
    target = (rest if kind.platform_scoped and rest else value).lower()
    found = process.extract(target, list(choices), scorer=_similarity, limit=SUGGESTIONS * 4,
                            score_cutoff=_CUTOFF)
    found.sort(key=lambda hit: (-hit[1], hit[0]))
    best = list(dict.fromkeys(choices[text] for text, _score, _i in found))[:SUGGESTIONS]
    known = list(dict.fromkeys(choices.values()))
    return best, known


def _similarity(a: str, b: str, score_cutoff: float | None = None, **_kw) -> float:
    """0..100: the edit-distance similarity of the two spellings, or a little less than
    rapidfuzz's WRatio (which also rates one name inside the other: 'baloch' in 'balochistan
    liberation army'), so that a near spelling ranks before a longer name that contains it."""
    return max(fuzz.ratio(a, b), fuzz.WRatio(a, b) - 10)


def not_found(graph, kind_name: str, value: str, typed: str | None = None, error=NotInGraph,
              prefix: str = "", hint: str = ""):
    """The error for a reference the graph does not hold (returned, for the caller to raise)."""
    kind = KINDS[kind_name]
    best, known = closest(graph, kind_name, value)
    platform = value.partition(":")[0] if kind.platform_scoped and ":" in value else ""
    where = f" on {platform}" if platform else ""
    as_typed = typed and not (kind.platform_scoped and "/" in typed)  # a URL: show PLATFORM:HANDLE
    shown = _display(kind, (typed if as_typed else value).strip())
    message = f"{prefix}no {kind.what} {shown} in the graph"
    if best:
        advice = f"Did you mean {_or(best)}?"
    elif known and len(known) <= _KNOWN_SHOWN:
        advice = f"No {kind.what} with a similar name; the graph holds {', '.join(known)}."
    elif known:
        advice = f"None of the {len(known):,} {kind.what}s{where} has a similar name."
    else:
        advice = f"The graph holds no {kind.what}{where} yet (graphkit load PATH loads a report)."
    return error(message, hint=advice + (f" {hint}" if hint else ""))


def check(graph, kind_name: str, value: str, typed: str | None = None, error=NotInGraph,
          prefix: str = "", hint: str = "") -> str:
    """``value``'s canonical form when it names a ``kind_name`` in the graph; otherwise raise
    ``error`` (one sentence, the closest names that exist)."""
    if kind_name not in KINDS:
        raise ValueError(f"unknown kind {kind_name!r} (known: {', '.join(KINDS)})")
    found = find(graph, kind_name, value, typed)
    if found is None:
        raise not_found(graph, kind_name, value, typed, error=error, prefix=prefix, hint=hint)
    return found


def _or(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
