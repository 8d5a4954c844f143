"""The pieces the load statements are built from (``graphkit.ingest.statements``): MERGE of an
account, channel or group by its key, a relationship with the report that asserted it, first and
last seen moved outwards, renames, per-row statuses. Each returns Cypher text; labels and types
come from the model (``N``), values are always parameters or ``row`` fields."""
from __future__ import annotations

from graphkit.ingest.formats import lists
from graphkit.model.spec import model


def _names() -> dict[str, str]:
    m = model()
    names = {label: m.node(label).label for label in
             ("Group", "Person", "Authority", "Platform", "Account", "Channel", "Identifier", "Operator", "Sighting",
              "Report", "TakedownRequest")}
    names.update({t: m.rel(t).type for t in
                  ("ON", "AFFILIATED_WITH", "DESIGNATED_BY", "ASSOCIATED_WITH", "ADMINISTERS", "POSTS_IN", "USES", "OPERATES", "OF",
                   "IN", "PROMOTES", "MENTIONS", "REPORTED_IN", "TARGETS", "SENT_TO", "MIRROR_OF", "FORWARDED_FROM",
                   "REFERS_TO")})
    return names


N = _names()
HEAD = f"MATCH (rep:{N['Report']} {{rid: $rid}}) UNWIND $rows AS row "


def set_props(var: str) -> str:
    """``var += row.props``, then the wire-form datetimes among them back to DATETIME."""
    return f"{var} += row.props FOREACH (k IN row.tkeys | SET {var}[k] = datetime({var}[k])) "


def reports(var: str) -> str:
    """Add $rid to the relationship's ``reports`` list (once; no write when it is there)."""
    return (f"FOREACH (_ IN CASE WHEN $rid IN coalesce({var}.reports, []) THEN [] ELSE [1] END | "
            f"SET {var}.reports = coalesce({var}.reports, []) + $rid) ")


def rel(a: str, rel_type: str, b: str, var: str = "r", flag: str = "rnew", props: str = "") -> str:
    """MERGE a relationship; ``flag`` is true when this report had not asserted it yet."""
    return (f"MERGE ({a})-[{var}:{N[rel_type]}{props}]->({b}) "
            f"WITH *, NOT $rid IN coalesce({var}.reports, []) AS {flag} " + reports(var))


def seen(var: str, first: str, last: str | None = None, tail: bool = True) -> str:
    """Move ``first_seen`` / ``last_seen`` outwards to cover the given times (no write otherwise:
    most references to a known account do not move them, and a write costs far more than a read).
    ``tail=False`` leaves out the closing ``WITH *`` (inside FOREACH)."""
    last = last or first
    return (f"FOREACH (_ IN CASE WHEN {first} IS NOT NULL AND ({var}.first_seen IS NULL OR "
            f"{first} < {var}.first_seen) THEN [1] ELSE [] END | SET {var}.first_seen = {first}) "
            f"FOREACH (_ IN CASE WHEN {last} IS NOT NULL AND ({var}.last_seen IS NULL OR "
            f"{last} > {var}.last_seen) THEN [1] ELSE [] END | SET {var}.last_seen = {last}) "
            + ("WITH * " if tail else ""))


def provenance(var: str) -> str:
    return f"MERGE ({var})-[:{N['REPORTED_IN']}]->(rep) "


_CREATED = {  # the properties a minimal account or channel gets when a row only refers to it
    "Account": "{v}.platform = {r}.platform, {v}.handle = {r}.handle, {v}.handle_norm = {r}.handle_norm, "
               "{v}.platform_id = {r}.platform_id",
    "Channel": "{v}.platform = {r}.platform, {v}.name = {r}.name, {v}.name_norm = {r}.name_norm, "
               "{v}.platform_id = {r}.platform_id",
}


