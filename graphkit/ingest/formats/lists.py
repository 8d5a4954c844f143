"""What the designation-list readers (``un_xml``, ``ofac``) share: programs, match keys, persons.

Cross-list entity resolution. Each list names its entries its own way (UN ``AL-QAIDA``, OFAC
``AL QA'IDA``). A reader gives every group row

- ``list_ids``: the entry's own id in its list (``UN-QDE.004``, ``OFAC-6366``) plus the ids of
  entries of other lists that the record itself cites (an OFAC remark ``UN ref QDe.004``);
- ``match_keys``: the record's names and aliases folded by :func:`match_key` (case, accents,
  punctuation and spacing ignored: ``AL-QAIDA`` and ``AL QA'IDA`` are both ``alqaida``). A key
  that two entries of the same list share (OFAC's several ``AL-HARAMAIN ISLAMIC FOUNDATION``
  branches) identifies neither and is dropped, in both lists alike, so the decision is symmetric.

The load statement (``graphkit.writer``) then puts the row on an existing Group with the same gid,
or one that holds one of its ``list_ids``, or one that shares a strong key (at least
``STRONG_KEY`` characters: a full name, not an abbreviation) or two keys, and holds no other entry
of the row's own list (two entries of one list are two organisations by that list's own word).
The group's gid is then the best of its ids (a known or user gid, else UN, else OFAC), so the
result does not depend on which list came first.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from typing import Any

from . import one_line, option

STRONG_KEY = 6
# gid prefixes of list entries and which a merged group keeps (lower first); any other gid (a known
# group of graphkit/groups.yaml, a report's own id) ranks 0 and is never replaced
LIST_RANK = {"UN-": 1, "OFAC-": 2}
_PAREN = re.compile(r"^(?P<base>.*?)\s*\((?P<short>[^()]+)\)\s*$")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def match_key(name: str | None) -> str:
    """``AL QA'IDA`` -> ``alqaida``: NFKD, case-folded, accents, apostrophes, punctuation and
    spaces removed ('' for a name with no letters or digits)."""
    text = unicodedata.normalize("NFKD", one_line(name) or "").casefold()
    text = "".join(ch for ch in text if not unicodedata.combining(ch) and unicodedata.category(ch) not in ("Lm", "Sk"))
    return re.sub(r"[\W_]+", "", text)


def _is_abbreviation(short: str, base: str) -> bool:
    """``TTP`` of ``TEHRIK-E TALIBAN PAKISTAN``: one word whose first letter starts a word of the
    base name (``(SOMALIA)`` after ``AL-HARAMAIN ...`` is a qualifier, not an abbreviation)."""
    if " " in short.strip():
        return False
    initials = {w[0].casefold() for w in _WORD.findall(base)}
    letters = _WORD.findall(short)
    return bool(letters) and letters[0][0].casefold() in initials


def match_keys(names: Iterable[str | None]) -> list[str]:
    """The distinct match keys of a record's names and aliases, in order.

    ``NAME (ABBR)`` gives the keys of ``NAME`` and ``ABBR``; ``NAME (QUALIFIER)`` one key of the
    whole (a branch is not its parent)."""
    out: list[str] = []
    for name in names:
        name = one_line(name)
        if not name:
            continue
        match = _PAREN.match(name)
        parts = [match["base"], match["short"]] if match and _is_abbreviation(match["short"], match["base"]) else [name]
        for part in parts:
            key = match_key(part)
            if len(key) >= 2 and key not in out:
                out.append(key)
    return out


def shared_keys(records: Iterable[list[str]]) -> set[str]:
    """The keys that more than one record of one list has (they identify none of them)."""
    counts = Counter(k for keys in records for k in set(keys))
    return {k for k, n in counts.items() if n > 1}


def programs(mapping: dict[str, Any]) -> set[str] | None:
    """The programs kept (folded), or None for all (``--programs all``)."""
    kept = option(mapping, "programs", required=True)
    if isinstance(kept, str):
        kept = [p for p in re.split(r"[,\s]+", kept) if p]
    folded = {str(p).strip().casefold() for p in kept}
    return None if "all" in folded else folded


def keeps(program: str | None, wanted: set[str] | None) -> bool:
    """True when a record of ``program`` is loaded (``wanted`` None: every program)."""
    return wanted is None or bool(program and program.strip().casefold() in wanted)


def kept(listed: Iterable[str | None], wanted: set[str] | None) -> list[str]:
    """The record's programs that are kept, in the record's order."""
    listed = [p for p in (one_line(p) for p in listed) if p]
    return listed if wanted is None else [p for p in listed if p.casefold() in wanted]


def joined(values: Iterable[str]) -> str | None:
    """``;``-join for list columns (values never contain ``;``: keys and ids are plain)."""
    values = [v for v in values if v]
    return "; ".join(values) or None


# The UN regime of a UN reference (``QDe.132`` -> Al-Qaida), spelt as the UN's XML spells its
# UN_LIST_TYPE. A UN entry is one designation whatever a report calls its regime ("ISIL (Da'esh)
# and Al-Qaida sanctions", "1267", "Al-Qaida"): the reference decides.
UN_REGIMES = {"QD": "Al-Qaida", "TA": "Taliban", "IQ": "Iraq", "KP": "DPRK", "IR": "Iran", "CD": "DRC",
              "CF": "CAR", "LY": "Libya", "SO": "Somalia", "GB": "GB", "ML": "Mali", "SS": "SouthSudan",
              "SD": "Sudan", "YE": "Yemen"}
_UN_REF = re.compile(r"^(?P<regime>[A-Za-z]{2})[ei]\.\s?\d+$")


def program(code: str, text: str | None, reference: str | None) -> str:
    """The designation's program: for the UN, the regime its reference names; else as written."""
    if code == "UN" and reference:
        match = _UN_REF.match(reference.strip())
        if match and match["regime"].upper() in UN_REGIMES:
            return UN_REGIMES[match["regime"].upper()]
    return one_line(text) or ""
