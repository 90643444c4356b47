"""Robustness: every bad input of the corpus (tests/bad_inputs/manifest.yaml)
gives a clear message naming the file (and line), the documented exit code, and
leaves every existing output file untouched."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from wsiskg.cli import main

from .conftest import ROOT

CORPUS = Path(__file__).parent / "bad_inputs"
CASES = yaml.safe_load((CORPUS / "manifest.yaml").read_text(encoding="utf-8"))["cases"]


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    for folder in ("data/sources", "data/reference", "data/curation", "data/kg", "ontology",
                   "queries", "shapes"):
        shutil.copytree(ROOT / folder, root / folder)
    return root


def _snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    found = {}
    for path in sorted((root / "data").rglob("*")):
        if path.is_file():
            found[str(path.relative_to(root))] = (path.read_bytes(), path.stat().st_mtime_ns)
    return found


def _set_digest(root: Path, source: str) -> None:
    registry = root / "data" / "sources" / "registry.yaml"
    text = registry.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    entry = next(s for s in data["sources"] if s["id"] == source)
    new = hashlib.sha256((root / "data" / "sources" / entry["file"]).read_bytes()).hexdigest()
    registry.write_text(text.replace(entry["sha256"], new), encoding="utf-8")


def _damage(root: Path, case: dict[str, Any]) -> None:
    if "source" in case:
        path = root / "data" / "sources" / f"{case['source']}.txt"
        if "truncate_lines" in case:
            lines = path.read_text(encoding="utf-8").split("\n")
            path.write_text("\n".join(lines[: case["truncate_lines"]]), encoding="utf-8")
        elif "replace_with" in case:
            path.write_bytes((CORPUS / case["replace_with"]).read_bytes())
        else:
            lines = path.read_text(encoding="utf-8").split("\n")
            line = lines[case["line"] - 1]
            assert line.count(case["printed"]) == 1, case["id"]
            lines[case["line"] - 1] = line.replace(case["printed"], case["replacement"])
            path.write_text("\n".join(lines), encoding="utf-8")
        if not case.get("keep_digest"):
            _set_digest(root, case["source"])
    elif "curation" in case:
        path = root / "data" / "curation" / case["curation"]
        text = path.read_text(encoding="utf-8")
        assert case["printed"] in text
        path.write_text(text.replace(case["printed"], case["replacement"]), encoding="utf-8")
    elif "kg_file" in case:
        (root / "data" / "kg" / case["kg_file"]).write_bytes(
            (CORPUS / case["replace_with"]).read_bytes())
    elif "remove" in case:
        shutil.rmtree(root / case["remove"])
    elif "block" in case:
        shutil.rmtree(root / case["block"])
        (root / case["block"]).write_text("a file where the output folder should be")


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_bad_input(case: dict[str, Any], tmp_path: Path) -> None:
    """Verify the message (file, line), the exit code, and that no output changed."""
    root = _project(tmp_path)
    _damage(root, case)
    before = _snapshot(root)
    result = CliRunner().invoke(main, ["--root", str(root), *case["command"]])
    assert result.exit_code == case["exit"], result.output
    for fragment in case["message"]:
        assert fragment in result.stderr, (fragment, result.stderr)
    assert result.stderr.startswith("error: ")
    assert _snapshot(root) == before
    assert not list((root / "data").rglob(".*.tmp"))


def test_corpus_covers_the_kinds_of_damage() -> None:
    """Verify the corpus holds each kind of bad input the project promises to handle."""
    assert {c["id"] for c in CASES} >= {
        "truncated-source", "binary-bytes", "other-encoding", "missing-cell",
        "duplicate-label", "unknown-sdg-code", "reversed-timing", "stale-curation",
        "malformed-turtle", "missing-shapes", "unwritable-output"}
