"""The shapes of shapes/sdg.ttl: the real graph conforms to each; each catches its
defects (mutations of the real graph: focus node, constraint component, severity)
and accepts the same node undamaged."""

from __future__ import annotations

import pytest
from pyoxigraph import RdfFormat, Store
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SH

from wsiskg.check.shacl import ValidationResult
from wsiskg.check.validate import load_shapes, shape_subset, validate_store
from wsiskg.paths import Layout
from wsiskg.rdf import load_store

from .conftest import nquads

ID = "https://w3id.org/wsis-kg/id/"
SHAPES = "https://w3id.org/wsis-kg/shapes#"
C = "http://www.w3.org/ns/shacl#"
PREFIXES = """
PREFIX wsis: <https://w3id.org/wsis-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""
GOAL = f"<{ID}sdg/goal/9>"
TARGET = f"<{ID}sdg/target/9.c>"
INDICATOR = f"<{ID}sdg/indicator/C090c01>"


def _replace(node: str, path: str, old: str, new: str) -> str:
    """An update replacing the values of `path` matching the filter `old` by `new`."""
    return (
        f"DELETE {{ {node} {path} ?x }} INSERT {{ {node} {path} {new} }} "
        f"WHERE {{ {node} {path} ?x FILTER ({old}) }}"
    )


# (shape, what is damaged) -> (update, focus node, constraint component)
CASES: dict[tuple[str, str], tuple[str, str, str]] = {
    ("SDGTitleLanguagesShape", "a language missing"): (
        f"DELETE {{ {TARGET} skos:prefLabel ?x }} WHERE {{ {TARGET} skos:prefLabel ?x "
        f'FILTER (LANG(?x) = "ru") }}',
        f"{ID}sdg/target/9.c",
        f"{C}MinCountConstraintComponent",
    ),
    ("SDGTitleLanguagesShape", "a language twice"): (
        f'INSERT DATA {{ {GOAL} skos:prefLabel "Industrie, innovation"@fr }}',
        f"{ID}sdg/goal/9",
        f"{C}UniqueLangConstraintComponent",
    ),
    ("SDGTitleLanguagesShape", "not a UN language"): (
        _replace(GOAL, "skos:prefLabel", 'LANG(?x) = "ru"', '"Industrie"@de'),
        f"{ID}sdg/goal/9",
        f"{C}LanguageInConstraintComponent",
    ),
    ("SDGTitleLanguagesShape", "no language tag"): (
        _replace(TARGET, "skos:prefLabel", 'LANG(?x) = "ar"', '"9.c"'),
        f"{ID}sdg/target/9.c",
        f"{C}DatatypeConstraintComponent",
    ),
    ("SDGTitleLanguagesShape", "an empty title"): (
        _replace(TARGET, "skos:prefLabel", 'LANG(?x) = "es"', '""@es'),
        f"{ID}sdg/target/9.c",
        f"{C}MinLengthConstraintComponent",
    ),
    ("SDGShortNameLanguagesShape", "a language missing"): (
        f"DELETE {{ {GOAL} skos:altLabel ?x }} WHERE {{ {GOAL} skos:altLabel ?x "
        f'FILTER (LANGMATCHES(LANG(?x), "zh-Hans")) }}',
        f"{ID}sdg/goal/9",
        f"{C}MinCountConstraintComponent",
    ),
    ("SDGIndicatorTitleShape", "no title"): (
        f"DELETE WHERE {{ {INDICATOR} skos:prefLabel ?x }}",
        f"{ID}sdg/indicator/C090c01",
        f"{C}MinCountConstraintComponent",
    ),
    ("SDGIndicatorTitleShape", "not a UN language"): (
        _replace(INDICATOR, "skos:prefLabel", 'LANG(?x) = "fr"', '"Mobilfunk"@de'),
        f"{ID}sdg/indicator/C090c01",
        f"{C}LanguageInConstraintComponent",
    ),
    ("SDGIndicatorTitleShape", "a language twice"): (
        f'INSERT DATA {{ {INDICATOR} skos:prefLabel "Proportion de la population"@fr }}',
        f"{ID}sdg/indicator/C090c01",
        f"{C}UniqueLangConstraintComponent",
    ),
    ("SDGIndicatorCodeShape", "a malformed code"): (
        _replace(INDICATOR, "dcterms:identifier", "true", '"C09c01"'),
        f"{ID}sdg/indicator/C090c01",
        f"{C}PatternConstraintComponent",
    ),
    ("SDGIndicatorCodeShape", "no code"): (
        f"DELETE WHERE {{ {INDICATOR} dcterms:identifier ?x }}",
        f"{ID}sdg/indicator/C090c01",
        f"{C}MinCountConstraintComponent",
    ),
    ("SDGIndicatorNumberShape", "a malformed number"): (
        _replace(INDICATOR, "skos:notation", "true", '"9.c.01"'),
        f"{ID}sdg/indicator/C090c01",
        f"{C}PatternConstraintComponent",
    ),
    ("SDGIndicatorTargetShape", "under a goal"): (
        _replace(INDICATOR, "skos:broader", "true", GOAL),
        f"{ID}sdg/indicator/C090c01",
        f"{C}ClassConstraintComponent",
    ),
    ("SDGIndicatorMatchShape", "not a UN IRI"): (
        _replace(INDICATOR, "skos:exactMatch", "true", "<https://metadata.un.org/sdg/C090c01>"),
        f"{ID}sdg/indicator/C090c01",
        f"{C}PatternConstraintComponent",
    ),
    ("SDGIndicatorCustodianShape", "a tagged agency"): (
        _replace(INDICATOR, "wsis:custodianAgency", "true", '"ITU"@en'),
        f"{ID}sdg/indicator/C090c01",
        f"{C}DatatypeConstraintComponent",
    ),
}


@pytest.fixture(scope="module")
def shapes(layout: Layout) -> Graph:
    return load_shapes(layout)


@pytest.fixture(scope="module")
def sdg_shapes(layout: Layout) -> Graph:
    return Graph().parse(layout.shapes / "sdg.ttl")


@pytest.fixture(scope="module")
def real_dump(layout: Layout) -> bytes:
    files = sorted(layout.kg.glob("*.ttl")) + [layout.ontology / "wsis.ttl"]
    return nquads(load_store(files))


def _store(dump: bytes, update: str | None = None) -> Store:
    store = Store()
    store.load(dump, format=RdfFormat.N_QUADS)
    if update:
        store.update(PREFIXES + update)
    return store


def _subset(shapes: Graph, names: set[str]) -> Graph:
    subset = Graph()
    for name in sorted(names):
        for triple in shape_subset(shapes, URIRef(SHAPES + name)):
            subset.add(triple)
    return subset


@pytest.fixture(scope="module")
def real_results(real_dump: bytes, shapes: Graph, sdg_shapes: Graph) -> list[ValidationResult]:
    names = {str(s).removeprefix(SHAPES) for s in sdg_shapes.subjects(RDF.type, SH.PropertyShape)}
    return validate_store(_store(real_dump), _subset(shapes, names))


def test_every_sdg_shape_has_cases(sdg_shapes: Graph) -> None:
    """Verify that each shape of shapes/sdg.ttl has a target, a label, a message and at
    least one non-conforming case below, and that no case names an unknown shape."""
    named = {
        str(s).removeprefix(SHAPES)
        for s in sdg_shapes.subjects(RDF.type, SH.PropertyShape)
        if str(s).startswith(SHAPES)
    }
    assert named == {shape for shape, _ in CASES}
    for name in named:
        shape = URIRef(SHAPES + name)
        assert sdg_shapes.value(shape, SH.targetClass) is not None, name
        assert sdg_shapes.value(shape, RDFS.label) is not None, name
        assert sdg_shapes.value(shape, SH.message) is not None, name


def test_real_graph_conforms_to_the_sdg_shapes(real_results: list[ValidationResult]) -> None:
    """Verify that the built graph gives no result at all for the SDG shapes."""
    assert real_results == []


@pytest.mark.parametrize(("shape", "damage"), sorted(CASES), ids=lambda v: str(v))
def test_sdg_shape_catches_its_defect(
    shape: str, damage: str, shapes: Graph, real_dump: bytes, real_results: list[ValidationResult]
) -> None:
    """Verify that the shape reports the damaged node (focus, component, Violation) and
    that, undamaged, the same node conforms to it."""
    update, focus, component = CASES[(shape, damage)]
    found = validate_store(_store(real_dump, update), _subset(shapes, {shape}))
    keys = {(r.focus_node, r.source_shape, r.component, r.severity) for r in found}
    assert (focus, SHAPES + shape, component, "Violation") in keys
    assert (focus, SHAPES + shape) not in {(r.focus_node, r.source_shape) for r in real_results}
