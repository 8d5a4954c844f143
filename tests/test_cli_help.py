"""The command line's help tells the truth (issue 11: `stats` and `queries` offered `--format csv`
and refused it). Walks every command and option: an option with a fixed set of choices names
exactly those in its help and offers no other format; a range the help states is the range the
option accepts; and every example command in the help texts, the README's query section and
docs/queries.md parses with the options and values it shows (query names and -p parameters
included), the way sqlite-utils checks its documented commands against its CLI. No server needed.
"""
from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest

from graphkit.mirrors import detect as mirrors
from graphkit.queries import library as q
from graphkit.cli import main
from graphkit.errors import GraphkitError

ROOT = Path(__file__).resolve().parent.parent
# words that name a format; an option's help that says one offers it
FORMAT_WORDS = {"table", "csv", "json", "text", "tsv", "xlsx", "html", "yaml", "xml", "markdown"}
# placeholders in synopses ("graphkit query NAME -p KEY VALUE"): such lines are not examples
PLACEHOLDERS = {"NAME", "KEY", "VALUE", "PATH", "PATH...", "FILE", "ID", "N", "TEXT", "SUCCESSOR", "PREDECESSOR",
                "PLATFORM:HANDLE", "DIR", "CMD"}


def walk(command: click.Command, path: tuple[str, ...] = ("graphkit",)):
    yield path, command
    if isinstance(command, click.Group):
        for name, sub in sorted(command.commands.items()):
            yield from walk(sub, path + (name,))


COMMANDS = list(walk(main))
CHOICE_OPTIONS = [(path, option) for path, command in COMMANDS for option in command.params
                  if isinstance(option, click.Option) and isinstance(option.type, click.Choice) and not option.hidden]


def _id(item) -> str:
    path, option = item
    return " ".join(path[1:] + (option.opts[-1],))


def test_the_walk_finds_the_commands():
    names = {" ".join(path[1:]) for path, _ in COMMANDS}
    assert {"stats", "queries", "query", "cypher", "load", "map", "mirrors detect", "server status"} <= names
    assert {_id(item) for item in CHOICE_OPTIONS} >= {"stats --format", "queries --format", "query --format",
                                                      "cypher --format", "mirrors detect --format"}


@pytest.mark.parametrize("item", CHOICE_OPTIONS, ids=_id)
def test_a_choice_option_documents_exactly_what_it_accepts(item):
    path, option = item
    help_text = option.help or ""
    choices = {str(c).lower() for c in option.type.choices}
    offered = {w.lower() for w in re.findall(r"[A-Za-z]+", help_text)} & FORMAT_WORDS
    assert offered <= choices, f"{_id(item)}: the help offers {sorted(offered - choices)}, which it refuses"
    for choice in choices:  # and names every choice it accepts
        assert re.search(rf"\b{re.escape(choice)}\b", help_text, re.I), f"{_id(item)}: {choice} is not described"


def test_stats_and_queries_accept_csv():
    # the old help offered csv to both while their Choice was (table, json)
    for name in ("stats", "queries"):
        option = next(p for p in main.commands[name].params if p.name == "fmt")
        assert set(option.type.choices) == {"table", "csv", "json"}


RANGED_OPTIONS = [(path, option) for path, command in COMMANDS for option in command.params
                  if isinstance(option, click.Option) and re.search(r"\(-?[\d.]+\.\.-?[\d.]+\)", option.help or "")]


# options whose stated range the library checks (with its own message, exit 1), not click
LIBRARY_RANGES = {"mirrors detect --min-score": lambda value: mirrors.detect(None, min_score=value)}


@pytest.mark.parametrize("item", RANGED_OPTIONS, ids=_id)
def test_a_range_the_help_states_is_the_range_accepted(item):
    path, option = item
    low, high = (float(x) for x in re.search(r"\((-?[\d.]+)\.\.(-?[\d.]+)\)", option.help).groups())
    if isinstance(option.type, click.types._NumberRangeBase):
        assert (option.type.min, option.type.max) == (low, high)
        return
    check = LIBRARY_RANGES.get(_id(item))
    assert check, f"{_id(item)} states {low:g}..{high:g} but accepts any number"
    for outside in (low - 0.5, high + 0.5):
        with pytest.raises(GraphkitError, match=f"between {low:g} and {high:g}"):
            check(outside)


