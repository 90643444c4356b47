"""The wsiskg command through click's CliRunner: output and exit codes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

from wsiskg import __version__
from wsiskg.cli import main


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_version_and_help() -> None:
    """Verify -V and -h, and that the help documents the exit codes."""
    code, out, _ = run("-V")
    assert code == 0 and __version__ in out
    code, out, _ = run("-h")
    assert code == 0 and "Exit codes" in out and "build" in out


def test_unknown_option_is_a_usage_error() -> None:
    """Verify exit code 2 for a usage error."""
    code, _, err = run("build", "--no-such-option")
    assert code == 2 and "No such option" in err


def test_build_prints_per_edition_counts(project_copy: Callable[[], Path]) -> None:
    """Verify that build succeeds and reports outcomes, links and corrections per edition."""
    root = project_copy()
    code, out, err = run("--root", str(root), "build")
    assert code == 0, err
    assert "2019-draft-zero" in out and "outcomes" in out
    assert "correction [dz-c2-b-timing] C2 B timing: '2020- 20203' -> '2020-2023'" in out
    assert "built 4 editions, 235 entries, 1 action plan" in out
    assert (root / "data" / "kg" / "wsis.trig").is_file()


def test_build_missing_source(project_copy: Callable[[], Path]) -> None:
    """Verify exit code 3 and a message naming the file when a source is missing."""
    root = project_copy()
    (root / "data" / "sources" / "roadmaps-2024-draft.txt").unlink()
    code, out, err = run("--root", str(root), "build")
    assert code == 3
    assert "roadmaps-2024-draft.txt" in err and "missing" in err
    assert list((root / "data" / "kg").iterdir()) == []


def test_build_changed_source(project_copy: Callable[[], Path]) -> None:
    """Verify exit code 3 and a message with the digest when a source has changed."""
    root = project_copy()
    path = root / "data" / "sources" / "roadmaps-2010.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("Goal 1", "Goal 2", 1),
                    encoding="utf-8")
    code, _, err = run("--root", str(root), "build")
    assert code == 3
    assert "roadmaps-2010.txt" in err and "has changed" in err and "registry" in err


def test_build_bad_curation_names_the_file(project_copy: Callable[[], Path]) -> None:
    """Verify exit code 3 and the curation file named when an entry no longer matches."""
    root = project_copy()
    cur = root / "data" / "curation" / "roadmaps-2019-draft-zero.yaml"
    cur.write_text(cur.read_text(encoding="utf-8").replace('printed: "2020- 20203"',
                                                           'printed: "2020- 20204"'))
    code, _, err = run("--root", str(root), "build")
    assert code == 3
    assert "roadmaps-2019-draft-zero.yaml" in err and "dz-c2-b-timing" in err


def test_stats_counts_triples_and_entities(project_copy: Callable[[], Path]) -> None:
    """Verify that stats reports triples and entity counts of the built files."""
    root = project_copy()
    assert run("--root", str(root), "build", "-q")[0] == 0
    code, out, _ = run("--root", str(root), "stats")
    assert code == 0
    assert "RoadmapEntry" in out and "SDGTarget" in out and "total:" in out


def test_stats_without_build(project_copy: Callable[[], Path]) -> None:
    """Verify exit code 3 with a hint when nothing was built yet."""
    root = project_copy()
    code, _, err = run("--root", str(root), "stats")
    assert code == 3 and "wsiskg build" in err


def test_stats_on_malformed_turtle(tmp_path: Path) -> None:
    """Verify exit code 3 and the file named for unparseable Turtle."""
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix x: <http://x/> .\nx:a x:b \"unterminated .\n")
    code, _, err = run("stats", str(bad))
    assert code == 3 and "bad.ttl:2" in err and "cannot parse" in err


def test_lines_shows_where_each_line_went() -> None:
    """Verify that `lines` lists every line with its role and the outcome holding it."""
    code, out, _ = run("lines", "roadmaps-2019-draft-zero")
    assert code == 0
    rows = out.splitlines()
    assert len(rows) == 441
    assert rows[44].split()[:3] == ["45", "outcome", "C2/B"]
    code, out, _ = run("lines", "roadmaps-2019-draft-zero", "--role", "artefact")
    assert [r.split()[0] for r in out.splitlines()] == ["171", "207", "305", "376"]


def test_lines_unknown_source() -> None:
    """Verify exit code 3 and the known ids for an unknown source."""
    code, _, err = run("lines", "roadmaps-1999")
    assert code == 3 and "roadmaps-2010" in err


def test_diff_refuses_an_action_line_the_editions_do_not_hold() -> None:
    """Verify that `diff --action-line C9` (well formed, but in neither edition) is a usage
    error naming the action lines the two editions hold, not "no differences"."""
    code, out, err = run("diff", "2019-draft-zero", "2019", "--action-line", "C9")
    assert code == 2 and out == ""
    assert "no action line 'C9'" in err and "(known: C2, C5, C6)" in err


def test_query_refuses_values_the_graph_does_not_hold() -> None:
    """Verify that an edition, action line or year the graph does not hold is a usage
    error naming what it holds, where it used to give 0 rows and exit 0."""
    code, out, err = run("query", "entries-by-sdg-target", "-p", "target=9.c",
                         "-p", "edition=2031")
    assert code == 2 and out == ""
    assert "edition=2031" in err and "2019-draft-zero" in err and "2024-draft" in err
    code, _, err = run("query", "resolutions-by-action-line", "-p",
                       "action_line=C9")
    assert code == 2 and "C2, C4, C5, C6" in err
    code, _, err = run("query", "outcomes-active-in-year", "-p", "year=1950")
    assert code == 2 and "it holds 20" in err
    code, out, _ = run("query", "outcomes-active-in-year", "-p", "year=2021")
    assert code == 0 and "rows)" in out


def test_query_file_without_a_header(tmp_path: Path) -> None:
    """Verify that `query --file` runs a plain SPARQL file with no `#+` header."""
    plain = tmp_path / "plain.rq"
    plain.write_text("PREFIX wsis: <https://w3id.org/wsis-kg/ontology#>\n"
                     "SELECT (COUNT(?e) AS ?n) WHERE { ?e a wsis:RoadmapEdition }\n",
                     encoding="utf-8")
    code, out, err = run("query", "--file", str(plain), "-f", "csv")
    assert code == 0, err
    assert out.splitlines() == ["n", "4"]
    code, _, err = run("query", "--file", str(plain), "-p", "edition=2019")
    assert code == 2 and "has no parameter edition" in err
