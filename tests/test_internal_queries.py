"""The queries the package runs itself (``wsiskg/sparql/*.rq``), tested like the
canned ones: a complete header, declared prefixes, and the same answer on Oxigraph
and rdflib over the real graph with the example parameters."""

from __future__ import annotations

import re
from typing import Any

import pytest
from pyoxigraph import Store

from wsiskg.queries import bind, internal_queries, open_engine, run

from .conftest import ROOT
from .test_queries import _normal

QUERIES = internal_queries()
TRIG = ROOT / "data" / "kg" / "wsis.trig"


@pytest.fixture(scope="module")
def oxigraph() -> Store:
    return open_engine("oxigraph", TRIG)  # type: ignore[no-any-return]  # open_engine is typed Any


@pytest.fixture(scope="module")
def rdflib_dataset() -> Any:
    return open_engine("rdflib", TRIG)


def test_the_package_holds_its_queries() -> None:
    """Verify that the diff's queries and the edition catalogue are shipped as .rq files."""
    assert {"diff-outcomes-only-in", "diff-links-added", "diff-timing-changed",
            "diff-item-texts", "diff-item-counts", "editions"} <= set(QUERIES)


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_header_and_prefixes(name: str) -> None:
    """Verify the grlc header, projected parameters and declared prefixes."""
    query = QUERIES[name]
    assert query.text.startswith("#+ summary:")
    assert len(query.summary) > 10 and len(query.description) > 20
    for param in query.params:
        assert re.search(rf"SELECT( DISTINCT)?[^\n]*\?{param.name}\b", query.text)
    body = "\n".join(line for line in query.text.splitlines() if not line.startswith("#"))
    used = set(re.findall(r"(?<![\w:/<])([a-z]+):[A-Za-z]", body)) - {"http", "https"}
    declared = set(re.findall(r"PREFIX\s+(\w+):", body))
    assert used <= declared, f"{name}: undeclared prefixes {used - declared}"


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_same_result_on_oxigraph_and_rdflib(name: str, oxigraph: Store,
                                            rdflib_dataset: Any) -> None:
    """Verify that the query answers on the real graph with its example parameters, the
    same on Oxigraph and on rdflib."""
    query = QUERIES[name]
    bound = bind(query, {p.name: p.example for p in query.params})
    on_oxigraph = run("oxigraph", oxigraph, query.text, bound)
    on_rdflib = run("rdflib", rdflib_dataset, query.text, bound)
    assert on_oxigraph.variables == on_rdflib.variables
    assert _normal(on_oxigraph) == _normal(on_rdflib)
    assert on_oxigraph.rows, f"{name} gives no answer with its example parameters"
