"""The demo: start or reuse a server, load synthetic reports, run headline queries, write a map.

Everything goes through the public library functions a user's notebook would call. The graph
is not emptied: the synthetic report loads idempotently, so running the demo twice changes
nothing the second time. A graph that holds any other report (a real case) is refused unless
``force=True``: the demo's fictional accounts must never mix with real ones.

What the demo says is written for a reader who is not a programmer: every section is a list of
sentences (``DemoResult.sections``); the full query results go to CSV files.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from graphkit import output
from graphkit.model import schema
from graphkit.db.graph import connect
from graphkit.errors import GraphkitError
from graphkit.model.spec import model

LOOP_REPORT_PREFIXES = ("takedowns-draft-", "takedown-answers-")  # reports the takedown loop records
DEMO_REPORT_PREFIX = "synth-"  # the id of every report `graphkit synth` writes (synth-seed0-scale1)
GROUP = "TTP"
SHOWN = 5  # rows told as sentences per section; the CSV files hold them all

PLATFORM_NAMES = {"x": "X", "tiktok": "TikTok", "whatsapp": "WhatsApp", "youtube": "YouTube"}
STATUS_WORDS = {"active": "is still active", "reported": "has been reported and is still up",
                "removed": "has been removed", "suspended": "has been suspended", "unknown": "is of unknown status"}
# identifier kinds of the shared-operators evidence ("phone:+92..."), as a reader says them
TIE_WORDS = {"phone": ("phone number", "phone numbers"), "email": ("e-mail address", "e-mail addresses"),
             "device": ("device", "devices"), "image_hash": ("avatar image", "avatar images"),
             "url": ("link", "links"), "invite": ("invite link", "invite links"), "ip": ("IP address", "IP addresses"),
             "wallet": ("payment wallet", "payment wallets"), "same bio": ("identical bio", "identical bios"),
             "bio": ("link in a bio", "links in bios")}


class DemoRefused(GraphkitError):
    """The graph holds data that is not the demo's (a real case): the demo will not mix into it."""


@dataclass
class DemoResult:
    sections: list = field(default_factory=list)  # (title, [sentence, ...])
    tables: dict = field(default_factory=dict)    # query name -> rows (all of them)
    files: dict = field(default_factory=dict)


# ------------------------------------------------------------------ words

def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def platform_name(name: str | None) -> str:
    return PLATFORM_NAMES.get(name or "", (name or "an unknown platform").capitalize())


