"""STIX 2.1 bundle (JSON) -> groups, designations, accounts, channels, identifiers, sightings, mirrors.

A bundle from graphkit (``graphkit export --to stix``) carries graphkit's own properties in its
extension (``graphkit.exports.stix.EXTENSION_ID``) and loads back without loss of accounts,
groups and links. A bundle from elsewhere (OpenCTI, another team) loads what STIX itself says:

- ``intrusion-set`` -> a group (its name resolved through graphkit/ingest/groups.yaml, aliases);
- ``user-account`` -> an account: platform from ``account_type`` (``twitter`` is x; a graphkit
  platform name is itself), handle from ``account_login``, display name, created;
- a ``relationship`` between a user-account and an intrusion-set (any type) -> the account's
  affiliation; between a user-account and an ``email-addr``, ``url``, ``ipv4-addr``/``ipv6-addr``
  (or graphkit's ``graphkit-identifier``) -> the identifier the account uses;
- ``observed-data`` of a user-account -> a sighting at ``first_observed``; a ``sighting`` of an
  intrusion-set that names it -> the group it promotes (its description the excerpt).

Rows point back at the input as ``line`` = the object's position in ``objects`` (1-based) and
``column`` = the JSON path of the value (``objects[3].account_type``), so a reject names file,
JSON path and reason. Objects graphkit has no place for (indicators, malware, opinions,
reports ...) are counted as skipped, by type. Everything loaded is REPORTED_IN the load's report;
loading the same file again changes nothing.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from graphkit.errors import LoadError
from graphkit.ingest.records import Row, Skipped
from graphkit.ingest.rejects import Reject, raw_text

EXTENSION_ID = "extension-definition--0f5fb7fc-b703-5272-aa4a-755b83996c33"  # graphkit.exports.stix
PLATFORM_OF = {"twitter": "x", "x": "x", "facebook": "facebook", "instagram": "instagram", "tiktok": "tiktok",
               "whatsapp": "whatsapp", "telegram": "telegram", "youtube": "youtube"}
IDENTIFIER_SCO = {"email-addr": "email", "url": "url", "ipv4-addr": "ip", "ipv6-addr": "ip"}
INVITE_URL = {"telegram": "https://t.me/+{}", "whatsapp": "https://chat.whatsapp.com/{}"}
_BUNDLE = re.compile(rb'"type"\s*:\s*"bundle"')


def looks_like_bundle(path: Path) -> bool:
    """A JSON file whose first 64 KB say ``"type": "bundle"`` (the detect rule of loaders/stix.yaml)."""
    try:
        with open(path, "rb") as fh:
            return bool(_BUNDLE.search(fh.read(65536)))
    except OSError:
        return False


def _bundle(path: Path) -> dict:
    try:
        with open(path, encoding="utf-8-sig") as fh:
            data = json.load(fh)
    except json.JSONDecodeError as exc:
        raise LoadError(f"{path} is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})",
                        hint="A STIX file must be one JSON bundle; check that the file is complete.") from None
    except UnicodeDecodeError as exc:
        raise LoadError(f"{path} is not UTF-8 text ({exc.reason} at byte {exc.start})",
                        hint="STIX bundles are UTF-8 JSON.") from None
    if not isinstance(data, dict) or data.get("type") != "bundle" or not isinstance(data.get("objects", []), list):
        raise LoadError(f"{path} is not a STIX bundle (no \"type\": \"bundle\" with a list of \"objects\")",
                        hint="Export a bundle (STIX 2.1) from the other tool, or pick another --input-format.")
    return data


def report_meta(path: Path, mapping: dict[str, Any]) -> dict[str, str]:
    """The report's source (the bundle's creators' names) and title (its id)."""
    data = _bundle(path)
    objects = [o for o in data.get("objects") or [] if isinstance(o, dict)]
    creators = {o.get("created_by_ref") for o in objects if o.get("created_by_ref")}
    names = sorted({str(o.get("name")) for o in objects if o.get("type") == "identity" and o.get("id") in creators
                    and o.get("name")})
    return {"source": "STIX bundle" + (f" from {', '.join(names)}" if names else ""),
            "title": f"STIX bundle {data.get('id') or Path(path).name}"}


