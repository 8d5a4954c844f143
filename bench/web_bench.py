"""Server time of each workbench page on a synthetic graph (100k accounts by default).

    python bench/web_bench.py [--scale 115 --sightings 500000] [--reuse] [--runs 10] [--json FILE]
                              [--no-maps] [--screenshots docs/img]

Against the managed server under ``GRAPHKIT_HOME`` (or ``NEO4J_URI``): unless ``--reuse``, it is
EMPTIED and loaded with ``graphkit synth --seed 7 --scale S`` (bench/run.py's bundle), then mirror
detection stores its candidates (the review queue's). Each page is requested in-process through
Starlette's test client (token, Host check and CSRF middleware included; no network, no browser):
one warm-up (``first_ms``), then ``--runs`` timed requests; p50, p95 and max in milliseconds.
Every page is timed twice: with the workbench's page cache off (each request reads the graph:
``pages``, the number that counts) and on (``pages_cached``: a page seen again while the graph
did not change). The map frames (``/maps/view``, built only when the user asks for a map) are
timed apart with at most two runs (``--no-maps`` skips them). ``return_1_ms`` is the median of
``RETURN 1`` before and after: how busy the machine was.
With ``--screenshots DIR`` headless Chromium (tests/browser.py) saves the README's pictures.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from bench.run import _busy_account, fresh, percentile, synth  # noqa: E402
from graphkit.db import graph as db  # noqa: E402

TOKEN = "bench-token-" + "z" * 32
BASE = "http://127.0.0.1:8765"
TARGET_MS = 300


def build(graph, scale: int, sightings: int | None, seed: int) -> dict:
    from graphkit.ingest import load
    from graphkit.mirrors import detect as mirrors

    folder = Path(tempfile.gettempdir()) / "graphkit-bench-data" / (
        f"synth-s{seed}-x{scale}" + (f"-v{sightings}" if sightings else ""))
    data = synth(folder, seed, scale, sightings)
    fresh(graph)
    t0 = time.perf_counter()
    load(graph, [Path(data["path"])], progress=False)
    data["load_s"] = round(time.perf_counter() - t0, 1)
    t0 = time.perf_counter()
    found = mirrors.detect(graph, progress=False)
    data["stored_candidates"] = mirrors.write_candidates(graph, found.candidates)["written"]
    data["detect_and_store_s"] = round(time.perf_counter() - t0, 1)
    return data


def pages(graph) -> dict[str, str]:
    account = _busy_account(graph)
    group = graph.read("MATCH (g:Group) RETURN g.gid AS gid ORDER BY COUNT { (g)<-[:AFFILIATED_WITH]-() } DESC "
                       "LIMIT 1")[0]["gid"]
    return {
        "overview": "/",
        "queries": "/queries",
        "query form": "/queries/group-footprint",
        "query group-footprint": f"/queries/group-footprint?group={quote(group)}&run=1",
        "query mirror-candidates": "/queries/mirror-candidates?run=1",
        "query mirror-chains": "/queries/mirror-chains?run=1",
        "query mirror-chains, page 3": "/queries/mirror-chains?run=1&page=2",
        "query new-since": "/queries/new-since?since=2025-07-01&run=1",
        "query new-since, page 3": "/queries/new-since?since=2025-07-01&run=1&page=2",
        "query platform-compliance": "/queries/platform-compliance?run=1",
        "csv download mirror-chains": "/download/query/mirror-chains.csv",
        "api query group-footprint": f"/api/query/group-footprint?group={quote(group)}",
        "api candidates": "/api/mirrors/candidates",
        "profile": f"/account?a={quote(account)}",
        "search": "/search?q=abu",
        "groups": "/groups",
        "group": f"/group?g={quote(group)}",
        "maps (page)": f"/maps?group={quote(group)}&depth=1",
        "review queue": "/review",
        "review queue, 10th": "/review?at=10",
        "takedowns": "/takedowns",
        "takedowns, a query's draft form": "/takedowns?query=mirror-chains&p.status=confirmed",
    }


def map_frames(graph) -> dict[str, str]:
    """The maps, built when asked: the group page's button (150 nodes), the maps page's default
    (300) and the group page's "bigger map" (1,000)."""
    account = _busy_account(graph)
    group = graph.read("MATCH (g:Group) RETURN g.gid AS gid ORDER BY COUNT { (g)<-[:AFFILIATED_WITH]-() } DESC "
                       "LIMIT 1")[0]["gid"]
    return {
        "map frame (group page's map, 150 nodes)": f"/maps/view?group={quote(group)}&depth=1&max_nodes=150",
        "map frame (account, 300 nodes)": f"/maps/view?account={quote(account)}&depth=1",
        "map frame (group, bigger: 1000 nodes)": f"/maps/view?group={quote(group)}&depth=1&max_nodes=1000",
    }


