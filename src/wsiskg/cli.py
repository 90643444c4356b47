"""The ``wsiskg`` command: each subcommand parses options, calls one
function of the package, renders the result and picks the exit code.

Exit codes: 0 success; 1 the data does not conform; 2 usage error; 3 cannot
run (missing, unreadable, changed or malformed input).

One option vocabulary: ``-o/--output`` is always a file, ``-d/--output-dir``
always a folder; ``-f/--format`` the output format; ``--engine`` only the query
engine of ``query``; ``--method`` how ``reason`` reasons; ``--store`` the embedded
store; ``--endpoint`` a remote SPARQL endpoint; ``--root`` the project, before or
after the subcommand; ``-q/--quiet`` less on standard output and no progress on
standard error.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from wsiskg import __version__
from wsiskg.errors import EXIT_CANNOT_RUN, UsageError, WsiskgError

if TYPE_CHECKING:
    from wsiskg.paths import Layout

EPILOG = """\b
Exit codes:
  0  success
  1  the data does not conform (violations)
  2  usage error (bad option or parameter)
  3  cannot run: missing, unreadable, changed or malformed input, or an
     unexpected error (one line; the traceback with --debug)
"""

# the option of every command that reads the embedded store
STORE_OPTION = click.option(
    "--store",
    "store_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The embedded store (default: .wsiskg/store).",
)


class Alias(click.Option):
    """An option with old spellings that still work but are not shown in the help."""

    def __init__(self, *args: Any, hidden_names: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.hidden_names = hidden_names

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        shown = self.opts
        self.opts = [name for name in shown if name not in self.hidden_names]
        try:
            return super().get_help_record(ctx)
        finally:
            self.opts = shown


def _set_root(ctx: click.Context, _param: click.Parameter, value: Path | None) -> None:
    if value is not None:
        ctx.obj = value


ROOT_HELP = (
    "A maintainer's checkout (default: $WSISKG_ROOT, else the folder holding "
    "data/sources/registry.yaml at or above the current one, else the installed "
    "package's data)."
)


def _root_option() -> click.Option:
    """``--root`` after a subcommand: the same as before it (the later one wins)."""
    return click.Option(
        ["--root"],
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        expose_value=False,
        callback=_set_root,
        help=ROOT_HELP,
    )


def output_dir_option(help_text: str) -> Callable[[Any], Any]:
    """``-d/--output-dir``, a folder (``-o/--output``, its old spelling, still works)."""
    return click.option(
        "-d",
        "--output-dir",
        "-o",
        "--output",
        "output_dir",
        cls=Alias,
        hidden_names=("-o", "--output"),
        required=True,
        type=click.Path(file_okay=False, path_type=Path),
        help=help_text,
    )


def stage_printer(command: str, quiet: bool = False) -> Callable[[str], None] | None:
    """A progress callback writing ``command: stage (seconds so far)`` lines to
    standard error (none with ``quiet``)."""
    if quiet:
        return None
    started = time.perf_counter()

    def stage(name: str) -> None:
        click.echo(f"{command}: {name} ({time.perf_counter() - started:.1f} s)", err=True)

    return stage


def _layout(root: Path | None) -> Layout:
    from wsiskg.paths import Layout, default_layout

    return Layout(root) if root else default_layout()


def _checkout(root: Path | None, command: str) -> Layout:
    """The layout, which must be a maintainer's checkout (sources and curation)."""
    layout = _layout(root)
    if layout.installed:
        raise UsageError(
            f"{command} needs a maintainer's checkout (sources and curation); "
            "the installed package carries the built graph only",
            hint="run it in a clone of the repository, or give --root",
        )
    return layout