class _Bundle:
    """The bundle's objects by id, with what each says in graphkit's terms."""

    def __init__(self, path: Path, data: dict):
        self.file = str(path)
        self.objects = data.get("objects") or []
        self.by_id: dict[str, tuple[int, dict]] = {}
        for i, obj in enumerate(self.objects):
            if isinstance(obj, dict) and isinstance(obj.get("id"), str):
                self.by_id[obj["id"]] = (i, obj)

    @staticmethod
    def ext(obj: dict) -> dict:
        return (obj.get("extensions") or {}).get(EXTENSION_ID) or {}

    def kind(self, obj: dict | None) -> str | None:
        """group, account, channel, identifier, operator (or None) for an object."""
        if not obj:
            return None
        ext = self.ext(obj)
        if ext.get("kind"):
            return str(ext["kind"])
        t = obj.get("type")
        return {"intrusion-set": "group", "user-account": "account"}.get(t) or (
            "identifier" if t in IDENTIFIER_SCO or t == "graphkit-identifier" else None)

    def get(self, ref) -> tuple[int, dict] | tuple[None, None]:
        return self.by_id.get(ref, (None, None)) if isinstance(ref, str) else (None, None)

    def row(self, table: str, i: int, values: dict, paths: dict) -> Row:
        return Row(table, self.file, i + 1, values, {k: f"objects[{i}].{v}" for k, v in paths.items()})

    def reject(self, table: str, i: int, prop: str, reason: str, obj) -> Reject:
        return Reject(table, self.file, i + 1, f"objects[{i}].{prop}" if prop else f"objects[{i}]", reason,
                      raw_text([json.dumps(obj, ensure_ascii=False)]))

    # -- what an object is, in bundle-table terms -----------------------------------------------

    def gid(self, obj: dict) -> str | None:
        return self.ext(obj).get("gid") or obj.get("name")

    def account_ref(self, obj: dict) -> tuple[str | None, str | None, str]:
        """(platform, handle or channel name, the JSON property that failed) of a user-account."""
        ext = self.ext(obj)
        platform = ext.get("platform") or PLATFORM_OF.get(str(obj.get("account_type") or "").lower())
        if not platform:
            return None, None, "account_type"
        name = ext.get("name_norm") if ext.get("kind") == "channel" else None
        return platform, name or obj.get("account_login"), "account_login"


def _text(value) -> str | None:
    return None if value is None else str(value)


def read(path: str | Path, mapping: dict[str, Any]) -> Iterator[Row | Reject | Skipped]:
    path = Path(path)
    b = _Bundle(path, _bundle(path))
    links = _links(b)
    yield from _groups(b)
    yield from _accounts(b, links)
    yield from _identifiers(b, links)
    yield from _sightings(b)
    yield from _mirrors(b, links)
    yield from _skipped(b)


# the graphkit link of a relationship without one in its extension, by the kinds of its two ends
INFERRED = {("account", "group"): "affiliated_with", ("account", "identifier"): "uses",
            ("channel", "group"): "affiliated_with"}


def _links(b: _Bundle) -> list[tuple[int, dict, str, dict, dict]]:
    """(index, relationship, graphkit link, source object, target object) of every relationship."""
    out = []
    for i, obj in enumerate(b.objects):
        if not isinstance(obj, dict) or obj.get("type") != "relationship":
            continue
        _, source = b.get(obj.get("source_ref"))
        _, target = b.get(obj.get("target_ref"))
        link = b.ext(obj).get("link")
        if not link:
            link = INFERRED.get((b.kind(source), b.kind(target)), obj.get("relationship_type"))
        out.append((i, obj, str(link), source, target))
    return out


