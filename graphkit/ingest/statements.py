"""The load statements: one batched ``UNWIND $rows AS row MERGE ...`` per table.

Every statement is idempotent (MERGE on model keys; lists grow only by values not yet in them;
first_seen/last_seen move only outwards), so re-running a batch after a crash converges to the
graph of a clean load. Each returns one ``status`` per input row: ``created`` (the row's main
node or relationship is new), ``updated`` (it existed, and a property, a relationship or a
provenance link the row asserts changed) or ``unchanged``. Labels and types come from the model;
values are always parameters (``$rows``, ``$rid`` = the report id, ``$seen`` = the report date).

Rows travel in a wire form (``wire``): every ``datetime`` becomes an ISO 8601 string that the
statement turns back into a Neo4j DATETIME (``datetime(...)``). The driver's own conversion of a
Python datetime costs about 80 microseconds each (pure Python), which was about half of the
loader's Python time; the server parses the string in a fraction of that.
"""
from __future__ import annotations

import datetime as _dt
from functools import lru_cache

from graphkit.ingest.clauses import (  # N and HEAD are imported from here by other modules too
    FIND_GROUP, HEAD, LISTED, N, account, channel, finish, group, group_by_id, node_status, optional, provenance,
    rank, rel, rel_status, renamed, reports, seen, set_props)


# top-level row fields that may hold a datetime (the statements wrap them in datetime(...))
WIRE_TIMES = ("first_seen", "last_seen")


def wire(record: dict, i: int | None = None) -> dict:
    """The row as sent to the server: datetimes in ``props`` and in ``WIRE_TIMES`` become ISO
    strings, and ``tkeys`` lists the props that the statement must turn back into datetimes.
    ``_key`` (the loader's dedup key) is dropped; ``i`` (the row's index in its batch) is added."""
    row = {k: v for k, v in record.items() if k != "_key"}
    if "props" in row:
        props = row["props"] or {}
        tkeys = [k for k, v in props.items() if isinstance(v, _dt.datetime)]
        if tkeys:
            props = dict(props)
            for k in tkeys:
                props[k] = props[k].isoformat()
            row["props"] = props
        row["tkeys"] = tkeys
    for k in WIRE_TIMES:
        v = row.get(k)
        if isinstance(v, _dt.datetime):
            row[k] = v.isoformat()
    if i is not None:
        row["i"] = i
    return row


