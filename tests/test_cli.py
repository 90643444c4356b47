"""The wsiskg command through click's CliRunner: output and exit codes."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from wsiskg import __version__
from wsiskg.cli import main

from .conftest import ROOT


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
    path.write_text(
        path.read_text(encoding="utf-8").replace("Goal 1", "Goal 2", 1), encoding="utf-8"
    )
    code, _, err = run("--root", str(root), "build")
    assert code == 3
    assert "roadmaps-2010.txt" in err and "has changed" in err and "registry" in err


def test_build_bad_curation_names_the_file(project_copy: Callable[[], Path]) -> None:
    """Verify exit code 3 and the curation file named when an entry no longer matches."""
    root = project_copy()
    cur = root / "data" / "curation" / "roadmaps-2019-draft-zero.yaml"
    cur.write_text(
        cur.read_text(encoding="utf-8").replace('printed: "2020- 20203"', 'printed: "2020- 20204"')
    )
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
    bad.write_text('@prefix x: <http://x/> .\nx:a x:b "unterminated .\n')
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
    code, out, err = run("query", "entries-by-sdg-target", "-p", "target=9.c", "-p", "edition=2031")
    assert code == 2 and out == ""
    assert "edition=2031" in err and "2019-draft-zero" in err and "2024-draft" in err
    code, _, err = run("query", "resolutions-by-action-line", "-p", "action_line=C9")
    assert code == 2 and "C2, C4, C5, C6" in err
    code, _, err = run("query", "outcomes-active-in-year", "-p", "year=1950")
    assert code == 2 and "it holds 20" in err
    code, out, _ = run("query", "outcomes-active-in-year", "-p", "year=2021")
    assert code == 0 and "rows)" in out


def test_query_file_without_a_header(tmp_path: Path) -> None:
    """Verify that `query --file` runs a plain SPARQL file with no `#+` header."""
    plain = tmp_path / "plain.rq"
    plain.write_text(
        "PREFIX wsis: <https://w3id.org/wsis-kg/ontology#>\n"
        "SELECT (COUNT(?e) AS ?n) WHERE { ?e a wsis:RoadmapEdition }\n",
        encoding="utf-8",
    )
    code, out, err = run("query", "--file", str(plain), "-f", "csv")
    assert code == 0, err
    assert out.splitlines() == ["n", "4"]
    code, _, err = run("query", "--file", str(plain), "-p", "edition=2019")
    assert code == 2 and "has no parameter edition" in err


# -- one option vocabulary -------------------------------------------------------------


def _every_command() -> list[tuple[str, click.Command]]:
    found: list[tuple[str, click.Command]] = []
    for name, command in main.commands.items():
        found.append((name, command))
        if isinstance(command, click.Group):
            found += [(f"{name} {sub}", c) for sub, c in command.commands.items()]
    return found


def _shown(option: click.Option) -> list[str]:
    return [name for name in option.opts if name not in getattr(option, "hidden_names", ())]


def test_one_option_vocabulary() -> None:
    """Verify that -o/--output is a file and -d/--output-dir a folder wherever they are
    shown, that --engine is only the query engine, and that every command takes
    --root."""
    seen: dict[str, list[str]] = {"-o": [], "-d": [], "--engine": [], "--root": []}
    for name, command in _every_command():
        for option in (p for p in command.params if isinstance(p, click.Option)):
            shown = _shown(option)
            for flag in seen:
                if flag in shown:
                    seen[flag].append(name)
            if "-o" in shown or "--output" in shown:
                assert isinstance(option.type, click.Path) and not option.type.dir_okay, name
            if "-d" in shown:
                assert _shown(option) == ["-d", "--output-dir"], name
                assert isinstance(option.type, click.Path) and not option.type.file_okay, name
    assert seen["--engine"] == ["query"]
    assert sorted(seen["-d"]) == ["release", "report"]
    assert set(seen["-o"]) == {"validate", "reason", "export", "diff", "plot", "query"}
    assert len(seen["--root"]) == len(_every_command())


def test_reason_method_and_its_old_spelling(tmp_path: Path) -> None:
    """Verify `reason --method`, and that the old `--engine` gives the same bytes while
    the help shows only --method."""
    new, old = tmp_path / "new.ttl", tmp_path / "old.ttl"
    code, _, err = run("reason", "--method", "fast", "-o", str(new))
    assert code == 0, err
    assert "inferred triples (fast" in err
    code, _, err = run("reason", "--engine", "fast", "-o", str(old))
    assert code == 0, err
    assert new.read_bytes() == old.read_bytes()
    assert "(fast engine)" in new.read_text(encoding="utf-8").splitlines()[0]
    code, out, _ = run("reason", "-h")
    assert code == 0 and "--method [fast|owlrl]" in out and "--engine" not in out
    code, _, err = run("reason", "--method", "slow")
    assert code == 2 and "'slow' is not one of 'fast', 'owlrl'" in err


def test_release_output_dir_and_its_old_spelling(tmp_path: Path) -> None:
    """Verify `release -d DIR`, and that `-o DIR` (its old spelling) writes the same
    files, while the help shows only -d/--output-dir."""
    code, out, err = run("release", "-d", str(tmp_path / "new"))
    assert code == 0, err
    assert "wrote 10 files" in out
    code, _, err = run("release", "-o", str(tmp_path / "old"))
    assert code == 0, err
    names = sorted(p.name for p in (tmp_path / "new").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "old").iterdir())
    assert "SHA256SUMS" in names
    assert (tmp_path / "new" / "SHA256SUMS").read_bytes() == (
        tmp_path / "old" / "SHA256SUMS"
    ).read_bytes()
    code, out, _ = run("release", "-h")
    assert "-d, --output-dir DIRECTORY" in out and "-o," not in out
    code, _, err = run("release")
    assert code == 2 and "--output-dir" in err


# -- --root after the subcommand -------------------------------------------------------


def test_root_after_the_subcommand(tmp_path: Path) -> None:
    """Verify that --root is taken after the subcommand as before it, the later one
    winning: an empty folder gives the no-graph error either way."""
    for args in (
        ["--root", str(tmp_path), "stats"],
        ["stats", "--root", str(tmp_path)],
        ["--root", str(ROOT), "stats", "--root", str(tmp_path)],
    ):
        code, _, err = run(*args)
        assert code == 3 and "wsiskg build" in err, args
    code, out, err = run("--root", str(tmp_path), "stats", "--root", str(ROOT))
    assert code == 0 and "total:" in out, err
    code, out, err = run(
        "query",
        "--root",
        str(ROOT),
        "resolutions-by-action-line",
        "-p",
        "action_line=C5",
        "-f",
        "csv",
    )
    assert code == 0, err
    assert len(out.splitlines()) > 1
    code, _, err = run("query", "--root", str(tmp_path), "resolutions-by-action-line")
    assert code == 3 and f"{tmp_path / 'queries'}: no canned queries" in err


# -- values the graph does not hold ----------------------------------------------------


@pytest.mark.parametrize(
    ("args", "named", "known"),
    [
        (
            ["matrix", "--edition", "2031"],
            "--edition 2031",
            "2010, 2019, 2019-draft-zero, 2024-draft",
        ),
        (
            ["targets", "--edition", "2031"],
            "--edition 2031",
            "2010, 2019, 2019-draft-zero, 2024-draft",
        ),
        (["trend", "--action-line", "C9"], "--action-line C9", "C2, C4, C5, C6"),
    ],
)
def test_plot_refuses_what_the_graph_does_not_hold(
    tmp_path: Path, args: list[str], named: str, known: str
) -> None:
    """Verify that `plot` refuses an edition or action line the graph does not hold with
    exit 2 and the values it holds (it used to blame the SDG links), writing nothing."""
    picture = tmp_path / "p.png"
    code, out, err = run("plot", *args, "-o", str(picture))
    assert code == 2 and out == ""
    assert f"{named}: the graph holds no such" in err and f"it holds {known}" in err
    assert not picture.exists()


def test_plot_still_explains_an_edition_without_sdg_links(tmp_path: Path) -> None:
    """Verify that an edition the graph holds but that has no SDG column keeps its own
    message, and a held action line draws."""
    code, _, err = run("plot", "targets", "--edition", "2010", "-o", str(tmp_path / "t.png"))
    assert code == 2 and "printed without an SDG column" in err
    code, out, err = run("plot", "trend", "--action-line", "C4", "-o", str(tmp_path / "t.svg"))
    assert code == 0, err
    assert out.strip() == f"wrote {tmp_path / 't.svg'}"
    assert (tmp_path / "t.svg").read_bytes().startswith(b"<?xml")


# -- progress on standard error, quiet output ------------------------------------------

SMALL_SHAPES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
ex:S a sh:NodeShape ; sh:targetClass ex:Thing ;
    sh:property [ sh:path ex:name ; sh:minCount 1 ; sh:severity sh:Warning ] .
"""
SMALL_DATA = """@prefix ex: <http://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:Special rdfs:subClassOf ex:Thing .
ex:a a ex:Special .
"""