def _on_platform(label: str, var: str, ref: str, each: bool = False) -> str:
    """MERGE a (possibly minimal) account or channel by key, ON its Platform, with provenance.

    The report date, the ON link and the provenance link are written together, so once the node
    is REPORTED_IN this report they are all in place: a node referenced again (a sighting of an
    account the report also lists) costs one existence check instead of three MERGEs and writes.
    ``each``: the form for the inside of a FOREACH (no subquery, no WITH)."""
    head = (f"MERGE ({var}:{N[label]} {{key: {ref}.key}}) "
            f"ON CREATE SET {_CREATED[label].format(v=var, r=ref)} ")
    links = (f"MERGE ({var}_pl:{N['Platform']} {{name: {ref}.platform}}) "
             f"MERGE ({var})-[{var}_on:{N['ON']}]->({var}_pl) " + reports(f"{var}_on") + provenance(var))
    new_here = f"({var})-[:{N['REPORTED_IN']}]->(rep)"
    if each:
        return (head + f"FOREACH (_ IN CASE WHEN EXISTS {{ {new_here} }} THEN [] ELSE [1] END | "
                + seen(var, "$seen", tail=False) + links + ") ")
    return (head + f"WITH * CALL ({var}, rep, {ref.split('.')[0]}) {{ WITH * WHERE NOT EXISTS {{ {new_here} }} "
            + seen(var, "$seen") + links + "} ")


def account(var: str, ref: str, each: bool = False) -> str:
    """MERGE a (possibly minimal) account from a reference map: key, platform, handle, ..."""
    return _on_platform("Account", var, ref, each)


def channel(var: str, ref: str, each: bool = False) -> str:
    return _on_platform("Channel", var, ref, each)


def group(var: str, ref: str) -> str:
    return (f"MERGE ({var}:{N['Group']} {{gid: {ref}.gid}}) ON CREATE SET {var}.name = {ref}.name "
            + provenance(var))


def group_by_id(var: str, scope: str, gid: str) -> str:
    """``var``: the gid of the group known by ``gid`` (its gid, else one of its list ``ids``: a
    list entry merged into another list's group), else ``gid`` itself."""
    return (f"CALL ({scope}) {{ OPTIONAL MATCH (c:{N['Group']} {{gid: {gid}}}) WITH {scope}, c.gid AS direct "
            f"OPTIONAL CALL (direct, {scope}) {{ WITH * WHERE direct IS NULL MATCH (c:{N['Group']}) WHERE {gid} IN c.ids "
            f"RETURN c.gid AS via ORDER BY via LIMIT 1 }} RETURN coalesce(direct, via, {gid}) AS {var} }} ")


def rank(x: str) -> str:
    """Which of two gids a merged group keeps: a known or user gid (0), else the lists' order."""
    return ("CASE " + " ".join(f"WHEN {x} STARTS WITH '{p}' THEN {r}" for p, r in lists.LIST_RANK.items())
            + " ELSE 0 END")


# A group row finds its group (docs/loaders.md, designation lists): the same gid; else a group
# holding one of the row's list ids; else one sharing a strong match key or two keys and holding
# no other entry of the row's own list. Known ids first, then the smaller gid.
FIND_GROUP = (
    f"CALL (row) {{ OPTIONAL MATCH (c:{N['Group']} {{gid: row.gid}}) WITH row, c.gid AS direct "
    f"OPTIONAL CALL (direct, row) {{ WITH * WHERE direct IS NULL MATCH (c:{N['Group']}) "
    "WITH c, any(i IN row.ids WHERE i IN c.ids) AS byid, [k IN row.keys WHERE k IN c.match_keys] AS shared "
    f"WHERE byid OR ((any(k IN shared WHERE size(k) >= {lists.STRONG_KEY}) OR size(shared) >= 2) "
    "AND none(i IN coalesce(c.ids, []) WHERE i STARTS WITH row.list AND NOT i IN row.ids)) "
    "RETURN c.gid AS via ORDER BY byid DESC, size(via), via LIMIT 1 } "
    "RETURN coalesce(direct, via) AS found } ")


def _named(names: str, name: str) -> str:
    """``name`` is in a former-names list (an entry is ``NAME`` or ``NAME (first..last)``)."""
    return f"any(f IN coalesce({names}, []) WHERE f = {name} OR f STARTS WITH {name} + ' (')"


