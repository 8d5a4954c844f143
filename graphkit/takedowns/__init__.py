"""The takedown loop: draft per-platform requests with evidence, record them, read the platforms'
answers, see who complied, and chase what is still up or came back (docs/takedowns.md).

    from graphkit.takedowns import draft, update, status, briefing
"""
from __future__ import annotations

from graphkit.takedowns.draft import Draft, draft, record, request_id

__all__ = ["Draft", "draft", "record", "request_id", "update", "status", "briefing"]


def __getattr__(name):  # the later steps load on first use
    if name == "update":
        from graphkit.takedowns.answers import update
        return update
    if name == "status":
        from graphkit.takedowns.status import status
        return status
    if name == "briefing":
        from graphkit.takedowns.briefing import briefing
        return briefing
    raise AttributeError(name)
