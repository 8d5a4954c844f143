"""An empty report bundle for field units: ``graphkit template -o FILE.xlsx|DIR``.

The bundle has every table of the canonical format (``graphkit.records.TABLES``) with all its
columns, a manifest, and (unless ``example=False``) one example row per table that is obviously
fictional (example.org, ``example_`` handles, the group ``EXAMPLE``) and loads with no reject.
In the workbook, each header cell carries a comment saying what the column holds, and the columns
with fixed values (platform, status, kind, authority, group) offer a drop-down list taken from the
code that checks them (``normalize.PLATFORMS``, ``prepare.*_STATUS``, ...). The format itself is
described in ``docs/bundle.md``.
"""
from __future__ import annotations

from pathlib import Path

from graphkit.ingest import values as normalize
from graphkit.ingest import prepare
from graphkit.model.spec import model
from graphkit.errors import GraphkitError
from graphkit.ingest.records import TABLE_ORDER, TABLES

# normalize.identifier accepts exactly these kinds (tests/test_template.py checks it stays so)
IDENTIFIER_KINDS = model().vocabulary("identifier_kind")
# designation authorities as the loaders write them (UN list, US OFAC, national lists); any short
# code is accepted, so their drop-down only warns
AUTHORITIES = ("UN", "US", "PK", "UK", "EU")
CHANNEL_KINDS = ("channel", "group", "page")  # what reports call them; free text, the list only suggests

EXAMPLES = {
    "groups": {"group_id": "EXAMPLE", "name": "Example Group (fictional)", "aliases": "Example Grp;EXG",
               "country": "XX", "description": "Fictional example row: replace it or delete it."},
    "designations": {"group_id": "EXAMPLE", "authority": "UN", "program": "Example sanctions programme",
                     "reference": "EXAMPLE.1", "listed_on": "2025-07-25"},
    "persons": {"person_id": "EXAMPLE-P1", "name": "Example Person (fictional)", "aliases": "Example P.",
                "nationality": "XX", "born": "1980", "description": "Fictional example row: replace it or delete it.",
                "group_ids": "EXAMPLE", "authority": "UN", "program": "Example sanctions programme",
                "reference": "EXAMPLE.P1", "listed_on": "2025-07-25"},
    "accounts": {"platform": "x", "handle": "example_account", "url": "https://x.com/example_account",
                 "platform_id": "1000000001", "display_name": "Example Account (fictional)",
                 "bio": "Fictional example row: replace it or delete it. https://example.org/example",
                 "status": "active", "followers": "1200", "created_at": "2025-07-01", "removed_at": "",
                 "group_id": "EXAMPLE", "operator_id": "OP-EXAMPLE", "location": "Example City", "statuses": "350"},
    "channels": {"platform": "telegram", "channel": "example_channel", "url": "https://t.me/example_channel",
                 "name": "Example Channel (fictional)", "kind": "channel", "members": "800", "status": "active",
                 "created_at": "2025-06-01", "removed_at": "", "group_id": "EXAMPLE",
                 "admins": "example_admin_1;example_admin_2"},
    "identifiers": {"platform": "x", "account": "example_account", "url": "", "kind": "phone",
                    "value": "+92 300 0000000", "first_seen": "2025-07-01", "last_seen": "2025-07-20"},
    "sightings": {"sighting_id": "EXAMPLE-S1", "observed_at": "2025-07-20T10:30:00Z", "platform": "telegram",
                  "account": "example_admin_1", "url": "", "channel": "example_channel", "group_id": "EXAMPLE",
                  "post_url": "https://t.me/example_channel/101",
                  "excerpt": "Fictional example post: replace it or delete it.", "language": "ur",
                  "mentions": "example_admin_2"},
    "takedowns": {"request_id": "EXAMPLE-T1", "platform": "x", "target": "@example_account",
                  "requested_at": "2025-07-21", "status": "pending", "resolved_at": ""},
    "mirrors": {"platform": "x", "account": "example_account_2", "predecessor_platform": "x",
                "predecessor": "example_account", "status": "confirmed",
                "note": "Fictional example: same avatar, created 2 days after the removal."},
}

