"""`wsiskg query --endpoint`: parameters bound on the parsed query (not by
searching the text for WHERE), checked against real Oxigraph servers started on
127.0.0.1 by the test and stopped by their PIDs; and the warning for an
endpoint whose default graph is empty."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from wsiskg.cli import main
from wsiskg.errors import UsageError
from wsiskg.paths import Layout
from wsiskg.store.queries import (
    bind,
    default_graph_warning,
    load_queries,
    open_engine,
    run,
    run_remote,
    with_values,
)

from .conftest import ROOT
from .serving import oxigraph_server

QUERIES = load_queries(ROOT / "queries")
HEADER = """#+ summary: a test query
#+ description: a test query
#+ params:
#+   - {name: target, type: sdg-target, default: null, example: 9.c}
#+   - {name: edition, type: edition, default: all, example: 2019}
"""
PREFIX = "PREFIX wsis: <https://w3id.org/wsis-kg/ontology#>\n"
BODY = """  # a comment with a brace { and the word WHERE {
  ?entry wsis:linkedSDGTarget ?target ; wsis:edition ?edition ;
         wsis:outcomeText ?text .
  FILTER(?text != "a string with { and WHERE {")
}"""
# the same question written in the forms the old text search got wrong or right
FORMS = {
    "upper": f"{PREFIX}SELECT ?entry ?edition ?target\nWHERE {{\n{BODY}",
    "lower": f"{PREFIX}select ?entry ?edition ?target\nwhere {{\n{BODY}",
    "no-where": f"{PREFIX}SELECT ?entry ?edition ?target {{\n{BODY}",
    "expression": f"{PREFIX}SELECT ?entry ?edition ?target "
    f"(EXISTS {{ ?entry a wsis:RoadmapEntry }} AS ?isEntry) {{\n{BODY}",
    "aggregate": f"{PREFIX}select ?target ?edition (count(?entry) as ?n) {{\n{BODY}\n"
    "group by ?target ?edition",
}


def cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """Three real Oxigraph servers: loaded with a union default graph, loaded
    without one, and empty."""
    with contextlib.ExitStack() as stack:
        started = {
            name: stack.enter_context(
                oxigraph_server(
                    tmp_path_factory.mktemp(f"oxigraph-{name}"), writable=True, union=union
                )
            )
            for name, union in (("union", True), ("named-only", False), ("empty", True))
        }
        for name in ("union", "named-only"):
            code, _, err = cli("load", "--endpoint", f"{started[name]}/store")
            assert code == 0, err
        yield {name: f"{base}/query" for name, base in started.items()}


@pytest.fixture(scope="module")
def embedded() -> object:
    return open_engine("oxigraph", Layout(ROOT).kg / "wsis.trig")


def _normal(
    rows: list[dict[str, tuple[str, str, str | None]]],
) -> list[list[tuple[str, tuple[str, str, str | None]]]]:
    return sorted(sorted(row.items()) for row in rows)


@pytest.mark.parametrize("form", sorted(FORMS))
def test_bound_query_answers_as_embedded(
    servers: dict[str, str], embedded: object, tmp_path: Path, form: str
) -> None:
    """Verify each form (WHERE, lowercase `where {`, no WHERE keyword, a brace in a
    select expression, an aggregate) gives remotely what the embedded store gives
    with the engine's own binding, with one and with two parameters."""
    path = tmp_path / f"{form}.rq"
    path.write_text(HEADER + FORMS[form], encoding="utf-8")
    from wsiskg.store.queries import load_query

    query = load_query(path)
    for given in ({"target": "9.c"}, {"target": "16.2", "edition": "2019-draft-zero"}):
        bound = bind(query, given)
        local = run("oxigraph", embedded, query.text, bound)
        remote = run_remote(servers["union"], query.text, bound)
        assert remote.variables == local.variables
        assert _normal(remote.rows) == _normal(local.rows)
        assert local.rows, "the example must have answers for the comparison to mean something"


@pytest.mark.parametrize("form", ["lower", "no-where"])
def test_cli_binds_on_the_endpoint(servers: dict[str, str], tmp_path: Path, form: str) -> None:
    """Verify `wsiskg query --file X -p ... --endpoint URL` answers, with no warning,
    for the forms the text search used to fail on."""
    path = tmp_path / f"{form}.rq"
    path.write_text(HEADER + FORMS[form], encoding="utf-8")
    code, out, err = cli(
        "query",
        "--file",
        str(path),
        "-p",
        "target=9.c",
        "-f",
        "csv",
        "--endpoint",
        servers["union"],
    )
    assert code == 0, err
    assert "warning" not in err
    rows = out.strip().splitlines()
    assert rows[0] == "entry,edition,target" and len(rows) > 5
    assert all(row.endswith("/sdg/target/9.c") for row in rows[1:])


def test_every_canned_query_binds_to_the_same_algebra() -> None:
    """Verify that for every canned query with parameters the text sent parses back
    to the query's algebra with the VALUES table joined in (with_values checks it
    and raises otherwise), and that a query without parameters is sent unchanged."""
    for query in QUERIES.values():
        bound = bind(query, {p.name: p.example for p in query.params})
        text = with_values(query.text, bound)
        if bound:
            assert "VALUES (" in text and text != query.text
        else:
            assert text == query.text


def test_a_query_without_a_group_is_refused() -> None:
    """Verify a query with no WHERE group cannot take parameters (usage error)."""
    with pytest.raises(UsageError, match="no WHERE group"):
        with_values(
            "DESCRIBE <https://w3id.org/wsis-kg/id/sdg/target/9.c>",
            {"target": ("iri", "https://w3id.org/wsis-kg/id/sdg/target/9.c")},
        )


def test_empty_default_graph_is_warned(servers: dict[str, str]) -> None:
    """Verify the warning: a store holding the data only in named graphs answers the
    canned queries (violation checks included) with 0 rows, and says why."""
    assert default_graph_warning(servers["union"]) is None
    code, out, err = cli(
        "query", "sdg-coverage-matrix", "-p", "edition=2019", "--endpoint", servers["named-only"]
    )
    assert code == 0
    assert "warning: the default graph of" in err and "union" in err
    assert "(0 rows)" in out
    code, out, err = cli(
        "query", "sdg-coverage-matrix", "-p", "edition=2019", "--endpoint", servers["union"]
    )
    assert code == 0 and "warning" not in err and "(0 rows)" not in out
    code, _, err = cli("query", "timing-order-violation", "--endpoint", servers["empty"])
    assert code == 0
    assert "holds no data" in err