def test_validate_inference_shows_progress_unless_quiet(tmp_path: Path) -> None:
    """Verify that `validate --inference rdfs` names its stages on standard error (never
    on standard output), nothing with -q, and that -q drops the warnings from the
    rendered text while keeping the summary line."""
    shapes, data = tmp_path / "shapes.ttl", tmp_path / "data.ttl"
    shapes.write_text(SMALL_SHAPES, encoding="utf-8")
    data.write_text(SMALL_DATA, encoding="utf-8")
    args = ["validate", "--inference", "rdfs", "--shapes", str(shapes), str(data)]
    code, out, err = run(*args)
    assert code == 0, err
    stages = [re.fullmatch(r"validate: (.+) \(\d+\.\d s\)", line) for line in err.splitlines()]
    assert all(stages), err
    names = [m.group(1) for m in stages if m]
    assert names[:2] == ["loading the data and the shapes", "rdfs closure (the slow part)"]
    triples = re.search(r"\((\d+) triples, inference rdfs", out)
    assert triples and names[2:] == [f"SHACL validation of {triples.group(1)} triples"]
    assert out.startswith("no violations: 0 violations, 1 warnings")
    assert "Warning ex:S" in out or "Warning http://example.org/S" in out
    assert "validate:" not in out
    code, out, err = run(*args, "-q")
    assert code == 0 and err == ""
    assert out.splitlines() == [out.splitlines()[0]]
    assert out.startswith("no violations: 0 violations, 1 warnings")
    code, out, err = run("validate", "--shapes", str(shapes), str(data))
    assert code == 0 and err == "", "no progress without inference (it is quick)"


