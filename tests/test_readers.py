"""The reader seam: readers know layouts only, curation is applied around them,
what an edition does differently is declared in the registry."""

from __future__ import annotations

import ast
import dataclasses
import shutil
from pathlib import Path

import pytest

from wsiskg.errors import SourceError
from wsiskg.ingest.curation import Curation
from wsiskg.ingest.readers.dispatch import PLAN_READERS, READERS, read_roadmap
from wsiskg.ingest.row_parser import parse_row
from wsiskg.ingest.sources import LAYOUTS, ReaderOptions, Source, load_registry

from .conftest import ROOT

PACKAGE = ROOT / "src" / "wsiskg"
INGEST = PACKAGE / "ingest"
READER_MODULES = ("base.py", "tabular.py", "pdfflow.py", "actionplan.py", "labels.py")
# the modules that read sources: no edition or source id may steer them
READING_MODULES = [
    *(INGEST / "readers").glob("*.py"),
    INGEST / "row_parser.py",
    INGEST / "curation.py",
    INGEST / "sources.py",
    INGEST / "cells.py",
]


def _imports(path: Path) -> list[tuple[str, str]]:
    """(module, name) of every ``from ... import name`` of a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [
        ("." * node.level + (node.module or ""), alias.name)
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    ]


def test_no_module_imports_a_private_name() -> None:
    """Verify that no module of the package imports another's private name
    (function-local imports included)."""
    found = [
        f"{path.relative_to(PACKAGE)}: from {module} import {name}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for module, name in _imports(path)
        if (module.startswith(".") or module.startswith("wsiskg"))
        and name.startswith("_")
        and not name.startswith("__")
    ]
    assert found == []


def test_readers_do_not_apply_curation() -> None:
    """Verify that the readers import nothing of the curation: it is applied
    around them, in readers/dispatch.py only."""
    found = [
        f"readers/{name}: from {module} import {what}"
        for name in READER_MODULES
        for module, what in _imports(INGEST / "readers" / name)
        if "curation" in module
    ]
    assert found == []
    dispatch = {module for module, _ in _imports(INGEST / "readers" / "dispatch.py")}
    assert "wsiskg.ingest.curation" in dispatch


def test_every_layout_has_one_reader() -> None:
    """Verify that every layout the registry accepts is read by exactly one reader."""
    assert sorted([*READERS, *PLAN_READERS]) == sorted(LAYOUTS)


def test_no_edition_or_source_id_in_reading_code(sources: dict[str, Source]) -> None:
    """Verify that no string constant of the reading code is an edition or
    source id of the registry (edition-specific behaviour is a reader option)."""
    ids = set(sources) | {s.edition.id for s in sources.values() if s.edition is not None}
    found = []
    for path in READING_MODULES:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        found += [
            f"{path.name}:{node.lineno}: {node.value!r}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and node.value in ids
        ]
    assert found == []


def test_results_notation_comes_from_the_registry(
    sources: dict[str, Source], curation: Curation
) -> None:
    """Verify that the registry's reader option decides how a results column is
    split: the 2010 edition declares numbered activities, and read without the
    option it would yield other results and activities than the registry records."""
    notations = {sid: s.reader.results for sid, s in sources.items()}
    assert notations["roadmaps-2010"] == "numbered-activities"
    assert {n for sid, n in notations.items() if sid != "roadmaps-2010"} == {"headed"}
    source = sources["roadmaps-2010"]
    assert source.edition is not None and source.yields is not None
    declared = tuple(
        sum(counts[kind] for counts in source.yields.values()) for kind in ("results", "activities")
    )
    counted = {}
    for options in (source.reader, ReaderOptions()):
        read = read_roadmap(dataclasses.replace(source, reader=options), curation)
        entries = [parse_row(row, source.edition.id, source.path) for row in read.rows]
        counted[options.results] = (
            sum(len(e.results) for e in entries),
            sum(len(e.activities) for e in entries),
        )
    assert counted["numbered-activities"] == declared == (43, 75)
    assert counted["headed"] != declared


@pytest.mark.parametrize(
    ("reader", "message"),
    [
        ("{results: bullets}", "unknown results notation 'bullets'"),
        ("{columns: 5}", "unknown reader option(s) columns for layout tab-table"),
        ("numbered-activities", "'reader' must map option names to values"),
    ],
)
def test_bad_reader_option_is_refused(tmp_path: Path, reader: str, message: str) -> None:
    """Verify that a reader option the registry cannot hold is refused, naming
    the registry file and the line of the option."""
    registry = tmp_path / "registry.yaml"
    shutil.copy(ROOT / "data" / "sources" / "registry.yaml", registry)
    lines = registry.read_text(encoding="utf-8").split("\n")
    at = lines.index("    reader: {results: numbered-activities}")
    lines[at] = f"    reader: {reader}"
    registry.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        load_registry(registry)
    assert message in caught.value.message
    assert caught.value.path == registry and caught.value.line == at + 1


def test_plan_layout_takes_no_results_option(tmp_path: Path) -> None:
    """Verify that an action plan's entry may not declare a roadmap reader option."""
    registry = tmp_path / "registry.yaml"
    text = (ROOT / "data" / "sources" / "registry.yaml").read_text(encoding="utf-8")
    registry.write_text(
        text.replace(
            "    layout: action-plan\n", "    layout: action-plan\n    reader: {results: headed}\n"
        ),
        encoding="utf-8",
    )
    with pytest.raises(
        SourceError,
        match=r"unknown reader option\(s\) results for layout "
        r"action-plan \(known: none\)",
    ):
        load_registry(registry)
