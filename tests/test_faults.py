"""Faults: concurrent writers, kill -9 at random moments, unexpected errors, and
inputs that are not RDF files. Nothing is lost silently, nothing is corrupted,
no crash passes for "violations" (exit 1)."""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from wsiskg.cli import main
from wsiskg.paths import Layout
from wsiskg.store.locks import holding, kg_lock_path

from .conftest import ROOT

QUERIES = [
    ["activity-roles-2010"],
    ["entries-without-sdg-links"],
    ["sdg-coverage-matrix"],
    ["keyword-search", "-p", "keyword=cybersecurity"],
]


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    for folder in (
        "data/sources",
        "data/reference",
        "data/curation",
        "data/kg",
        "ontology",
        "queries",
        "shapes",
    ):
        shutil.copytree(ROOT / folder, root / folder)
    return root


def _wsiskg(root: Path, *args: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("WSISKG_STORE", "WSISKG_ROOT")}
    return subprocess.Popen(
        [sys.executable, "-m", "wsiskg.cli", "--root", str(root), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _run(root: Path, *args: str) -> tuple[int, str, str]:
    process = _wsiskg(root, *args)
    out, err = process.communicate(timeout=300)
    return process.returncode, out, err


def _kg_state(root: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted((root / "data" / "kg").iterdir())
        if p.is_file()
    }


def _answers(root: Path) -> list[str]:
    found = []
    for query in QUERIES:
        code, out, err = _run(root, "query", *query, "-f", "csv")
        assert code == 0, err
        found.append(out)
    return found


def _second_generation(root: Path) -> None:
    """A deliberate source change (the last outcome row of the 2010 edition dropped),
    accepted the maintainer's way."""
    path = root / "data" / "sources" / "roadmaps-2010.txt"
    lines = path.read_text(encoding="utf-8").split("\n")
    last = max(n for n, line in enumerate(lines) if line.count("\t") >= 5)
    path.write_text("\n".join(lines[:last] + lines[last + 1 :]), encoding="utf-8")
    code, _, err = _run(root, "sources", "accept", "roadmaps-2010")
    assert code == 0, err


def test_concurrent_writers_and_kill_9_leave_everything_whole(tmp_path: Path) -> None:
    """Verify that builds, loads and stale-store queries run two at a time and killed
    with SIGKILL at random moments (bounded loop) leave data/kg as one whole
    generation, the store opening, no traceback, and every query answering as before."""
    root = _project(tmp_path)
    states: dict[str, tuple[bytes, bytes]] = {}
    generations: dict[str, dict[str, str]] = {}
    answers: dict[str, list[str]] = {}
    sources = root / "data" / "sources"
    for name in ("a", "b"):
        if name == "b":
            _second_generation(root)
        code, _, err = _run(root, "build")
        assert code == 0, err
        states[name] = (
            (sources / "roadmaps-2010.txt").read_bytes(),
            (sources / "registry.yaml").read_bytes(),
        )
        generations[name] = _kg_state(root)
        answers[name] = _answers(root)
    assert generations["a"] != generations["b"] and answers["a"] != answers["b"]

    rng = random.Random(15)
    actions = [["build"], ["build", "--no-store"], ["load"], ["query", *QUERIES[0]]]
    outcomes: dict[str, int] = {"finished": 0, "killed": 0}
    started = time.perf_counter()
    for _ in range(12):
        state = rng.choice(["a", "b"])
        (sources / "roadmaps-2010.txt").write_bytes(states[state][0])
        (sources / "registry.yaml").write_bytes(states[state][1])
        pair = [_wsiskg(root, *rng.choice(actions)) for _ in range(2)]
        time.sleep(rng.uniform(0.1, 2.5))
        victim = rng.choice(pair)
        if victim.poll() is None:
            victim.send_signal(signal.SIGKILL)
        for process in pair:
            out, err = process.communicate(timeout=300)
            assert "Traceback" not in err and "internal error" not in err, err
            if process.returncode == -signal.SIGKILL:
                outcomes["killed"] += 1
            else:
                assert process.returncode == 0, err
                outcomes["finished"] += 1
        assert _kg_state(root) in generations.values(), "data/kg mixes two builds"
        current = next(n for n, g in generations.items() if g == _kg_state(root))
        code, out, err = _run(root, "query", *QUERIES[1], "-f", "csv")
        assert code == 0, err
        assert out == answers[current][1]
    loop_seconds = time.perf_counter() - started

    # the next build sweeps what the killed ones left; every query answers as before
    (sources / "roadmaps-2010.txt").write_bytes(states["a"][0])
    (sources / "registry.yaml").write_bytes(states["a"][1])
    code, _, err = _run(root, "build")
    assert code == 0, err
    assert _kg_state(root) == generations["a"]
    assert not [p for p in (root / "data").iterdir() if p.name.startswith(".kg-staging-")]
    assert not list((root / "data" / "kg").glob(".*.tmp"))
    assert not [p for p in (root / ".wsiskg").iterdir() if ".staging-" in p.name]
    assert _answers(root) == answers["a"]
    assert outcomes["killed"] >= 1 and outcomes["finished"] >= 1, outcomes
    assert loop_seconds < 600


def test_the_data_lock_goes_where_wsiskg_locks_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Verify that data/kg's lock is .wsiskg/kg.lock under the project folder, or, with
    $WSISKG_LOCKS, a file there of its own per project folder, the only file that
    holding it creates."""
    monkeypatch.delenv("WSISKG_LOCKS")
    assert kg_lock_path(Layout(tmp_path / "a")) == tmp_path / "a" / ".wsiskg" / "kg.lock"
    monkeypatch.setenv("WSISKG_LOCKS", str(tmp_path / "locks"))
    first, second = kg_lock_path(Layout(tmp_path / "a")), kg_lock_path(Layout(tmp_path / "b"))
    assert first.parent == second.parent == tmp_path / "locks" and first != second
    assert kg_lock_path(Layout(tmp_path / "a")) == first
    with holding(first, "data/kg", write=True):
        assert list((tmp_path / "locks").iterdir()) == [first]


def test_a_store_that_fails_to_open_is_rebuilt(tmp_path: Path) -> None:
    """Verify that a damaged store (its files overwritten, fingerprint intact) is
    rebuilt from data/kg and the query answers as on a fresh store."""
    root = _project(tmp_path)
    code, _, err = _run(root, "load")
    assert code == 0, err
    fresh = _answers(root)
    store = root / ".wsiskg" / "store"
    for path in store.iterdir():
        if path.name.startswith(("MANIFEST", "CURRENT")):
            path.write_bytes(b"damaged")
    assert _answers(root) == fresh


def _boom(*_: Any, **__: Any) -> None:
    raise KeyError("4.4")


def _no_memory(*_: Any, **__: Any) -> None:
    raise MemoryError


@pytest.mark.parametrize(("failure", "name"), [(_boom, "KeyError"), (_no_memory, "memory")])
def test_an_unexpected_error_is_one_line_and_exit_3(
    monkeypatch: pytest.MonkeyPatch, failure: Any, name: str
) -> None:
    """Verify that an exception no code path expects ends with one line and exit 3
    (never 1, which means violations), and the traceback only with --debug."""
    monkeypatch.setattr("wsiskg.views.stats.graph_stats", failure)
    result = CliRunner().invoke(main, ["--root", str(ROOT), "stats"])
    assert result.exit_code == 3
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("error: ") and name in result.stderr
    debug = CliRunner().invoke(main, ["--root", str(ROOT), "--debug", "stats"])
    assert debug.exit_code == 3 and "Traceback" in debug.stderr


BAD_RDF = {
    "iri-with-space": "<http://example.org/a b> <http://example.org/p> 1 .\n",
    "literal-subject": '@prefix ex: <http://example.org/> .\n\n"a" ex:p ex:o .\n',
    "relative-iri": "@prefix ex: <http://example.org/> .\nex:a ex:p <relative> .\n",
}


@pytest.mark.parametrize("command", ["stats", "validate", "reason"])
@pytest.mark.parametrize("case", sorted(BAD_RDF))
def test_every_command_reads_rdf_strictly(tmp_path: Path, command: str, case: str) -> None:
    """Verify that stats, validate and reason refuse the same malformed RDF alike: exit 3,
    the file and line named, no traceback."""
    path = tmp_path / f"{case}.ttl"
    path.write_text(BAD_RDF[case], encoding="utf-8")
    result = CliRunner().invoke(main, ["--root", str(ROOT), command, str(path)])
    assert result.exit_code == 3, result.output
    line = BAD_RDF[case].count("\n")
    assert f"{case}.ttl:{line}: cannot parse" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("command", ["stats", "validate", "reason"])
@pytest.mark.parametrize("kind", ["directory", "fifo", "device"])
def test_what_is_not_a_file_has_its_own_message(tmp_path: Path, command: str, kind: str) -> None:
    """Verify that a directory, a named pipe and a device are refused as such (exit 3),
    not as "file not found", and that reading a FIFO never blocks."""
    if kind == "directory":
        path = tmp_path / "folder.ttl"
        path.mkdir()
        expected = "is a directory"
    elif kind == "fifo":
        path = tmp_path / "pipe.ttl"
        os.mkfifo(path)
        expected = "named pipe"
    else:
        path = Path("/dev/null")
        expected = "is a device"
    result = CliRunner().invoke(main, ["--root", str(ROOT), command, str(path)])
    assert result.exit_code == 3, result.output
    assert expected in result.stderr and str(path) in result.stderr


def test_an_ill_formed_year_is_a_violation(tmp_path: Path) -> None:
    """Verify that "20x9"^^xsd:gYear in a year instant, and an ill-formed edition issue
    date, are violations of the year and edition shapes (the pattern component)."""
    from wsiskg.check.validate import validate
    from wsiskg.paths import Layout

    root = _project(tmp_path)
    kg = root / "data" / "kg"
    year = (kg / "2019.ttl").read_text(encoding="utf-8")
    assert 'time:inXSDgYear "2016"^^xsd:gYear' in year
    (kg / "2019.ttl").write_text(
        year.replace('time:inXSDgYear "2016"^^xsd:gYear', 'time:inXSDgYear "20x9"^^xsd:gYear', 1)
    )
    edition = (kg / "2010.ttl").read_text(encoding="utf-8")
    assert 'dcterms:issued "2010"^^xsd:gYear' in edition
    (kg / "2010.ttl").write_text(
        edition.replace('dcterms:issued "2010"^^xsd:gYear', 'dcterms:issued "2x10"^^xsd:gYear', 1)
    )
    report = validate(Layout(root))
    found = {
        (r.source_shape.rsplit("#", 1)[-1], r.focus_node.rsplit("/id/", 1)[-1], r.value)
        for r in report.results
        if r.severity == "Violation" and r.component.endswith("#PatternConstraintComponent")
    }
    assert found == {
        ("YearShape", "year/2016", "20x9"),
        ("RoadmapEditionShape", "edition/2010", "2x10"),
    }
    result = CliRunner().invoke(main, ["--root", str(root), "validate", "-q"])
    assert result.exit_code == 1