# What each column holds: the header comments of the workbook (docs/bundle.md says the same at length)
HELP = {
    "groups": {
        "group_id": "The group's id (TTP, ISIS-K, BLA ...); any known spelling is read as the group (Tehrik-i-Taliban -> TTP).",
        "name": "The group's full name.",
        "aliases": "Other names, separated by ';'.",
        "country": "Country code, e.g. PK or AF.",
        "description": "Free text.",
        "list_ids": "The group's ids on designation lists (UN-QDE.132; OFAC-12206), separated by ';': a row "
                    "sharing one with a group already loaded is that group.",
        "match_keys": "Folded names for matching the group across lists (the list loaders fill it; leave it empty).",
    },
    "persons": {
        "person_id": "The person's id, e.g. a list reference (UN-QDI.427).",
        "name": "The person's full name.",
        "aliases": "Other names, separated by ';'.",
        "nationality": "Country code or name.",
        "born": "Date or year of birth.",
        "description": "Free text (the list's own wording: leader of, member of ...).",
        "group_ids": "Groups the person is associated with (ids or known names), separated by ';'.",
        "authority": "Who lists the person: a short code.",
        "program": "The list or programme.",
        "reference": "The authority's reference (QDi.427 ...).",
        "listed_on": "Date listed (YYYY-MM-DD).",
    },
    "designations": {
        "group_id": "The designated group (id or any known name).",
        "authority": "Who lists it: a short code.",
        "program": "The list or programme (FTO, SDGT, ISIL (Da'esh) and Al-Qaida sanctions ...).",
        "reference": "The authority's reference (QDe.132 ...).",
        "listed_on": "Date listed (YYYY-MM-DD).",
    },
    "accounts": {
        "platform": "The platform (twitter, fb, ig, tg ... are read too).",
        "handle": "The handle, with or without @. Needed unless url is given.",
        "url": "The profile URL; enough on its own (platform and handle are read from it).",
        "platform_id": "The platform's numeric id of the account.",
        "display_name": "The name shown on the profile.",
        "bio": "The profile text.",
        "status": "The account's state in the report.",
        "followers": "A whole number (1,234 and 1.2K are read too).",
        "created_at": "When the account was created (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ; UTC when no zone).",
        "removed_at": "When it was taken down.",
        "group_id": "The group it speaks for.",
        "operator_id": "Your id of the person or cell behind it; accounts with one id share an operator.",
        "location": "The location the profile states.",
        "statuses": "Number of posts (a whole number).",
        "former_handles": "Earlier handles of the same account (same platform_id), separated by ';', each "
                          "'handle' or 'handle (first..last seen)' (platform exports fill it).",
    },
    "channels": {
        "platform": "The platform.",
        "channel": "The channel's name or slug (t.me/NAME). Needed unless url is given.",
        "url": "The channel's URL; enough on its own.",
        "name": "The title shown.",
        "kind": "What the platform calls it (free text).",
        "members": "Members or subscribers (a whole number).",
        "status": "The channel's state in the report.",
        "created_at": "When the channel was created.",
        "removed_at": "When it was taken down.",
        "group_id": "The group it speaks for.",
        "admins": "Handles of its administrators on the same platform, separated by ';'.",
        "platform_id": "The platform's id of the channel (a Telegram chat id); with it the channel is "
                       "platform:id:ID and channel holds its title.",
        "former_names": "Earlier titles of the channel, separated by ';', each 'title' or 'title (first..last seen)'.",
    },
    "identifiers": {
        "platform": "The platform of the account that uses the identifier.",
        "account": "That account's handle. Needed unless url is given.",
        "url": "That account's profile URL, instead of platform and account.",
        "kind": "What the identifier is.",
        "value": "The phone number, address, link, hash ...",
        "first_seen": "When the account was first seen using it.",
        "last_seen": "When it was last seen using it.",
    },
    "sightings": {
        "observed_at": "When it was seen (YYYY-MM-DDTHH:MM:SSZ).",
        "platform": "The platform.",
        "account": "The handle of the account seen. Needed unless url is given.",
        "url": "The profile URL (or a Telegram/WhatsApp/YouTube channel URL) of what was seen.",
        "sighting_id": "Your id of this sighting; without one, graphkit derives it from the row.",
        "channel": "The channel it was seen in (same platform).",
        "group_id": "The group the post promotes.",
        "post_url": "The post's URL.",
        "excerpt": "The text seen (or a summary).",
        "language": "Language code (ur, ps, ar, en ...).",
        "mentions": "Handles the post mentions (same platform), separated by ';'.",
        "account_id": "The platform id of the account seen (with or instead of account).",
        "channel_id": "The platform id of the channel it was seen in (a Telegram chat id).",
        "kind": "What the post is: post, forward, reply, retweet, quote, service:ACTION, system (free text).",
        "media": "What the post carried besides text (photo, video ...; a placeholder when not included).",
        "edited_at": "When the post was last edited.",
        "forwarded_from": "The name of the channel or account a forwarded post comes from.",
        "forwarded_from_id": "Its platform id (channel123 or a number: a channel; user123: an account).",
        "refers_to": "Posts this one retweets, quotes or replies to: KIND:SIGHTING_ID, separated by ';' "
                     "(retweeted:x-123).",
    },
    "takedowns": {
        "platform": "The platform asked to remove it.",
        "target": "What was reported: @handle (an account), a channel name, or a URL.",
        "requested_at": "When the request was sent.",
        "request_id": "Your id of the request; without one, graphkit derives it from the row.",
        "status": "The platform's answer so far.",
        "resolved_at": "When the platform answered or removed it.",
    },
    "mirrors": {
        "platform": "The platform of the new account.",
        "account": "The new account's handle (the mirror).",
        "predecessor_platform": "The platform of the account it replaces.",
        "predecessor": "The handle of the account it replaces.",
        "status": "The analyst's view (confirmed when empty).",
        "note": "Why (free text).",
    },
}


