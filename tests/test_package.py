"""The installed package: build the wheel from a copy of the repository, install
it into a fresh virtual environment, and run every read-only command from a
temporary folder, as a user who never cloned the repository would.

Offline: the wheel is built without build isolation (the test environment's
setuptools) and installed with ``--no-index --no-deps``; the new environment
sees the test environment's dependencies through a ``.pth`` line, never its
editable wsiskg (a ``.pth`` line adds a folder to the path but does not run the
``.pth`` files inside it)."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import time
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from wsiskg import __version__
from wsiskg.cli import main
from wsiskg.paths import Layout
from wsiskg.store.embedded import open_embedded

from .conftest import ROOT

IGNORED = shutil.ignore_patterns(
    ".git",
    ".venv",
    ".wsiskg",
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    "*.pyc",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    "_data",
)
SHIPPED = (
    "ontology/wsis.ttl",
    "shapes/entries.ttl",
    "queries/sdg-coverage-matrix.rq",
    "data/reference/sdg.ttl",
    "data/kg/wsis.trig",
    "data/kg/2019.ttl",
)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built from a copy of the repository (nothing written into it)."""
    source = tmp_path_factory.mktemp("source") / "wsiskg"
    shutil.copytree(ROOT, source, ignore=IGNORED)
    dist = tmp_path_factory.mktemp("dist")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "-q",
            "-w",
            str(dist),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    wheels = list(dist.glob("wsiskg-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the wheel installed; its bin folder."""
    folder = tmp_path_factory.mktemp("venv") / "env"
    subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True, timeout=300)
    bin_dir = folder / "bin"
    python = bin_dir / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    dependencies = sysconfig.get_paths()["purelib"]
    Path(purelib, "wsiskg-test-dependencies.pth").write_text(dependencies + "\n", encoding="utf-8")
    done = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-index", "--no-deps", str(wheel)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return bin_dir


@pytest.fixture(scope="module")
def user(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A user's folder, far from any checkout."""
    return tmp_path_factory.mktemp("user")


def _env(user: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("WSISKG_ROOT", "WSISKG_STORE", "PYTHONPATH", "VIRTUAL_ENV")
    }
    env["HOME"] = str(user / "home")
    env["XDG_CACHE_HOME"] = str(user / "cache")
    return env


def run(
    venv: Path, user: Path, *args: str, program: str = "wsiskg", timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(venv / program), *args],
        cwd=user,
        env=_env(user),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_wheel_carries_the_package_data(wheel: Path) -> None:
    """Verify the wheel holds ontology, shapes, queries, reference data and the built
    graph under wsiskg/_data/, byte for byte the repository's, and both licences."""
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        for path in SHIPPED:
            assert archive.read(f"wsiskg/_data/{path}") == (ROOT / path).read_bytes(), path
        queries = {n for n in names if n.startswith("wsiskg/_data/queries/") and n.endswith(".rq")}
        assert len(queries) == len(list((ROOT / "queries").glob("*.rq")))
        licences = {n.rsplit("/", 1)[1] for n in names if "/licenses/" in n}
        assert {"LICENSE", "LICENSE-DATA"} <= licences
        assert not any(n.startswith("wsiskg/_data/data/sources") for n in names)


def test_installed_package_reads_its_own_data(venv: Path, user: Path) -> None:
    """Verify the installed wsiskg imports from the new environment and reads the
    package data there; `-V` and `python -m wsiskg -V` print both versions."""
    done = run(
        venv, user, "-c", "import wsiskg.paths as p; print(p.default_layout().kg)", program="python"
    )
    assert done.returncode == 0, done.stderr
    kg = Path(done.stdout.strip())
    assert kg.is_relative_to(venv.parent) and (kg / "wsis.trig").is_file()
    for args, program in ((("-V",), "wsiskg"), (("-m", "wsiskg", "-V"), "python")):
        done = run(venv, user, *args, program=program)
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith(f"wsiskg {__version__}\n")
        assert "data: ontology " in done.stdout and "installed package data" in done.stdout


def test_queries_and_query(venv: Path, user: Path) -> None:
    """Verify `queries` lists every canned query and `query` answers as in the
    checkout."""
    done = run(venv, user, "queries")
    assert done.returncode == 0, done.stderr
    listed = [
        line.split(":")[0] for line in done.stdout.splitlines() if line and not line.startswith(" ")
    ]
    assert listed == sorted(p.stem for p in (ROOT / "queries").glob("*.rq"))
    args = ("query", "sdg-coverage-matrix", "-p", "edition=2019", "-f", "csv")
    installed = run(venv, user, *args)
    assert installed.returncode == 0, installed.stderr
    checkout = subprocess.run(
        [sys.executable, "-m", "wsiskg", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert installed.stdout == checkout.stdout and installed.stdout.count("\n") > 10


def test_validate_reason_check_stats(venv: Path, user: Path) -> None:
    """Verify validate (exit 0 on the shipped graph), reason (entailments written),
    check (HermiT; exit 3 with a message where Java is absent) and stats."""
    done = run(venv, user, "validate", "-q")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no violations: 0 violations" in done.stdout
    done = run(venv, user, "reason", "-o", "entailments.ttl")
    assert done.returncode == 0, done.stderr
    assert (user / "entailments.ttl").stat().st_size > 10_000
    done = run(venv, user, "check")
    if shutil.which("java"):
        assert done.returncode == 0, done.stdout + done.stderr
        assert done.stdout.startswith("consistent")
    else:
        assert done.returncode == 3 and "Java" in done.stderr
    done = run(venv, user, "stats")
    assert done.returncode == 0, done.stderr
    assert "triples" in done.stdout


def test_export_and_release_equal_the_checkout(venv: Path, user: Path, tmp_path: Path) -> None:
    """Verify export and release from the installed package give the same bytes as
    from the checkout."""
    done = run(venv, user, "export", "-f", "trig", "-o", "export.trig")
    assert done.returncode == 0, done.stderr
    checkout = subprocess.run(
        [sys.executable, "-m", "wsiskg", "export", "-f", "trig"],
        cwd=ROOT,
        capture_output=True,
        timeout=300,
        check=False,
    )
    assert (user / "export.trig").read_bytes() == checkout.stdout
    done = run(venv, user, "release", "-o", "release")
    assert done.returncode == 0, done.stderr
    checkout_release = tmp_path / "release"
    made = subprocess.run(
        [sys.executable, "-m", "wsiskg", "release", "-o", str(checkout_release)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    assert (user / "release" / "SHA256SUMS").read_bytes() == (
        checkout_release / "SHA256SUMS"
    ).read_bytes()


def test_diff_plot_report(venv: Path, user: Path) -> None:
    """Verify diff, plot and report work from the user's folder (the store goes to
    the user's cache folder, not the current one), the diff the checkout's."""
    done = run(venv, user, "diff", "2019-draft-zero", "2019", "-f", "json")
    assert done.returncode == 0, done.stderr
    here = CliRunner().invoke(
        main, ["--root", str(ROOT), "diff", "2019-draft-zero", "2019", "-f", "json"]
    )
    assert here.exit_code == 0, here.output
    installed = json.loads(done.stdout)
    assert installed == json.loads(here.stdout) and installed["changes"]
    done = run(venv, user, "plot", "matrix", "--edition", "2019", "-o", "matrix.png")
    assert done.returncode == 0, done.stderr
    assert (user / "matrix.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    done = run(venv, user, "report", "-o", "site")
    assert done.returncode == 0, done.stderr
    index = (user / "site" / "index.html").read_text(encoding="utf-8")
    assert '<a href="matrix.html">' in index
    assert '<a href="matrix.html">' in (user / "site" / "matrix.html").read_text(encoding="utf-8")
    assert not (user / ".wsiskg").exists()
    assert any((user / "cache" / "wsiskg").rglob("store"))


@pytest.fixture
def served(venv: Path, user: Path) -> Iterator[str]:
    """`wsiskg serve --port 0` from the installed package, stopped by its PID."""
    process = subprocess.Popen(
        [str(venv / "wsiskg"), "serve", "--port", "0"],
        cwd=user,
        env=_env(user),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        deadline = time.monotonic() + 120
        base = None
        while base is None and time.monotonic() < deadline:
            line = process.stderr.readline()
            if not line and process.poll() is not None:
                break
            found = re.search(r"http://127\.0\.0\.1:(\d+)", line)
            if found:
                base = f"http://127.0.0.1:{found.group(1)}"
        assert base, "wsiskg serve did not say where it listens"
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_serve(served: str) -> None:
    """Verify the installed package serves the graph: one SPARQL query over HTTP,
    answered as the checkout's embedded store answers it."""
    query = (
        "SELECT (COUNT(*) AS ?n) WHERE { ?e a <https://w3id.org/wsis-kg/ontology#RoadmapEntry> }"
    )
    request = urllib.request.Request(
        f"{served}/sparql?{urllib.parse.urlencode({'query': query})}",
        headers={"Accept": "application/sparql-results+json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        data = json.loads(response.read())
    expected = [int(row["n"].value) for row in open_embedded(Layout(ROOT)).query(query)]
    assert [int(row["n"]["value"]) for row in data["results"]["bindings"]] == expected
    assert expected[0] > 200


def test_served_page_without_the_sources(served: str) -> None:
    """Verify an entry's page from the installed package names its source lines and says
    why their text is not shown (the sources are not package data)."""
    request = urllib.request.Request(
        f"{served}/id/entry/2019/C5/A1", headers={"Accept": "text/html"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        page = response.read().decode("utf-8")
    assert "Lines 1318&ndash;1454 of" in page
    assert "not in the installed package" in page and 'id="source-lines"' not in page


@pytest.mark.parametrize("args", [("build",), ("lines", "roadmaps-2010")])
def test_maintainer_commands_need_a_checkout(venv: Path, user: Path, args: tuple[str, ...]) -> None:
    """Verify `build` and `lines` from the installed package are usage errors (exit 2)
    naming the reason."""
    done = run(venv, user, *args)
    assert done.returncode == 2
    assert "needs a maintainer's checkout" in done.stderr


def test_checkout_mode_is_kept(tmp_path: Path) -> None:
    """Verify a checkout is found from a subfolder, whatever is installed, and reads
    its own folders (the maintainer's mode)."""
    from wsiskg.paths import default_layout

    layout = default_layout(ROOT / "data" / "kg")
    assert not layout.installed and layout.root == ROOT
    assert layout.kg == ROOT / "data" / "kg"
    digest = hashlib.sha256((layout.ontology / "wsis.ttl").read_bytes()).hexdigest()
    assert digest == hashlib.sha256((ROOT / "ontology" / "wsis.ttl").read_bytes()).hexdigest()
