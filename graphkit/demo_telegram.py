"""The demo's Telegram step: a fictional Telegram Desktop export, loaded, and its forward network
drawn on a map (``graphkit.synth.telegram`` writes the export; ``graphkit.maps.forwards`` the map).

Each channel's ``result.json`` loads as ``graphkit load result.json --group ID`` would (recognised
from the file, no format given), under a report id that starts with ``synth-`` so that the demo
knows it as its own; a second run finds the same files and changes nothing.
"""
from __future__ import annotations

from pathlib import Path

TITLE = "A Telegram export and its forward network"
MAP_NAME = "telegram-forwards.html"


def report_id(seed: int, channel_id: int) -> str:
    return f"synth-seed{seed}-telegram-{channel_id}"


def run_step(graph, out: Path, seed: int = 0, progress=print) -> tuple[list[str], dict]:
    """Write, load and map the export; returns (sentences, files)."""
    from graphkit.ingest.engine import load
    from graphkit.maps.build import build_map
    from graphkit.synth import telegram as synth_telegram

    folder = Path(out) / f"telegram-export-seed{seed}"
    progress(f"Writing a fictional Telegram export (5 channels, example.org links) to {folder} ...")
    expected = synth_telegram.write(folder, seed=seed)
    read = rejected = 0
    for item in expected["files"]:
        summary = load(graph, [folder / item["path"]], report_id=report_id(seed, item["id"]),
                       group=item["group"], progress=None)
        totals = summary.totals()
        read, rejected = read + totals.get("read", 0), rejected + totals.get("rejected", 0)
    progress("Drawing the forward network of the Telegram channels ...")
    network = build_map(graph, forwards=True, depth=2)
    path = Path(out) / MAP_NAME
    network.write(path)
    messages = sum(item["messages"] for item in expected["files"])
    tied = [f"{item['channel']} ({item['group']})" for item in expected["files"] if item["group"]]
    renamed = ", ".join(f"{new} (first called {old})" for new, old in expected["renamed"].items())
    sentences = [
        f"{len(expected['files'])} fictional channel exports ({messages} messages, {read:,} rows) were loaded "
        f"as `graphkit load result.json --group ID` would load them, {rejected:,} rows rejected; "
        f"each channel is tied to its group: {', '.join(tied)}.",
        f"The channels forward each other's posts: {len(expected['forwards'])} forward links, from a channel "
        f"to the source of its posts; one channel was renamed: {renamed}.",
        f"The forward map ({network.n_nodes} points and {network.n_edges} lines) is in {path}; "
        f"`graphkit map --forwards -o forwards.html` draws it for any graph.",
    ]
    return sentences, {"telegram_export": str(folder), "telegram_map": str(path)}