@lru_cache(maxsize=1)
def statements() -> dict[str, str]:  # long: one Cypher text per table, data rather than logic
    s: dict[str, str] = {}
    # the row's group: found (a list entry of another list, the same organisation) or new; its gid
    # becomes the best of the two (see _rank). The lead row's properties win, the others only fill
    # gaps: a row leads when its gid is the group's and no list ranked before its own has merged
    # into the group (so a known group such as TTP takes the UN's description over OFAC's remarks,
    # whichever came first); a report's own rows (no list ids) always lead.
    s["groups"] = (
        HEAD + FIND_GROUP + "WITH rep, row, found IS NULL AS created, coalesce(found, row.gid) AS target "
        "WITH rep, row, created, target, CASE WHEN " + rank("row.gid") + " < " + rank("target")
        + " OR (" + rank("row.gid") + " = " + rank("target") + " AND row.gid < target) "
        "THEN row.gid ELSE target END AS best "
        f"MERGE (n:{N['Group']} {{gid: target}}) "
        "WITH rep, row, n, created, best, properties(n) AS before, best = row.gid AND none(i IN coalesce(n.ids, []) "
        "WHERE " + rank("i") + " < " + rank("row.ids[0]") + ") AS lead "
        "SET n.gid = best, n.aliases = reduce(acc = coalesce(n.aliases, []), a IN row.aliases "
        "+ CASE WHEN n.name IS NULL OR n.name = row.props.name THEN [] WHEN lead THEN [n.name] "
        "ELSE [row.props.name] END | CASE WHEN a IS NULL OR a IN acc THEN acc ELSE acc + a END), "
        "n.ids = reduce(acc = coalesce(n.ids, []), a IN row.ids | CASE WHEN a IN acc THEN acc ELSE acc + a END), "
        "n.match_keys = reduce(acc = coalesce(n.match_keys, []), a IN row.keys | "
        "CASE WHEN a IN acc THEN acc ELSE acc + a END) "
        "FOREACH (_ IN CASE WHEN lead THEN [1] ELSE [] END | SET " + set_props("n") + ") "
        "FOREACH (k IN CASE WHEN lead THEN [] ELSE keys(row.props) END | SET n[k] = coalesce(n[k], row.props[k])) "
        + "WITH * " + seen("n", "$seen") + "WITH rep, row, n, created, before <> properties(n) AS changed "
        + finish())

    s["designations"] = (HEAD + group_by_id("ggid", "row", "row.group.gid")
                         + group("g", "{gid: ggid, name: row.group.name}")
                         + f"MERGE (a:{N['Authority']} {{code: row.code}}) "
                         + rel_status("g", "DESIGNATED_BY", "a", " {program: row.program}", "SET " + set_props("d"),
                                      "rep, row, g, a"))

    s["persons"] = (
        HEAD + node_status(
            "Person", "pid", "row.pid",
            "SET n.aliases = reduce(acc = coalesce(n.aliases, []), a IN row.aliases | "
            "CASE WHEN a IN acc THEN acc ELSE acc + a END), " + set_props("n") + seen("n", "$seen"))
        + optional("n, row, rep", "row.designations",
                   f"MERGE (a:{N['Authority']} {{code: m.code}}) "
                   + rel("n", "DESIGNATED_BY", "a", props=" {program: m.program}") + "SET r += m.props ", "des_new")
        + optional("n, row, rep", "row.groups", group_by_id("ggid", "m", "m")
                   + f"MATCH (g:{N['Group']} {{gid: ggid}}) " + rel("n", "ASSOCIATED_WITH", "g"), "grp_new")
        + finish("des_new > 0 OR grp_new > 0"))

    account_links = (
        "CALL (n, row) { " f"MERGE (pl:{N['Platform']} {{name: row.platform}}) " + rel("n", "ON", "pl")
        + "RETURN rnew AS on_new } "
        + optional("n, row, rep", "CASE WHEN row.group IS NULL THEN [] ELSE [row.group] END",
                   group("g", "m") + rel("n", "AFFILIATED_WITH", "g"), "aff_new"))
    s["accounts"] = (
        HEAD + "CALL (row) { "
        f"OPTIONAL MATCH (b:{N['Account']} {{platform: row.platform, platform_id: row.platform_id}}) "
        "RETURN b.key AS idkey ORDER BY idkey LIMIT 1 } "
        "WITH rep, row, idkey, coalesce(idkey, row.key) AS key "
        f"OPTIONAL MATCH (old:{N['Account']} {{key: key}}) "
        "WITH rep, row, idkey, key, old IS NULL AS created "
        f"MERGE (n:{N['Account']} {{key: key}}) "
        "WITH rep, row, n, created, properties(n) AS before, idkey IS NOT NULL AND n.handle_norm <> row.handle_norm "
        "AS rename "
        "SET n.platform = row.platform, n.handle = coalesce(n.handle, row.handle), "
        "n.handle_norm = coalesce(n.handle_norm, row.handle_norm), " + set_props("n")
        # a platform id that comes with another handle: a renamed account (docs/loaders.md)
        + "FOREACH (_ IN CASE WHEN rename OR size(row.former) > 0 THEN [1] ELSE [] END | "
        + renamed("n", "handle", "handle_norm", "former_handles", "before.handle", "row.handle", "row.handle_norm",
                  "before.handle_norm")
        + ") " + seen("n", LISTED)
        + "WITH rep, row, n, created, before <> properties(n) AS changed "
        + account_links
        + optional("n, row, rep", "CASE WHEN row.oid IS NULL THEN [] ELSE [row.oid] END",
                   f"MERGE (o:{N['Operator']} {{oid: m}}) " + provenance("o") + rel("o", "OPERATES", "n"), "op_new")
        + finish("on_new OR aff_new > 0 OR op_new > 0"))

    s["channels"] = (
        HEAD + node_status(
            "Channel", "key", "row.key",
            "SET n.platform = row.platform, n.name_norm = coalesce(row.name_norm, n.name_norm), " + set_props("n")
            + renamed("n", "name", "name_norm", "former_names", "before.name", "row.props.name", "row.name_norm",
                      "before.name_norm") + seen("n", LISTED))
        + account_links
        + optional("n, row, rep", "row.admins", account("a", "m") + rel("a", "ADMINISTERS", "n"), "adm_new")
        + finish("on_new OR aff_new > 0 OR adm_new > 0"))

    s["identifiers"] = (
        HEAD + "WITH *, datetime(row.first_seen) AS fs, datetime(row.last_seen) AS ls " + account("o", "row.owner")
        + f"MERGE (i:{N['Identifier']} {{key: row.key}}) ON CREATE SET i.kind = row.kind, i.value = row.value "
        + seen("i", "coalesce(fs, $seen)", "coalesce(ls, fs, $seen)")
        + provenance("i")
        + rel_status("o", "USES", "i", "", seen("d", "fs", "ls"), "rep, row, o, i, fs, ls"))

    # Sightings are most of a report's rows, so their statement is the lean one: one pass with
    # FOREACH for the 0..n linked accounts, channels, group and mentions (no subquery per list),
    # and the row's status from before/after counts instead of a flag per relationship: "updated"
    # when a property changed, the report newly asserts one of the sighting's relationships
    # (``$rid`` joins its ``reports``), a POSTS_IN tie is new, or the provenance link is new. It
    # runs without the per-row subquery: the loader never puts one sid twice in a batch (see
    # ``pipeline.Batches``). n.observed_at: the row's observation time, already a DATETIME.
    # an author with a platform id is the account that holds the id, whatever its key (a renamed
    # account keeps the key of its first handle: docs/loaders.md)
    by_id = (f"WITH rep, row {{.*, accounts: [m IN row.accounts | m {{.*, key: CASE WHEN m.platform_id IS NULL "
             f"THEN m.key ELSE coalesce(head(COLLECT {{ MATCH (x:{N['Account']} {{platform: m.platform, "
             "platform_id: m.platform_id}) RETURN x.key ORDER BY x.key LIMIT 1 }), m.key) END}]} AS row ")
    forwards = "".join(
        f"FOREACH (m IN coalesce(row.{items}, []) | " + make("f", "m", each=True)
        + f"MERGE (n)-[r:{N['FORWARDED_FROM']}]->(f) " + reports("r")
        + f"FOREACH (c IN row.in_channel | MERGE (fc:{N['Channel']} {{key: c.key}}) "
        f"MERGE (fc)-[r2:{N['FORWARDED_FROM']}]->(f) " + reports("r2") + ")) "
        for items, make in (("fwd_accounts", account), ("fwd_channels", channel)))
    s["sightings"] = (
        HEAD + by_id + f"OPTIONAL MATCH (old:{N['Sighting']} {{sid: row.sid}}) "
        "WITH rep, row, old IS NULL AS created, properties(old) AS before, "
        "CASE WHEN old IS NULL THEN 0 ELSE COUNT { (old)-[r]->() WHERE $rid IN r.reports } END AS pre, "
        f"old IS NULL OR NOT EXISTS {{ (old)-[:{N['REPORTED_IN']}]->(rep) }} AS pnew "
        f"MERGE (n:{N['Sighting']} {{sid: row.sid}}) SET " + set_props("n")
        + "FOREACH (m IN row.accounts | " + account("t", "m", each=True) + seen("t", "n.observed_at", tail=False)
        + f"MERGE (n)-[r:{N['OF']}]->(t) " + reports("r") + ") "
        + "FOREACH (m IN row.channels | " + channel("t", "m", each=True) + seen("t", "n.observed_at", tail=False)
        + f"MERGE (n)-[r:{N['OF']}]->(t) " + reports("r") + ") "
        + "FOREACH (m IN row.in_channel | " + channel("c", "m", each=True) + seen("c", "n.observed_at", tail=False)
        + f"MERGE (n)-[r:{N['IN']}]->(c) " + reports("r") + ") "
        + "FOREACH (m IN CASE WHEN row.group IS NULL THEN [] ELSE [row.group] END | "
        f"MERGE (g:{N['Group']} {{gid: m.gid}}) ON CREATE SET g.name = m.name " + provenance("g")
        + f"MERGE (n)-[r:{N['PROMOTES']}]->(g) " + reports("r") + ") "
        + "FOREACH (m IN row.mentions | " + account("a", "m", each=True)
        + f"MERGE (n)-[r:{N['MENTIONS']}]->(a) " + reports("r") + ") "
        + forwards
        + "FOREACH (m IN coalesce(row.refers, []) | "
        f"MERGE (s2:{N['Sighting']} {{sid: m.sid}}) MERGE (n)-[r:{N['REFERS_TO']} {{kind: m.kind}}]->(s2) "
        + reports("r") + ") "
        + "WITH rep, row, n, created, before, pre, pnew "
        + optional("n, row, rep", "[x IN row.accounts WHERE size(row.in_channel) > 0]",
                   f"MATCH (a:{N['Account']} {{key: m.key}}) MATCH (c:{N['Channel']} {{key: row.in_channel[0].key}}) "
                   + rel("a", "POSTS_IN", "c"), "posts")
        + provenance("n")
        + "RETURN row.i AS i, CASE WHEN created THEN 'created' WHEN pnew OR posts > 0 OR before <> properties(n) "
        "OR COUNT { (n)-[r]->() WHERE $rid IN r.reports } > pre THEN 'updated' ELSE 'unchanged' END AS status")

    channel_target = ("row.tkind = 'channel' OR (row.tkind = 'any' AND "
                      f"EXISTS {{ MATCH (:{N['Channel']} {{key: row.channel.key}}) }})")
    s["takedowns"] = (
        HEAD + node_status("TakedownRequest", "tid", "row.tid", "SET " + set_props("n"))
        + optional("n, row, rep", f"CASE WHEN {channel_target} THEN [row.channel] ELSE [] END",
                   channel("t", "m") + rel("n", "TARGETS", "t"), "t_c")
        + optional("n, row, rep", f"CASE WHEN {channel_target} THEN [] ELSE [row.account] END",
                   account("t", "m") + rel("n", "TARGETS", "t"), "t_a")
        + "CALL (n, row) { " f"MERGE (pl:{N['Platform']} {{name: row.platform}}) " + rel("n", "SENT_TO", "pl")
        + "RETURN rnew AS sent } "
        + finish("t_c + t_a > 0 OR sent"))

    s["mirrors"] = (
        HEAD + account("s", "row.successor") + account("p", "row.predecessor")
        + rel_status("s", "MIRROR_OF", "p", "", "SET " + set_props("d"), "rep, row, s, p"))
    # each row in its own subquery: a row sees the writes of the rows before it in the batch, so a
    # row is judged (created/updated/unchanged) like in a batch of its own (sightings: see above)
    return {table: body if table in LEAN else
            HEAD + "CALL (rep, row) { WITH rep, row " + body[len(HEAD):] + " } RETURN i, status"
            for table, body in s.items()}