def _groups(b: _Bundle):
    for i, obj in enumerate(b.objects):
        if not isinstance(obj, dict) or obj.get("type") != "intrusion-set":
            continue
        ext = b.ext(obj)
        name = obj.get("name")
        aliases = [a for a in obj.get("aliases") or [] if isinstance(a, str)]
        yield b.row("groups", i, {"group_id": _text(b.gid(obj)), "name": _text(name), "aliases": "; ".join(aliases) or None,
                                  "country": _text(ext.get("country")), "description": _text(obj.get("description"))},
                    {"group_id": "extensions.gid" if ext.get("gid") else "name", "name": "name", "aliases": "aliases",
                     "country": "extensions.country", "description": "description"})
        for j, d in enumerate(ext.get("designations") or []):
            yield b.row("designations", i, {"group_id": _text(b.gid(obj)), "authority": _text(d.get("authority")),
                                            "program": _text(d.get("program")), "reference": _text(d.get("reference")),
                                            "listed_on": _text(d.get("listed_on"))},
                        {k: f"extensions.designations[{j}].{k}" for k in ("authority", "program", "reference",
                                                                          "listed_on")} | {"group_id": "name"})


def _bad_platform(b: _Bundle, table: str, i: int, obj: dict) -> Reject:
    value = obj.get("account_type")
    reason = (f"account_type {value!r} is not a platform graphkit knows ({', '.join(sorted(set(PLATFORM_OF)))})"
              if value else "a user-account needs an account_type naming its platform (twitter, facebook, telegram ...)")
    return b.reject(table, i, "account_type", reason, obj)


def _accounts(b: _Bundle, links):
    groups: dict[str, list[str]] = {}
    operators: dict[str, str] = {}
    admins: dict[str, list[str]] = {}
    for _, _, link, source, target in links:
        if not source or not target:
            continue
        if link == "affiliated_with" and b.kind(target) == "group":
            groups.setdefault(source["id"], []).append(str(b.gid(target)))
        elif link == "operates":
            operators[target["id"]] = str(b.ext(source).get("oid") or source.get("name"))
        elif link == "administers" and b.kind(source) == "account":
            admins.setdefault(target["id"], []).append(str(b.account_ref(source)[1]))
    for kind in ("account", "channel"):
        table = "accounts" if kind == "account" else "channels"
        for i, obj in enumerate(b.objects):
            if not isinstance(obj, dict) or obj.get("type") != "user-account" or b.kind(obj) != kind:
                continue
            platform, name, _ = b.account_ref(obj)
            if not platform:
                yield _bad_platform(b, table, i, obj)
                continue
            ext = b.ext(obj)
            gids = groups.get(obj["id"]) or [None]
            if kind == "account":
                values = {"platform": platform, "handle": _text(name), "platform_id": _text(ext.get("platform_id")),
                          "display_name": _text(obj.get("display_name")), "bio": _text(ext.get("bio")),
                          "status": _text(ext.get("status")), "followers": _text(ext.get("followers")),
                          "statuses": _text(ext.get("statuses")), "location": _text(ext.get("location")),
                          "url": _text(ext.get("url")),
                          "created_at": _text(ext.get("created_at") or obj.get("account_created")),
                          "removed_at": _text(ext.get("removed_at")), "operator_id": operators.get(obj["id"])}
                paths = {"platform": "extensions.platform" if ext.get("platform") else "account_type",
                         "handle": "account_login", "display_name": "display_name", "created_at": "account_created"}
            else:
                values = {"platform": platform, "channel": _text(name), "name": _text(obj.get("display_name")),
                          "kind": _text(ext.get("channel_kind")), "members": _text(ext.get("members")),
                          "status": _text(ext.get("status")), "url": _text(ext.get("url")),
                          "created_at": _text(ext.get("created_at")), "removed_at": _text(ext.get("removed_at")),
                          "admins": ";".join(admins.get(obj["id"], [])) or None}
                paths = {"platform": "extensions.platform", "channel": "extensions.name_norm", "name": "display_name"}
            paths = {k: paths.get(k, f"extensions.{k}") for k in values}
            for n, gid in enumerate(gids):
                row = dict(values) if n == 0 else {k: values[k] for k in ("platform", "handle" if kind == "account"
                                                                             else "channel")}
                row["group_id"] = gid
                yield b.row(table, i, row, {**paths, "group_id": "relationship (affiliation)"})


