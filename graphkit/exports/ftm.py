"""A scope as FollowTheMoney entities, one JSON object a line, as Aleph and OpenSanctions ingest.

- groups: ``Organization`` (name, alias, country, description, topic ``crime.terror``); each
  designation a ``Sanction`` (entity, authority, program, listingDate, recordId = reference);
- accounts and channels: ``UserAccount`` (username, service = platform, name = display name,
  summary = bio, createdAt, sourceUrl; the e-mail addresses, phones and IP addresses it uses as
  ``email``, ``phone``, ``ipAddress``; other identifiers as ``keywords`` ``kind:value``);
  an operator is a ``LegalEntity`` and the ``owner`` of the accounts it operates;
- affiliation: ``Membership`` for an operator, else an ``UnknownLink`` (role "affiliated with");
  administration, posting, mirror links (role "mirror of (successor -> predecessor)", status) and
  shared-operator decisions: ``UnknownLink``.
Entity ids are FtM's ``make_id`` of graphkit's keys (stable across exports).
"""
from __future__ import annotations

import datetime as _dt
import json

from followthemoney import model

from graphkit.exports.scope import Scope

ACCOUNT_PROPERTY = {"email": "email", "phone": "phone", "ip": "ipAddress"}
ROLES = {"affiliated_with": "affiliated with", "administers": "administers", "posts_in": "posts in",
         "mirror_of": "mirror of (successor -> predecessor)", "same_operator": "same operator (analyst decision)"}


def _value(value) -> str:
    if isinstance(value, _dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S")
    if isinstance(value, _dt.date):
        return value.isoformat()
    return str(value)


def _make(schema: str, *key: str):
    entity = model.make_entity(schema)
    entity.make_id("graphkit", *key)
    return entity


def _add(entity, prop: str, value) -> None:
    if value is None or value == "":
        return
    for v in value if isinstance(value, list) else [value]:
        entity.add(prop, _value(v), cleaned=True)


def entities(scope: Scope):
    """Yield the scope's FtM entities (EntityProxy), nodes first, then sanctions and links."""
    ids: dict[str, str] = {}
    made = {}
    for node in scope.nodes.values():
        p = node.props
        if node.kind == "group":
            e = _make("Organization", node.id)
            _add(e, "name", p.get("name") or node.key)
            _add(e, "alias", [a for a in p.get("aliases") or [] if a != p.get("name")])
            _add(e, "country", (p.get("country") or "").lower() or None)
            _add(e, "description", p.get("description"))
            _add(e, "topics", "crime.terror")
        elif node.kind in ("account", "channel"):
            e = _make("UserAccount", node.id)
            _add(e, "username", (p.get("name_norm") if node.kind == "channel" else p.get("handle")) or p.get("platform_id"))
            _add(e, "service", p.get("platform"))
            _add(e, "name", p.get("display_name") or p.get("name") or node.label)
            _add(e, "summary", p.get("bio"))
            _add(e, "createdAt", p.get("created_at"))
            _add(e, "sourceUrl", p.get("url"))
            _add(e, "description", f"graphkit {node.kind} {node.key}" + (f", status {p['status']}" if p.get("status") else ""))
        elif node.kind == "operator":
            e = _make("LegalEntity", node.id)
            _add(e, "name", node.key)
            _add(e, "description", "an operator behind accounts, as graphkit records it")
        else:
            continue  # identifiers become properties of the accounts that use them
        ids[node.id] = e.id
        made[node.id] = e
    yield from _links(scope, ids, made)


def _links(scope: Scope, ids: dict, made: dict):
    extra = []
    for link in scope.links:
        source, target = scope.nodes[link.source], scope.nodes[link.target]
        if link.type == "uses" and link.source in made:
            kind, value = target.props.get("kind"), target.props.get("value")
            prop = ACCOUNT_PROPERTY.get(kind)
            made[link.source].add(prop or "keywords", str(value) if prop else f"{kind}:{value}", cleaned=not prop)
            continue
        if link.type == "operates" and link.target in made:
            made[link.target].add("owner", ids[link.source])
            continue
        if link.source not in ids or link.target not in ids:
            continue
        if link.type == "affiliated_with" and source.kind == "operator":
            e = _make("Membership", link.type, link.source, link.target)
            e.add("member", ids[link.source])
            e.add("organization", ids[link.target])
        else:
            e = _make("UnknownLink", link.type, link.source, link.target)
            e.add("subject", ids[link.source])
            e.add("object", ids[link.target])
        _add(e, "role", ROLES.get(link.type, link.type.replace("_", " ")))
        _add(e, "status", link.props.get("status"))
        _add(e, "startDate", link.props.get("first_seen") or link.props.get("detected_at"))
        _add(e, "endDate", link.props.get("last_seen") or link.props.get("decided_at"))
        _add(e, "description", "; ".join(f"{k} {_value(link.props[k])}" for k in ("score", "method", "note", "action")
                                         if link.props.get(k) is not None) or None)
        extra.append(e)
    for d in scope.designations:
        group = f"group:{d['gid']}"
        if group not in ids:
            continue
        e = _make("Sanction", group, d["authority"], d.get("program") or "")
        e.add("entity", ids[group])
        _add(e, "authority", d["authority"])
        _add(e, "program", d.get("program"))
        _add(e, "listingDate", d.get("listed_on"))
        _add(e, "recordId", d.get("reference"))
        extra.append(e)
    yield from made.values()
    yield from extra


def write(scope: Scope, path) -> dict:
    counts: dict[str, int] = {}
    with open(path, "w", encoding="utf-8") as fh:
        for entity in entities(scope):
            fh.write(json.dumps(entity.to_dict(), ensure_ascii=False, sort_keys=True) + "\n")
            counts[entity.schema.name] = counts.get(entity.schema.name, 0) + 1
    return counts