def test_format_means_the_output_format_everywhere():
    for path, command in COMMANDS:
        for option in command.params:
            if "--format" in getattr(option, "opts", []):
                assert isinstance(option.type, click.Choice), " ".join(path)
                assert set(option.type.choices) <= {"table", "csv", "json", "text"}, " ".join(path)


# ---------------------------------------------------------------- examples parse
def _help_examples() -> list[tuple[str, str]]:
    found = []
    for path, command in COMMANDS:
        for line in (command.help or "").splitlines():
            match = re.match(r"\s*(graphkit\s.*)$", line)
            if match:
                found.append((" ".join(path), match.group(1)))
    return found


def _doc_examples() -> list[tuple[str, str]]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Canned queries", 1)[1].split("\n### ", 1)[0]
    sources = {"README.md (canned queries)": section, "docs/queries.md": (ROOT / "docs/queries.md").read_text("utf-8")}
    found = []
    for where, text in sources.items():
        for match in re.finditer(r"`(graphkit [^`]+)`", text):
            if len(match.group(1).split()) > 2:  # `graphkit query` alone names the command in a sentence
                found.append((where, match.group(1)))
        for block in re.findall(r"```\n(.*?)```", text, re.S):
            found += [(where, line.strip()) for line in block.splitlines() if line.strip().startswith("graphkit ")]
    return found


def _runnable(line: str) -> list[str] | None:
    """The arguments of an example line (comment, redirection and pipe removed), or None for a
    synopsis with placeholders."""
    line = re.split(r"\s#\s|\s#$", line)[0]
    line = re.split(r"\s[>|]\s?", line)[0].strip()
    args = shlex.split(line)[1:]
    if not args or any(a in PLACEHOLDERS or a.startswith(("[", "(")) or "|" in a for a in args):
        return None
    return args


EXAMPLES = [(where, line) for where, line in _help_examples() + _doc_examples() if _runnable(line)]


def test_there_are_examples_to_check():
    wheres = {where for where, _ in EXAMPLES}
    assert {"graphkit", "graphkit query", "graphkit map", "README.md (canned queries)", "docs/queries.md"} <= wheres
    assert len(EXAMPLES) >= 30


@pytest.mark.parametrize("where, line", EXAMPLES, ids=[line for _, line in EXAMPLES])
def test_every_example_parses(where, line, monkeypatch):
    # input paths in examples are illustrations: their existence is not checked here
    monkeypatch.setattr(click.Path, "convert", lambda self, value, param, ctx: value)
    args = _runnable(line)
    command, ctx = main, click.Context(main, info_name="graphkit")
    while isinstance(command, click.Group):
        args = _group_options_taken(command, args, where, line)  # graphkit --case demo query ...
        name, args = args[0], args[1:]
        assert name in command.commands, f"{where}: {line}: no command {name!r}"
        command = command.commands[name]
        parent, ctx = ctx, None
        if not isinstance(command, click.Group):
            try:
                ctx = command.make_context(name, list(args), parent=parent)
            except click.ClickException as exc:
                pytest.fail(f"{where}: `{line}` is refused: {exc.format_message()}")
        else:
            ctx = click.Context(command, info_name=name, parent=parent)
    _check_query_parameters(command.name, ctx.params)


def _group_options_taken(group: click.Group, args: list[str], where: str, line: str) -> list[str]:
    """The arguments after a group's own options (``--case NAME``, ``--analyst NAME``)."""
    while args and args[0].startswith("-"):
        option = next((p for p in group.params if args[0].split("=")[0] in p.opts), None)
        assert option is not None, f"{where}: {line}: {group.name} has no option {args[0]!r}"
        args = args[1:] if option.is_flag or "=" in args[0] else args[2:]
    return args


def _check_query_parameters(command: str, params: dict) -> None:
    """A canned query an example names exists and takes the -p values the example gives."""
    name = {"query": params.get("name"), "map": params.get("query")}.get(command)
    if not name:
        return
    values = dict(params.get("params") or ())
    query = q.get(name)  # UnknownQuery for a misspelt name
    query.bind(values if values else {p.name: _sample(p) for p in query.parameters if p.required})


def _sample(param) -> str:
    return {"group": "TTP", "account": "x:example_handle", "date": "2025-07-01"}.get(param.type, "1")


def test_the_help_of_every_command_renders():
    for path, command in COMMANDS:
        ctx = click.Context(command, info_name=path[-1])
        text = command.get_help(ctx)
        assert "Usage:" in text and "Traceback" not in text
