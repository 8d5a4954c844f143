"""A scope as a STIX 2.1 bundle, built with the ``stix2`` library.

- groups: ``intrusion-set`` (aliases; each designation an external reference naming authority,
  program, reference and date);
- accounts: ``user-account`` (``account_type`` where the STIX vocabulary has the platform: x is
  ``twitter``, facebook ``facebook``; ``user_id`` the graphkit key, ``account_login`` the handle);
  channels: ``user-account`` too (``user_id`` ``channel:<key>``), operators: ``threat-actor``;
- identifiers: ``email-addr``, ``url``, ``ipv4-addr``/``ipv6-addr`` where STIX has one; phones,
  invites, device ids, image hashes and wallets: ``graphkit-identifier`` (a new SCO declared by
  graphkit's extension definition);
- links: ``relationship`` objects of type ``related-to`` (the type OpenCTI itself uses between
  observables and entities), the graphkit link in the description and the extension
  (mirror links: successor -> predecessor, score, method, evidence, status); a confirmed or
  rejected link becomes an ``opinion`` too (strongly-agree / strongly-disagree);
- sightings: ``observed-data`` of the account (and the channel it was in), plus a ``sighting`` of
  the group it promoted; reports: ``report`` objects listing what each report asserted;
- an ``identity`` for graphkit as creator, the TLP marking (default amber) on every object, and one
  ``extension-definition`` whose property extension carries graphkit's own properties (status,
  followers, platform, keys, reports ...), so a bundle re-imports without loss.

Ids are deterministic: SDOs and SROs get UUIDv5 ids from graphkit's keys (``NAMESPACE``), SCOs the
spec's own UUIDv5 from their id-contributing properties, so re-exporting updates objects in
OpenCTI instead of duplicating them. (stix2-validator's strict mode flags UUIDv5 on SDOs with
its best-practice check 103, "SHOULD use UUIDv4"; the spec allows other versions, and
determinism is the point here. docs/exports.md says so.)
"""
from __future__ import annotations

import datetime as _dt
import ipaddress
import json
import uuid

import stix2

from graphkit.exports.scope import Node, Scope, visit

NAMESPACE = uuid.UUID("6f1c2a4e-53d2-4b8e-9a57-0c0d1e2f3a4b")  # graphkit's, for SDO/SRO ids
EPOCH = _dt.datetime(2000, 1, 1, tzinfo=_dt.timezone.utc)
TLP = {"clear": stix2.TLP_WHITE, "white": stix2.TLP_WHITE, "green": stix2.TLP_GREEN,
       "amber": stix2.TLP_AMBER, "red": stix2.TLP_RED}
#: graphkit platforms that STIX's account-type-ov vocabulary names
ACCOUNT_TYPES = {"x": "twitter", "facebook": "facebook"}
CUSTOM_SCO = "graphkit-identifier"


def sdo_id(stix_type: str, *parts: str) -> str:
    return f"{stix_type}--{uuid.uuid5(NAMESPACE, '|'.join([stix_type, *map(str, parts)]))}"


IDENTITY_ID = sdo_id("identity", "graphkit")
EXTENSION_ID = sdo_id("extension-definition", "graphkit-properties", "1.0")


def _time(value) -> _dt.datetime | None:
    if isinstance(value, _dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=_dt.timezone.utc)
    if isinstance(value, _dt.date):
        return _dt.datetime(value.year, value.month, value.day, tzinfo=_dt.timezone.utc)
    return None


def _json_value(value):
    if isinstance(value, dict):
        return {k: _json_value(v) for k, v in value.items() if v is not None}
    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        return value.isoformat()
    if isinstance(value, _dt.datetime):
        moment = _time(value)
        return moment.strftime("%Y-%m-%dT%H:%M:%S") + (f".{moment.microsecond:06d}" if moment.microsecond else "") + "Z"
    if isinstance(value, list):
        return [_json_value(v) for v in value]
    return value