def time_pages(client, urls: dict[str, str], runs: int) -> dict:
    results = {}
    for name, url in urls.items():
        t0 = time.perf_counter()
        response = client.get(url)  # warm-up: plans cached, pages in memory
        first = (time.perf_counter() - t0) * 1000
        if response.status_code != 200:
            results[name] = {"url": url, "status": response.status_code, "error": response.text[:300]}
            continue
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - t0) * 1000)
        results[name] = {"url": url, "bytes": len(response.content), "first_ms": round(first, 1),
                         "p50_ms": round(percentile(times, 50), 1), "p95_ms": round(percentile(times, 95), 1),
                         "max_ms": round(max(times), 1)}
    return results


def round_trip_ms(graph, runs: int = 20) -> float:
    """The median time of ``RETURN 1``: the floor under every read (how busy the machine is)."""
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        graph.read("RETURN 1")
        times.append((time.perf_counter() - t0) * 1000)
    return round(percentile(times, 50), 1)


def show(title: str, pages: dict) -> None:
    print(title)
    for name, r in pages.items():
        flag = "" if "p95_ms" not in r else ("" if r["p95_ms"] < TARGET_MS else "  over 300 ms")
        print(f"  {name:42} " + (f"p50 {r['p50_ms']:8.1f} ms  p95 {r['p95_ms']:8.1f} ms{flag}" if "p95_ms" in r
                                  else f"HTTP {r['status']}: {r['error']}"))


def screenshots(app, folder: Path, urls: dict[str, str]) -> list[str]:
    """The README's pictures: overview, a query, a profile, the review queue."""
    import threading

    import uvicorn

    sys.path.insert(0, str(ROOT / "tests"))
    import browser

    folder.mkdir(parents=True, exist_ok=True)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=8765, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    written = []
    try:
        with browser.chromium(offline=False, flags=("--window-size=1400,1000",)) as driver:
            driver.get(f"{BASE}/?token={TOKEN}")
            for name, url in [("overview", "/"), ("query", urls["query mirror-chains"]),
                              ("profile", urls["profile"]), ("review", "/review")]:
                driver.get(BASE + url)
                time.sleep(0.5)
                path = folder / f"workbench-{name}.png"
                browser.screenshot(driver, path)
                written.append(str(path))
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    return written


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="server time of each workbench page")
    parser.add_argument("--scale", type=int, default=115, help="graphkit synth --scale (115: about 100k accounts)")
    parser.add_argument("--sightings", type=int, default=500_000, help="graphkit synth --sightings")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--reuse", action="store_true", help="time the graph as it is (no wipe, no load)")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--json", type=Path, help="write the results to this file")
    parser.add_argument("--screenshots", type=Path, help="save the README's screenshots in this folder")
    parser.add_argument("--no-maps", action="store_true", help="skip the map frames (slow on a big graph)")
    args = parser.parse_args(argv)

    from starlette.testclient import TestClient

    from graphkit.web import create_app

    report: dict = {"started_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "runs": args.runs}
    with db.connect() as graph:
        if not args.reuse:
            report["data"] = build(graph, args.scale, args.sightings, args.seed)
        report["graph"] = {r["kind"]: r["count"] for r in __import__("graphkit.model.schema", fromlist=["x"]).stats(graph)}
        report["return_1_ms"] = round_trip_ms(graph)
        urls = pages(graph)
        headers = {"Authorization": f"Bearer {TOKEN}"}
        # every request reads the graph (cache off): the pages' own cost
        app = create_app(graph, TOKEN, analyst="bench", cache=False)
        with TestClient(app, base_url=BASE, headers=headers) as client:
            report["pages"] = time_pages(client, urls, args.runs)
            if not args.no_maps:
                report["map_frames"] = time_pages(client, map_frames(graph), min(args.runs, 2))
        # as a browser sees it again: the pages keep what they read until the graph changes
        app = create_app(graph, TOKEN, analyst="bench")
        with TestClient(app, base_url=BASE, headers=headers) as client:
            report["pages_cached"] = time_pages(client, urls, args.runs)
        if args.screenshots:
            report["screenshots"] = screenshots(app, args.screenshots, urls)
        report["return_1_ms_after"] = round_trip_ms(graph)
    print(f"RETURN 1: {report['return_1_ms']} ms before, {report['return_1_ms_after']} ms after")
    show("every request reads the graph (cache off):", report["pages"])
    if "map_frames" in report:
        show("maps (built when asked; fewer runs):", report["map_frames"])
    show("pages seen again, graph unchanged (cache on):", report["pages_cached"])
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
