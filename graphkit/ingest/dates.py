"""Dates and times as written in reports: ISO 8601, numeric dates in a declared order (dmy, mdy,
ymd), month names; ``datetime_utc`` (a time in UTC) and ``date_only`` (a calendar date). A
numeric date that reads both ways in an input without a declared order is refused
(``AmbiguousDate``)."""
from __future__ import annotations

import re
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, timedelta, timezone

from graphkit.ingest.values import clean_text

_MONTHS = {m: i + 1 for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])}


def _tz(text: str | None):
    if not text or text in ("Z", "z", "UTC", "GMT"):
        return timezone.utc
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0)))


_ISO_RE = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?$", re.I)
# three numbers with / or . between them (1/6/2015, 01.06.2015, 2015/06/01), and a time
_NUMERIC_RE = re.compile(r"^(\d{1,4})([/.])(\d{1,2})\2(\d{1,4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?$")
_DMY_TEXT_RE = re.compile(r"^(\d{1,2})[ -]([A-Za-z]{3,9})\.?[ -,]*(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_MDY_TEXT_RE = re.compile(r"^([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")


DATE_ORDERS = ("dmy", "mdy", "ymd")
# the day/month order of numeric dates in the input being loaded (None: undeclared; a date that
# reads both ways is then rejected). Set for a load by ``date_order(...)``.
_DATE_ORDER: ContextVar[str | None] = ContextVar("graphkit_date_order", default=None)


@contextmanager
def date_order(order: str | None):
    """Within the block, read numeric dates such as ``1/6/2015`` in ``order`` (dmy, mdy, ymd)."""
    if order is not None and order not in DATE_ORDERS:
        raise ValueError(f"unknown date order {order!r} (known: {', '.join(DATE_ORDERS)})")
    token = _DATE_ORDER.set(order)
    try:
        yield
    finally:
        _DATE_ORDER.reset(token)


class AmbiguousDate(ValueError):
    """A numeric date whose day and month can be swapped, with no order declared."""


def _numeric_date(m: re.Match, text: str) -> tuple[str, str, str]:
    """(year, month, day) of a numeric date, by the declared order or, without one, by what the
    numbers allow; ValueError when the day and month could be swapped and no order is declared."""
    a, b, c = m[1], m[3], m[4]
    order = "ymd" if len(a) >= 3 else _DATE_ORDER.get()
    if order is None:
        if int(a) > 12 or int(b) > 12 or int(a) == int(b):
            order = "mdy" if int(b) > 12 >= int(a) else "dmy"  # (neither a month: _build says so)
        else:
            raise AmbiguousDate(
                f"ambiguous date {text!r}: day and month can be read both ways ({int(a)} {_MONTH_NAMES[int(b) - 1]} "
                f"or {int(b)} {_MONTH_NAMES[int(a) - 1]}); write it as ISO 8601 (YYYY-MM-DD) or give the order "
                "with --date-order dmy|mdy|ymd (or date_order: in the format's mapping)")
    if order == "ymd":
        return a, b, c
    return (c, b, a) if order == "dmy" else (c, a, b)


_MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December"]


def _month(name: str) -> int:
    try:
        return _MONTHS[name[:3].lower()]
    except KeyError:
        raise ValueError(f"unknown month {name!r}") from None


def _build(y, mo, d, h=None, mi=None, s=None, frac=None, tz=None, has_time=False) -> tuple[datetime, bool]:
    year = int(y)
    if year < 100:
        year += 2000 if year < 70 else 1900
    dt = datetime(year, int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0),
                  int((frac or "0")[:6].ljust(6, "0")), tzinfo=tz or timezone.utc)
    return dt.astimezone(timezone.utc), has_time


def parse_when(value: str | None) -> tuple[datetime, bool] | None:
    """Parse a date or date-time in the forms real files use -> ``(UTC datetime, had a time)``.

    ISO 8601 (``2015-04-07``, ``2015-04-07T10:00:00+05:00``, ``2015-04-07 10:00``), a date with an
    offset (``2015-04-07-04:00``, UN XML), numeric dates (``13/6/2015``, ``6/13/2015 21:07``,
    ``01.06.2015``: in the order ``date_order`` declares, else only when the numbers allow one
    reading), ``07 Apr 2015`` and ``Apr 7, 2015``. Naive values are UTC. ValueError otherwise.
    """
    if value is None:
        return None
    text = clean_text(str(value)).strip()
    if not text:
        return None
    try:
        m = re.match(r"^(\d{4})-(\d{2})-(\d{2})([+-]\d{2}:\d{2}|Z)$", text)
        if m:  # a date with a time zone: the date itself, as written
            return _build(m[1], m[2], m[3])
        m = _ISO_RE.match(text)
        if m:
            return _build(m[1], m[2], m[3], m[4], m[5], m[6], m[7], _tz(m[8] and m[8].upper()), m[4] is not None)
        m = _NUMERIC_RE.match(text)
        if m:
            hour = int(m[5] or 0)
            if m[8]:
                hour = hour % 12 + (12 if m[8].lower() == "pm" else 0)
            year, month, day = _numeric_date(m, text)
            return _build(year, month, day, hour, m[6], m[7], has_time=m[5] is not None)
        m = _DMY_TEXT_RE.match(text)
        if m:
            return _build(m[3], _month(m[2]), m[1], m[4], m[5], m[6], has_time=m[4] is not None)
        m = _MDY_TEXT_RE.match(text)
        if m:
            return _build(m[3], _month(m[1]), m[2], m[4], m[5], m[6], has_time=m[4] is not None)
    except AmbiguousDate:
        raise
    except (ValueError, OverflowError) as exc:
        raise ValueError(f"not a valid date: {value!r} ({exc})") from None
    raise ValueError(f"not a date: {value!r} (use ISO 8601, e.g. 2025-07-25 or 2025-07-25T10:30:00Z)")


def datetime_utc(value: str | None) -> datetime | None:
    """A date or date-time as a UTC ``datetime`` (a date alone is midnight UTC)."""
    parsed = parse_when(value)
    return parsed[0] if parsed else None


def date_only(value: str | None) -> date | None:
    """A date (``listed_on``, report dates): the calendar date as written."""
    parsed = parse_when(value)
    return parsed[0].date() if parsed else None


def current_date_order() -> str | None:
    """The numeric date order declared for the input being loaded (``load --date-order``), or None."""
    return _DATE_ORDER.get()
