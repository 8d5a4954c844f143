"""Streaming memory and speed of the platform-export readers (Telegram, WhatsApp, X API, Meta CL).

    python bench/loaders_bench.py --quick                     # 2,000 posts: a check that it runs
    python bench/loaders_bench.py --messages 20000            # readers alone, two scales
    GRAPHKIT_HOME=/tmp/gk-bench python bench/loaders_bench.py --messages 20000 --load
                                                              # also load each file (EMPTIES the database)

Generates one fictional file per format (example.org names, reserved phone ranges) with
``--messages`` posts, and a second with four times as many; each is read (and with ``--load``
loaded) in a fresh child process, which reports rows, seconds, rows/s and its peak resident memory
(ru_maxrss). Constant memory shows as the same peak at both scales. A line is printed as each
run ends, and a table of them all at the end (``--json FILE`` also saves them).
"""
from __future__ import annotations

import argparse
import csv
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORMATS = {"telegram": ".json", "whatsapp": ".txt", "xapi": ".jsonl", "meta_cl": ".csv"}


def _telegram(path: Path, n: int) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        fh.write('{\n "name": "Example Bench Channel",\n "type": "public_channel",\n "id": 1000000100,\n "messages": [\n')
        for i in range(n):
            message = {"id": i + 1, "type": "message", "date": "2024-01-01T00:00:00",
                       "date_unixtime": str(1704067200 + 60 * i), "from": "Example Bench Channel",
                       "from_id": "channel1000000100",
                       "text": ["bench post 🌙 بيان ", {"type": "mention", "text": f"@example_user{i % 500:03d}"},
                                " " + "x" * 200], "text_entities": [{"type": "mention", "text": f"@example_user{i % 500:03d}"}]}
            if i % 3 == 0:
                message.update(forwarded_from=f"Example Source {i % 50}", forwarded_from_id=f"channel20000{i % 50:03d}",
                               photo="(File not included. Change data exporting settings to download.)")
            if i % 500 == 0:
                message = {"id": i + 1, "type": "service", "date_unixtime": str(1704067200 + 60 * i),
                           "actor": "Example Bench Channel", "actor_id": "channel1000000100",
                           "action": "edit_group_title", "title": f"Example Bench Channel {i // 500}", "text": ""}
            fh.write(("  " if i == 0 else ",\n  ") + json.dumps(message, ensure_ascii=False))
        fh.write("\n ]\n}\n")


def _whatsapp(path: Path, n: int) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            day, minute = 13 + (i // 1440) % 15, i % 1440
            sender = f"+44 7700 900{i % 1000:03d}" if i % 2 else f"Example Person {i % 100}"
            fh.write(f"{day:02d}/01/2025, {minute // 60:02d}:{minute % 60:02d} - {sender}: bench message {i} 🌙 "
                     + "y" * 150 + ("\nsecond line" if i % 10 == 0 else "") + "\n")


def _xapi(path: Path, n: int) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for page in range(0, n, 100):
            tweets, users = [], {}
            for i in range(page, min(n, page + 100)):
                uid = str(90000 + i % 1000)
                users[uid] = {"id": uid, "username": f"example_b{uid}" + ("x" if i > n // 2 else ""),
                              "name": f"Example {uid}", "created_at": "2015-01-01T00:00:00.000Z",
                              "public_metrics": {"followers_count": i, "tweet_count": i}}
                tweets.append({"id": str(10 ** 9 + i), "author_id": uid, "lang": "en",
                               "created_at": f"2024-01-{1 + i % 28:02d}T{i % 24:02d}:00:00.000Z",
                               "text": f"bench tweet {i} @example_b{90000 + (i + 1) % 1000} " + "z" * 150,
                               "entities": {"mentions": [{"username": f"example_b{90000 + (i + 1) % 1000}",
                                                          "id": str(90000 + (i + 1) % 1000)}]},
                               **({"referenced_tweets": [{"type": "retweeted", "id": str(10 ** 9 + i - 1)}]}
                                  if i % 4 == 1 else {})})
            fh.write(json.dumps({"data": tweets, "includes": {"users": list(users.values())}}) + "\n")


def _meta_cl(path: Path, n: int) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "creation_time", "text", "lang", "post_owner.id", "post_owner.type", "post_owner.name",
                         "post_owner.username", "surface.id", "surface.type", "surface.name",
                         "statistics.reaction_count"])
        for i in range(n):
            owner = str(50000 + i % 1000)
            group = str(70000 + i % 20) if i % 2 else owner
            writer.writerow([str(10 ** 12 + i), str(1704067200 + 60 * i), f"bench post {i} 🌙 " + "w" * 150, "en",
                             owner, "page", f"Example Page {owner}", f"examplepage{owner}", group,
                             "group" if i % 2 else "page", f"Example Group {group}", str(i % 50)])


