"""A result value as escaped HTML for a table cell: text as the command line shows it
(``graphkit.output.cell_text``), an account (``PLATFORM:HANDLE``) as a link to its profile, a
list as one line per item."""
from __future__ import annotations

import re
from urllib.parse import quote

from markupsafe import Markup, escape

from graphkit import output
from graphkit.model.spec import model


def _account_re() -> re.Pattern:
    platforms = "|".join(re.escape(p) for p in model().vocabularies.get("platform", []))
    return re.compile(rf"^(?:{platforms}):[^\s:/]+$")


_ACCOUNT = None


def is_account(text: str) -> bool:
    global _ACCOUNT
    if _ACCOUNT is None:
        _ACCOUNT = _account_re()
    return bool(_ACCOUNT.match(text))


def profile_link(text: str) -> Markup:
    return Markup('<a href="/account?a={}">{}</a>').format(quote(text, safe=":"), text)


def _one(value) -> Markup:
    text = output.cell_text(value)
    if isinstance(value, str) and is_account(value):
        return profile_link(value)
    return escape(text)


def cell_html(value) -> Markup:
    if isinstance(value, (list, tuple)):
        return Markup("<br>").join(_one(v) for v in value)
    return _one(value)


def sort_key(value) -> str:
    """What a column is sorted by in the browser (numbers sort as numbers there)."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (int, float)):
        return repr(value)
    return output.cell_text(value)