class Guarded(click.Group):
    """The one error boundary of every command: a WsiskgError ends with its message
    and exit code; anything unexpected (a bug, MemoryError) with one line and exit 3,
    the traceback only with --debug. Exit 1 stays reserved for violations."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except WsiskgError as error:
            click.echo(f"error: {error.render()}", err=True)
            ctx.exit(error.exit_code)
        except (
            click.exceptions.ClickException,
            click.exceptions.Exit,
            click.exceptions.Abort,
            KeyboardInterrupt,
            SystemExit,
        ):
            raise
        except BrokenPipeError:
            # the reader of standard output went away (`| head`): nothing is wrong here
            with contextlib.suppress(OSError, ValueError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(0)
        except MemoryError:
            if ctx.params.get("debug"):
                traceback.print_exc(file=sys.stderr)
            click.echo(
                "error: out of memory (an input may be far larger than expected; "
                "rerun with --debug for the traceback)",
                err=True,
            )
            ctx.exit(EXIT_CANNOT_RUN)
        except Exception as error:  # the boundary reports every unexpected failure
            if ctx.params.get("debug"):
                traceback.print_exc(file=sys.stderr)
            text = " ".join(str(error).split())[:300]
            click.echo(
                f"error: internal error: {type(error).__name__}: {text} (a bug of "
                "wsiskg; rerun with --debug for the traceback)",
                err=True,
            )
            ctx.exit(EXIT_CANNOT_RUN)


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from wsiskg.paths import default_layout
    from wsiskg.publish.release import data_version

    try:
        data = data_version(default_layout())
    except WsiskgError as error:
        data = error.render()
    click.echo(f"wsiskg {__version__}\ndata: {data}")
    ctx.exit(0)


@click.group(cls=Guarded, context_settings={"help_option_names": ["-h", "--help"]}, epilog=EPILOG)
@click.option(
    "-V",
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_print_version,
    help="Print the package and data versions and exit.",
)
@click.option(
    "--root", type=click.Path(file_okay=False, path_type=Path), default=None, help=ROOT_HELP
)
@click.option(
    "--debug",
    is_flag=True,
    help="Show the traceback of an unexpected error (exit code 3 either way).",
)
@click.pass_context
def main(ctx: click.Context, root: Path | None, debug: bool) -> None:
    """wsiskg: the WSIS Roadmaps Knowledge Graph.

    Builds ITU's WSIS Action Line Roadmaps and the Buenos Aires Action Plan
    into RDF, validates, reasons over and queries it.
    """
    ctx.obj = root


@main.command(epilog=EPILOG)
@click.option("-q", "--quiet", is_flag=True, help="Print only the summary line.")
@click.option(
    "--store/--no-store",
    "with_store",
    default=True,
    show_default=True,
    help="Load the embedded store afterwards, ready for `wsiskg query`.",
)
@click.option(
    "--corrections/--no-corrections",
    default=True,
    show_default=True,
    help="List every correction of a source defect that was applied.",
)
@click.pass_obj
def build(root: Path | None, quiet: bool, corrections: bool, with_store: bool) -> None:
    """Build data/kg/*.ttl and data/kg/wsis.trig from the sources.

    Checks every source against the registry's SHA-256, reads each edition,
    applies the recorded corrections and writes deterministic Turtle; on any
    error no output file is changed.
    """
    from wsiskg.graph.build import build as run_build
    from wsiskg.views.text import render_build

    layout = _checkout(root, "build")
    result = run_build(layout)
    loaded = None
    if with_store:
        from wsiskg.store.embedded import load_embedded

        loaded = load_embedded(layout)
    click.echo(render_build(result, quiet=quiet, corrections=corrections))
    click.echo(
        f"changed: {', '.join(result.changed)}"
        if result.changed
        else "changed: nothing (every output as before)"
    )
    if loaded is not None:
        total = sum(n for _, n in loaded.graphs)
        click.echo(
            f"store: {total} quads in {len(loaded.graphs)} named graphs at "
            f"{loaded.location} ({loaded.seconds:.2f} s)"
        )


@main.command(epilog=EPILOG)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.pass_obj
def stats(root: Path | None, paths: tuple[Path, ...]) -> None:
    """Count triples and entities of the built graph (or of PATHS)."""
    from wsiskg.views.stats import graph_stats
    from wsiskg.views.text import render_stats

    files = list(paths) or None
    result = graph_stats(_layout(root), files)
    click.echo(render_stats(result))


@main.command(epilog=EPILOG)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--inference",
    type=click.Choice(["none", "rdfs", "owlrl"]),
    default="none",
    show_default=True,
    help="Expand the data with the ontology first (RDFS or OWL RL closure; slow).",
)
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["human", "turtle", "json"]),
    default="human",
    show_default=True,
    help="Report format.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the report to this file (default: standard output).",
)
@click.option(
    "-q",
    "--quiet",
    is_flag=True,
    help="Human format: print only the summary line and the violations; no "
    "progress on standard error.",
)
@click.option(
    "--shapes",
    "shape_files",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Validate PATHS alone against these shapes (repeatable) instead of the "
    "project's shapes with its ontology and reference data.",
)
@click.pass_obj
def validate(
    root: Path | None,
    paths: tuple[Path, ...],
    inference: str,
    fmt: str,
    output: Path | None,
    quiet: bool,
    shape_files: tuple[Path, ...],
) -> None:
    """Validate the built graph (or PATHS) against the SHACL shapes in shapes/.

    PATHS (Turtle, TriG, N-Triples, N-Quads, RDF/XML) are validated together
    with the ontology and the reference data they link to. Exit 0 when there
    is no violation (warnings and infos are shown; the SHACL report then says
    sh:conforms false), 1 on violations, 2 on bad usage, 3 when validation
    cannot run (unreadable input, unsupported shapes).
    """
    from wsiskg.check.validate import validate as run_validate
    from wsiskg.views.text import render_validation

    report = run_validate(
        _layout(root),
        list(paths) or None,
        inference=inference,
        shapes=list(shape_files) or None,
        progress=stage_printer("validate", quiet or inference == "none"),
    )
    _emit(render_validation(report, fmt, quiet=quiet), output)
    sys.exit(0 if report.passes else 1)


@main.command(epilog=EPILOG)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--method",
    "--engine",
    "method",
    cls=Alias,
    hidden_names=("--engine",),
    type=click.Choice(["fast", "owlrl"]),
    default="fast",
    show_default=True,
    help="fast: rules derived from the ontology, run on Oxigraph; owlrl: owlrl's "
    "OWL RL closure (the reference semantics; about a minute).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the entailments (Turtle) to this file (default: standard output).",
)
@click.pass_obj
def reason(root: Path | None, paths: tuple[Path, ...], method: str, output: Path | None) -> None:
    """Materialise the entailments of ontology + graph into a separate Turtle output.

    The input files are never changed; what is written holds only inferred triples.
    """
    from wsiskg.check.reason import reason as run_reason
    from wsiskg.graph.serialize import to_turtle
    from wsiskg.rdf import PREFIXES, data_files

    layout = _layout(root)
    result = run_reason(
        data_files(layout, list(paths) or None), layout.ontology / "wsis.ttl", engine=method
    )
    text = to_turtle(
        result.inferred,
        PREFIXES,
        [
            f"Entailments of the WSIS Roadmaps KG ({method} engine); generated by `wsiskg reason`.",
            "Load beside the data; not part of it.",
        ],
    )
    _emit(text, output)
    click.echo(
        f"{len(result.inferred)} inferred triples ({method}, {result.seconds:.2f} s)", err=True
    )


@main.command(epilog=EPILOG)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.pass_obj
def check(root: Path | None, paths: tuple[Path, ...]) -> None:
    """Check ontology + reference data + graph (or PATHS) for consistency with HermiT.

    Needs Java. Exit 0 when consistent and no class is unsatisfiable, 1 otherwise,
    3 when the check cannot run (no Java, unreadable input).
    """
    from wsiskg.check.consistency import check_consistency
    from wsiskg.rdf import data_files
    from wsiskg.views.text import render_consistency

    layout = _layout(root)
    files = [layout.ontology / "wsis.ttl"] + data_files(layout, list(paths) or None)
    result = check_consistency(files)
    click.echo(render_consistency(result))
    sys.exit(0 if result.consistent and not result.unsatisfiable else 1)


def _progress(
    label: str,
) -> Callable[[list[tuple[str, Path]]], Iterator[tuple[str, Path]]]:
    def wrap(files: list[tuple[str, Path]]) -> Iterator[tuple[str, Path]]:
        with click.progressbar(
            files, label=label, file=sys.stderr, item_show_func=lambda item: item[0] if item else ""
        ) as bar:
            yield from bar

    return wrap


@main.command(epilog=EPILOG)
@click.option(
    "--store",
    "store_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The embedded store's folder (default: .wsiskg/store under "
    "the project, or $WSISKG_STORE).",
)
@click.option(
    "--endpoint",
    default=None,
    metavar="URL",
    help="Load into a SPARQL 1.1 Graph Store HTTP Protocol endpoint instead, "
    "replacing each named graph (PUT). Credentials come from "
    "$WSISKG_ENDPOINT_USER/$WSISKG_ENDPOINT_PASSWORD or $WSISKG_ENDPOINT_TOKEN.",
)
@click.pass_obj
def load(root: Path | None, store_dir: Path | None, endpoint: str | None) -> None:
    """Load ontology, reference data, editions and plan, each into its named graph."""
    from wsiskg.store.embedded import load_embedded, load_remote

    layout = _layout(root)
    if endpoint:
        result = load_remote(layout, endpoint, _progress("loading"))
    else:
        result = load_embedded(layout, store_dir, _progress("loading"))
    for graph, triples in result.graphs:
        count = f": {triples} triples" if triples else ""
        click.echo(f"graph {graph}{count}")
    click.echo(
        f"loaded {len(result.graphs)} graphs into {result.location} in {result.seconds:.2f} s"
    )


@main.command(epilog=EPILOG)
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["turtle", "trig", "nquads", "ntriples", "jsonld"]),
    default="trig",
    show_default=True,
    help="trig, nquads and jsonld keep the named graphs; turtle and ntriples give "
    "their union. Byte-stable.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file (default: standard output).",
)
@click.pass_obj
def export(root: Path | None, fmt: str, output: Path | None) -> None:
    """Export ontology, reference data, editions and plan in a format stores take."""
    from wsiskg.publish.release import export as run_export

    data = run_export(_layout(root), fmt)
    _emit(data.decode("utf-8"), output)


@main.command(epilog=EPILOG)
@output_dir_option("The release folder (created; its release files replaced).")
@click.option(
    "--base-url",
    default=None,
    metavar="URL",
    help="Where the files will be published (default: "
    "https://w3id.org/wsis-kg/release/VERSION/); the download URLs.",
)
@click.option(
    "--sparql-endpoint",
    default=None,
    metavar="URL",
    help="A public SPARQL endpoint serving this release (void:sparqlEndpoint).",
)
@click.pass_obj
def release(
    root: Path | None, output_dir: Path, base_url: str | None, sparql_endpoint: str | None
) -> None:
    """Write a dataset release for this version: the graph as TriG, N-Quads (gzip),
    Turtle and JSON-LD, the ontology as Turtle, RDF/XML and JSON-LD, a VoID + DCAT
    description with sizes and SHA-256 checksums, and SHA256SUMS. Byte-stable."""
    from wsiskg.publish.release import make_release

    result = make_release(_layout(root), output_dir, base_url=base_url, endpoint=sparql_endpoint)
    for name, size, _digest in result.files:
        click.echo(f"{size:>10}  {name}")
    click.echo(
        f"wrote {len(result.files)} files to {result.folder}/ ({result.triples} "
        f"triples in {len(result.graphs)} named graphs, plus the description)"
    )


@main.command(epilog=EPILOG)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; only this machine by default.",
)
@click.option(
    "--port",
    default=7879,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on (0: any free port).",
)
@click.option(
    "--timeout",
    default=10.0,
    show_default=True,
    type=click.FloatRange(0.1, 600),
    help="Seconds a query may run before it is stopped and answered 503.",
)
@click.option(
    "--max-rows",
    default=10_000,
    show_default=True,
    type=click.IntRange(1),
    help="Rows (or triples) returned at most; a cut result carries the Wsiskg-Truncated header.",
)
@click.option(
    "--workers",
    default=2,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Query worker processes (queries run at once).",
)
@click.option(
    "--queue",
    default=64,
    show_default=True,
    type=click.IntRange(0, 10_000),
    help="Requests that may wait for a worker; more are answered 503.",
)
@click.option(
    "--max-connections",
    default=256,
    show_default=True,
    type=click.IntRange(1),
    help="Open connections at most; requests beyond are answered 503.",
)
@click.option(
    "--connection-timeout",
    default=10.0,
    show_default=True,
    type=click.FloatRange(0.5, 600),
    help="Seconds a request's head or body may take to arrive; slower clients are "
    "cut off (idle kept-alive connections close after 5 s).",
)
@click.option(
    "--server-name",
    "server_names",
    multiple=True,
    metavar="NAME",
    help="A host name clients reach the server by (the Host header is checked; "
    "localhost and the listening address are always accepted). Repeatable.",
)
@click.option(
    "--allow-service",
    "allowed_services",
    multiple=True,
    metavar="IRI",
    help="An endpoint SERVICE clauses may query (by default SERVICE is refused). Repeatable.",
)
@STORE_OPTION
@click.pass_obj
def serve(
    root: Path | None,
    host: str,
    port: int,
    timeout: float,
    max_rows: int,
    workers: int,
    queue: int,
    max_connections: int,
    connection_timeout: float,
    server_names: tuple[str, ...],
    allowed_services: tuple[str, ...],
    store_dir: Path | None,
) -> None:
    """Serve the graph as linked data: a read-only SPARQL 1.1 endpoint (/sparql), a page
    for every IRI (/id/..., /ontology) and the YASGUI query page (/)."""
    from wsiskg.store.serve import ServerOptions, app_config, bind_socket
    from wsiskg.store.serve import serve as run_server

    sock = bind_socket(host, port)
    bound_host, bound_port = sock.getsockname()[:2]

    def ready() -> None:
        click.echo(
            f"serving http://{bound_host}:{bound_port}/ (SPARQL endpoint /sparql, "
            "read-only); Ctrl-C stops",
            err=True,
        )

    config = app_config(
        _layout(root),
        store_dir,
        timeout=timeout,
        max_rows=max_rows,
        workers=workers,
        queue=queue,
        host=host,
        server_names=server_names,
        allowed_services=allowed_services,
        on_ready=ready,
        body_timeout=connection_timeout,
    )
    run_server(config, ServerOptions(host, bound_port, max_connections, connection_timeout), sock)


@main.command(epilog=EPILOG)
@click.argument("edition_a")
@click.argument("edition_b")
@click.option("--action-line", default=None, help="Only this action line (C5).")
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["table", "markdown", "json"]),
    default="table",
    show_default=True,
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None)
@STORE_OPTION
@click.pass_obj
def diff(
    root: Path | None,
    edition_a: str,
    edition_b: str,
    action_line: str | None,
    fmt: str,
    output: Path | None,
    store_dir: Path | None,
) -> None:
    """What changed from EDITION_A to EDITION_B: outcomes, SDG links, resolutions,
    strategic goals, timing, numbers of results and activities."""
    from wsiskg.store.embedded import open_embedded
    from wsiskg.views.diff import edition_diff, render_diff

    result = edition_diff(
        open_embedded(_layout(root), store_dir), edition_a, edition_b, action_line
    )
    _emit(render_diff(result, fmt), output)


LANG_OPTION = click.option(
    "--lang",
    default="en",
    show_default=True,
    help="Language of the SDG goal names: ar, zh-Hans, en, es, fr or ru (English where "
    "a label is missing).",
)


@main.command(epilog=EPILOG)
@click.argument("kind", type=click.Choice(["matrix", "targets", "trend"]))
@click.option("--edition", default="2019", show_default=True, help="The edition (matrix, targets).")
@click.option("--action-line", default="C5", show_default=True, help="The action line (trend).")
@LANG_OPTION
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The picture file: .png, .svg or .pdf.",
)
@STORE_OPTION
@click.pass_obj
def plot(
    root: Path | None,
    kind: str,
    edition: str,
    action_line: str,
    lang: str,
    output: Path,
    store_dir: Path | None,
) -> None:
    """Draw the linkage: matrix (action line x SDG goal of an edition), targets (goal x
    target grid of an edition) or trend (an action line's SDG links across editions,
    with the target links added and removed)."""
    from wsiskg.views.plots import plot as draw

    written = draw(
        _layout(root),
        kind,
        output,
        edition=edition,
        action_line=action_line,
        lang=lang,
        store_dir=store_dir,
    )
    click.echo(f"wrote {written}")


@main.command(epilog=EPILOG)
@output_dir_option("The folder of the site (replaced as a whole).")
@LANG_OPTION
@click.option("-q", "--quiet", is_flag=True, help="No progress on standard error.")
@STORE_OPTION
@click.pass_obj
def report(
    root: Path | None, output_dir: Path, lang: str, quiet: bool, store_dir: Path | None
) -> None:
    """Write a static HTML report: editions, SDG matrices whose every count opens the
    entries behind it, a page per entry, outcome, action line, SDG goal and target,
    search, pictures, edition diffs, the query catalogue and the ontology."""
    from wsiskg.store.embedded import open_embedded
    from wsiskg.views.plots import check_language
    from wsiskg.views.report import build_site

    check_language(lang)
    layout = _layout(root)
    site = build_site(
        layout,
        open_embedded(layout, store_dir),
        output_dir,
        lang=lang,
        progress=stage_printer("report", quiet),
    )
    click.echo(f"wrote {len(site.pages)} pages to {site.folder}/ (open index.html)")


@main.command(name="queries", epilog=EPILOG)
@click.pass_obj
def list_queries(root: Path | None) -> None:
    """List the canned queries with their summaries and parameters."""
    from wsiskg.store.queries import load_queries
    from wsiskg.views.text import render_queries

    click.echo(render_queries(load_queries(_layout(root).queries).values()))


@main.command(epilog=EPILOG)
@click.argument("name", required=False)
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="A parameter of the query; repeatable. Values are typed and bound, "
    "never spliced into the query text.",
)
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "tsv", "json"]),
    default="table",
    show_default=True,
    help="table for people; csv, tsv and json are the SPARQL 1.1 results formats.",
)
@click.option(
    "--engine",
    type=click.Choice(["oxigraph", "rdflib"]),
    default="oxigraph",
    show_default=True,
    help="The embedded Oxigraph store, or plain rdflib.",
)
@click.option(
    "--file",
    "query_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Run this .rq file instead of a canned query.",
)
@click.option(
    "--store",
    "store_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The embedded store (default: .wsiskg/store, or "
    "$WSISKG_STORE); reloaded when the built files changed.",
)
@click.option(
    "--endpoint",
    default=None,
    metavar="URL",
    help="Query a SPARQL 1.1 endpoint instead (credentials from "
    "$WSISKG_ENDPOINT_USER/$WSISKG_ENDPOINT_PASSWORD or $WSISKG_ENDPOINT_TOKEN).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the results to this file (default: standard output).",
)
@click.pass_obj
def query(
    root: Path | None,
    name: str | None,
    params: tuple[str, ...],
    fmt: str,
    engine: str,
    query_file: Path | None,
    store_dir: Path | None,
    endpoint: str | None,
    output: Path | None,
) -> None:
    """Run the canned query NAME (see `wsiskg queries`) on the built graph."""
    from wsiskg.store.queries import ask, parse_params, render

    results = ask(
        _layout(root),
        name,
        parse_params(params),
        query_file=query_file,
        engine=engine,
        store_dir=store_dir,
        endpoint=endpoint,
        warn=lambda text: click.echo(f"warning: {text}", err=True),
    )
    _emit(render(results, fmt), output)


def _emit(text: str, output: Path | None) -> None:
    """Write to a file atomically, or to standard output."""
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
        return
    from wsiskg.rdf import write_text_atomically

    write_text_atomically(output, text if text.endswith("\n") else text + "\n")


@main.command(epilog=EPILOG)
@click.argument("source")
@click.option(
    "--role",
    "roles",
    multiple=True,
    help="Show only lines of this role (outcome, header, section, footnote, note, "
    "artefact, footer, title, front-matter, blank); repeatable.",
)
@click.pass_obj
def lines(root: Path | None, source: str, roles: tuple[str, ...]) -> None:
    """Show where each line of a roadmap SOURCE went (e.g. roadmaps-2010).

    One line per source line: number, role, the outcome that holds it, text.
    """
    from wsiskg.graph.build import line_roles
    from wsiskg.views.text import render_lines

    text = render_lines(line_roles(_checkout(root, "lines"), source), roles)
    if text:
        click.echo(text)


@main.group(epilog=EPILOG)
def sources() -> None:
    """The source registry (data/sources/registry.yaml)."""


@sources.command(epilog=EPILOG)
@click.argument("source_ids", metavar="ID...", nargs=-1)
@click.option(
    "--all",
    "every",
    is_flag=True,
    help="Every source of the registry (after a change of how sources are read).",
)
@click.pass_obj
def accept(root: Path | None, source_ids: tuple[str, ...], every: bool) -> None:
    """Accept the current files of the sources ID...: build with them in memory, record
    their SHA-256 and what they yield in the registry, and print what the change did."""
    from wsiskg.graph.build import accept_sources
    from wsiskg.ingest.sources import load_registry

    layout = _checkout(root, "sources accept")
    if every:
        source_ids = tuple(s.id for s in load_registry(layout.registry))
    if not source_ids:
        raise UsageError("name the sources to accept, or give --all")
    for accepted in accept_sources(layout, list(source_ids)):
        for line in accepted.lines():
            click.echo(line)
    click.echo("recorded in data/sources/registry.yaml; run `wsiskg build` to write the graph")


def _commands(group: click.Group) -> list[click.Command]:
    found: list[click.Command] = []
    for command in group.commands.values():
        found.append(command)
        if isinstance(command, click.Group):
            found.extend(_commands(command))
    return found


for _command in _commands(main):
    _command.params.append(_root_option())


if __name__ == "__main__":  # pragma: no cover
    main()
