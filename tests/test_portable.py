"""The project's shapes are portable: rudof (another SHACL engine, PyPI pyrudof)
validates the built graph with the shapes and finds the same results as
`wsiskg validate`."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import RdfFormat, Store
from rdflib import Graph
from rdflib.namespace import SH

from wsiskg.check.validate import validate
from wsiskg.paths import Layout

from .conftest import select

ROOT = Path(__file__).resolve().parents[1]
pyrudof = pytest.importorskip("pyrudof", reason="pyrudof (test extra) is not installed")


def _short(severity: object) -> str:
    return str(severity).rsplit("#", 1)[-1]


def _lexical(value: object) -> str:
    """rudof writes values in N-Triples-like form; wsiskg keeps the lexical value."""
    text = str(value or "")
    if text.startswith("<") and text.endswith(">"):
        return text[1:-1]
    if text.startswith('"'):
        return text[1 : text.rindex('"')]
    return text


def test_rudof_agrees_on_built_graph() -> None:
    layout = Layout(ROOT)
    files = sorted(layout.kg.glob("*.ttl")) + [layout.ontology / "wsis.ttl"]
    rudof = pyrudof.Rudof(pyrudof.RudofConfig())
    for number, path in enumerate(files):
        rudof.read_data(str(path), merge=number > 0)
    shapes = Graph()
    for path in sorted(layout.shapes.glob("*.ttl")):
        shapes.parse(path, format="turtle")
    rudof.read_shacl(shapes.serialize(format="turtle"))
    theirs = {
        (str(e.focus_node), _short(e.severity), str(e.constraint_component), _lexical(e.value))
        for e in rudof.validate_shacl()
    }
    ours_report = validate(layout)
    ours = {(r.focus_node, r.severity, r.component, r.value) for r in ours_report.results}
    assert ours, "the built graph has warnings to compare"
    assert theirs == ours


def test_dangling_link_shape_targets_every_class_with_instances() -> None:
    """Verify that NoDanglingLinkShape targets every class of the project that the built
    graph has instances of, so a new class (such as wsis:SDGIndicator) is not left out."""
    layout = Layout(ROOT)
    store = Store()
    for path in sorted(layout.kg.glob("*.ttl")):
        store.load(path=str(path), format=RdfFormat.TURTLE)
    used = {
        row[0].value
        for row in select(
            store,
            "SELECT DISTINCT ?class WHERE { ?s a ?class . "
            "FILTER STRSTARTS(STR(?class), 'https://w3id.org/wsis-kg/ontology#') }",
        )
    }
    shapes = Graph().parse(layout.shapes / "integrity.ttl")
    shape = next(s for s in shapes.subjects() if str(s).endswith("NoDanglingLinkShape"))
    targeted = {str(c) for c in shapes.objects(shape, SH.targetClass)}
    assert used and used <= targeted, sorted(used - targeted)
