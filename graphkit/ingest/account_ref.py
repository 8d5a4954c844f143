"""An account as users name it on the command line, in a query parameter or in a file:
``PLATFORM:HANDLE`` (``x:@Example`` too), ``PLATFORM:id:123`` or a profile URL.

One reading serves every place that takes such a reference (queries' account parameters, maps'
``--account``, the mirror review); each caller turns the ValueError into its own error.
"""
from __future__ import annotations

from dataclasses import dataclass

from graphkit.ingest import values as nz


@dataclass(frozen=True)
class AccountRef:
    platform: str
    handle: str | None = None       # as typed (without @ and blanks); None for an id reference
    platform_id: str | None = None

    @property
    def handle_norm(self) -> str | None:
        return nz.handle(self.handle)

    @property
    def key(self) -> str:
        """The Account.key this reference names."""
        return nz.account_key(self.platform, self.handle_norm, None if self.handle_norm else self.platform_id)

    @property
    def typed(self) -> str:
        return f"{self.platform}:{self.handle if self.handle is not None else 'id:' + str(self.platform_id)}"


def account_ref(value) -> AccountRef:
    """The reference in ``value``; ValueError (one sentence) when it names no account."""
    text = nz.clean_text(str(value if value is not None else "")).strip()
    if "/" in text or text.lower().startswith(("http", "www.")):
        parsed = nz.parse_url(text)
        if parsed is None or parsed[2] == "invite":
            raise ValueError(f"{value!r} is not an account URL")
        platform, ident, kind = parsed
        return AccountRef(platform, platform_id=ident) if kind == "id" else AccountRef(platform, nz.handle_raw(ident))
    platform_text, sep, handle_text = text.partition(":")
    if not sep or not handle_text.strip():
        raise ValueError(f"{value!r} is not PLATFORM:HANDLE (e.g. x:Example_Handle)")
    platform = nz.platform(platform_text.strip())  # ValueError naming the known platforms
    handle_text = handle_text.strip()
    if handle_text.startswith("id:") and handle_text[3:].strip():
        return AccountRef(platform, platform_id=handle_text[3:].strip())
    if not nz.handle(handle_text):
        raise ValueError(f"{value!r} has no usable handle")
    return AccountRef(platform, nz.handle_raw(handle_text))


def looks_like_account(value) -> AccountRef | None:
    """The reference when ``value`` is a string of the form PLATFORM:HANDLE with a known platform
    (what a query row's cell may hold), else None; never raises."""
    if not isinstance(value, str) or ":" not in value or "/" in value:
        return None
    if value.split(":", 1)[0].strip().lower() not in nz.PLATFORMS:
        return None
    try:
        return account_ref(value)
    except ValueError:
        return None
