"""Checking the audit log's hash chain: each entry's own hash, its link to the entry before, the
numbering, and the sidecar head (the last entry's number and hash)."""
from __future__ import annotations

import json
from dataclasses import dataclass

from graphkit.audit.trail import GENESIS, AuditError, _head_path, _lines, entry_hash, log_path

HINT = ("An entry of the audit log was changed, removed or moved after it was written. Keep this copy "
        "as it is, and compare it with a backup of the log.")


@dataclass
class Verified:
    path: str
    entries: int
    last_hash: str

    def sentence(self) -> str:
        if not self.entries:
            return f"The audit log {self.path} is empty (nothing recorded yet)."
        return (f"The audit log {self.path} is intact: {self.entries:,} entr{'y' if self.entries == 1 else 'ies'}, "
                f"each chained to the one before; the last hash is {self.last_hash}.")


def _broken(message: str) -> AuditError:
    return AuditError(f"the audit log is broken: {message}", hint=HINT)


def verify(graph=None) -> Verified:
    """Check the whole chain; AuditError naming the first entry that is wrong."""
    path = log_path(graph)
    prev_hash, prev_seq = GENESIS, 0
    for lineno, line in _lines(path):
        if not line.strip():
            raise _broken(f"line {lineno} is empty (after entry {prev_seq})")
        try:
            entry = json.loads(line)
            seq, stored = int(entry["seq"]), entry["hash"]
        except (ValueError, KeyError, TypeError):
            raise _broken(f"line {lineno} (after entry {prev_seq}) is not an entry") from None
        if entry_hash(entry) != stored:
            raise _broken(f"entry {seq} (line {lineno}) was edited: its content no longer matches its hash")
        if seq != prev_seq + 1:
            if seq > prev_seq + 1:
                missing = f"entry {prev_seq + 1}" if seq == prev_seq + 2 else f"entries {prev_seq + 1}-{seq - 1}"
                raise _broken(f"entry {seq} (line {lineno}) follows entry {prev_seq}: {missing} "
                              f"{'was' if seq == prev_seq + 2 else 'were'} removed or moved")
            raise _broken(f"entry {seq} (line {lineno}) is out of order: it comes after entry {prev_seq}")
        if entry.get("prev") != prev_hash:
            raise _broken(f"entry {seq} (line {lineno}) does not chain to entry {prev_seq} before it "
                          "(an entry was replaced)")
        prev_hash, prev_seq = stored, seq
    _check_head(path, prev_seq, prev_hash)
    return Verified(str(path), prev_seq, prev_hash)


def _check_head(path, seq: int, last_hash: str) -> None:
    head_file = _head_path(path)
    try:
        head = json.loads(head_file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        if seq:
            raise _broken(f"its head file {head_file.name} is missing (the log ends at entry {seq})") from None
        return
    except (OSError, ValueError):
        raise _broken(f"its head file {head_file.name} is unreadable") from None
    if head.get("seq") != seq or head.get("hash") != last_hash:
        if isinstance(head.get("seq"), int) and head["seq"] > seq:
            gone = f"entry {seq + 1}" if head["seq"] == seq + 1 else f"entries {seq + 1}-{head['seq']}"
            raise _broken(f"the log ends at entry {seq} but {head['seq']} were written: {gone} "
                          f"{'was' if head['seq'] == seq + 1 else 'were'} removed")
        raise _broken(f"the last entry ({seq}) is not the one last written (entry {head.get('seq')})")
