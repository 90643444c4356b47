"""SHACL validation: the real graph conforms; each shape catches its defect
(a mutation of the real graph) and leaves the real graph alone; the fast
SPARQL path agrees with pySHACL; the command's exit codes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyoxigraph import RdfFormat, Store
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from wsiskg.check.shacl import ValidationResult, results_of
from wsiskg.check.shacl.sparql import run_sparql_constraints, sparql_constraints
from wsiskg.check.validate import load_shapes, shape_subset, validate_store
from wsiskg.cli import main
from wsiskg.paths import Layout
from wsiskg.rdf import load_store, to_rdflib

from .conftest import nquads

ID = "https://w3id.org/wsis-kg/id/"
SHAPES = "https://w3id.org/wsis-kg/shapes#"
PREFIXES = """
PREFIX wsis: <https://w3id.org/wsis-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX time: <http://www.w3.org/2006/time#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX id: <https://w3id.org/wsis-kg/id/>
"""
ENTRY = f"<{ID}entry/2019/C5/A2>"
C = "http://www.w3.org/ns/shacl#"

# shape -> (SPARQL update damaging the real graph, focus node, constraint component, severity)
CASES: dict[str, tuple[str, str, str, str]] = {
    "RoadmapEditionShape": (
        f"DELETE WHERE {{ <{ID}edition/2019> wsis:editionId ?x }}",
        f"{ID}edition/2019",
        f"{C}MinCountConstraintComponent",
        "Violation",
    ),
    "UniqueEditionIdShape": (
        f'DELETE {{ <{ID}edition/2010> wsis:editionId "2010" }} '
        f'INSERT {{ <{ID}edition/2010> wsis:editionId "2019" }} WHERE {{}}',
        f"{ID}edition/2010",
        f"{C}SPARQLConstraintComponent",
        "Violation",
    ),
    "SourceDocumentShape": (
        f"DELETE {{ <{ID}source/roadmaps-2010> wsis:sha256 ?x }} "
        f'INSERT {{ <{ID}source/roadmaps-2010> wsis:sha256 "xyz" }} '
        f"WHERE {{ <{ID}source/roadmaps-2010> wsis:sha256 ?x }}",
        f"{ID}source/roadmaps-2010",
        f"{C}PatternConstraintComponent",
        "Violation",
    ),
    "RoadmapEntryShape": (
        f"DELETE WHERE {{ {ENTRY} wsis:edition ?x }}",
        f"{ID}entry/2019/C5/A2",
        f"{C}MinCountConstraintComponent",
        "Violation",
    ),
    "EntryActivitiesShape": (
        f"DELETE WHERE {{ {ENTRY} wsis:hasActivity ?x }}",
        f"{ID}entry/2019/C5/A2",
        f"{C}MinCountConstraintComponent",
        "Warning",
    ),
    "EntryActionLineShape": (
        f"DELETE {{ {ENTRY} wsis:entryActionLine ?x }} "
        f"INSERT {{ {ENTRY} wsis:entryActionLine id:action-line\\/C6 }} "
        f"WHERE {{ {ENTRY} wsis:entryActionLine ?x }}",
        f"{ID}entry/2019/C5/A2",
        f"{C}SPARQLConstraintComponent",
        "Violation",
    ),
    "EntryEditionCoversActionLineShape": (
        f"DELETE {{ {ENTRY} wsis:entryActionLine ?x }} "
        f"INSERT {{ {ENTRY} wsis:entryActionLine <{ID}action-line/C4> }} "
        f"WHERE {{ {ENTRY} wsis:entryActionLine ?x }}",
        f"{ID}entry/2019/C5/A2",
        f"{C}SPARQLConstraintComponent",
        "Violation",
    ),
    "EditionColumnsShape": (
        f'INSERT DATA {{ {ENTRY} wsis:evidenceAnalysis "an analysis" }}',
        f"{ID}entry/2019/C5/A2",
        f"{C}SPARQLConstraintComponent",
        "Violation",
    ),
    "EntrySdgLinkShape": (
        f"DELETE WHERE {{ {ENTRY} wsis:linkedSDGTarget ?x }}",
        f"{ID}entry/2019/C5/A2",
        f"{C}SPARQLConstraintComponent",
        "Warning",
    ),
    "WSISOutcomeShape": (
        f"DELETE {{ <{ID}outcome/C5/A2> wsis:outcomeKey ?x }} "
        f'INSERT {{ <{ID}outcome/C5/A2> wsis:outcomeKey "A 2!" }} '
        f"WHERE {{ <{ID}outcome/C5/A2> wsis:outcomeKey ?x }}",
        f"{ID}outcome/C5/A2",
        f"{C}PatternConstraintComponent",
        "Violation",
    ),
    "TimingShape": (
        f"INSERT DATA {{ <{ID}entry/2019/C5/A2/timing> wsis:month 13 }}",
        f"{ID}entry/2019/C5/A2/timing",
        f"{C}MaxInclusiveConstraintComponent",
        "Violation",
    ),
    "TimingOrderShape": (
        f"DELETE {{ ?t time:hasBeginning ?b ; time:hasEnd ?e }} "
        f"INSERT {{ ?t time:hasBeginning ?e ; time:hasEnd ?b }} "
        f"WHERE {{ BIND(<{ID}entry/2019/C5/A2/timing> AS ?t) ?t time:hasBeginning ?b ; "
        f"time:hasEnd ?e }}",
        f"{ID}entry/2019/C5/A2/timing",
        f"{C}SPARQLConstraintComponent",
        "Violation",
    ),
    "TimingBoundShape": (
        f"DELETE WHERE {{ <{ID}entry/2019/C5/A2/timing> time:hasEnd ?x }}",
        f"{ID}entry/2019/C5/A2/timing",
        f"{C}OrConstraintComponent",
        "Violation",
    ),
    "YearShape": (
        f"DELETE {{ <{ID}year/2020> time:inXSDgYear ?x }} "
        f'INSERT {{ <{ID}year/2020> time:inXSDgYear "2020" }} '
        f"WHERE {{ <{ID}year/2020> time:inXSDgYear ?x }}",
        f"{ID}year/2020",
        f"{C}DatatypeConstraintComponent",
        "Violation",
    ),
    "ExpectedResultShape": (
        f"DELETE WHERE {{ <{ID}entry/2019/C5/A2/result/1> wsis:text ?x }}",
        f"{ID}entry/2019/C5/A2/result/1",
        f"{C}MinCountConstraintComponent",
        "Violation",
    ),
    "ActivityShape": (
        f"INSERT DATA {{ <{ID}entry/2010/C2/A/activity/3> wsis:ituRole wsis:RoleSponsor }}",
        f"{ID}entry/2010/C2/A/activity/3",
        f"{C}InConstraintComponent",
        "Violation",
    ),
    "ResolutionCitationShape": (
        f'INSERT DATA {{ <{ID}entry/2019/C5/A2/citation/1> wsis:revisionCited "Dubai" }}',
        f"{ID}entry/2019/C5/A2/citation/1",
        f"{C}PatternConstraintComponent",
        "Violation",
    ),
    "CorrectionShape": (
        f"DELETE WHERE {{ <{ID}entry/2019-draft-zero/C2/B/correction/1> wsis:reason ?x }}",
        f"{ID}entry/2019-draft-zero/C2/B/correction/1",
        f"{C}MinCountConstraintComponent",
        "Violation",
    ),
    "SDGGoalShape": (
        f"DELETE {{ <{ID}sdg/goal/9> skos:notation ?x }} "
        f'INSERT {{ <{ID}sdg/goal/9> skos:notation "18" }} '
        f"WHERE {{ <{ID}sdg/goal/9> skos:notation ?x }}",
        f"{ID}sdg/goal/9",
        f"{C}PatternConstraintComponent",
        "Violation",
    ),
    "SDGTargetShape": (
        f"DELETE {{ <{ID}sdg/target/9.c> skos:notation ?x }} "
        f'INSERT {{ <{ID}sdg/target/9.c> skos:notation "18.1" }} '
        f"WHERE {{ <{ID}sdg/target/9.c> skos:notation ?x }}",
        f"{ID}sdg/target/9.c",
        f"{C}PatternConstraintComponent",
        "Violation",
    ),
    "SDGTargetGoalShape": (
        f"DELETE {{ <{ID}sdg/target/9.c> skos:broader ?x }} "
        f"INSERT {{ <{ID}sdg/target/9.c> skos:broader <{ID}sdg/goal/8> }} "
        f"WHERE {{ <{ID}sdg/target/9.c> skos:broader ?x }}",
        f"{ID}sdg/target/9.c",
        f"{C}SPARQLConstraintComponent",
        "Violation",
    ),
    "ActionLineShape": (
        f"DELETE {{ <{ID}action-line/C9> skos:notation ?x }} "
        f'INSERT {{ <{ID}action-line/C9> skos:notation "C12" }} '
        f"WHERE {{ <{ID}action-line/C9> skos:notation ?x }}",
        f"{ID}action-line/C9",
        f"{C}InConstraintComponent",
        "Violation",
    ),
    "GCAPillarShape": (
        f"DELETE {{ <{ID}gca/pillar/5> skos:notation ?x }} "
        f'INSERT {{ <{ID}gca/pillar/5> skos:notation "6" }} '
        f"WHERE {{ <{ID}gca/pillar/5> skos:notation ?x }}",
        f"{ID}gca/pillar/5",
        f"{C}InConstraintComponent",
        "Violation",
    ),
    "StrategicPlanShape": (
        f"DELETE WHERE {{ <{ID}strategic-plan/2020-2023> wsis:periodStart ?x }}",
        f"{ID}strategic-plan/2020-2023",
        f"{C}MinCountConstraintComponent",
        "Violation",
    ),
    "StrategicGoalShape": (
        f"DELETE WHERE {{ <{ID}strategic-plan/2020-2023/goal/3> wsis:strategicPlan ?x }}",
        f"{ID}strategic-plan/2020-2023/goal/3",
        f"{C}MinCountConstraintComponent",
        "Violation",
    ),
    "StrategicTargetShape": (
        f'DELETE {{ ?t skos:notation ?x }} INSERT {{ ?t skos:notation "31" }} '
        f"WHERE {{ BIND(<{ID}strategic-plan/2020-2023/target/3.1> AS ?t) ?t skos:notation ?x }}",
        f"{ID}strategic-plan/2020-2023/target/3.1",
        f"{C}PatternConstraintComponent",
        "Violation",
    ),
    "ResolutionShape": (
        f"DELETE {{ <{ID}resolution/pp/130> wsis:resolutionNumber ?x }} "
        f'INSERT {{ <{ID}resolution/pp/130> wsis:resolutionNumber "13O" }} '
        f"WHERE {{ <{ID}resolution/pp/130> wsis:resolutionNumber ?x }}",
        f"{ID}resolution/pp/130",
        f"{C}PatternConstraintComponent",
        "Violation",
    ),
    "RegionalInitiativeShape": (
        f"DELETE {{ <{ID}regional-initiative/AFR3> skos:notation ?x }} "
        f'INSERT {{ <{ID}regional-initiative/AFR3> skos:notation "ARF3" }} '
        f"WHERE {{ <{ID}regional-initiative/AFR3> skos:notation ?x }}",
        f"{ID}regional-initiative/AFR3",
        f"{C}PatternConstraintComponent",
        "Violation",
    ),
    "OutcomeDocumentShape": (
        f"DELETE WHERE {{ <{ID}outcome-document/tunis-agenda> "
        f"<http://purl.org/dc/terms/issued> ?x }}",
        f"{ID}outcome-document/tunis-agenda",
        f"{C}MinCountConstraintComponent",
        "Violation",
    ),
    "ObjectiveShape": (
        f"DELETE WHERE {{ <{ID}baap/objective/2> wsis:actionPlan ?x }}",
        f"{ID}baap/objective/2",
        f"{C}MinCountConstraintComponent",
        "Violation",
    ),
    "PlanOutcomeShape": (
        f"DELETE {{ <{ID}baap/outcome/2.1> wsis:number ?x }} "
        f'INSERT {{ <{ID}baap/outcome/2.1> wsis:number "2" }} '
        f"WHERE {{ <{ID}baap/outcome/2.1> wsis:number ?x }}",
        f"{ID}baap/outcome/2.1",
        f"{C}PatternConstraintComponent",
        "Violation",
    ),
    "PerformanceIndicatorShape": (
        f"DELETE WHERE {{ <{ID}baap/outcome/2.1/indicator/1> wsis:text ?x }}",
        f"{ID}baap/outcome/2.1/indicator/1",
        f"{C}MinCountConstraintComponent",
        "Violation",
    ),
    "OutputShape": (
        f"DELETE WHERE {{ <{ID}baap/output/2.2> wsis:objective ?x }}",
        f"{ID}baap/output/2.2",
        f"{C}MinCountConstraintComponent",
        "Violation",
    ),
    "OutputObjectiveShape": (
        f"DELETE {{ <{ID}baap/output/2.2> wsis:number ?x }} "
        f'INSERT {{ <{ID}baap/output/2.2> wsis:number "3.2" }} '
        f"WHERE {{ <{ID}baap/output/2.2> wsis:number ?x }}",
        f"{ID}baap/output/2.2",
        f"{C}SPARQLConstraintComponent",
        "Violation",
    ),
    "ProgrammeShape": (
        f"DELETE WHERE {{ <{ID}baap/programme/cybersecurity> wsis:actionPlan ?x }}",
        f"{ID}baap/programme/cybersecurity",
        f"{C}MinCountConstraintComponent",
        "Violation",
    ),
    "AmendmentProposalShape": (
        f"DELETE WHERE {{ <{ID}baap/proposal/1> wsis:amendsOutput ?x }}",
        f"{ID}baap/proposal/1",
        f"{C}MinCountConstraintComponent",
        "Violation",
    ),
    "ActionPlanShape": (
        f"DELETE WHERE {{ <{ID}baap> wsis:periodEnd ?x }}",
        f"{ID}baap",
        f"{C}MinCountConstraintComponent",
        "Violation",
    ),
    "IssuingBodyShape": (
        f"DELETE {{ <{ID}body/wtsa> skos:notation ?x }} "
        f'INSERT {{ <{ID}body/wtsa> skos:notation "itu-t" }} '
        f"WHERE {{ <{ID}body/wtsa> skos:notation ?x }}",
        f"{ID}body/wtsa",
        f"{C}InConstraintComponent",
        "Violation",
    ),
    "NoDanglingLinkShape": (
        f"INSERT DATA {{ {ENTRY} wsis:mentionsResolution <{ID}resolution/pp/999> }}",
        f"{ID}entry/2019/C5/A2",
        f"{C}SPARQLConstraintComponent",
        "Violation",
    ),
}


@pytest.fixture(scope="module")
def shapes(layout: Layout) -> Graph:
    return load_shapes(layout)


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


@pytest.fixture(scope="module")
def real_results(real_dump: bytes, shapes: Graph) -> list[ValidationResult]:
    return validate_store(_store(real_dump), shapes)


def test_real_graph_conforms(real_results: list[ValidationResult]) -> None:
    """Verify that the built graph has no violation (warnings are gaps worth a look)."""
    assert [r for r in real_results if r.severity == "Violation"] == []
    assert {r.source_shape for r in real_results} == {
        SHAPES + "EntryActivitiesShape",
        SHAPES + "EntrySdgLinkShape",
    }


def test_every_shape_has_a_case(shapes: Graph) -> None:
    """Verify that each node shape in shapes/ has a non-conforming fixture below, and
    each has a label and a message."""
    node_shapes = {str(s).removeprefix(SHAPES) for s in shapes.subjects(RDF.type, SH.NodeShape)}
    assert node_shapes == set(CASES)
    for shape in shapes.subjects(RDF.type, SH.NodeShape):
        assert shapes.value(shape, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))
        messages = list(shapes.objects(shape, SH.message))
        for part in list(shapes.objects(shape, SH.property)) + list(
            shapes.objects(shape, SH.sparql)
        ):
            messages += list(shapes.objects(part, SH.message))
        assert messages, shape


@pytest.mark.parametrize("shape", sorted(CASES))
def test_shape_catches_its_defect(
    shape: str, shapes: Graph, real_dump: bytes, real_results: list[ValidationResult]
) -> None:
    """Verify that the shape reports the damaged node (focus, component, severity) and
    that, undamaged, the same node conforms to it."""
    update, focus, component, severity = CASES[shape]
    subset = shape_subset(shapes, URIRef(SHAPES + shape))
    found = validate_store(_store(real_dump, update), subset)
    keys = {(r.focus_node, r.source_shape, r.component, r.severity) for r in found}
    assert (focus, SHAPES + shape, component, severity) in keys
    before = {(r.focus_node, r.source_shape) for r in real_results}
    assert (focus, SHAPES + shape) not in before


# the eight kinds of damage of the issue, caught by the whole set of shapes
MUTATIONS = {
    "drop a required link": (
        f"DELETE WHERE {{ {ENTRY} wsis:addressesOutcome ?x }}",
        "RoadmapEntryShape",
    ),
    "wrong datatype": (
        f"DELETE WHERE {{ {ENTRY} wsis:sourceLineStart ?x }} ;"
        f'INSERT DATA {{ {ENTRY} wsis:sourceLineStart "121" }}',
        "RoadmapEntryShape",
    ),
    "SDG code 18.1": (
        f"INSERT DATA {{ id:sdg\\/target\\/18.1 a wsis:SDGTarget ; "
        f'skos:notation "18.1" ; skos:broader id:sdg\\/goal\\/17 ; '
        f'skos:prefLabel "x"@en ; '
        f"skos:exactMatch <http://metadata.un.org/sdg/18.1> . "
        f"{ENTRY} wsis:linkedSDGTarget id:sdg\\/target\\/18.1 }}",
        "SDGTargetShape",
    ),
    "reversed timing": (CASES["TimingOrderShape"][0], "TimingOrderShape"),
    "entry typed as a target": (f"INSERT DATA {{ {ENTRY} a wsis:SDGTarget }}", "SDGTargetShape"),
    "dangling IRI": (CASES["NoDanglingLinkShape"][0], "NoDanglingLinkShape"),
    "duplicate edition": (CASES["UniqueEditionIdShape"][0], "UniqueEditionIdShape"),
    "wrong action line": (CASES["EntryActionLineShape"][0], "EntryActionLineShape"),
}


@pytest.mark.parametrize("kind", sorted(MUTATIONS))
def test_mutation_is_caught(kind: str, shapes: Graph, real_dump: bytes, tmp_path: Path) -> None:
    """Verify that each kind of damage to the real graph gives a violation, and that
    `wsiskg validate` on the damaged graph names its shape and exits 1."""
    update, shape = MUTATIONS[kind]
    store = _store(real_dump, update)
    found = validate_store(store, shapes)
    violations = {r.source_shape for r in found if r.severity == "Violation"}
    assert SHAPES + shape in violations
    damaged = tmp_path / "damaged.nq"
    damaged.write_bytes(nquads(store))
    code, out, _ = run("validate", str(damaged))
    assert code == 1
    assert f"Violation shapes:{shape} (" in out


def test_sparql_fast_path_equals_pyshacl(shapes: Graph, layout: Layout) -> None:
    """Verify that the SPARQL constraints run once on Oxigraph give exactly pySHACL's
    results (evaluated per focus node), on a damaged slice of the graph."""
    from pyshacl import validate as pyshacl_validate

    files = [layout.kg / "2010.ttl", layout.kg / "reference.ttl", layout.ontology / "wsis.ttl"]
    store = load_store(files)
    entry = f"<{ID}entry/2010/C2/A>"
    for update in (
        CASES["TimingOrderShape"][0].replace("2019/C5/A2", "2010/C2/A"),
        CASES["EntryActionLineShape"][0].replace(ENTRY, entry),
        f"INSERT DATA {{ {entry} wsis:linkedSDGTarget <{ID}sdg/target/9.c> }}",
        CASES["NoDanglingLinkShape"][0].replace(ENTRY, entry),
        CASES["SDGTargetGoalShape"][0],
    ):
        store.update(PREFIXES + update)
    sparql_only = Graph()
    for shape in shapes.subjects(SH.sparql, None):
        for triple in shape_subset(shapes, URIRef(str(shape))):
            sparql_only.add(triple)
    fast = run_sparql_constraints(store, sparql_constraints(sparql_only), sparql_only)
    _, report, _ = pyshacl_validate(
        to_rdflib(store), shacl_graph=sparql_only, inference="none", allow_warnings=True
    )
    reference = results_of(report, sparql_only)

    def key(r: ValidationResult) -> tuple[str, ...]:
        return (r.severity, r.source_shape, r.focus_node, r.path, r.value, r.component)

    assert {key(r) for r in fast} == {key(r) for r in reference}
    assert {r.source_shape.removeprefix(SHAPES) for r in fast} == {
        "TimingOrderShape",
        "EntryActionLineShape",
        "EditionColumnsShape",
        "NoDanglingLinkShape",
        "SDGTargetGoalShape",
    }


def test_core_path_equals_pyshacl(shapes: Graph, real_dump: bytes) -> None:
    """Verify that the compiled core constraints give pySHACL's results on the whole
    (damaged) graph."""
    from pyshacl import validate as pyshacl_validate

    store = _store(real_dump, MUTATIONS["wrong action line"][0])
    core = Graph()
    for triple in shapes:
        if triple[1] != SH.sparql:
            core.add(triple)
    ours = {r for r in validate_store(store, core)}
    _, report, _ = pyshacl_validate(
        to_rdflib(store), shacl_graph=core, inference="none", allow_warnings=True
    )
    theirs = results_of(report, core)

    def key(r: ValidationResult) -> tuple[str, ...]:
        return (r.severity, r.source_shape, r.focus_node, r.path, r.value, r.component)

    assert {key(r) for r in ours} == {key(r) for r in theirs}


# -- the command ---------------------------------------------------------------


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_cli_validate_real_graph() -> None:
    """Verify `wsiskg validate` on the built graph: exit 0, warnings shown."""
    code, out, _ = run("validate")
    assert code == 0
    assert out.startswith("no violations: 0 violations")
    assert "Warning shapes:EntryActivitiesShape" in out


def test_cli_validate_violation_exit_1(tmp_path: Path, real_dump: bytes) -> None:
    """Verify exit code 1 and the human report for data with a violation."""
    store = _store(real_dump, MUTATIONS["wrong action line"][0])
    damaged = tmp_path / "damaged.nq"
    damaged.write_bytes(nquads(store))
    code, out, _ = run("validate", str(damaged))
    assert code == 1
    assert "Violation shapes:EntryActionLineShape (1)" in out
    assert "id:entry/2019/C5/A2" in out and "roadmaps-2019 lines" in out
    code, out, _ = run("validate", str(damaged), "-f", "json")
    assert code == 1 and '"conforms": false' in out
    code, out, _ = run("validate", str(damaged), "-f", "turtle")
    report = Graph().parse(data=out, format="turtle")
    assert (None, SH.conforms, Literal(False)) in report
    assert len(list(report.subjects(RDF.type, SH.ValidationResult))) >= 1


def test_cli_validate_malformed_turtle_exit_3(tmp_path: Path) -> None:
    """Verify exit code 3 and file and line named for unparseable Turtle."""
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix x: <http://x/> .\n\nx:a x:b x:c ;\n  x:d .\n")
    code, _, err = run("validate", str(bad))
    assert code == 3 and "bad.ttl" in err and "cannot parse" in err


def test_cli_validate_usage_exit_2() -> None:
    """Verify exit code 2 for an unknown inference mode."""
    code, _, err = run("validate", "--inference", "magic")
    assert code == 2 and "magic" in err


def test_cli_validate_missing_shapes_exit_3(project_copy: Callable[[], Path]) -> None:
    """Verify exit code 3 when the shapes folder is missing."""
    root = project_copy()
    assert run("--root", str(root), "build", "-q")[0] == 0
    code, _, err = run("--root", str(root), "validate")
    assert code == 3 and "shapes" in err


LITERAL_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <http://example.org/> .
ex:CountShape a sh:NodeShape ; sh:targetSubjectsOf ex:count ;
    sh:property [ sh:path ex:count ; sh:datatype xsd:int ; sh:maxInclusive 10 ] ,
                [ sh:path ex:small ; sh:datatype xsd:byte ] .
"""


