"""``graphkit audit log|verify``, ``graphkit reports``, and the global ``--analyst`` option."""
from __future__ import annotations

import click

from graphkit import audit
from graphkit.cli.common import emit, format_option, open_graph

LOG_COLUMNS = ["seq", "at", "analyst", "action", "target", "note", "before", "after", "details"]
REPORT_COLUMNS = ["rid", "source", "date", "files", "sha256", "bytes", "rows", "loaded_at", "loaded_by",
                  "version_of"]


def _set_analyst(ctx, param, value):
    if value is not None:
        if not value.strip():
            raise click.BadParameter("give a name (or leave --analyst out to use your user name)")
        audit.set_analyst(value)
    return value


def register(main: click.Group) -> None:
    main.params.append(click.Option(
        ["--analyst"], metavar="NAME", expose_value=False, callback=_set_analyst,
        help="Who is making the changes, for the audit trail (default: GRAPHKIT_ANALYST, else your user name)."))

    @main.group("audit")
    def audit_group():
        """The audit trail: every change an analyst made (load, mirror and operator decisions,
        takedowns), who made it, when, why and what it replaced; hash-chained.

        \b
          graphkit audit log --since 2025-07-01
          graphkit audit verify
        """

    @audit_group.command("log")
    @click.option("--since", metavar="DATE", help="Only entries at or after this day (YYYY-MM-DD) or time.")
    @format_option()
    def log_cmd(since, fmt):
        """Show the audit log, oldest first."""
        rows = audit.entries(since=since)
        if fmt != "json":
            rows = [{k: e.get(k) for k in LOG_COLUMNS} for e in rows]
        emit(rows, fmt, LOG_COLUMNS if fmt != "json" else None)
        click.echo(f"Audit log: {audit.log_path()}", err=True)

    @audit_group.command("verify")
    def verify_cmd():
        """Check that no entry of the audit log was edited, removed or reordered (exit 1 naming the
        first entry that was)."""
        click.echo(audit.verify().sentence())

    @main.command("reports")
    @format_option()
    def reports_cmd(fmt):
        """List the loaded reports: id, source, date, files with their SHA-256 and size, rows,
        when and by whom each was loaded."""
        from graphkit.ingest.evidence import reports

        with open_graph() as graph:
            emit(reports(graph), fmt, REPORT_COLUMNS)
