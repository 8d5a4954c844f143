"""Maps: time to build, open and settle a 1k and a 5k node map in headless Chromium, graphkit's
way (positions computed in Python, physics off) against pyvis's default (physics layout in the
browser, ``cdn_resources="in_line"``), on the same synthetic subgraph, in the same run.

    python bench/maps_bench.py            # 1k and 5k nodes
    python bench/maps_bench.py --quick    # 1k nodes only

"Open and settle" is wall time from asking Chromium to load the file (network off) until the map
is drawn and still: graphkit's page sets ``window.graphkitMap.ready`` after the first drawing
(physics off) or after stabilisation (small maps); pyvis's page hides its loading bar when
stabilisation ends. ``*_page_settled_ms`` is the same moment in the page's own clock
(``performance.now()``, from navigation start). No database is needed: the subgraph is generated in memory.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "tests"))

from graphkit.maps import data as map_data
from graphkit.maps import style as map_style
from graphkit.maps import build as maps  # noqa: E402

PYVIS_TIMEOUT = 300.0


def synthetic(n_nodes: int, seed: int = 0) -> map_data.Subgraph:
    """A map-shaped subgraph of about ``n_nodes``: 4 groups; accounts (80 %), channels (5 %),
    shared identifiers (12 %, each used by 2-5 accounts), operators (1 %, 3-10 accounts each);
    5 % of accounts mirror another; accounts post in 1-3 channels."""
    rng = random.Random(seed)
    sub = map_data.Subgraph()
    platforms = ["x", "telegram", "facebook", "tiktok", "youtube", "instagram", "whatsapp"]

    def add(node_id, label, props):
        sub.nodes[node_id] = map_data.MapNode(node_id, label, props, 1)

    groups = [f"g{i}" for i in range(4)]
    for i, gid in enumerate(["TTP", "ISIS-K", "BLA", "BLF"]):
        add(groups[i], "Group", {"gid": gid})
    sub.seeds = list(groups)
    n_acc, n_chan = int(n_nodes * 0.80), max(int(n_nodes * 0.05), 1)
    n_ident, n_op = int(n_nodes * 0.12), max(int(n_nodes * 0.01), 1)
    accounts = [f"a{i}" for i in range(n_acc)]
    for i, node_id in enumerate(accounts):
        add(node_id, "Account", {"platform": rng.choice(platforms), "handle": f"example_{i}",
                                 "status": rng.choice(["active"] * 3 + ["removed", "suspended"]),
                                 "followers": int(rng.paretovariate(1.2) * 50)})
        sub.edges.append(map_data.MapEdge(node_id, rng.choice(groups), "AFFILIATED_WITH", {}))
    channels = [f"c{i}" for i in range(n_chan)]
    for i, node_id in enumerate(channels):
        add(node_id, "Channel", {"platform": rng.choice(platforms), "name": f"channel_{i}",
                                 "members": rng.randint(10, 50_000)})
        sub.edges.append(map_data.MapEdge(node_id, rng.choice(groups), "AFFILIATED_WITH", {}))
        sub.edges.append(map_data.MapEdge(rng.choice(accounts), node_id, "ADMINISTERS", {}))
    for node_id in accounts:
        for channel in rng.sample(channels, rng.randint(0, min(2, len(channels)))):
            sub.edges.append(map_data.MapEdge(node_id, channel, "POSTS_IN", {}))
    for i in range(n_ident):
        node_id = f"i{i}"
        add(node_id, "Identifier", {"key": f"phone:+92300000{i:04d}", "kind": "phone",
                                    "value": f"+92300000{i:04d}"})
        for account in rng.sample(accounts, rng.randint(2, 5)):
            sub.edges.append(map_data.MapEdge(account, node_id, "USES", {}))
    for i in range(n_op):
        node_id = f"o{i}"
        add(node_id, "Operator", {"oid": f"OP-{i}", "name": f"Operator {i} (example)"})
        for account in rng.sample(accounts, rng.randint(3, 10)):
            sub.edges.append(map_data.MapEdge(node_id, account, "OPERATES", {}))
    for account in rng.sample(accounts, n_acc // 20):
        other = rng.choice(accounts)
        if other != account:
            sub.edges.append(map_data.MapEdge(account, other, "MIRROR_OF", {"status": "confirmed"}))
    map_data._count_degrees(sub)
    return sub


def pyvis_default_html(sub: map_data.Subgraph) -> str:
    """The same nodes and edges through pyvis's own template and default physics."""
    net, _ = map_style.build_network(sub)          # no positions: pyvis/vis lay it out
    net.cdn_resources = "in_line"
    html = net.generate_html()
    # measurement only: note (in page time) when pyvis hides its loading bar, i.e. when
    # stabilisation has ended; the page's own behaviour is unchanged
    probe = ("<script>(function () { var bar = document.getElementById('loadingBar'); if (!bar) {"
             " window.pyvisSettled = performance.now(); return; } new MutationObserver(function () {"
             " if (bar.style.opacity === '0' && !window.pyvisSettled) {"
             " window.pyvisSettled = performance.now(); } }).observe(bar, {attributes: true}); })();"
             "</script>")
    return html.replace("</body>", probe + "</body>")