def test_literals_judged_as_written(tmp_path: Path) -> None:
    """Verify that literals Oxigraph's store would rewrite ("+5"^^xsd:int becomes
    "5"^^xsd:integer) are validated and reported as written."""
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(LITERAL_SHAPES, encoding="utf-8")
    data = tmp_path / "data.ttl"
    data.write_text(
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        '<http://example.org/a> <http://example.org/count> "+5"^^xsd:int ;\n'
        '    <http://example.org/small> "300"^^xsd:byte .\n',
        encoding="utf-8",
    )
    out = tmp_path / "report.ttl"
    result = CliRunner().invoke(
        main,
        [
            "--root",
            str(tmp_path),
            "validate",
            "-f",
            "turtle",
            "-o",
            str(out),
            "--shapes",
            str(shapes),
            str(data),
        ],
    )
    assert result.exit_code == 1, result.output
    report = Graph().parse(out, format="turtle")
    components = {str(c) for c in report.objects(None, SH.sourceConstraintComponent)}
    assert components == {C + "DatatypeConstraintComponent"}
    values = list(report.objects(None, SH.value))
    assert len(values) == 1
    assert isinstance(values[0], Literal)
    assert (str(values[0]), str(values[0].datatype)) == (
        "300",
        "http://www.w3.org/2001/XMLSchema#byte",
    )
