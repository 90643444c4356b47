"""Robustness: every bad input of the corpus (tests/bad_inputs/manifest.yaml)
gives a clear message naming the file (and line), the documented exit code, and
leaves every existing output file untouched; every kind of damage to every
source is refused with file:line or built with the change reported, never
silently and never with a traceback."""

from __future__ import annotations

import hashlib
import random
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from wsiskg.cli import main

from .conftest import ROOT

CORPUS = Path(__file__).parent / "bad_inputs"
MANIFEST = yaml.safe_load((CORPUS / "manifest.yaml").read_text(encoding="utf-8"))
CASES = MANIFEST["cases"]
VARIANTS = MANIFEST["variants"]
# a file and a line: file:line, or a file and the source line its message names
WHERE = re.compile(r"^error: (\S+:\d+: |\S+: .*\bline \d+)", re.MULTILINE)


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
            numbers = case["line"] if isinstance(case["line"], list) else [case["line"]]
            for number in numbers:
                line = lines[number - 1]
                assert line.count(case["printed"]) == 1, case["id"]
                lines[number - 1] = line.replace(case["printed"], case["replacement"])
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
            (CORPUS / case["replace_with"]).read_bytes()
        )
    elif "mkdir" in case:
        (root / case["mkdir"]).mkdir()
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
    command = [str(root / part) if part.startswith("data/") else part for part in case["command"]]
    result = CliRunner().invoke(main, ["--root", str(root), *command])
    assert result.exit_code == case["exit"], result.output
    for fragment in case["message"]:
        assert fragment in result.stderr, (fragment, result.stderr)
    assert result.stderr.startswith("error: ")
    assert _snapshot(root) == before
    assert not list((root / "data").rglob(".*.tmp"))


def test_corpus_covers_the_kinds_of_damage() -> None:
    """Verify the corpus holds each kind of bad input the project promises to handle."""
    assert {c["id"] for c in CASES} >= {
        "truncated-source",
        "binary-bytes",
        "other-encoding",
        "missing-cell",
        "duplicate-label",
        "unknown-sdg-code",
        "reversed-timing",
        "stale-curation",
        "malformed-turtle",
        "missing-shapes",
        "unwritable-output",
    }


# -- every kind of damage to every source ------------------------------------------------