def renamed(var: str, prop: str, norm: str, former: str, old: str, new: str, new_norm: str, old_norm: str) -> str:
    """A renamed account or channel (same key or platform id, another name): the row's name
    replaces the node's unless the node already lists the row's name as a former one (an older
    export loaded after a newer one); the row's former names join the node's, and a name the row
    replaces that the row does not list is kept as a former name without dates. ``old``/``old_norm``:
    the node's name before this row; ``new``/``new_norm``: the row's. Another spelling of the same
    normalised name is not a rename."""
    differs = f"({new_norm} IS NOT NULL AND {old_norm} IS NOT NULL AND {old_norm} <> {new_norm})"
    older = f"({differs} AND {_named(f'{var}.{former}', new)})"
    keep = f"(CASE WHEN {differs} AND NOT {older} AND NOT {_named('row.former', old)} THEN [{old}] ELSE [] END)"
    return (f"SET {var}.{former} = CASE WHEN size(row.former) + size({keep}) = 0 THEN {var}.{former} ELSE "
            f"reduce(acc = coalesce({var}.{former}, []), a IN row.former + {keep} | "
            f"CASE WHEN a IN acc THEN acc ELSE acc + a END) END "
            f"FOREACH (_ IN CASE WHEN {differs} AND NOT {older} THEN [1] ELSE [] END | "
            f"SET {var}.{prop} = {new}, {var}.{norm} = {new_norm}) "
            f"FOREACH (_ IN CASE WHEN {older} THEN [1] ELSE [] END | SET {var}.{prop} = {old}, {var}.{norm} = {old_norm}) ")


def optional(scope: str, items: str, body: str, out: str) -> str:
    """A subquery over a list (0..n items); ``out`` counts the relationships it newly asserted."""
    return (f"CALL ({scope}) {{ UNWIND {items} AS m " + body +
            f"RETURN count(CASE WHEN rnew THEN 1 END) AS {out} }} ")


def node_status(label: str, key: str, keyexpr: str, set_clause: str) -> str:
    """Look the main node up, MERGE it, apply ``set_clause``; yields n, created, changed."""
    return (f"OPTIONAL MATCH (old:{N[label]} {{{key}: {keyexpr}}}) "
            f"WITH rep, row, old IS NULL AS created "
            f"MERGE (n:{N[label]} {{{key}: {keyexpr}}}) "
            f"WITH rep, row, n, created, properties(n) AS before " + set_clause +
            "WITH rep, row, n, created, before <> properties(n) AS changed ")


def finish(flags: str = "false") -> str:
    return (f"WITH rep, row, n, created, changed OR {flags} AS changed, "
            "NOT EXISTS { (n)-[:" + N["REPORTED_IN"] + "]->(rep) } AS pnew "
            + provenance("n") +
            "RETURN row.i AS i, CASE WHEN created THEN 'created' WHEN changed OR pnew "
            "THEN 'updated' ELSE 'unchanged' END AS status")


def rel_status(a: str, rel_type: str, b: str, props_key: str, set_clause: str, carry: str) -> str:
    """For tables whose main element is a relationship (designations, identifiers, mirrors)."""
    return (f"WITH * OPTIONAL MATCH ({a})-[old:{N[rel_type]}{props_key}]->({b}) "
            f"WITH {carry}, old IS NULL AS created "
            f"MERGE ({a})-[d:{N[rel_type]}{props_key}]->({b}) "
            f"WITH {carry}, created, d, properties(d) AS before " + set_clause + reports("d") +
            "WITH row, created, before <> properties(d) AS changed "
            "RETURN row.i AS i, CASE WHEN created THEN 'created' WHEN changed THEN 'updated' "
            "ELSE 'unchanged' END AS status")


# The report date as a sighting of an account or channel row: a report that lists it (active,
# reported, unknown or no status) saw it that day; one that says it is removed or suspended did not.
LISTED = ("CASE WHEN row.props.status IN [" + ", ".join(f"'{g}'" for g in model().gone)
          + "] THEN null ELSE $seen END")  # the model's statuses (checked words, no quotes)