def column_help(table: str, column: str) -> str:
    required = any(column in alternative for alternative in TABLES[table][0])
    need = f"Required ({required_text(table)})." if required else "Optional."
    values, strict = choices().get((table, column), ((), False))
    allowed = (f" One of: {', '.join(values)}." if strict else f" For example {', '.join(values)}; others are accepted."
               ) if values else ""
    return f"{HELP[table][column]}{allowed} {need}"


MANIFEST = [  # (key, example value, what it is)
    ("id", "", "Leave empty: graphkit derives an id from the contents. Or a short unique id, e.g. unit-a-2025-07-25."),
    ("source", "Example field unit", "Who sent the report."),
    ("title", "Example report (fictional)", "One line."),
    ("date", "2025-07-25", "The report's date (YYYY-MM-DD)."),
]


class TemplateError(GraphkitError):
    """The template cannot be written where asked."""


def columns(table: str) -> list[str]:
    """Every column the loader reads in ``table``: the required ones first, then the optional."""
    required, optional = TABLES[table]
    found: list[str] = []
    for alternative in required:
        found += [c for c in alternative if c not in found]
    return found + [c for c in optional if c not in found]


def required_text(table: str) -> str:
    """Which columns a table needs, in words: ``platform and handle, or url``."""
    alternatives = [" and ".join(a) for a in TABLES[table][0]]
    return ", or ".join(alternatives)


def choices() -> dict[tuple[str, str], tuple[tuple[str, ...], bool]]:
    """(table, column) -> (allowed values, strict): the drop-down lists of the workbook."""
    platforms = tuple(normalize.PLATFORMS)
    groups = tuple(normalize.known_groups())
    lists = {}
    for table in TABLE_ORDER:
        for column in columns(table):
            if column in ("platform", "predecessor_platform"):
                lists[(table, column)] = (platforms, True)
            elif column == "group_id" and table != "groups":
                lists[(table, column)] = (groups, False)
    lists[("accounts", "status")] = (tuple(prepare.ACCOUNT_STATUS), True)
    lists[("channels", "status")] = (tuple(prepare.ACCOUNT_STATUS), True)
    lists[("takedowns", "status")] = (tuple(prepare.TAKEDOWN_STATUS), True)
    lists[("mirrors", "status")] = (tuple(prepare.MIRROR_STATUS), True)
    lists[("identifiers", "kind")] = (IDENTIFIER_KINDS, True)
    lists[("channels", "kind")] = (CHANNEL_KINDS, False)
    lists[("designations", "authority")] = (AUTHORITIES, False)
    return lists


