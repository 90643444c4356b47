"""The OWL ontology: parses, is documented, and covers the domain."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

from wsiskg.iris import ONTOLOGY, WSIS
from wsiskg.paths import Layout


@pytest.fixture(scope="module")
def ontology(layout: Layout) -> Graph:
    return Graph().parse(layout.ontology / "wsis.ttl")


def _terms(graph: Graph, kind: URIRef) -> list[URIRef]:
    return sorted(
        t
        for t in graph.subjects(RDF.type, kind)
        if isinstance(t, URIRef) and str(t).startswith(str(WSIS))
    )


def test_ontology_metadata(ontology: Graph) -> None:
    """Verify that the ontology has a version IRI, title, description and licence."""
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in ontology
    for prop in (OWL.versionIRI, DCTERMS.title, DCTERMS.description, DCTERMS.license):
        assert ontology.value(ONTOLOGY, prop) is not None, prop


@pytest.mark.parametrize(
    "kind",
    [OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.NamedIndividual],
    ids=lambda k: str(k).split("#")[-1],
)
def test_every_term_is_labelled_and_commented(ontology: Graph, kind: URIRef) -> None:
    """Verify that every class, property and individual has an English label and comment."""
    terms = _terms(ontology, kind)
    assert terms
    for term in terms:
        assert ontology.value(term, RDFS.label) is not None, term
        assert ontology.value(term, RDFS.comment) is not None, term


def test_object_properties_have_ranges(ontology: Graph) -> None:
    """Verify that every object property states its range, and every property but the
    generic text/position ones its domain."""
    generic = {
        WSIS.text,
        WSIS.position,
        WSIS.number,
        WSIS.citedText,
        WSIS.periodStart,
        WSIS.periodEnd,
    }
    for kind in (OWL.ObjectProperty, OWL.DatatypeProperty):
        for prop in _terms(ontology, kind):
            assert ontology.value(prop, RDFS.range) is not None, prop
            if prop not in generic:
                assert ontology.value(prop, RDFS.domain) is not None, prop


def test_domain_classes_exist(ontology: Graph) -> None:
    """Verify that the classes of the whole domain of the five sources are declared."""
    expected = {
        "ActionLine",
        "OutcomeDocument",
        "WSISOutcome",
        "RoadmapEdition",
        "RoadmapEntry",
        "Timing",
        "ExpectedResult",
        "AchievedResult",
        "Activity",
        "ITURole",
        "StrategicPlan",
        "StrategicGoal",
        "StrategicTarget",
        "Resolution",
        "ResolutionCitation",
        "RegionalInitiative",
        "GCAPillar",
        "ActionPlan",
        "Objective",
        "PlanOutcome",
        "PerformanceIndicator",
        "Output",
        "Programme",
        "AmendmentProposal",
        "SDGGoal",
        "SDGTarget",
        "Correction",
        "SourceDocument",
    }
    declared = {str(c).split("#")[1] for c in _terms(ontology, OWL.Class)}
    assert expected <= declared


def test_target_link_implies_goal_by_property_chain(ontology: Graph) -> None:
    """Verify that a link to an SDG target implies a link to its goal (property chain)."""
    chain = ontology.value(WSIS.contributesToSDGGoal, OWL.propertyChainAxiom)
    assert chain is not None
    from rdflib.collection import Collection
    from rdflib.namespace import SKOS

    assert list(Collection(ontology, chain)) == [WSIS.linkedSDGTarget, SKOS.broader]
    assert (WSIS.linkedSDGGoal, RDFS.subPropertyOf, WSIS.contributesToSDGGoal) in ontology


def test_inverses_declared(ontology: Graph) -> None:
    """Verify that the inverse properties the queries need are declared."""
    for prop, inverse in [
        (WSIS.edition, WSIS.hasEntry),
        (WSIS.addressesOutcome, WSIS.addressedBy),
        (WSIS.actionLine, WSIS.hasOutcome),
        (WSIS.citesResolution, WSIS.citedBy),
        (WSIS.linkedSDGTarget, WSIS.targetLinkedBy),
    ]:
        assert (prop, OWL.inverseOf, inverse) in ontology


def test_data_uses_only_declared_terms(ontology: Graph, layout: Layout) -> None:
    """Verify that every wsis: class and property used by the built graph is declared."""
    declared = {s for s in ontology.subjects() if isinstance(s, URIRef)}
    data = Graph()
    for path in sorted(layout.kg.glob("*.ttl")):
        data.parse(path)
    used = {p for p in data.predicates() if str(p).startswith(str(WSIS))}
    used |= {o for o in data.objects(None, RDF.type) if str(o).startswith(str(WSIS))}
    assert used - declared == set()
