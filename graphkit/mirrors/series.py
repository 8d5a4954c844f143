"""Numbered series: a handle or display name that carries a counter (``abutariq040`` ->
``abutariq041``, ``abuayisha102`` -> ``abuayisha108``, ``٩ Flames of Haqq`` -> ``١٠Flames of Haqq``).

A series is (stem, number): the stem is the look-alike skeleton of everything but the counter, the
number the counter's value, whatever its digits (ASCII, Arabic-Indic ٠-٩, Extended Arabic-Indic
۰-۹) and zero padding (``040`` is 40). Evaders bump the counter at each return, sometimes skipping
numbers (accounts that were removed before anyone saw them).
"""
from __future__ import annotations

import re
from functools import lru_cache

from graphkit.mirrors import lookalike

# a successor's counter is at most this far above its predecessor's (numbers are skipped when
# accounts are removed before they are seen)
MAX_STEP = 20
_TRAILING = re.compile(r"^(.*?)(\d+)\D{0,2}$")
_LEADING = re.compile(r"^(\d+)(\D.*)$")


@lru_cache(maxsize=200_000)
def handle_series(handle: str | None) -> tuple[str, int] | None:
    """(stem skeleton, counter) of a handle ending (or, failing that, starting) with a counter."""
    raw = lookalike.ascii_digits((handle or "").strip().lstrip("@"))
    raw = re.sub(r"[_.\-]+", "_", raw).strip("_")
    m = _TRAILING.match(raw)
    if m and m.group(1):
        stem = lookalike.fold(m.group(1))
        if len(stem) >= 3:
            return stem, int(m.group(2))
    m = _LEADING.match(raw)
    if m:
        stem = lookalike.fold(m.group(2))
        if len(stem) >= 3:
            return stem, int(m.group(1))
    return None


def name_series(skeleton: str) -> tuple[str, int] | None:
    """(stem, number) of a display-name skeleton (``lookalike.name_skeleton``) with one number."""
    words = skeleton.split()
    numbers = [w for w in words if w.isdigit()]
    if len(numbers) != 1:
        return None
    stem = " ".join(w for w in words if not w.isdigit())
    return (stem, int(numbers[0])) if len(stem) >= 3 else None


def step(pred: tuple[str, int] | None, succ: tuple[str, int] | None) -> str | None:
    """How two series values relate: ``next`` (same stem, counter up by 1..MAX_STEP), ``same_stem``
    (same stem, counter not ahead by a plausible step), or None (no common stem)."""
    if not pred or not succ or pred[0] != succ[0]:
        return None
    return "next" if 0 < succ[1] - pred[1] <= MAX_STEP else "same_stem"
