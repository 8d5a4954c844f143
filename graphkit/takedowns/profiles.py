"""A profile URL for an account the graph knows only by platform and handle (or platform id)."""
from __future__ import annotations

from urllib.parse import quote

_BY_HANDLE = {
    "x": "https://x.com/{}",
    "facebook": "https://www.facebook.com/{}",
    "instagram": "https://www.instagram.com/{}",
    "tiktok": "https://www.tiktok.com/@{}",
    "telegram": "https://t.me/{}",
    "youtube": "https://www.youtube.com/@{}",
}
_BY_ID = {
    "x": "https://x.com/i/user/{}",
    "facebook": "https://www.facebook.com/profile.php?id={}",
    "whatsapp": "https://wa.me/{}",
}


def profile_url(platform: str | None, handle: str | None, platform_id: str | None = None) -> str | None:
    """``https://x.com/Handle``; None when the platform has no profile address for what is known."""
    if handle and platform in _BY_HANDLE:
        return _BY_HANDLE[platform].format(quote(handle, safe="._-"))
    if platform_id and platform in _BY_ID:
        return _BY_ID[platform].format(quote(str(platform_id), safe=""))
    return None
