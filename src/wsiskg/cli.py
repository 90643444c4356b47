"""The ``wsiskg`` command: each subcommand parses options, calls one
function of the package, renders the result and picks the exit code.

Exit codes: 0 success; 1 the data does not conform; 2 usage error; 3 cannot
run (missing, unreadable, changed or malformed input).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .errors import WsiskgError

EPILOG = """\b
Exit codes:
  0  success
  1  the data does not conform (violations)
  2  usage error (bad option or parameter)
  3  cannot run: missing, unreadable, changed or malformed input
"""


def _layout(root: Path | None):  # type: ignore[no-untyped-def]
    from .paths import Layout, default_layout

    return Layout(root) if root else default_layout()


def _fail(error: WsiskgError) -> None:
    click.echo(f"error: {error.render()}", err=True)
    sys.exit(error.exit_code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, epilog=EPILOG)
@click.version_option(__version__, "-V", "--version", prog_name="wsiskg")
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Project folder (default: $WSISKG_ROOT, else the folder holding "
                   "data/sources/registry.yaml above the current one).")
@click.pass_context
def main(ctx: click.Context, root: Path | None) -> None:
    """wsiskg: the WSIS Roadmaps Knowledge Graph.

    Builds ITU's WSIS Action Line Roadmaps and the Buenos Aires Action Plan
    into RDF, validates, reasons over and queries it.
    """
    ctx.obj = root


@main.command(epilog=EPILOG)
@click.option("-q", "--quiet", is_flag=True, help="Print only the summary line.")
@click.option("--corrections/--no-corrections", default=True, show_default=True,
              help="List every correction of a source defect that was applied.")
@click.pass_obj
def build(root: Path | None, quiet: bool, corrections: bool) -> None:
    """Build data/kg/*.ttl and data/kg/wsis.trig from the sources.

    Checks every source against the registry's SHA-256, reads each edition,
    applies the recorded corrections and writes deterministic Turtle; on any
    error no output file is changed.
    """
    from .build import build as run_build
    from .report import render_build

    try:
        result = run_build(_layout(root))
    except WsiskgError as error:
        _fail(error)
        return
    click.echo(render_build(result, quiet=quiet, corrections=corrections))


@main.command(epilog=EPILOG)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.pass_obj
def stats(root: Path | None, paths: tuple[Path, ...]) -> None:
    """Count triples and entities of the built graph (or of PATHS)."""
    from .report import render_stats
    from .stats import graph_stats

    try:
        files = list(paths) or None
        result = graph_stats(_layout(root), files)
    except WsiskgError as error:
        _fail(error)
        return
    click.echo(render_stats(result))


@main.command(epilog=EPILOG)
@click.argument("source")
@click.option("--role", "roles", multiple=True,
              help="Show only lines of this role (outcome, header, section, footnote, note, "
                   "artefact, footer, title, front-matter, blank); repeatable.")
@click.pass_obj
def lines(root: Path | None, source: str, roles: tuple[str, ...]) -> None:
    """Show where each line of a roadmap SOURCE went (e.g. roadmaps-2010).

    One line per source line: number, role, the outcome that holds it, text.
    """
    from .build import line_roles

    try:
        rows = line_roles(_layout(root), source)
    except WsiskgError as error:
        _fail(error)
        return
    for number, role, outcome, text in rows:
        if roles and role not in roles:
            continue
        click.echo(f"{number:>5} {role:<12} {outcome:<14} {text[:100]}")


if __name__ == "__main__":  # pragma: no cover
    main()