# tables whose statement runs without the per-row subquery (their batches never repeat a key)
LEAN = frozenset({"sightings"})


@lru_cache(maxsize=1)
def batch_statements() -> dict[str, str]:
    """``statements()`` as the loader sends them: the per-row statuses come back as ONE record of
    two lists (``i``, ``status``), with ``gained``: the nodes of each ``COUNTED`` kind the batch
    added. The driver spends about 10 µs of Python on every record it
    receives, while the server waits for the next batch: 1,000 records a batch were a tenth of a
    load. (The baselines run ``statements()`` itself, per row or under LOAD CSV.)"""
    def counts(suffix: str) -> str:
        return "".join(f"CALL () {{ MATCH (x:{N[label]}) RETURN count(x) AS {label}{suffix} }} "
                       for label in COUNTED)

    gained = ", ".join(f"{label}1 - {label}0" for label in COUNTED)
    before = ", ".join(f"{label}0" for label in COUNTED)
    return {table: counts("0") + f"CALL () {{ {text} }} WITH {before}, collect(i) AS i, collect(status) AS status "
            + counts("1") + f"RETURN i, status, [{gained}] AS gained"
            for table, text in statements().items()}


# The node kinds a batch may create besides its rows' own nodes (a mention's account, a channel's
# admins, a designation's group ...): ``batch_statements`` returns how many of each the batch added
# (count-store reads: constant time), so the summary adds up to what the graph gained.
COUNTED = ("Account", "Channel", "Group")
MAIN_LABEL = {"accounts": "Account", "channels": "Channel", "groups": "Group"}  # a table's own node kind


REPORT = (f"MERGE (r:{N['Report']} {{rid: $rid}}) ON CREATE SET r.loaded_at = datetime(), r.path = $path, r.loaded_by = $by "
          "SET r += $props RETURN r.rid AS rid, r.loaded_at = datetime() AS created")
# a Report that nothing refers to (its load failed before any row was written)
DROP_EMPTY_REPORT = f"MATCH (r:{N['Report']} {{rid: $rid}}) WHERE NOT EXISTS {{ (r)--() }} DELETE r"
