"""Shared fixtures: the real project files, read once per test session.

The session keeps the working tree as it found it: the embedded store, the
report's cache, the locks and Hypothesis's database go to a temporary folder
($WSISKG_STORE, $WSISKG_CACHE, $WSISKG_LOCKS), and the session fails when it created or
changed a file of the checkout (tracked, untracked or ignored; the
interpreter's and pytest's own caches aside).
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis.configuration import set_hypothesis_home_dir
from pyoxigraph import QuerySolutions, RdfFormat, Store
from rdflib import Dataset

from wsiskg.graph.build import EditionReport, read_edition
from wsiskg.ingest.curation import Curation, load_curation
from wsiskg.ingest.records import Entry
from wsiskg.ingest.sources import Source, load_registry
from wsiskg.paths import Layout

ROOT = Path(__file__).resolve().parents[1]
EXPECTATIONS = ROOT / "tests" / "expectations"
# what the interpreter, pytest and the tools write by themselves, not the tests
OWN_CACHES = ("__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache")
STATE = {"WSISKG_STORE": "store", "WSISKG_CACHE": "cache", "WSISKG_LOCKS": "locks"}


def checkout_state(root: Path = ROOT) -> dict[str, str] | None:
    """Every file of the working tree that git reports (changed, untracked or
    ignored, .venv aside) with its size and modification time; None outside
    a git checkout."""
    try:
        done = subprocess.run(
            [
                "git",
                "-C",
                str(root),
                "status",
                "--porcelain=v1",
                "-z",
                "--ignored=matching",
                "--untracked-files=all",
                "--",
                ".",
                ":(exclude).venv",
            ],
            capture_output=True,
            check=False,
            timeout=120,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    found: dict[str, str] = {}

    def note(name: str, status: str) -> None:
        if any(part in OWN_CACHES for part in Path(name).parts):
            return
        try:
            info = (root / name).lstat()
            found[name] = f"{status} {info.st_size} {info.st_mtime_ns}"
        except OSError:
            found[name] = f"{status} gone"

    for record in done.stdout.decode("utf-8", "surrogateescape").split("\0"):
        status, name = record[:2], record[3:]
        if not record or name.split("/")[0] == ".venv":
            continue
        note(name, status)
        if name.endswith("/"):  # an ignored folder, listed whole: what is inside it
            for folder, subfolders, files in os.walk(root / name):
                for item in (*subfolders, *files):
                    note(str((Path(folder) / item).relative_to(root)), status)
    return found


def pytest_sessionstart(session: pytest.Session) -> None:
    folder = Path(tempfile.mkdtemp(prefix="wsiskg-tests-"))
    session.config.stash[_STATE_FOLDER] = folder
    for variable, name in STATE.items():
        os.environ[variable] = str(folder / name)
    # Hypothesis's example database and caches, by default .hypothesis/ in the current folder
    set_hypothesis_home_dir(folder / "hypothesis")
    session.config.stash[_CHECKOUT] = checkout_state()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    folder = session.config.stash.get(_STATE_FOLDER, None)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
    before = session.config.stash.get(_CHECKOUT, None)
    after = checkout_state()
    if before is None or after is None or before == after:
        return
    changed = sorted(
        name for name in before.keys() | after.keys() if before.get(name) != after.get(name)
    )
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    message = (
        "the test session wrote into the working tree: "
        + ", ".join(changed[:20])
        + (" ..." if len(changed) > 20 else "")
    )
    if reporter is not None:
        reporter.write_line(message, red=True, bold=True)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED


_STATE_FOLDER = pytest.StashKey[Path]()
_CHECKOUT = pytest.StashKey["dict[str, str] | None"]()


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
    from wsiskg.ingest.readers.dispatch import READERS

    return {
        sid: read_edition(s, curation)
        for sid, s in sources.items()
        if s.edition is not None and s.layout in READERS
    }


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
def load_expectations(source_id: str) -> dict[str, Any]:
    loaded = yaml.safe_load((EXPECTATIONS / f"{source_id}.yaml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict), source_id
    return loaded


def select(store: Store, text: str, **options: Any) -> QuerySolutions:
    """The solutions of a SELECT query on an Oxigraph store (a failure when the
    query is an ASK or a CONSTRUCT)."""
    found = store.query(text, **options)
    assert isinstance(found, QuerySolutions), text
    return found


def nquads(store: Store) -> bytes:
    """An Oxigraph store's quads, serialized as N-Quads."""
    dump = store.dump(format=RdfFormat.N_QUADS)
    assert dump is not None
    return dump


@pytest.fixture
def project_copy(tmp_path: Path) -> Callable[[], Path]:
    """A copy of the project's data, ontology and queries in tmp_path (no shapes)."""

    def make() -> Path:
        root = tmp_path / "project"
        for folder in ("data/sources", "data/reference", "data/curation", "ontology", "queries"):
            shutil.copytree(ROOT / folder, root / folder)
        (root / "data" / "kg").mkdir(parents=True)
        return root

    return make
