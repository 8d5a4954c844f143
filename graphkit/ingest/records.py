"""The canonical record stream between readers and the load engine.

Every input format (a report bundle's CSV/XLSX sheets, the UN XML, the OFAC CSV, a tweet export)
is read into ``Row`` objects that use the canonical bundle's table and column names
(see ``docs/model.md`` and the bundle table in the design). The load engine validates, normalises,
rejects and writes them; readers never write to the database.
"""
from __future__ import annotations

from dataclasses import dataclass, field

# table -> (required column sets: any one alternative must be complete, optional columns)
TABLES: dict[str, tuple[list[list[str]], list[str]]] = {
    "groups": ([["group_id", "name"]], ["aliases", "country", "description", "list_ids", "match_keys"]),
    "designations": ([["group_id", "authority"]], ["program", "reference", "listed_on"]),
    "persons": ([["person_id", "name"]], ["aliases", "nationality", "born", "description", "group_ids", "authority",
                                           "program", "reference", "listed_on"]),
    "accounts": (
        [["platform", "handle"], ["url"], ["platform", "platform_id"]],
        ["platform_id", "display_name", "bio", "status", "followers", "created_at", "removed_at",
         "group_id", "operator_id", "location", "statuses", "former_handles"],
    ),
    "channels": (
        [["platform", "channel"], ["url"], ["platform", "platform_id"]],
        ["name", "kind", "members", "status", "created_at", "removed_at", "group_id", "admins", "platform_id",
         "former_names"],
    ),
    "sightings": (
        [["observed_at", "platform", "account"], ["observed_at", "url"], ["observed_at", "platform", "account_id"],
         ["observed_at", "platform", "channel"]],
        ["sighting_id", "channel", "group_id", "post_url", "excerpt", "language", "mentions",
         # the readers of platform exports (docs/loaders.md): ids, kinds, forwards, references
         "account_id", "channel_id", "kind", "media", "edited_at", "forwarded_from", "forwarded_from_id",
         "refers_to"],
    ),
    "identifiers": ([["platform", "account", "kind", "value"], ["url", "kind", "value"]], ["first_seen", "last_seen"]),
    "takedowns": ([["platform", "target", "requested_at"]], ["request_id", "status", "resolved_at"]),
    "mirrors": ([["platform", "account", "predecessor_platform", "predecessor"]], ["status", "note"]),
}

# the order in which a bundle's tables are loaded (later tables refer to earlier ones)
TABLE_ORDER = ["groups", "designations", "persons", "accounts", "channels", "identifiers", "sightings", "takedowns", "mirrors"]


@dataclass
class Row:
    """One input record in canonical column names.

    ``file``/``line`` point at the input (line = 1-based physical line of the record's start, or
    the row number in a sheet, or the XML element's line); ``column_of`` maps a canonical column
    back to the input's own column name for reject messages.
    """

    table: str
    file: str
    line: int
    values: dict[str, str | None]
    column_of: dict[str, str] = field(default_factory=dict)
    referred: bool = False  # a node the input only points at (a forward's source): --group does not tie it


@dataclass
class Skipped:
    """An input record the format's mapping deliberately does not load (a UN individual, an OFAC
    vessel), with the reason. Not an error, not a reject: the load summary counts skipped records
    by reason, so nothing is dropped silently."""

    file: str
    line: int
    reason: str
