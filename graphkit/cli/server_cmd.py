"""``graphkit server start|stop|status``."""
from __future__ import annotations

import json

import click

from graphkit.db import backup, server
from graphkit.cli.common import progress


def _print_status(st: server.Status, fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps(st.as_dict()))
    elif st.running:
        click.echo(f"Neo4j {st.version} is running (pid {st.pid}) at {st.uri}; data in {st.home}")
    else:
        click.echo(f"Neo4j {st.version} (managed) is not running; data in {st.home}")


def register(main: click.Group) -> None:
    @main.group("server")
    def server_group():
        """The managed local Neo4j (no Docker): start, stop, status, backup, restore.

        \b
        Neo4j Community 5.26 is fetched once from Maven Central with Maven into
        ~/.cache/graphkit (GRAPHKIT_CACHE) and runs with your Java 17+. It listens on
        127.0.0.1 only, with auth on: the password is generated on first start and kept in
        ~/.local/share/graphkit/server/password (GRAPHKIT_HOME), readable by you only.
        Data persists between starts. Ignored when NEO4J_URI points to another server.
        Each case (--case NAME) has its own server; backup/restore dump and load its graph.
        """

    @server_group.command("start")
    @click.option("--port", type=click.IntRange(1, 65535), default=None,
                  help="Bolt port (default: the last one used, else 7687, else a free one).")
    @click.option("--timeout", type=float, default=None, help="Seconds to wait for Bolt (default 180).")
    @click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
                  help="Output format: text (a sentence) or json (an object).")
    def start_cmd(port, timeout, fmt):
        """Start the server (idempotent) and wait until it answers."""
        was = server.status()
        st = server.start(port=port, timeout=timeout, progress=progress)
        if fmt == "text" and was.running:
            click.echo("Already running.")
        _print_status(st, fmt)

    @server_group.command("stop")
    @click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
                  help="Output format: text (a sentence) or json (an object).")
    def stop_cmd(fmt):
        """Stop the server cleanly and wait for it to exit."""
        was = server.status()
        st = server.stop()
        if fmt == "text":
            click.echo("Stopped." if was.running else "Not running.")
        else:
            _print_status(st, fmt)

    @server_group.command("status")
    @click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
                  help="Output format: text (a sentence) or json (an object).")
    def status_cmd(fmt):
        """Show whether the server runs, its pid, URI and version (exit 0 either way)."""
        _print_status(server.status(), fmt)

    @server_group.command("backup")
    @click.option("-o", "--output", "output", default=None, metavar="FILE",
                  help="The dump file (default: the case's backups/CASE-DATE-TIME.dump); never overwritten.")
    def backup_cmd(output):
        """Dump the current case's graph with neo4j-admin (the server is stopped for it and started
        again), a SHA-256 checksum beside it (FILE.sha256). Readable by you only."""
        summary = backup.dump(output, progress=progress)
        click.echo(f"Backed up to {summary['file']} ({summary['bytes']:,} bytes, sha256 {summary['sha256'][:16]}...).")

    @server_group.command("restore")
    @click.argument("file", type=click.Path(dir_okay=False))
    @click.option("--force", is_flag=True, help="Replace a graph that is not empty.")
    def restore_cmd(file, force):
        """Replace the current case's graph with the dump FILE (checked against FILE.sha256), then
        start the server. Refuses a graph that is not empty unless --force. If a restore is
        interrupted, run it again: it finishes the job."""
        summary = backup.load(file, force=force, progress=progress)
        click.echo(f"Restored {summary['file']}; the server runs at {summary['uri']}.")
