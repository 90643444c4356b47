"""Triple stores: the embedded store, export, and a real Oxigraph server started
on 127.0.0.1 by the test itself, filled with `wsiskg load --endpoint`, queried
with `wsiskg query --endpoint`, and stopped by its PID."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyoxigraph import RdfFormat, Store

from wsiskg.cli import main
from wsiskg.paths import Layout
from wsiskg.store.embedded import default_store, is_current, load_embedded, open_embedded
from wsiskg.store.queries import bind, load_queries, run, run_remote

from .conftest import ROOT
from .serving import free_port, oxigraph_server

QUERIES = load_queries(ROOT / "queries")


def cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Oxigraph server on 127.0.0.1 and a free port, stopped by its PID."""
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph-server"), writable=True) as base:
        yield base


def _count(base: str) -> int:
    query = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    data = urllib.request.urlopen(
        urllib.request.Request(
            f"{base}/query",
            data=urllib.parse.urlencode({"query": query}).encode(),
            headers={
                "Accept": "application/sparql-results+json",
                "Content-Type": "application/x-www-form-urlencoded",
            },
        ),
        timeout=10,
    ).read()
    return int(json.loads(data)["results"]["bindings"][0]["n"]["value"])


import urllib.parse  # noqa: E402  (used by _count)


@pytest.fixture(scope="module")
def loaded(server: str) -> str:
    code, out, err = cli("load", "--endpoint", f"{server}/store")
    assert code == 0, err
    assert "loaded 7 graphs" in out
    return server


def test_load_fills_every_named_graph(loaded: str, layout: Layout) -> None:
    """Verify that the server holds each named graph with the triples of its file."""
    expected = 0
    for path in [layout.ontology / "wsis.ttl", *sorted(layout.kg.glob("*.ttl"))]:
        store = Store()
        store.load(path=str(path), format=RdfFormat.TURTLE)
        expected += len(store)
    assert _count(loaded) == expected


def test_reload_replaces_rather_than_duplicates(loaded: str) -> None:
    """Verify that loading again leaves the number of triples unchanged."""
    before = _count(loaded)
    assert cli("load", "--endpoint", f"{loaded}/store")[0] == 0
    assert _count(loaded) == before


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_remote_query_equals_embedded(loaded: str, name: str) -> None:
    """Verify that each canned query gives the same solutions on the server (SPARQL 1.1
    Protocol) as on the embedded store."""
    query = QUERIES[name]
    bound = bind(query, {p.name: p.example for p in query.params})
    local = run("oxigraph", open_embedded(Layout(ROOT)), query.text, bound)
    remote = run_remote(f"{loaded}/query", query.text, bound)

    def normal(
        rows: list[dict[str, tuple[str, str, str | None]]],
    ) -> list[tuple[tuple[str, str, str | None], ...]]:
        return sorted(tuple(sorted((k, v[1], v[2]) for k, v in r.items())) for r in rows)

    assert normal(remote.rows) == normal(local.rows)


def test_cli_query_endpoint(loaded: str) -> None:
    """Verify `wsiskg query NAME --endpoint URL`."""
    code, out, err = cli(
        "query",
        "entries-by-sdg-target",
        "-p",
        "target=16.2",
        "-p",
        "edition=2019-draft-zero",
        "--endpoint",
        f"{loaded}/query",
        "-f",
        "csv",
    )
    assert code == 0, err
    assert len(out.splitlines()) > 2


def test_refused_request_is_reported(loaded: str) -> None:
    """Verify that a refusal is reported with its status code, exit code 3."""
    code, _, err = cli("load", "--endpoint", f"{loaded}/no-such-service")
    assert code == 3
    assert "refused: HTTP 4" in err


def test_unreachable_endpoint_is_reported() -> None:
    """Verify a clear message after retries when nothing listens."""
    code, _, err = cli(
        "query", "amendment-proposals", "--endpoint", f"http://127.0.0.1:{free_port()}/query"
    )
    assert code == 3 and "failed after 3 attempts" in err


def test_endpoint_must_be_http() -> None:
    """Verify that a non-HTTP endpoint is a usage error naming the URL, with no rows."""
    code, out, err = cli("query", "amendment-proposals", "--endpoint", "file:///etc/passwd")
    assert code == 2 and out == ""
    assert "not an http(s) endpoint URL: 'file:///etc/passwd'" in err


# -- the embedded store and export ------------------------------------------------------


def test_embedded_store_is_reloaded_only_when_the_data_changed(
    project_copy: Callable[[], Path],
) -> None:
    """Verify that build leaves the store ready and query reloads it after a change."""
    root = project_copy()
    layout = Layout(root)
    assert cli("--root", str(root), "build", "-q")[0] == 0
    location = default_store(layout)
    assert is_current(layout, location)
    stamp = (location / "wsiskg-fingerprint").stat().st_mtime_ns
    code, out, _ = cli("--root", str(root), "query", "amendment-proposals", "-f", "csv")
    assert code == 0 and len(out.splitlines()) == 5
    assert (location / "wsiskg-fingerprint").stat().st_mtime_ns == stamp  # not reloaded
    extra = layout.kg / "reference.ttl"
    extra.write_text(
        extra.read_text(encoding="utf-8")
        + "\n<https://w3id.org/wsis-kg/id/x> <http://www.w3.org/2000/01/"
        'rdf-schema#label> "x" .\n',
        encoding="utf-8",
    )
    assert not is_current(layout, location)
    assert cli("--root", str(root), "query", "amendment-proposals")[0] == 0
    assert is_current(layout, location)


def test_load_embedded_reports_each_graph(tmp_path: Path) -> None:
    """Verify `wsiskg load --store DIR` and the graphs it fills."""
    result = load_embedded(Layout(ROOT), tmp_path / "store")
    assert [g for g, _ in result.graphs] == [
        "ontology",
        "2010",
        "2019-draft-zero",
        "2019",
        "2024-draft",
        "baap-2018-2021",
        "reference",
    ]
    assert all(n > 500 for _, n in result.graphs)


@pytest.mark.parametrize(
    ("fmt", "rdf_format"),
    [
        ("trig", RdfFormat.TRIG),
        ("nquads", RdfFormat.N_QUADS),
        ("turtle", RdfFormat.TURTLE),
        ("ntriples", RdfFormat.N_TRIPLES),
        ("jsonld", RdfFormat.JSON_LD),
    ],
)
def test_export_formats_parse_back(tmp_path: Path, fmt: str, rdf_format: RdfFormat) -> None:
    """Verify each export format: it parses, quad formats keep the 7 named graphs."""
    out = tmp_path / f"export.{fmt}"
    code, _, err = cli("export", "-f", fmt, "-o", str(out))
    assert code == 0, err
    store = Store()
    store.load(path=str(out), format=rdf_format)
    assert len(store) > 15000
    graphs = {q.graph_name for q in store}
    if fmt in ("trig", "nquads"):
        assert len(graphs) == 7