def ext(props: dict, **more) -> dict:
    """The graphkit property extension: every non-empty value, times as STIX timestamps."""
    values = {k: _json_value(v) for k, v in {**props, **more}.items() if v is not None and v != []}
    return {EXTENSION_ID: {"extension_type": "property-extension", **values}}


def _created(*props: dict) -> tuple[_dt.datetime, _dt.datetime]:
    """created / modified of an SDO: its first and last time seen (or EPOCH): stable across exports."""
    firsts = [t for p in props for t in (_time(p.get("first_seen")), _time(p.get("detected_at"))) if t]
    lasts = [t for p in props for t in (_time(p.get("last_seen")), _time(p.get("decided_at"))) if t]
    created = min(firsts) if firsts else EPOCH
    modified = max([created, *lasts])
    return created, modified


class _Builder:
    """Makes the objects and hands each to ``sink`` as it is made (a list, or the file being
    written: a 100k-account bundle is never held whole in memory)."""

    def __init__(self, scope: Scope, tlp: str, sink):
        self.scope = scope
        self.marking = TLP[tlp]
        self.sink = sink
        self.ids: dict[str, str] = {}  # Node.id -> STIX id
        self.asserted: dict[str, list[str]] = {}  # report id -> STIX ids

    def common(self, props: dict) -> dict:
        created, modified = _created(props)
        return {"created_by_ref": IDENTITY_ID, "object_marking_refs": [self.marking],
                "created": created, "modified": modified, "allow_custom": True}

    def add(self, obj, reports=()) -> None:
        self.sink(obj)
        for rid in reports:
            self.asserted.setdefault(rid, []).append(obj["id"])

    def group(self, node: Node) -> None:
        p = node.props
        designations = [d for d in self.scope.designations if d["gid"] == node.key]
        refs = [{"source_name": d["authority"], **({"external_id": d["reference"]} if d.get("reference") else {}),
                 "description": f"designated by {d['authority']}, program {d.get('program') or '-'}"
                 + (f", listed on {d['listed_on']}" if d.get("listed_on") else "")} for d in designations]
        aliases = [a for a in (p.get("aliases") or []) if a != p.get("name")]
        obj = stix2.IntrusionSet(
            id=sdo_id("intrusion-set", node.key), name=p.get("name") or node.key, aliases=aliases or None,
            description=p.get("description"), first_seen=_time(p.get("first_seen")),
            last_seen=_time(p.get("last_seen")), external_references=refs or None,
            extensions=ext({"kind": "group", "gid": node.key, "country": p.get("country"), "ids": p.get("ids"),
                            "designations": [{k: v for k, v in d.items() if k not in ("gid", "reports")}
                                             for d in designations], "reports": node.reports}),
            **self.common(p))
        self.ids[node.id] = obj.id
        self.add(obj, node.reports)

    def account(self, node: Node) -> None:
        p = node.props
        channel = node.kind == "channel"
        login = p.get("name_norm") if channel else p.get("handle")
        extra = {k: v for k, v in p.items() if k not in ("key", "display_name", "name", "handle", "kind")}
        if channel:
            extra["channel_kind"] = p.get("kind")
        obj = stix2.UserAccount(
            user_id=f"channel:{node.key}" if channel else node.key, account_login=login,
            account_type=None if channel else ACCOUNT_TYPES.get(p.get("platform")),
            display_name=p.get("display_name") if not channel else p.get("name"),
            account_created=_time(p.get("created_at")),
            extensions=ext(extra, kind=node.kind, key=node.key, name=p.get("name") if channel else None,
                           reports=node.reports),
            object_marking_refs=[self.marking], allow_custom=True)
        self.ids[node.id] = obj.id
        self.add(obj, node.reports)

    def identifier(self, node: Node) -> None:
        p = node.props
        kind, value = p.get("kind"), str(p.get("value"))
        extra = ext({"kind": "identifier", "identifier_kind": kind, "key": node.key,
                     "first_seen": p.get("first_seen"), "last_seen": p.get("last_seen"), "reports": node.reports})
        common = {"object_marking_refs": [self.marking], "allow_custom": True, "extensions": extra}
        obj = None
        if kind == "email":
            obj = stix2.EmailAddress(value=value, **common)
        elif kind == "url" and "://" in value:
            obj = stix2.URL(value=value, **common)
        elif kind == "ip":
            try:
                version = ipaddress.ip_address(value.split("/")[0]).version
                obj = (stix2.IPv4Address if version == 4 else stix2.IPv6Address)(value=value, **common)
            except ValueError:
                obj = None
        if obj is None:
            extra[EXTENSION_ID] = {"extension_type": "new-sco", **{k: v for k, v in extra[EXTENSION_ID].items()
                                                                     if k != "extension_type"}}
            obj = {"type": CUSTOM_SCO, "spec_version": "2.1", "id": f"{CUSTOM_SCO}--{uuid.uuid5(NAMESPACE, node.key)}",
                   "identifier_kind": kind, "value": value, "object_marking_refs": [self.marking["id"]],
                   "extensions": extra}
        self.ids[node.id] = obj["id"]
        self.add(obj, node.reports)

    def operator(self, node: Node) -> None:
        obj = stix2.ThreatActor(id=sdo_id("threat-actor", node.key), name=node.key,
                                description="an operator behind accounts, as graphkit records it",
                                extensions=ext({"kind": "operator", "oid": node.key, "reports": node.reports}),
                                **self.common(node.props))
        self.ids[node.id] = obj.id
        self.add(obj, node.reports)

    def link(self, link) -> None:
        source, target = self.scope.nodes[link.source], self.scope.nodes[link.target]
        p = link.props
        words = link.type.replace("_", " ")
        if link.type == "mirror_of":
            description = (f"{source.label} is a mirror of {target.label} (successor -> predecessor); "
                           f"status {p.get('status') or 'candidate'}"
                           + (f", score {p['score']}" if p.get("score") is not None else ""))
        else:
            description = f"{source.label} {words} {target.label}"
        extra = {k: v for k, v in p.items() if k != "reports"}
        if link.type == "mirror_of":
            extra.update(successor=source.id, predecessor=target.id)
        obj = stix2.Relationship(
            id=sdo_id("relationship", link.type, link.source, link.target), relationship_type="related-to",
            source_ref=self.ids[link.source], target_ref=self.ids[link.target], description=description,
            start_time=_time(p.get("first_seen")), stop_time=_time(p.get("last_seen"))
            if _time(p.get("first_seen")) and _time(p.get("last_seen")) and p["last_seen"] > p["first_seen"] else None,
            extensions=ext(extra, link=link.type, source=link.source, target=link.target, reports=link.reports),
            **self.common(p))
        self.add(obj, link.reports)
        status = p.get("status")
        if link.type in ("mirror_of", "same_operator") and status in ("confirmed", "rejected"):
            decided = _time(p.get("decided_at")) or obj.modified
            explanation = p.get("note") or f"{words} {status}" + (f" ({p['action']})" if p.get("action") else "")
            self.add(stix2.Opinion(
                id=sdo_id("opinion", link.type, link.source, link.target),
                opinion="strongly-agree" if status == "confirmed" else "strongly-disagree",
                explanation=explanation, object_refs=[obj.id], created=decided, modified=decided,
                created_by_ref=IDENTITY_ID, object_marking_refs=[self.marking],
                extensions=ext({"status": status, "action": p.get("action"), "decided_at": p.get("decided_at")}),
                allow_custom=True), link.reports)

    def sighting(self, s: dict) -> None:
        seen = _time(s.get("observed_at")) or EPOCH
        refs = [self.ids[s["of"]], *(self.ids[c] for c in s["in"] if c in self.ids)]
        props = {k: v for k, v in s.items() if k not in ("of", "in", "promotes", "reports")}
        observed = stix2.ObservedData(
            id=sdo_id("observed-data", s["sid"]), first_observed=seen, last_observed=seen, number_observed=1,
            object_refs=refs, created=seen, modified=seen, created_by_ref=IDENTITY_ID,
            object_marking_refs=[self.marking], allow_custom=True,
            extensions=ext(props, target=s["of"], channels=s["in"], promotes=s["promotes"], reports=s["reports"]))
        self.add(observed, s["reports"])
        for group in s["promotes"]:
            if group in self.ids:
                self.add(stix2.Sighting(
                    id=sdo_id("sighting", s["sid"], group), sighting_of_ref=self.ids[group],
                    observed_data_refs=[observed.id], first_seen=seen, last_seen=seen, count=1,
                    description=s.get("excerpt"), created=seen, modified=seen, created_by_ref=IDENTITY_ID,
                    object_marking_refs=[self.marking], allow_custom=True,
                    extensions=ext({"sid": s["sid"], "url": s.get("url")})), s["reports"])

    def reports(self) -> None:
        for rid, refs in sorted(self.asserted.items()):
            meta = self.scope.reports.get(rid, {})
            published = _time(meta.get("date")) or EPOCH
            self.sink(stix2.Report(
                id=sdo_id("report", rid), name=meta.get("title") or rid, published=published,
                report_types=["threat-report"], object_refs=list(dict.fromkeys(refs)),
                description=f"graphkit report {rid}" + (f" from {meta['source']}" if meta.get("source") else ""),
                created=published, modified=published, created_by_ref=IDENTITY_ID,
                object_marking_refs=[self.marking], allow_custom=True,
                extensions=ext({"rid": rid, "source": meta.get("source")})))