GENERATORS = {"telegram": _telegram, "whatsapp": _whatsapp, "xapi": _xapi, "meta_cl": _meta_cl}


def child(fmt: str, path: Path, do_load: bool) -> None:
    """Read (or load) one file; print rows, seconds and the peak memory as JSON."""
    sys.path.insert(0, str(ROOT))
    import yaml

    from graphkit.ingest import dates
    from graphkit.ingest import values as nz

    start = time.perf_counter()
    if do_load:
        from graphkit.db import graph as db
        from graphkit.ingest.engine import load
        from graphkit.model import schema

        graph = db.connect()
        schema.wipe(graph)
        schema.init(graph)
        start = time.perf_counter()
        summary = load(graph, path, rejects=path.with_suffix(".rejects.csv"), progress=False,
                       date_order="dmy" if fmt == "whatsapp" else None, region="GB")
        rows = summary.totals()["read"]
    else:
        import importlib

        mapping = yaml.safe_load((ROOT / "loaders" / f"{fmt}.yaml").read_text(encoding="utf-8"))
        reader = importlib.import_module(f"graphkit.ingest.formats.{fmt}")
        with dates.date_order("dmy" if fmt == "whatsapp" else None), nz.phone_region("GB"):
            rows = sum(1 for _ in reader.read(path, mapping))
    seconds = time.perf_counter() - start
    print(json.dumps({"rows": rows, "seconds": seconds, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=20000, help="posts in the smaller file (default 20000)")
    parser.add_argument("--quick", action="store_true", help="2,000 posts (a check that the bench runs)")
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    parser.add_argument("--load", action="store_true", help="also load each file (empties the database)")
    parser.add_argument("--formats", default=",".join(FORMATS), help="comma-separated formats")
    parser.add_argument("--child", nargs=2, metavar=("FORMAT", "PATH"), help=argparse.SUPPRESS)
    parser.add_argument("--child-load", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]), args.child_load)
        return 0
    messages = 2000 if args.quick else args.messages
    results = []
    with tempfile.TemporaryDirectory(prefix="gk-loaders-bench-") as tmp:
        for fmt in args.formats.split(","):
            for scale in (1, 4):
                n = messages * scale
                path = Path(tmp) / f"{fmt}_{n}{FORMATS[fmt]}"
                GENERATORS[fmt](path, n)
                size = path.stat().st_size / 2 ** 20
                modes = [False, True] if args.load and scale == 1 else [False]
                for do_load in modes:
                    out = subprocess.run([sys.executable, __file__, "--child", fmt, str(path)]
                                         + (["--child-load"] if do_load else []),
                                         capture_output=True, text=True, check=True)
                    result = json.loads(out.stdout.strip().splitlines()[-1])
                    results.append({"format": fmt, "mode": "load" if do_load else "read", "posts": n,
                                    "mb": round(size, 1), "rows": result["rows"],
                                    "seconds": round(result["seconds"], 2),
                                    "rows_per_s": round(result["rows"] / max(result["seconds"], 1e-9)),
                                    "peak_mb": round(result["peak_mb"])})
                    print(f"{fmt:9} {'load' if do_load else 'read':4} {n:>8,} posts {size:7.1f} MB  "
                          f"{result['rows']:>8,} rows  {result['seconds']:7.2f} s  "
                          f"{result['rows'] / result['seconds']:>9,.0f} rows/s  peak {result['peak_mb']:6.0f} MB",
                          flush=True)
    print()
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


COLUMNS = [("format", "format"), ("mode", "mode"), ("posts", "posts"), ("mb", "file MB"), ("rows", "rows"),
           ("seconds", "seconds"), ("rows_per_s", "rows/s"), ("peak_mb", "peak MB")]


def table(results: list[dict]) -> str:
    """The runs as an aligned plain-text table, numbers right-aligned."""
    cells = [[title for _, title in COLUMNS]]
    cells += [[f"{r[key]:,}" if isinstance(r[key], (int, float)) else str(r[key]) for key, _ in COLUMNS]
              for r in results]
    widths = [max(len(row[i]) for row in cells) for i in range(len(COLUMNS))]
    lines = []
    for j, row in enumerate(cells):
        lines.append("  ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))))
        if j == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