def _identifier_value(b: _Bundle, obj: dict) -> tuple[str | None, str | None]:
    ext = b.ext(obj)
    kind = ext.get("identifier_kind") or obj.get("identifier_kind") or IDENTIFIER_SCO.get(obj.get("type"))
    value = _text(obj.get("value"))
    if kind == "invite" and value and ":" in value and "/" not in value:
        platform, code = value.split(":", 1)
        if platform in INVITE_URL:
            value = INVITE_URL[platform].format(code)
    return kind, value


def _each_link(b: _Bundle, links, wanted: str, table: str, rows):
    """``rows(b, i, relationship, source, target)`` for each ``wanted`` link whose two ends are in
    the bundle; a Reject (``table``) for one that names an object the bundle does not hold."""
    for i, rel, link, source, target in links:
        if link != wanted:
            continue
        if not source or not target:
            yield b.reject(table, i, "target_ref" if source else "source_ref",
                           "the relationship names an object that is not in the bundle", rel)
            continue
        yield from rows(b, i, rel, source, target)


def _identifiers(b: _Bundle, links):
    return _each_link(b, links, "uses", "identifiers", _identifier_row)


def _identifier_row(b: _Bundle, i: int, rel: dict, source: dict, target: dict):
    if b.kind(source) != "account":
        yield Skipped(b.file, i + 1, "identifiers of channels (graphkit's bundle tables tie identifiers to accounts)")
        return
    platform, handle, prop = b.account_ref(source)
    if not platform:
        yield _bad_platform(b, "identifiers", b.by_id[source["id"]][0], source)
        return
    kind, value = _identifier_value(b, target)
    ext = b.ext(rel)
    j = b.by_id[target["id"]][0]
    yield Row("identifiers", b.file, i + 1,
              {"platform": platform, "account": _text(handle), "kind": kind, "value": value,
               "first_seen": _text(ext.get("first_seen")), "last_seen": _text(ext.get("last_seen"))},
              {"platform": f"objects[{i}].source_ref", "account": f"objects[{i}].source_ref",
               "kind": f"objects[{j}].type", "value": f"objects[{j}].value",
               "first_seen": f"objects[{i}].extensions.first_seen", "last_seen": f"objects[{i}].extensions.last_seen"})


