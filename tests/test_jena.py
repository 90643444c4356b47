"""The release loads unchanged into the stores the README names: Oxigraph
(pyoxigraph) and Apache Jena TDB2 (Debian's libapache-jena-java: tdb2.tdbloader,
then tdb2.tdbquery with the union default graph), and every canned query gives
the same rows there as on the embedded store.

Debian's Jena 4.5 needs two repairs, made here in a temporary folder: a class
path with a single SLF4J binding (slf4j-nop) rather than every binding Debian
installs, and its shaded Xerces message bundles, shipped at
``org/apache/jena/ext/xerces/...``, re-packed under ``xerces/...`` where its
classes look for them (without them, reading any typed literal fails with
"internal error")."""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    QueryBoolean,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Store,
    Triple,
    Variable,
)

from wsiskg import __version__
from wsiskg.paths import Layout
from wsiskg.publish.release import make_release
from wsiskg.store.queries import (
    CannedQuery,
    Results,
    bind,
    load_queries,
    open_engine,
    run,
    with_values,
)

from .conftest import ROOT

JARS = Path("/usr/share/java")
QUERIES = load_queries(ROOT / "queries")
STEM = f"wsis-kg-{__version__}"
# SLF4J bindings and bridges Debian installs beside the API; only slf4j-nop is kept
OTHER_BINDINGS = re.compile(
    r"^(slf4j-(jdk14|log4j12|jcl|simple|reload4j|migrator)|maven3-slf4j-provider|"
    r"log4j-over-slf4j|jcl-over-slf4j|jul-to-slf4j)\.jar$"
)

needs_java = pytest.mark.skipif(
    shutil.which("java") is None, reason="Java is not installed (Apache Jena runs on it)"
)
needs_jena = pytest.mark.skipif(
    not (JARS / "jena-tdb2.jar").is_file(),
    reason="Apache Jena (Debian package libapache-jena-java) is "
    "not installed; .ci/run installs it where it can",
)


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("release")
    make_release(Layout(ROOT), folder)
    return folder


@pytest.fixture(scope="module")
def embedded() -> object:
    return open_engine("oxigraph", Layout(ROOT).kg / "wsis.trig")


def _examples(query: CannedQuery) -> dict[str, tuple[str, str]]:
    return bind(query, {p.name: p.example for p in query.params})


def _normal(results: Results) -> list[list[tuple[str, tuple[str, str, str | None]]]]:
    """The solutions, sorted; language tags in lower case, as RDF 1.1 compares them
    (Oxigraph and Jena write zh-Hans as zh-hans, rdflib keeps the case)."""

    def term(value: tuple[str, str, str | None]) -> tuple[str, str, str | None]:
        kind, text, extra = value
        return (kind, text, extra.lower() if extra and extra.startswith("@") else extra)

    return sorted(
        sorted((name, term(value)) for name, value in row.items()) for row in results.rows
    )


Substitutions = dict[Variable, NamedNode | BlankNode | Literal | Triple]


class _UnionStore:
    """A store queried as users load one: the default graph is the union of the
    named graphs (not the embedded store's copy of it)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def query(
        self,
        text: str,
        *,
        substitutions: Substitutions | None = None,
        use_default_graph_as_union: bool = False,
    ) -> QuerySolutions | QueryBoolean | QueryTriples:
        return self.store.query(text, substitutions=substitutions, use_default_graph_as_union=True)


# -- Oxigraph -----------------------------------------------------------------------


@pytest.mark.parametrize("dump", ["trig", "nq.gz"])
def test_release_in_oxigraph_answers_as_embedded(
    release: Path, embedded: object, dump: str
) -> None:
    """Verify the TriG and the gzipped N-Quads load into Oxigraph unchanged and every
    canned query (examples bound) answers there with the embedded store's rows."""
    store = Store()
    path = release / f"{STEM}.{dump}"
    if dump == "nq.gz":
        store.load(gzip.decompress(path.read_bytes()), format=RdfFormat.N_QUADS)
    else:
        store.load(path=str(path), format=RdfFormat.TRIG)
    loaded = _UnionStore(store)
    for query in QUERIES.values():
        bound = _examples(query)
        expected = run("oxigraph", embedded, query.text, bound)
        got = run("oxigraph", loaded, query.text, bound)
        assert got.variables == expected.variables, query.name
        assert _normal(got) == _normal(expected), query.name


