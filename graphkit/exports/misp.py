"""A scope as one MISP event (JSON), built with PyMISP.

- groups: ``organization`` objects (name, aliases, description), with a
  ``graphkit:group="GID"`` tag on the event;
- accounts and channels: ``user-account`` objects (username = handle or channel name, user-id =
  graphkit key, display-name, account-type = platform, description = bio, link = profile URL,
  group = affiliated gids), the username tagged ``graphkit:platform="..."`` and
  ``graphkit:group="..."``;
- identifiers: attributes of the fitting MISP type (email, url, ip-dst, phone-number; text for
  the others, the kind in the comment); operators: text attributes;
- links: object references (``affiliated-with``, ``administers``, ``posts-in``, ``uses``,
  ``operated-by``, ``mirror-of`` successor -> predecessor with status and score in the comment,
  ``same-operator``);
- sightings: ``microblog`` objects (post = excerpt, url, creation-date, language) referencing the
  account (``posted-by``).
The event carries the TLP tag (``tlp:amber`` by default). UUIDs are UUIDv5 from graphkit's keys,
so a re-export updates the same event and objects in MISP.
"""
from __future__ import annotations

import datetime as _dt
import uuid

from pymisp import MISPAttribute, MISPEvent, MISPObject

from graphkit.exports.scope import Node, Scope, visit
from graphkit.exports.stix import NAMESPACE

ATTRIBUTE_TYPES = {"email": "email", "url": "url", "ip": "ip-dst", "phone": "phone-number", "invite": "text",
                   "device": "text", "image_hash": "text", "wallet": "text"}
REFERENCE = {"affiliated_with": "affiliated-with", "administers": "administers", "posts_in": "posts-in",
             "uses": "uses", "mirror_of": "mirror-of", "same_operator": "same-operator"}


def _uuid(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "|".join(["misp", *parts])))


def _text(value) -> str:
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.isoformat()
    return str(value)


class _Event:
    def __init__(self, scope: Scope, tlp: str):
        self.scope = scope
        self.event = MISPEvent()
        self.event.uuid = _uuid("event", scope.subject)
        self.event.info = f"graphkit export: {scope.subject}"
        self.event.distribution = 0
        self.event.threat_level_id = 4
        self.event.analysis = 2
        self.event.add_tag(f"tlp:{tlp}")
        self.objects: dict[str, MISPObject] = {}
        self.attributes: dict[str, MISPAttribute] = {}
        self.groups: dict[str, list[str]] = {}
        for link in scope.links:
            if link.type == "affiliated_with":
                self.groups.setdefault(link.source, []).append(scope.nodes[link.target].key)

    def group(self, node: Node) -> None:
        p = node.props
        obj = MISPObject("organization", standalone=False)
        obj.uuid = _uuid(node.id)
        obj.add_attribute("name", value=p.get("name") or node.key)
        for alias in p.get("aliases") or []:
            obj.add_attribute("alias", value=alias)
        if p.get("description"):
            obj.add_attribute("description", value=p["description"])
        obj.add_attribute("role", value="proscribed group")
        obj.comment = f"graphkit group {node.key}"
        self.event.add_tag(f'graphkit:group="{node.key}"')
        self.objects[node.id] = self.event.add_object(obj)

    def account(self, node: Node) -> None:
        p = node.props
        channel = node.kind == "channel"
        obj = MISPObject("user-account", standalone=False)
        obj.uuid = _uuid(node.id)
        username = (p.get("name_norm") if channel else p.get("handle")) or p.get("platform_id") or node.key
        user = obj.add_attribute("username", value=str(username))
        user.add_tag(f'graphkit:platform="{p.get("platform")}"')
        for gid in sorted(self.groups.get(node.id, [])):
            user.add_tag(f'graphkit:group="{gid}"')
            obj.add_attribute("group", value=gid)
        obj.add_attribute("user-id", value=node.key)
        obj.add_attribute("account-type", value=str(p.get("platform")))
        for attr, prop in (("display-name", "display_name"), ("description", "bio"), ("link", "url")):
            if p.get(prop):
                obj.add_attribute(attr, value=str(p[prop]))
        if p.get("created_at"):
            obj.add_attribute("created", value=p["created_at"])
        obj.comment = (f"graphkit {node.kind}" + (f", status {p['status']}" if p.get("status") else "")
                       + (f", followers {p['followers']}" if p.get("followers") is not None else ""))
        self.objects[node.id] = self.event.add_object(obj)

    def identifier(self, node: Node) -> None:
        kind = node.props.get("kind")
        attr = self.event.add_attribute(ATTRIBUTE_TYPES.get(kind, "text"), str(node.props.get("value")),
                                        comment=f"graphkit identifier ({kind})", to_ids=False,
                                        uuid=_uuid(node.id))
        self.attributes[node.id] = attr

    def operator(self, node: Node) -> None:
        self.attributes[node.id] = self.event.add_attribute(
            "text", node.key, comment="graphkit operator", to_ids=False, uuid=_uuid(node.id))

    def link(self, link) -> None:
        p = link.props
        if link.type == "operates":  # operator -> account: the account says who operates it
            source, target, relation = link.target, link.source, "operated-by"
        else:
            source, target, relation = link.source, link.target, REFERENCE[link.type]
        holder = self.objects.get(source)
        other = self.objects.get(target) or self.attributes.get(target)
        if holder is None or other is None:
            return
        comment = "; ".join(f"{k} {_text(p[k])}" for k in ("status", "score", "method", "note") if p.get(k) is not None)
        holder.add_reference(other.uuid, relation, comment=comment or None)

    def sighting(self, s: dict) -> None:
        obj = MISPObject("microblog", standalone=False)
        obj.uuid = _uuid("sighting", s["sid"])
        obj.add_attribute("post", value=s.get("excerpt") or "(a sighting without text)")
        if s.get("url"):
            obj.add_attribute("url", value=s["url"])
        if s.get("observed_at"):
            obj.add_attribute("creation-date", value=s["observed_at"])
        if s.get("language"):
            obj.add_attribute("language", value=s["language"])
        target = self.scope.nodes[s["of"]]
        obj.add_attribute("username", value=str(target.props.get("handle") or target.props.get("name") or target.key))
        obj.comment = f"graphkit sighting {s['sid']}"
        added = self.event.add_object(obj)
        if s["of"] in self.objects:
            added.add_reference(self.objects[s["of"]].uuid, "posted-by")


def build_event(scope: Scope, tlp: str = "amber") -> MISPEvent:
    e = _Event(scope, tlp)
    visit(scope, e)
    return e.event


def write(scope: Scope, path, tlp: str = "amber") -> dict:
    event = build_event(scope, tlp)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(event.to_json(indent=None))
    refs = sum(len(o.references) for o in event.objects)
    names: dict[str, int] = {}
    for obj in event.objects:
        names[obj.name] = names.get(obj.name, 0) + 1
    return {**names, "attributes": len(event.attributes), "references": refs}
