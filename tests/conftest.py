"""Shared fixtures: the real project files, read once per test session."""

from __future__ import annotations

import functools
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from rdflib import Dataset

from wsiskg.build import EditionReport, read_edition
from wsiskg.curation import Curation, load_curation
from wsiskg.paths import Layout
from wsiskg.records import Entry
from wsiskg.sources import Source, load_registry

ROOT = Path(__file__).resolve().parents[1]
EXPECTATIONS = ROOT / "tests" / "expectations"


@pytest.fixture(scope="session")
def layout() -> Layout:
    return Layout(ROOT)


@pytest.fixture(scope="session")
def sources(layout: Layout) -> dict[str, Source]:
    return {s.id: s for s in load_registry(layout.registry)}


@pytest.fixture(scope="session")
def curation(layout: Layout, sources: dict[str, Source]) -> Curation:
    return load_curation(layout.curation, set(sources))


@pytest.fixture(scope="session")
def edition_reports(sources: dict[str, Source], curation: Curation) -> dict[str, EditionReport]:
    from wsiskg.build import READERS

    return {sid: read_edition(s, curation) for sid, s in sources.items()
            if s.edition is not None and s.layout in READERS}


@pytest.fixture(scope="session")
def entries_by_key(edition_reports: dict[str, EditionReport]) -> dict[tuple[str, str, str], Entry]:
    found = {}
    for sid, report in edition_reports.items():
        for entry in report.entries:
            found[(sid, entry.action_line, entry.key)] = entry
    return found


@pytest.fixture(scope="session")
def dataset() -> Dataset:
    """The built graph, data/kg/wsis.trig, read once (tests must not change it)."""
    data = Dataset()
    data.parse(ROOT / "data" / "kg" / "wsis.trig", format="trig")
    return data


@functools.cache
def load_expectations(source_id: str) -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((EXPECTATIONS / f"{source_id}.yaml").read_text(encoding="utf-8"))


@pytest.fixture
def project_copy(tmp_path: Path) -> Callable[[], Path]:
    """A copy of the project's data, ontology and queries in tmp_path (no shapes)."""

    def make() -> Path:
        root = tmp_path / "project"
        for folder in ("data/sources", "data/reference", "data/curation", "ontology",
                       "queries"):
            shutil.copytree(ROOT / folder, root / folder)
        (root / "data" / "kg").mkdir(parents=True)
        return root

    return make