# -- Apache Jena ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def jena_classpath(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Debian's Jena jars and their dependencies, one SLF4J binding, and the Xerces
    message bundles re-packed where Jena's shaded Xerces looks for them."""
    folder = tmp_path_factory.mktemp("jena")
    bundles = folder / "xerces-message-bundles.jar"
    prefix = "org/apache/jena/ext/"
    with zipfile.ZipFile(JARS / "jena-core.jar") as core, zipfile.ZipFile(bundles, "w") as out:
        for name in core.namelist():
            if name.startswith(prefix + "xerces/") and name.endswith(".properties"):
                out.writestr(name[len(prefix) :], core.read(name))
    # the unversioned name of each jar (Debian links it to the versioned file)
    jars = sorted(
        p
        for p in JARS.glob("*.jar")
        if not re.search(r"[-_][0-9][0-9.]*\.jar$", p.name) and not OTHER_BINDINGS.match(p.name)
    )
    return ":".join([*(str(p) for p in jars), str(bundles)])


def _java(classpath: str, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    # C1 only and the serial collector: each command is a short run, JVM start dominates
    return subprocess.run(
        ["java", "-Xmx1g", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", classpath, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture(scope="module")
def tdb2(
    release: Path, jena_classpath: str, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    """Two TDB2 databases, one loaded from the TriG, one from the gzipped N-Quads."""
    databases = {}
    for dump in ("trig", "nq.gz"):
        location = tmp_path_factory.mktemp("tdb2") / dump.replace(".", "-")
        done = _java(
            jena_classpath,
            "tdb2.tdbloader",
            "--loc",
            str(location),
            str(release / f"{STEM}.{dump}"),
        )
        assert done.returncode == 0, done.stdout + done.stderr
        databases[dump] = location
    return databases


def _tdbquery(classpath: str, location: Path, text: str) -> Results:
    done = _java(
        classpath,
        "tdb2.tdbquery",
        "--loc",
        str(location),
        "--set",
        "tdb:unionDefaultGraph=true",
        "--results=json",
        text,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    data = json.loads(done.stdout)
    rows = []
    for binding in data["results"]["bindings"]:
        row: dict[str, tuple[str, str, str | None]] = {}
        for name, cell in binding.items():
            extra = None
            if "xml:lang" in cell:
                extra = "@" + cell["xml:lang"]
            elif cell.get("datatype") not in (None, "http://www.w3.org/2001/XMLSchema#string"):
                extra = cell["datatype"]
            kind = "literal" if cell["type"] in ("literal", "typed-literal") else cell["type"]
            row[name] = (kind, cell["value"], extra)
        rows.append(row)
    return Results(list(data["head"]["vars"]), rows)


@needs_java
@needs_jena
def test_jena_loads_the_trig_and_the_nquads_alike(
    tdb2: dict[str, Path], jena_classpath: str, release: Path
) -> None:
    """Verify both dumps load into TDB2 with every quad of the release and the
    dataset description answers `SELECT * { ?d a dcat:Dataset }`."""
    count = "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"
    trig = Store()
    trig.load(path=str(release / f"{STEM}.trig"), format=RdfFormat.TRIG)
    for location in tdb2.values():
        got = _tdbquery(jena_classpath, location, count)
        assert int(got.rows[0]["n"][1]) == len(trig)
    described = _tdbquery(
        jena_classpath,
        tdb2["trig"],
        "PREFIX dcat: <http://www.w3.org/ns/dcat#> SELECT * { ?d a dcat:Dataset }",
    )
    assert [row["d"][1] for row in described.rows] == [
        f"https://w3id.org/wsis-kg/dataset/{__version__}"
    ]


@needs_java
@needs_jena
@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_canned_query_answers_in_jena_as_embedded(
    tdb2: dict[str, Path], jena_classpath: str, embedded: object, name: str
) -> None:
    """Verify the canned query (its example parameters bound by a VALUES block, as
    for any endpoint) gives in Jena TDB2 the rows the embedded store gives."""
    query = QUERIES[name]
    bound = _examples(query)
    expected = run("oxigraph", embedded, query.text, bound)
    got = _tdbquery(jena_classpath, tdb2["trig"], with_values(query.text, bound))
    assert got.variables == expected.variables
    assert _normal(got) == _normal(expected)
