"""``letter.html``: a printable request to one platform: who asks, the legal grounds per group,
the targets with their evidence as text, and the counts."""
from __future__ import annotations

from graphkit.takedowns.pages import render

PLATFORM_NAMES = {"x": "X (Twitter)", "facebook": "Facebook", "instagram": "Instagram", "tiktok": "TikTok",
                  "whatsapp": "WhatsApp", "telegram": "Telegram", "youtube": "YouTube"}


def _grounds_by_group(rows: list[dict]) -> list[dict]:
    groups: dict[str, dict] = {}
    for row in rows:
        for g in row["grounds"]:
            entry = groups.setdefault(g["group"], {"group": g["group"], "name": g.get("group_name"),
                                                   "designations": [], "targets": set()})
            key = (g.get("authority"), g.get("program"), g.get("reference"), g.get("listed_on"))
            if key not in [(d["authority"], d["program"], d["reference"], d["listed_on"])
                           for d in entry["designations"]]:
                entry["designations"].append({"authority": key[0], "program": key[1], "reference": key[2],
                                              "listed_on": key[3]})
            entry["targets"].add(row["request_id"])
    return [{**g, "targets": len(g["targets"])} for _, g in sorted(groups.items())]


def render_letter(draft) -> str:
    rows = draft.rows
    return render(
        "letter.html", platform=draft.platform, platform_name=PLATFORM_NAMES.get(draft.platform, draft.platform),
        day=draft.day.isoformat(), requester=draft.requester or "[the requesting unit]",
        subject=draft.subject, rows=rows, grounds=_grounds_by_group(rows),
        ungrounded=sum(1 for r in rows if not r["grounds"]), reappeared=draft.reappeared,
        excluded=draft.excluded_counts, excluded_total=len(draft.excluded),
        resend_after=draft.resend_after, followers=sum(r["followers"] or 0 for r in rows),
    )