def header_objects(marking) -> list:
    identity = stix2.Identity(id=IDENTITY_ID, name="graphkit", identity_class="system",
                              description="graphkit, a toolkit that maps proscribed groups' use of social media",
                              created=EPOCH, modified=EPOCH)
    extension = stix2.ExtensionDefinition(
        id=EXTENSION_ID, created_by_ref=IDENTITY_ID, created=EPOCH, modified=EPOCH,
        name="graphkit properties", version="1.0", extension_types=["property-extension", "new-sco"],
        description="graphkit's own properties of its objects (kind, key, platform, status, followers, reports "
                    "...) and its graphkit-identifier observable (identifier_kind, value)",
        schema="graphkit docs/exports.md: every property is the graphkit graph property of the same name; "
               "kind says what the object is in graphkit; link names the graphkit relationship; "
               "graphkit-identifier has identifier_kind (phone, invite, device, image_hash, wallet ...) and value.")
    return [identity, extension, marking]


def _objects(scope: Scope, tlp: str, sink) -> None:
    b = _Builder(scope, tlp, sink)
    for obj in header_objects(b.marking):
        sink(obj)
    visit(scope, b)
    b.reports()


def bundle_id(scope: Scope, tlp: str) -> str:
    return sdo_id("bundle", scope.subject, tlp)


def build_bundle(scope: Scope, tlp: str = "amber") -> stix2.Bundle:
    """The scope as one STIX 2.1 bundle (see the module docstring)."""
    objects: list = []
    _objects(scope, tlp, objects.append)
    return stix2.Bundle(*objects, id=bundle_id(scope, tlp), allow_custom=True)


def write(scope: Scope, path, tlp: str = "amber") -> dict:
    """Write the bundle to ``path`` (UTF-8 JSON, one object after the other as they are made);
    returns the number of objects per STIX type."""
    counts: dict[str, int] = {}
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(json.dumps({"type": "bundle", "id": bundle_id(scope, tlp)})[:-1] + ', "objects": [')
        first = [True]

        def sink(obj) -> None:
            text = (json.dumps(obj, ensure_ascii=False) if isinstance(obj, dict)
                    else obj.serialize(ensure_ascii=False))
            fh.write(("" if first[0] else ", ") + text)
            first[0] = False
            counts[obj["type"]] = counts.get(obj["type"], 0) + 1

        _objects(scope, tlp, sink)
        fh.write("]}")
    return counts