def _open_and_settle(driver, path: Path, condition: str, timeout: float) -> float | None:
    """Seconds from navigation to ``condition`` (polled); None past ``timeout``. A page busy in
    a long synchronous layout cannot answer a poll: that counts as not settled yet."""
    from selenium.common.exceptions import TimeoutException

    driver.get("about:blank")
    driver.set_page_load_timeout(timeout)
    driver.set_script_timeout(timeout)
    try:  # a page frozen in a synchronous layout must not block each poll for minutes
        driver.command_executor._client_config.timeout = 15
    except AttributeError:  # pragma: no cover - other selenium versions
        pass
    start = time.perf_counter()
    try:
        driver.get(path.resolve().as_uri())
    except TimeoutException:
        return None
    except Exception:  # noqa: BLE001 - the client gave up waiting for the load; keep polling
        pass
    while time.perf_counter() - start < timeout:
        try:
            if driver.execute_script(f"try {{ return !!({condition}); }} catch (e) {{ return false; }}"):
                return time.perf_counter() - start
        except Exception:  # noqa: BLE001 - the renderer is busy (a frozen page times out polls)
            pass
        time.sleep(0.05)
    return None


def run(quick: bool = False, pyvis_timeout: float = PYVIS_TIMEOUT) -> dict:
    import browser

    sizes = (1000,) if quick else (1000, 5000)
    results: dict = {"sizes": {}, "note": "seconds; wall time in headless Chromium, network off"}
    reason = browser.available()
    folder = Path(tempfile.mkdtemp(prefix="gk-maps-bench-"))
    for size in sizes:
        sub = synthetic(size)
        row: dict = {"nodes": len(sub.nodes), "edges": len(sub.edges)}
        start = time.perf_counter()
        network_map = maps.render_map(sub, "synthetic benchmark", 1, size * 2)
        row["graphkit_build_s"] = round(time.perf_counter() - start, 2)
        gk_path = network_map.write(folder / f"graphkit-{size}.html")
        start = time.perf_counter()
        pv_path = folder / f"pyvis-{size}.html"
        pv_path.write_text(pyvis_default_html(synthetic(size)), encoding="utf-8")
        row["pyvis_build_s"] = round(time.perf_counter() - start, 2)
        row["html_mb"] = {"graphkit": round(gk_path.stat().st_size / 1e6, 2),
                          "pyvis": round(pv_path.stat().st_size / 1e6, 2)}
        if reason is None:
            with browser.chromium() as driver:
                gk = _open_and_settle(driver, gk_path, "window.graphkitMap && window.graphkitMap.ready", 120)
                row["graphkit_open_settle_s"] = round(gk, 2) if gk is not None else "> 120"
                row["graphkit_page_settled_ms"] = driver.execute_script(
                    "return window.graphkitMap && Math.round(window.graphkitMap.readyAt)")
            print(json.dumps({size: row}), flush=True)
            with browser.chromium() as driver:
                pv = _open_and_settle(
                    driver, pv_path,
                    "document.getElementById('loadingBar') && "
                    "document.getElementById('loadingBar').style.opacity === '0'", pyvis_timeout)
                row["pyvis_physics_open_settle_s"] = round(pv, 2) if pv is not None else f"> {pyvis_timeout:.0f}"
                if pv is not None:
                    row["pyvis_page_settled_ms"] = driver.execute_script(
                        "return Math.round(window.pyvisSettled || 0)")
        else:
            row["browser"] = f"skipped: {reason}"
        results["sizes"][size] = row
        print(json.dumps({size: row}), flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="1k nodes only")
    parser.add_argument("--pyvis-timeout", type=float, default=PYVIS_TIMEOUT,
                        help="give up waiting for pyvis's physics layout after this many seconds")
    args = parser.parse_args()
    print(json.dumps(run(quick=args.quick, pyvis_timeout=args.pyvis_timeout), indent=2))


if __name__ == "__main__":
    main()