def _damaged(data: bytes, kind: str, rng: random.Random) -> bytes:
    """The source's bytes with one damage of the given kind at a drawn position."""
    lines = data.split(b"\n")
    body = range(len(lines) // 10, len(lines) * 9 // 10)
    tabbed = [n for n in body if b"\t" in lines[n]]
    k = rng.choice(list(body))
    if kind == "truncate":
        return b"\n".join(lines[:k])
    if kind == "delete-line":
        return b"\n".join(lines[:k] + lines[k + 1 :])
    if kind == "duplicate-line":
        return b"\n".join(lines[: k + 1] + lines[k:])
    if kind == "swap-lines":
        while lines[k] == lines[k + 1]:
            k += 1
        lines[k], lines[k + 1] = lines[k + 1], lines[k]
        return b"\n".join(lines)
    if kind == "extra-separator":
        k = rng.choice(tabbed)
        lines[k] = lines[k] + b"\t"
        return b"\n".join(lines)
    if kind == "missing-separator":
        k = rng.choice(tabbed)
        lines[k] = lines[k].replace(b"\t", b" ", 1)
        return b"\n".join(lines)
    if kind == "byte-flip":
        at = rng.randrange(len(data) // 10, len(data) * 9 // 10)
        while data[at] >= 0x80 or data[at] in b"\n":
            at += 1
        return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]
    if kind == "invalid-utf8":
        lines[k] = lines[k][:5] + b"\xff" + lines[k][5:]
        return b"\n".join(lines)
    assert kind == "empty", kind
    return b""


def _applies(source: str, kind: str) -> bool:
    """Cell separators are damaged only where the layout has them (TAB tables)."""
    text = (ROOT / "data" / "sources" / f"{source}.txt").read_bytes()
    return "separator" not in kind or b"\t" in text


VARIANT_IDS = [
    (source, kind)
    for source in VARIANTS["sources"]
    for kind in VARIANTS["kinds"]
    if _applies(source, kind)
]


def _variant_root(tmp_path: Path, source: str, kind: str) -> Path:
    root = _project(tmp_path)
    path = root / "data" / "sources" / f"{source}.txt"
    rng = random.Random(f"{VARIANTS['seed']}-{source}-{kind}")
    path.write_bytes(_damaged(path.read_bytes(), kind, rng))
    return root


def _verdict(result: Any, reported: re.Pattern[str]) -> str:
    text = result.output
    assert "Traceback" not in text and "internal error" not in text, text
    if result.exit_code == 3:
        assert WHERE.search(result.stderr), result.stderr  # names file and line
        return "refused"
    assert result.exit_code == 0, text
    assert reported.search(result.stdout), result.stdout
    return "reported"


@pytest.mark.parametrize(("source", "kind"), VARIANT_IDS, ids=[f"{s}-{k}" for s, k in VARIANT_IDS])
def test_damage_is_refused_or_reported(source: str, kind: str, tmp_path: Path) -> None:
    """Verify that damage taken the maintainer's way (`sources accept`) is refused with
    file:line or printed as what it changed, and a build then passes; and that with a
    hand-edited digest the build refuses with file:line or names the changed outputs."""
    root = _variant_root(tmp_path / "accept", source, kind)
    runner = CliRunner()
    accepted = runner.invoke(main, ["--root", str(root), "sources", "accept", source])
    verdict = _verdict(
        accepted,
        re.compile(
            rf"^{source}: (sha256 .* -> |.*\(was |"
            r".*triples)",
            re.MULTILINE,
        ),
    )
    if verdict == "reported":
        built = runner.invoke(main, ["--root", str(root), "build", "--no-store", "-q"])
        assert built.exit_code == 0, built.output
        assert "changed: nothing" not in built.stdout

    root = _variant_root(tmp_path / "by-hand", source, kind)
    _set_digest(root, source)
    before = _snapshot(root)
    built = runner.invoke(main, ["--root", str(root), "build", "--no-store", "-q"])
    verdict = _verdict(built, re.compile(r"^changed: (?!nothing)", re.MULTILINE))
    if verdict == "refused":
        assert _snapshot(root) == before


def test_a_deliberate_change_is_accepted_with_its_counts(tmp_path: Path) -> None:
    """Verify that `sources accept` records the digest and the counts, prints what the
    change did, and that the build refuses before and passes after."""
    root = _project(tmp_path)
    path = root / "data" / "sources" / "roadmaps-2010.txt"
    lines = path.read_text(encoding="utf-8").split("\n")
    # drop one whole outcome row of C6 (the last table row of the document)
    last = max(n for n, line in enumerate(lines) if line.count("\t") >= 5)
    path.write_text("\n".join(lines[:last] + lines[last + 1 :]), encoding="utf-8")
    _set_digest(root, "roadmaps-2010")
    runner = CliRunner()
    refused = runner.invoke(main, ["--root", str(root), "build", "--no-store"])
    assert refused.exit_code == 3
    assert "registry.yaml:" in refused.stderr and "(declared 18)" in refused.stderr
    accepted = runner.invoke(main, ["--root", str(root), "sources", "accept", "roadmaps-2010"])
    assert accepted.exit_code == 0, accepted.output
    assert "roadmaps-2010: C6 outcomes 17 (was 18)" in accepted.stdout
    registry = yaml.safe_load((root / "data/sources/registry.yaml").read_text("utf-8"))
    entry = next(s for s in registry["sources"] if s["id"] == "roadmaps-2010")
    assert entry["yields"]["C6"]["outcomes"] == 17
    assert entry["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    built = runner.invoke(main, ["--root", str(root), "build", "--no-store", "-q"])
    assert built.exit_code == 0, built.output
    again = runner.invoke(main, ["--root", str(root), "sources", "accept", "roadmaps-2010"])
    assert "counts unchanged" in again.stdout and "+0 -0 triples" in again.stdout