def _rows(table: str, example: bool) -> list[list[str]]:
    header = columns(table)
    rows = [header]
    if example:
        rows.append([EXAMPLES[table].get(c, "") for c in header])
    return rows


def write(target, example: bool = True, force: bool = False) -> Path:
    """Write the template to ``target``: a workbook when it ends in ``.xlsx``, else a folder of CSV
    files and ``report.yaml``. Refuses to overwrite an existing bundle unless ``force``."""
    target = Path(target)
    if target.suffix.lower() == ".xlsx":
        if target.exists() and not force:
            raise TemplateError(f"{target} already exists", hint="Choose another file name, or add --force to replace it.")
        _write_xlsx(target, example)
    else:
        if target.exists() and not target.is_dir():
            raise TemplateError(f"{target} exists and is not a folder",
                                hint="Give a new folder, or a file name ending in .xlsx.")
        taken = [f"{t}.csv" for t in TABLE_ORDER if (target / f"{t}.csv").exists()]
        if taken and not force:
            raise TemplateError(f"{target} already holds {', '.join(taken)}",
                                hint="Choose a new folder, or add --force to replace those files.")
        _write_folder(target, example)
    return target


def _write_folder(folder: Path, example: bool) -> None:
    import csv

    try:
        folder.mkdir(parents=True, exist_ok=True)
        for table in TABLE_ORDER:
            with open(folder / f"{table}.csv", "w", encoding="utf-8", newline="") as handle:
                csv.writer(handle, lineterminator="\n").writerows(_rows(table, example))
        lines = ["# The report this bundle is (all optional). Columns and values: docs/bundle.md."]
        for key, value, note in MANIFEST:
            lines.append(f"# {note}")
            lines.append(f"{key}: {_yaml_value(value if example or key == 'id' else '')}")
        (folder / "report.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    except OSError as exc:
        raise TemplateError(f"cannot write the template to {folder}: {exc.strerror}",
                            hint="Choose a folder you can write to.") from None


def _yaml_value(value: str) -> str:
    import json

    return json.dumps(value) if value else ""


def _write_xlsx(path: Path, example: bool) -> None:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    workbook.remove(workbook.active)
    lists = choices()
    for table in TABLE_ORDER:
        sheet = workbook.create_sheet(table)
        for row in _rows(table, example):
            sheet.append(row)
        sheet.freeze_panes = "A2"
        for index, column in enumerate(columns(table), start=1):
            letter = get_column_letter(index)
            cell = sheet.cell(row=1, column=index)
            cell.font = Font(bold=True)
            cell.comment = Comment(column_help(table, column), "graphkit")
            sheet.column_dimensions[letter].width = max(14, min(40, len(column) + 4))
            if (table, column) in lists:
                values, strict = lists[(table, column)]
                rule = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True,
                                      showErrorMessage=True, errorStyle="stop" if strict else "warning",
                                      errorTitle=f"{column}", error=f"{column} must be one of {', '.join(values)}"
                                      + ("." if strict else " (others are accepted too)."))
                rule.add(f"{letter}2:{letter}1048576")
                sheet.add_data_validation(rule)
    report = workbook.create_sheet("report")
    for key, value, note in MANIFEST:
        report.append([key, value if example or key == "id" else "", note])
    report.column_dimensions["A"].width, report.column_dimensions["B"].width = 10, 30
    report.column_dimensions["C"].width = 90
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        workbook.save(path)
    except OSError as exc:
        raise TemplateError(f"cannot write the template to {path}: {exc.strerror}",
                            hint="Choose a folder you can write to.") from None
