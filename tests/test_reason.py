"""Reasoning: the fast path equals owlrl's OWL RL closure on the entailments it
materialises; the output is separate from the data."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef
from rdflib.namespace import PROV, RDF, SKOS

from wsiskg import iris
from wsiskg.check.reason import Reasoning, reason, restrict, rules, schema_of
from wsiskg.cli import main
from wsiskg.iris import WSIS
from wsiskg.paths import Layout


@pytest.fixture(scope="module")
def ontology(layout: Layout) -> Graph:
    return Graph().parse(layout.ontology / "wsis.ttl")


@pytest.fixture(scope="module")
def fast_all(layout: Layout) -> Reasoning:
    return reason(sorted(layout.kg.glob("*.ttl")), layout.ontology / "wsis.ttl")


def test_fast_path_equals_owlrl(layout: Layout, ontology: Graph) -> None:
    """Verify that the rules give exactly owlrl's OWL RL entailments of the kinds they
    produce (types, inverses, super-properties, chains), on the draft zero and the
    reference data."""
    files = [layout.kg / "2019-draft-zero.ttl", layout.kg / "reference.ttl"]
    fast = reason(files, layout.ontology / "wsis.ttl", engine="fast")
    reference = reason(files, layout.ontology / "wsis.ttl", engine="owlrl")
    ours, theirs = restrict(fast.inferred, ontology), restrict(reference.inferred, ontology)
    assert ours == theirs
    assert len(ours) > 1000


def test_entailments_the_queries_use(fast_all: Reasoning) -> None:
    """Verify the target-to-goal chain, inverses, super-properties and class membership."""
    inferred = fast_all.inferred
    entry = iris.entry("2019-draft-zero", "C5", "A2")
    assert (entry, WSIS.contributesToSDGGoal, iris.sdg_goal(9)) in inferred  # via 9.1
    assert (iris.sdg_target("9.c"), WSIS.targetLinkedBy, entry) in inferred
    assert (iris.edition("2019-draft-zero"), WSIS.hasEntry, entry) in inferred
    assert (iris.outcome("C5", "A2"), WSIS.addressedBy, entry) in inferred
    assert (iris.resolution("pp", "130"), WSIS.citedBy, entry) in inferred
    assert (entry, RDF.type, WSIS.LinkageStatement) in inferred
    assert (entry, RDF.type, PROV.Entity) in inferred
    assert (iris.sdg_target("9.c"), RDF.type, SKOS.Concept) in inferred
    assert (iris.edition("2019"), PROV.wasDerivedFrom, iris.edition("2019-draft-zero")) in inferred
    assert (iris.outcome("C5", "A2"), SKOS.notation, None) in inferred
    # a whole-goal link is a contribution too (sub-property)
    c2a = iris.entry("2019-draft-zero", "C2", "A")
    assert (c2a, WSIS.contributesToSDGGoal, iris.sdg_goal(17)) in inferred


def test_nothing_asserted_is_repeated(fast_all: Reasoning, layout: Layout) -> None:
    """Verify that the output holds only new triples, none of the data's."""
    data = Graph()
    for path in sorted(layout.kg.glob("*.ttl")):
        data.parse(path)
    assert not any(triple in data for triple in fast_all.inferred)
    assert fast_all.rounds >= 2


def test_rules_come_from_the_ontology(ontology: Graph) -> None:
    """Verify that the rules are derived from the ontology's axioms (chains included)."""
    schema = schema_of(ontology)
    assert (WSIS.contributesToSDGGoal, WSIS.linkedSDGTarget, SKOS.broader) in schema.chains
    assert (WSIS.edition, WSIS.hasEntry) in schema.inverses
    text = "\n".join(rules(schema))
    assert f"<{WSIS.hasEntry}>" in text and f"<{WSIS.contributesToSDGGoal}>" in text


def test_cli_reason_writes_a_separate_file(tmp_path: Path, layout: Layout) -> None:
    """Verify `wsiskg reason -o FILE`: the entailments in their own file, the data
    untouched."""

    def digests() -> dict[str, str]:
        return {
            p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(layout.kg.iterdir())
        }

    before = digests()
    out = tmp_path / "inferred.ttl"
    result = CliRunner().invoke(main, ["reason", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert "inferred triples (fast" in result.stderr
    inferred = Graph().parse(out)
    assert (
        URIRef(iris.entry("2019", "C5", "A2")),
        WSIS.contributesToSDGGoal,
        iris.sdg_goal(9),
    ) in inferred
    assert digests() == before
