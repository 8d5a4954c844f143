"""The audit trail of an investigation: who changed what, when, why, and what it was before.

    from graphkit import audit
    audit.record("reset", "graph", note="new case", before={"nodes": 1200}, graph=graph)
    audit.entries(since="2025-07-01"); audit.verify()

Every change an analyst makes through graphkit (load, mirror and operator decisions, takedown
requests and answers) calls ``record``; see ``graphkit.audit.trail``.
"""
from graphkit.audit.trail import AuditError, analyst, entries, log_path, now, record, set_analyst
from graphkit.audit.verify import Verified, verify

__all__ = ["AuditError", "Verified", "analyst", "entries", "log_path", "now", "record", "set_analyst", "verify"]
