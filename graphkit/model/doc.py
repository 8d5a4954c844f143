"""The part of ``docs/model.md`` generated from ``model.yaml``: labels, relationships, vocabularies.

    python -m graphkit.model.doc docs/model.md     # rewrite the generated section in place
"""
from __future__ import annotations

import sys
from pathlib import Path

from graphkit.model.spec import Model, model

START = "<!-- generated from graphkit/model/model.yaml by `python -m graphkit.model.doc`: do not edit -->"
END = "<!-- end of the generated section -->"


def render(m: Model | None = None) -> str:
    m = m or model()
    out = [START, "", "### Nodes", "", "| label | key | properties | indexes |", "| --- | --- | --- | --- |"]
    for node in m.nodes.values():
        out.append(f"| `{node.label}` | `{node.key}` | {', '.join(node.properties)} | {', '.join(node.indexes)} |")
    out += ["", "### Relationships", "", "| type | from | to | properties |", "| --- | --- | --- | --- |"]
    for rel in m.relationships.values():
        out.append(f"| `{rel.type}` | {', '.join(rel.sources)} | {', '.join(rel.targets)} | {', '.join(rel.properties)} |")
    out += ["", "### Vocabularies", "", "| name | values |", "| --- | --- |"]
    for name, values in m.vocabularies.items():
        out.append(f"| {name} | {', '.join(f'`{v}`' for v in values)} |")
    out += ["", f"Statuses that mean an account or channel is no longer up: {', '.join(f'`{g}`' for g in m.gone)}.",
            "", END]
    return "\n".join(out)


def splice(text: str, section: str) -> str:
    """``text`` with its generated section replaced (appended when it has none)."""
    if START in text and END in text:
        head, rest = text.split(START, 1)
        return head + section + rest.split(END, 1)[1]
    return text.rstrip("\n") + "\n\n## The declared model\n\n" + section + "\n"


def main(argv: list[str]) -> int:
    path = Path(argv[1] if len(argv) > 1 else "docs/model.md")
    path.write_text(splice(path.read_text(encoding="utf-8"), render()), encoding="utf-8")
    print(f"wrote the generated section of {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
