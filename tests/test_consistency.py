"""The DL consistency check: HermiT over ontology + reference data + editions."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from wsiskg.check.consistency import ConsistencyResult, check_consistency
from wsiskg.errors import EXIT_CANNOT_RUN, DataError, WsiskgError
from wsiskg.iris import WSIS

from .conftest import ROOT

ENTRY = URIRef("https://w3id.org/wsis-kg/id/entry/2019/C2/A")


@pytest.fixture(scope="module")
def real_files() -> list[Path]:
    files = [ROOT / "ontology" / "wsis.ttl", *sorted((ROOT / "data" / "kg").glob("*.ttl"))]
    assert len(files) == 7
    return files


@pytest.fixture(scope="module")
def real_result(real_files: list[Path]) -> ConsistencyResult:
    return check_consistency(real_files)


def test_real_graph_is_consistent(real_result: ConsistencyResult) -> None:
    """Verify that the ontology with all of data/kg is consistent for HermiT and that no
    class is unsatisfiable."""
    assert real_result.consistent, real_result.explanation
    assert real_result.unsatisfiable == []
    assert real_result.explanation == ""
    assert "HermiT" in real_result.reasoner
    assert real_result.triples > 15_000
    assert real_result.seconds > 0


def test_entry_typed_as_sdg_target_is_inconsistent(
    real_files: list[Path], tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """Verify that a roadmap entry also typed as an SDG target (disjoint classes) makes
    the check report the graph inconsistent, with an explanation and nothing printed."""
    edition = Graph().parse(ROOT / "data" / "kg" / "2019.ttl")
    assert (ENTRY, RDF.type, WSIS.RoadmapEntry) in edition
    damage = tmp_path / "damage.ttl"
    damage.write_text(f"<{ENTRY}> a <{WSIS.SDGTarget}> .\n", encoding="utf-8")
    result = check_consistency([*real_files, damage])
    assert not result.consistent
    assert result.explanation
    assert result.unsatisfiable == []
    captured = capfd.readouterr()
    assert captured.out == ""
    assert captured.err == ""


def test_unsatisfiable_class_is_reported(tmp_path: Path) -> None:
    """Verify that a class below two disjoint classes is reported unsatisfiable while the
    ontology, having no member of it, stays consistent."""
    ontology = tmp_path / "small.ttl"
    ontology.write_text(
        """\
@prefix ex: <https://example.org/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:A a owl:Class ; owl:disjointWith ex:B .
ex:B a owl:Class .
ex:C a owl:Class ; rdfs:subClassOf ex:A, ex:B .
ex:a a owl:NamedIndividual, ex:A .
""",
        encoding="utf-8",
    )
    result = check_consistency([ontology])
    assert result.consistent
    assert result.unsatisfiable == ["https://example.org/C"]


@pytest.mark.parametrize("java", ["/nonexistent/java", None])
def test_missing_java_cannot_run(
    real_files: list[Path], java: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Verify that without Java (a wrong path, or none on PATH) the check stops with a
    WsiskgError of exit code 3 that says Java is needed."""
    if java is None:
        monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(WsiskgError) as caught:
        check_consistency(real_files, java=java)
    assert caught.value.exit_code == EXIT_CANNOT_RUN == 3
    assert "needs Java (HermiT runs on the JVM)" in caught.value.message
    assert "default-jre-headless" in caught.value.message


def test_malformed_turtle_is_a_data_error(real_files: list[Path], tmp_path: Path) -> None:
    """Verify that a file that is not valid Turtle gives a DataError naming that file."""
    broken = tmp_path / "broken.ttl"
    broken.write_text("<https://example.org/a> <https://example.org/b> .\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        check_consistency([*real_files[:1], broken])
    assert caught.value.path == broken
    assert "broken.ttl" in str(caught.value)
    assert caught.value.exit_code == 3


def test_cli_check_exit_codes(tmp_path: Path) -> None:
    """Verify `wsiskg check`: exit 0 on the built graph, 1 when an entry is also typed as
    an SDG target."""
    from click.testing import CliRunner

    from wsiskg.cli import main

    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("consistent:")
    damaged = tmp_path / "damaged.ttl"
    damaged.write_text(
        "<https://w3id.org/wsis-kg/id/entry/2019/C2/A> a "
        "<https://w3id.org/wsis-kg/ontology#SDGTarget> .\n"
    )
    kg = sorted((Path(__file__).resolve().parents[1] / "data" / "kg").glob("*.ttl"))
    result = CliRunner().invoke(main, ["check", *map(str, kg), str(damaged)])
    assert result.exit_code == 1
    assert result.stdout.startswith("INCONSISTENT")
