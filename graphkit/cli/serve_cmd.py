"""``graphkit serve``: the local web workbench, locked with a fresh token per run."""
from __future__ import annotations

import click

from graphkit.cli.common import open_graph

DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8765


def register(main: click.Group) -> None:
    @main.command("serve")
    @click.option("--host", default=None, metavar="ADDRESS",
                  help=f"The address to listen on.  [default: {DEFAULT_HOST}; another machine's browser "
                  "can reach the workbench only if you name a non-loopback address here]")
    @click.option("--port", type=click.IntRange(1, 65535), default=DEFAULT_PORT, show_default=True,
                  help="The port to listen on.")
    @click.option("--read-only", is_flag=True, help="Hide and refuse every change (decisions, recorded requests).")
    @click.option("--analyst", metavar="NAME", default=None,
                  help="The name recorded with each decision (default: the OS user).")
    def serve_cmd(host, port, read_only, analyst):
        """Open the investigator's workbench in the browser: queries, profiles, maps, the review queue.

        It prints one line, the address with a fresh token (open it in a browser on this
        machine); every request needs that token, so another run's address does not work.

        \b
        Examples:
          graphkit serve
          graphkit serve --read-only --port 8800
          graphkit serve --analyst "desk 3"
        """
        import uvicorn

        from graphkit.web import create_app, security

        explicit = host is not None
        host = host or DEFAULT_HOST
        if not security.is_loopback(host):
            if not explicit:  # pragma: no cover - the default is loopback
                raise click.UsageError("a non-loopback address needs --host")
            click.secho(f"Warning: listening on {host}: anyone who can reach this address and has the "
                        "token can use the workbench. Prefer 127.0.0.1 and an SSH tunnel.", fg="yellow", err=True)
        token = security.new_token()
        graph = open_graph()
        try:
            app = create_app(graph, token, host=host, port=port, read_only=read_only, analyst=analyst)
            shown = f"[{host}]" if ":" in host else host
            click.echo(f"http://{shown}:{port}/?token={token}")
            config = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False,
                                    server_header=False, lifespan="off")
            uvicorn.Server(config).run()
        finally:
            graph.close()