def listing(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _days(value) -> str:
    number = float(value)
    text = f"{number:.1f}".rstrip("0").rstrip(".")
    return f"{text} day" if text == "1" else f"{text} days"


def _day(iso: str | None) -> str:
    """``2024-05-29T12:54:15Z`` -> ``29 May 2024``."""
    from datetime import date

    try:
        return date.fromisoformat(str(iso)[:10]).strftime("%-d %B %Y")
    except ValueError:
        return str(iso)


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


# ------------------------------------------------------------------ the graph must be the demo's own

def foreign_data(graph) -> str | None:
    """What in the graph is not the demo's, in words; None when the demo may load into it."""
    report = model().node("Report").label
    # the demo's own: its synthetic report and, once that is there, the takedown loop's reports
    own = (f"coalesce(r.rid, '') STARTS WITH $prefix OR (EXISTS {{ MATCH (s:{report}) WHERE s.rid STARTS WITH "
           "$prefix } AND any(p IN $loop WHERE r.rid STARTS WITH p))")
    params = {"prefix": DEMO_REPORT_PREFIX, "loop": list(LOOP_REPORT_PREFIXES)}
    rows = graph.read(f"MATCH (r:{report}) WHERE NOT ({own}) RETURN r.rid AS rid ORDER BY rid LIMIT 4", params)
    if rows:
        total = graph.read(f"MATCH (r:{report}) WHERE NOT ({own}) RETURN count(r) AS n", params)[0]["n"]
        names = listing([r["rid"] for r in rows[:3]] + ([f"{total - 3:,} more"] if total > 3 else []))
        return f"{plural(total, 'other report')} ({names})"
    if not graph.read(f"MATCH (r:{report}) RETURN r LIMIT 1"):
        nodes = graph.read(f"MATCH (n) WHERE NOT n:{report} RETURN count(n) AS n")[0]["n"]
        if nodes:
            return f"{plural(nodes, 'node')} that no report brought in"
    return None


def check_graph(graph, force: bool = False) -> None:
    """Refuse (DemoRefused) a graph that holds other reports, unless ``force``."""
    found = None if force else foreign_data(graph)
    if found:
        raise DemoRefused(
            f"the graph at {graph.uri} already holds {found}; the demo would mix its fictional "
            "accounts into that data, so it did not start",
            hint="Run the demo in a case of its own (`graphkit demo --case demo`: its own server and "
            "graph), or add --force to load the fictional "
            f"report anyway (its id starts with {DEMO_REPORT_PREFIX}).",
        )


# ------------------------------------------------------------------ sections as sentences

def load_sentences(summary, stats: list[dict]) -> list[str]:
    totals = summary.totals()
    read, rejected = totals.get("read", 0), totals.get("rejected", 0)
    files = len({c.file for c in summary.counts})
    kept = (f"{plural(totals.get('created', 0), 'row was', 'rows were')} new to the graph, "
            f"{totals.get('updated', 0):,} updated what was there and {totals.get('unchanged', 0):,} "
            f"{'was' if totals.get('unchanged', 0) == 1 else 'were'} already in it"
            + (" (the demo had run here before)." if totals.get("unchanged") else "."))
    if rejected:
        where = f"; the reasons are in {summary.rejects_path}" if summary.rejects_path else ""
        first = f"{read - rejected:,} of the {plural(read, 'row')} in {plural(files, 'file')} loaded and {rejected:,} were rejected{where}."
    else:
        first = f"All {plural(read, 'row')} of the fictional report ({plural(files, 'file')}) loaded, none rejected."
    parts = [plural(row["count"], row["kind"].replace("_", " ").rstrip("s"), row["kind"].replace("_", " "))
             for row in stats if row["count"]]
    return [first, kept[0].upper() + kept[1:], f"The graph now holds {listing(parts)}."]


def compliance_sentence(row: dict) -> str:
    removed, requested = row.get("removed") or 0, row.get("requested") or 0
    rate = f" ({round(100 * removed / requested)}%)" if requested else ""
    median = row.get("median_days_to_removal")
    after = f", after a median of {_days(median)}" if median is not None else ""
    rest = [plural(row.get("pending") or 0, "request is pending", "requests are pending"),
            f"{row.get('rejected') or 0:,} {'was' if row.get('rejected') == 1 else 'were'} rejected",
            f"{row.get('no_response') or 0:,} got no answer"]
    return (f"{platform_name(row.get('platform'))} was asked {plural(requested, 'time')} to take an account or "
            f"channel down and removed {removed:,}{rate}{after}; {listing(rest)}.")


def footprint_sentence(row: dict, group: str) -> str:
    accounts, channels = row.get("accounts") or 0, row.get("channels") or 0
    state = f" ({row.get('active') or 0:,} active, {row.get('removed') or 0:,} removed)" if accounts else ""
    chans = plural(channels, "channel") if channels else "no channels"
    return (f"On {platform_name(row.get('platform'))}, {group} has {plural(accounts, 'account')}{state} and "
            f"{chans}, with {plural(row.get('followers') or 0, 'follower')} in all.")


def _tie_summary(ties: list[str]) -> str:
    """``co-admins of C``, ``phone:+92...``, ``operator:OP-1`` ... as one clause."""
    admin = [t[len("co-admins of "):] for t in ties if t.startswith("co-admins of ")]
    by_kind: dict[str, list[str]] = {}
    for tie in ties:
        if not tie.startswith("co-admins of "):
            kind, _, value = tie.partition(":")
            by_kind.setdefault(kind, []).append(value)
    operators = by_kind.pop("operator", [])
    parts = []
    if admin:
        parts.append(f"they administer {plural(len(admin), 'channel')} together (such as {admin[0]})")
    if by_kind:
        kinds = sorted(by_kind.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        named = [f"{len(v):,} {TIE_WORDS.get(k, (k, k))[0 if len(v) == 1 else 1]}" for k, v in kinds]
        example = next((by_kind[k][0] for k in ("phone", "email", "device") if k in by_kind), kinds[0][1][0])
        parts.append(f"they share {listing(named)} (such as {example})")
    if operators:
        parts.append(f"reports name {plural(len(operators), 'operator')} behind them (such as {operators[0]})")
    return "; ".join(parts)


def operators_sentence(row: dict) -> str:
    accounts, channels = row.get("accounts") or [], row.get("channels") or []
    who = listing(([plural(len(accounts), "account")] if accounts else [])
                  + ([plural(len(channels), "channel")] if channels else []))
    examples = listing((accounts or channels)[:3])
    return (f"{who} look run by the same people, for example {examples}. "
            f"What ties them: {_tie_summary(row.get('evidence') or [])}.")


def chain_sentence(row: dict) -> str:
    chain, days = row.get("chain") or [], row.get("days_to_reappear") or []
    groups = listing(row.get("groups") or [])
    text = f"{chain[0]}" + (f" ({groups})" if groups else "")
    steps = []
    for i, successor in enumerate(chain[1:]):
        gap = days[i] if i < len(days) else None
        when = f" {_days(gap)} after {'its' if i == 0 else 'that'} removal" if gap is not None else ""
        steps.append(f"{'came back' if i == 0 else 'then'} as {successor}{when}")
    status = STATUS_WORDS.get(row.get("head_status") or "unknown", "is of unknown status")
    return f"{text} {', '.join(steps)}; the newest account {status}."


def active_sentence(row: dict, as_of: str) -> str:
    extra = ", ".join(x for x in (row.get("group"), f"on {platform_name(row.get('platform'))}",
                                  plural(row.get("followers") or 0, "follower")) if x)
    return (f"{row.get('account')} ({extra}) was first reported on {_day(row.get('reported_at'))} and was "
            f"still up {_days(row.get('days_since_report') or 0)} later, on {_day(as_of)}.")


def candidate_sentence(candidate) -> str:
    return (f"{candidate.successor} may be a new account of {candidate.predecessor} "
            f"(score {candidate.score:.2f}). Evidence: {_sentence(candidate.evidence)}")


def numbered(sentences: list[str]) -> list[str]:
    return [f"{i}. {s}" for i, s in enumerate(sentences, 1)]


# ------------------------------------------------------------------ the tour

def run(output_dir: str | Path = "demo-output", seed: int = 0, progress=print, force: bool = False,
        show=None) -> DemoResult:
    """Run the tour. ``show(title, sentences)`` is called as each section is ready (the CLI prints
    it); ``progress(message)`` gets what is being done. DemoRefused when the graph holds other data."""
    from graphkit.synth.plan import REPORT_DATE

    out = Path(output_dir)
    result = DemoResult()

    def section(title: str, sentences: list[str]) -> None:
        result.sections.append((title, sentences))
        if show:
            show(title, sentences)

    with connect(progress=progress) as graph:
        check_graph(graph, force=force)
        _load(graph, out, seed, progress, result, section)
        _questions(graph, out, section, result, REPORT_DATE)
        # the loop marks accounts removed, which detection reads: it runs first, so that a
        # second demo finds the graph the first one left and stores the same candidates
        loop = run_takedown_loop(graph, out, progress)
        result.files.update({f"takedowns-{k}": v for k, v in loop["files"].items()})
        _mirrors(graph, section)
        progress(f"Drawing the network map of {GROUP} ...")
        from graphkit.maps import build as maps

        network = maps.build_map(graph, group=GROUP, depth=2)
        map_path = out / "ttp-network.html"
        network.write(map_path)
        result.files["map"] = str(map_path)
        section("The takedown loop, once", takedown_sentences(loop))
        _telegram(graph, out, seed, progress, section, result)
        section("Where to look next", [
            f"A network map of {GROUP} ({plural(network.n_nodes, 'point')} and {plural(network.n_edges, 'line')}) "
            f"is in {map_path}; open it in any browser, it needs no internet.",
            f"The full answers to the questions above are CSV files in {out}/, ready for a spreadsheet.",
            f"The graph is at {graph.uri}; `graphkit queries` lists every question you can ask it.",
        ])
    return result


def _load(graph, out: Path, seed: int, progress, result: DemoResult, section) -> None:
    from graphkit.ingest.engine import load
    from graphkit.synth.write import write as write_synth

    bundle = out / f"synthetic-report-seed{seed}"
    progress(f"Writing a fictional report (invented accounts, example.org links, placeholder phone numbers) to {bundle} ...")
    expected = write_synth(bundle, seed=seed, scale=1)
    result.files["bundle"] = str(bundle)
    schema.init(graph)
    progress(f"Loading it into the graph at {graph.uri} ...")
    summary = load(graph, [bundle], progress=None)
    sentences = load_sentences(summary, schema.stats(graph))
    sentences.insert(0, f"The report is fictional and calibrated to the figures published in July 2025: "
                        f"{plural(expected['accounts'], 'account')}, {plural(expected['takedown_requests'], 'takedown request')}, "
                        f"{expected['removed']:,} of them removed.")
    section("What was loaded", sentences)


def _questions(graph, out: Path, section, result: DemoResult, as_of: str) -> None:
    from graphkit.queries import library as queries

    def ask(name: str, params: dict) -> list[dict]:
        rows, columns = queries.run(graph, name, params)
        (out / f"{name}.csv").write_text(output.to_csv(rows, columns), encoding="utf-8")
        result.files[name] = str(out / f"{name}.csv")
        result.tables[name] = rows
        return rows

    rows = ask("platform-compliance", {})
    section("Platform compliance with takedown requests", [compliance_sentence(r) for r in rows])
    rows = ask("group-footprint", {"group": GROUP})
    section(f"{GROUP}'s footprint per platform", [footprint_sentence(r, GROUP) for r in rows])
    rows = ask("shared-operators", {})
    section(f"Shared operators (the {min(SHOWN, len(rows))} largest of {len(rows):,} clusters)",
            numbered([operators_sentence(r) for r in rows[:SHOWN]]))
    rows = ask("mirror-chains", {})
    section(f"Mirror chains confirmed by the report (the {min(SHOWN, len(rows))} longest of {len(rows):,})",
            numbered([chain_sentence(r) for r in rows[:SHOWN]]))
    rows = ask("active-after-report", {"days": 30, "as_of": as_of})
    section(f"Accounts still up 30 days or more after they were reported ({len(rows):,} on the report's date; "
            f"the {min(SHOWN, len(rows))} reported longest ago)",
            numbered([active_sentence(r, as_of) for r in rows[:SHOWN]]))


def _mirrors(graph, section) -> None:
    from graphkit.mirrors import detect as mirrors
    from graphkit.mirrors.signals import DEFAULT_MIN_SCORE

    detection = mirrors.detect(graph)
    found = detection.candidates
    stored = mirrors.write_candidates(graph, found)
    intro = (f"The detector proposes {plural(len(found), 'pair')} of accounts where one looks like the return "
             f"of the other after a takedown (the model's probability that the pair is a mirror; at {DEFAULT_MIN_SCORE} or more it was right "
             f"about 9 times in 10 on labelled test data). The {min(SHOWN, len(found))} best:")
    after = [f"{plural(stored['written'], 'candidate was', 'candidates were')} stored for an analyst's review"
             + (f"; {plural(stored['decisions_kept'], 'pair')} an analyst had already decided kept that decision"
                if stored["decisions_kept"] else "") + "."]
    if found:
        top = found[0]
        after.append("List them with `graphkit query mirror-candidates`, and record a decision with, for "
                     f"example, `graphkit mirrors confirm {top.successor} {top.predecessor}` (or `reject`).")
    section(f"Mirror candidates found by the detector ({len(found):,})",
            [intro] + numbered([candidate_sentence(c) for c in found[:SHOWN]]) + after)


def _telegram(graph, out: Path, seed: int, progress, section, result: DemoResult) -> None:
    """A fictional Telegram export loaded and its forward network mapped (graphkit.demo_telegram)."""
    from graphkit import demo_telegram

    sentences, files = demo_telegram.run_step(graph, out, seed, progress)
    result.files.update(files)
    section(demo_telegram.TITLE, sentences)


def run_takedown_loop(graph, out: Path, progress=print, platform: str = "x") -> dict:
    """The takedown loop once on the demo graph (graphkit.takedowns.loop.run_once): draft for
    ``platform``, record, fictional answers, status and the weekly briefing."""
    from graphkit.takedowns.loop import run_once

    return run_once(graph, out, progress=progress, platform=platform)


def takedown_sentences(loop: dict) -> list[str]:
    """The loop's drafts, answers, status and briefing, one sentence each."""
    sentences = [f"Drafted for {gid}: {_sentence(text)}" for gid, text, _ in loop["drafts"]]
    answers = loop["update"]
    sentences.append(f"The fictional answers from X were read: {answers['updated']:,} of "
                     f"{plural(answers['read'], 'request')} changed and "
                     f"{plural(answers['accounts_removed'], 'account')} marked removed.")
    for row in loop["status"].rows:
        if row.get("platform") == "x":
            sentences.append(f"Three weeks later X has removed {row['removed']:,} of {row['requested']:,} requests "
                             f"({float(row['compliance_rate'] or 0):.0%}); {row['overdue']:,} are overdue.")
    sentences.append(f"The weekly briefing is in {loop['files']['briefing']}: {_sentence(loop['briefing'])}")
    return sentences