def _sightings(b: _Bundle):
    promoted: dict[str, tuple[str, str | None]] = {}  # observed-data id -> (gid, description)
    for obj in b.objects:
        if isinstance(obj, dict) and obj.get("type") == "sighting":
            _, group = b.get(obj.get("sighting_of_ref"))
            if group and b.kind(group) == "group":
                for ref in obj.get("observed_data_refs") or []:
                    promoted.setdefault(ref, (str(b.gid(group)), obj.get("description")))
    for i, obj in enumerate(b.objects):
        if not isinstance(obj, dict) or obj.get("type") != "observed-data":
            continue
        refs = [b.get(r)[1] for r in obj.get("object_refs") or []]
        accounts = [r for r in refs if r and r.get("type") == "user-account" and b.kind(r) == "account"]
        channels = [r for r in refs if r and r.get("type") == "user-account" and b.kind(r) == "channel"]
        if not accounts:
            yield Skipped(b.file, i + 1, "observed-data of no account (graphkit loads sightings of accounts)")
            continue
        platform, handle, _ = b.account_ref(accounts[0])
        if not platform:
            yield _bad_platform(b, "sightings", b.by_id[accounts[0]["id"]][0], accounts[0])
            continue
        ext = b.ext(obj)
        gid, said = promoted.get(obj["id"], (None, None))
        promotes = [g.split(":", 1)[1] for g in ext.get("promotes") or [] if ":" in str(g)]
        values = {"observed_at": _text(obj.get("first_observed")), "platform": platform, "account": _text(handle),
                  "channel": _text(b.account_ref(channels[0])[1]) if channels else None,
                  "group_id": promotes[0] if promotes else gid, "post_url": _text(ext.get("url")),
                  "excerpt": _text(ext.get("excerpt") if "excerpt" in ext else said),
                  "language": _text(ext.get("language")), "sighting_id": _text(ext.get("sid"))}
        yield b.row("sightings", i, values, {"observed_at": "first_observed", "platform": "object_refs",
                                             "account": "object_refs", "channel": "object_refs",
                                             "group_id": "extensions.promotes", "post_url": "extensions.url",
                                             "excerpt": "extensions.excerpt", "language": "extensions.language",
                                             "sighting_id": "extensions.sid"})


def _mirrors(b: _Bundle, links):
    return _each_link(b, links, "mirror_of", "mirrors", _mirror_row)


def _mirror_row(b: _Bundle, i: int, rel: dict, source: dict, target: dict):
    (platform, handle, _), (pred_platform, pred, _) = b.account_ref(source), b.account_ref(target)
    ext = b.ext(rel)
    yield Row("mirrors", b.file, i + 1,
              {"platform": platform, "account": _text(handle), "predecessor_platform": pred_platform,
               "predecessor": _text(pred), "status": _text(ext.get("status")), "note": _text(ext.get("note"))},
              {"platform": f"objects[{i}].source_ref", "account": f"objects[{i}].source_ref",
               "predecessor_platform": f"objects[{i}].target_ref", "predecessor": f"objects[{i}].target_ref",
               "status": f"objects[{i}].extensions.status", "note": f"objects[{i}].extensions.note"})


FOLDED = {"affiliated_with": "affiliation (loaded with the account or channel)",
          "operates": "operator (loaded with the account)", "administers": "admins (loaded with the channel)",
          "posts_in": "posts-in (graphkit makes it from the sightings in the channel)",
          "same_operator": "same-operator decision (recorded with graphkit operators review, not loaded)"}
LOADED = {"intrusion-set", "user-account", "observed-data"}


def _skipped(b: _Bundle):
    """Every object that gave no row of its own, counted by why (nothing is dropped silently)."""
    for i, obj in enumerate(b.objects):
        if not isinstance(obj, dict):
            yield Reject("groups", b.file, i + 1, f"objects[{i}]", "not a STIX object (a JSON object expected)",
                         raw_text([json.dumps(obj, ensure_ascii=False)]))
            continue
        t = obj.get("type")
        if t in LOADED:
            continue
        if t == "relationship":
            link = b.ext(obj).get("link")
            if link in ("uses", "mirror_of"):
                continue
            if not link:
                _, source = b.get(obj.get("source_ref"))
                _, target = b.get(obj.get("target_ref"))
                if (b.kind(source), b.kind(target)) in INFERRED:
                    continue
            yield Skipped(b.file, i + 1, f"relationship: {FOLDED.get(link, 'a link graphkit has no table for')}")
        elif t in IDENTIFIER_SCO or t == "graphkit-identifier":
            yield Skipped(b.file, i + 1, "identifier (loaded through the relationship of the account that uses it)")
        elif t == "sighting":
            yield Skipped(b.file, i + 1, "sighting (its group and text go with its observed-data)")
        else:
            yield Skipped(b.file, i + 1, f"{t} objects are not loaded")
