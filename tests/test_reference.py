"""Hand-curated reference data: SDGs, action lines, strategic plans, GCA."""

from __future__ import annotations

import re

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS
from rdflib.term import Node

from wsiskg import iris
from wsiskg.graph.build import reference_graph
from wsiskg.ingest.cells import SDG_TARGETS
from wsiskg.ingest.sources import Source
from wsiskg.iris import WSIS
from wsiskg.paths import Layout


@pytest.fixture(scope="module")
def reference(layout: Layout) -> Graph:
    return reference_graph(layout)


def _english(graph: Graph, node: Node, prop: URIRef) -> str:
    """The one English value of a label property."""
    values = [
        str(o) for o in graph.objects(node, prop) if isinstance(o, Literal) and o.language == "en"
    ]
    assert len(values) == 1, (node, values)
    return values[0]


def test_seventeen_goals_with_un_identifiers(reference: Graph) -> None:
    """Verify that the 17 SDG goals are there with notation, title and UN exactMatch."""
    goals = set(reference.subjects(RDF.type, WSIS.SDGGoal))
    assert goals == {iris.sdg_goal(n) for n in range(1, 18)}
    for n in range(1, 18):
        goal = iris.sdg_goal(n)
        assert str(reference.value(goal, SKOS.notation)) == str(n)
        assert _english(reference, goal, SKOS.prefLabel)
        assert (goal, SKOS.exactMatch, URIRef(f"http://metadata.un.org/sdg/{n}")) in reference


def test_all_169_targets_complete(reference: Graph) -> None:
    """Verify that all 169 targets have a well-formed code, their goal and exactMatch."""
    targets = set(reference.subjects(RDF.type, WSIS.SDGTarget))
    assert len(targets) == 169
    codes = set()
    for target in targets:
        code = str(reference.value(target, SKOS.notation))
        assert re.fullmatch(r"(1[0-7]|[1-9])\.(\d{1,2}|[a-z])", code), code
        assert target == iris.sdg_target(code)
        goal = reference.value(target, SKOS.broader)
        assert goal == iris.sdg_goal(int(code.split(".")[0]))
        assert (goal, SKOS.narrower, target) in reference
        assert (target, SKOS.exactMatch, iris.un_sdg(code)) in reference
        assert _english(reference, target, SKOS.prefLabel)
        codes.add(code)
    assert codes == SDG_TARGETS


def test_target_9c_wording(reference: Graph) -> None:
    """Verify one target's official wording (9.c, the ICT access target)."""
    label = _english(reference, iris.sdg_target("9.c"), SKOS.prefLabel)
    assert label.startswith(
        "Significantly increase access to information and communications technology"
    )


def test_action_lines_c1_to_c11(reference: Graph) -> None:
    """Verify that the eleven action lines have their notation and title."""
    lines = set(reference.subjects(RDF.type, WSIS.ActionLine))
    assert lines == {iris.action_line(f"C{n}") for n in range(1, 12)}
    assert (
        str(reference.value(iris.action_line("C5"), SKOS.prefLabel))
        == "Building confidence and security in the use of ICTs"
    )


def test_gca_pillars_and_outcome_documents(reference: Graph) -> None:
    """Verify the five GCA pillars and the six WSIS outcome documents."""
    assert set(reference.subjects(RDF.type, WSIS.GCAPillar)) == {
        iris.gca_pillar(n) for n in range(1, 6)
    }
    assert len(set(reference.subjects(RDF.type, WSIS.OutcomeDocument))) == 6


def test_strategic_plans_of_every_edition(reference: Graph, sources: dict[str, Source]) -> None:
    """Verify that the strategic plan each edition cites exists with its goals."""
    for source in sources.values():
        if source.edition is None:
            continue
        plan = iris.strategic_plan(source.edition.strategic_plan)
        assert (plan, RDF.type, WSIS.StrategicPlan) in reference, plan
        goals = set(reference.subjects(WSIS.strategicPlan, plan))
        assert goals, plan
    assert len(set(reference.subjects(WSIS.strategicPlan, iris.strategic_plan("2008-2011")))) == 7
