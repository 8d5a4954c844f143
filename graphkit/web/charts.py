"""Inline SVG drawn on the server: an account's sightings per month. Every text goes through
``markupsafe.escape``; nothing is loaded from anywhere."""
from __future__ import annotations

from markupsafe import Markup, escape

BLUE = "#1f6fb4"


def _months(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last`` (YYYY-MM), so gaps show as gaps."""
    year, month = int(first[:4]), int(first[5:7])
    out = []
    while f"{year:04d}-{month:02d}" <= last and len(out) < 240:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def sightings_timeline(monthly: list[dict], width: int = 560, height: int = 150) -> Markup:
    """A bar a month: how many sightings of the account; empty months in between included."""
    valid = [m for m in monthly if isinstance(m.get("month"), str) and len(m["month"]) == 7]
    if not valid:
        return Markup('<p class="empty">No dated sighting.</p>')
    counts = {m["month"]: int(m["n"]) for m in valid}
    months = _months(valid[0]["month"], valid[-1]["month"])
    left, bottom, top = 34, 24, 10
    plot_h, slot = height - bottom - top, (width - left - 8) / len(months)
    peak = max(counts.values()) or 1
    parts = [f'<svg class="chart timeline" role="img" viewBox="0 0 {width} {height}" width="{width}" '
             f'height="{height}" xmlns="http://www.w3.org/2000/svg">',
             "<title>Sightings per month</title>",
             f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 4}" y2="{top + plot_h}" stroke="#888"/>',
             f'<text x="{left - 4}" y="{top + 8}" text-anchor="end">{peak}</text>',
             f'<text x="{left - 4}" y="{top + plot_h}" text-anchor="end">0</text>']
    every = max(1, int(60 // slot) + 1)
    for i, month in enumerate(months):
        n = counts.get(month, 0)
        h = plot_h * n / peak
        x = left + i * slot
        parts.append(f'<rect class="bar" x="{x + 1:.1f}" y="{top + plot_h - h:.1f}" width="{max(slot - 2, 1):.1f}" '
                     f'height="{h:.1f}" fill="{BLUE}"><title>{escape(month)}: {n} sighting'
                     f'{"s" if n != 1 else ""}</title></rect>')
        if i % every == 0:
            parts.append(f'<text x="{x + slot / 2:.1f}" y="{height - 8}" text-anchor="middle">{escape(month)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