def test_report_shows_progress_unless_quiet(tmp_path: Path) -> None:
    """Verify that `report` names its stages on standard error, its one result line on
    standard output, and -q keeps standard error empty; -o (the old spelling of
    -d/--output-dir) still writes the same site."""
    code, out, err = run("report", "-d", str(tmp_path / "site"))
    assert code == 0, err
    assert out.startswith("wrote ") and out.count("\n") == 1
    stages = [line.split(" (")[0] for line in err.splitlines()]
    assert stages[0] == "report: reading the graph" and "report: pages" in stages
    assert stages[-1].startswith("report: writing ") and stages[-1].endswith(" files")
    code, out, err = run("report", "-q", "-o", str(tmp_path / "again"))
    assert code == 0 and err == ""
    assert (tmp_path / "site" / "index.html").read_bytes() == (
        tmp_path / "again" / "index.html"
    ).read_bytes()


# -- shell completion ------------------------------------------------------------------


def test_shell_completion_script_and_answers() -> None:
    """Verify that click's completion script is produced for bash and zsh, and that a
    completion request answers with the commands and options."""
    runner = CliRunner()
    done = runner.invoke(main, [], prog_name="wsiskg", env={"_WSISKG_COMPLETE": "bash_source"})
    assert done.exit_code == 0
    assert "_wsiskg_completion()" in done.stdout and "complete -o nosort -F" in done.stdout
    done = runner.invoke(main, [], prog_name="wsiskg", env={"_WSISKG_COMPLETE": "zsh_source"})
    assert done.exit_code == 0 and "#compdef wsiskg" in done.stdout
    done = runner.invoke(
        main,
        [],
        prog_name="wsiskg",
        env={"_WSISKG_COMPLETE": "bash_complete", "COMP_WORDS": "wsiskg pl", "COMP_CWORD": "1"},
    )
    assert done.exit_code == 0 and done.stdout.split() == ["plain,plot"]
    done = runner.invoke(
        main,
        [],
        prog_name="wsiskg",
        env={
            "_WSISKG_COMPLETE": "bash_complete",
            "COMP_WORDS": "wsiskg reason --me",
            "COMP_CWORD": "2",
        },
    )
    assert done.stdout.split() == ["plain,--method"]
