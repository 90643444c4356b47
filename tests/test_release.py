"""`wsiskg release` and `wsiskg export`: the files of a dataset release, their
description (VoID + DCAT, checksums, licence), and byte stability across runs
in separate processes."""

from __future__ import annotations

import gzip
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from pyoxigraph import RdfFormat, Store
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, PROV, RDF

from wsiskg import __version__, iris

from .conftest import ROOT, select

DCAT = Namespace("http://www.w3.org/ns/dcat#")
VOID = Namespace("http://rdfs.org/ns/void#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
CC = Namespace("http://creativecommons.org/ns#")
NON_NEGATIVE = URIRef("http://www.w3.org/2001/XMLSchema#nonNegativeInteger")
CC_BY = URIRef("https://creativecommons.org/licenses/by/4.0/")
STEM = f"wsis-kg-{__version__}"
ONTO = f"wsis-ontology-{__version__}"
FILES = {
    f"{STEM}.trig",
    f"{STEM}.nq.gz",
    f"{STEM}.ttl",
    f"{STEM}.jsonld",
    f"{STEM}.context.jsonld",
    f"{STEM}.void.ttl",
    f"{ONTO}.ttl",
    f"{ONTO}.rdf",
    f"{ONTO}.jsonld",
    "SHA256SUMS",
}
ENDPOINT = "https://example.org/wsis/sparql"


def wsiskg(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """The command in its own process (so that nothing is shared between runs)."""
    return subprocess.run(
        [sys.executable, "-m", "wsiskg", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two releases written by two processes; the first names a SPARQL endpoint."""
    first = tmp_path_factory.mktemp("release-a")
    second = tmp_path_factory.mktemp("release-b")
    done = wsiskg("release", "-o", str(first), "--sparql-endpoint", ENDPOINT)
    assert done.returncode == 0, done.stderr
    done = wsiskg("release", "-o", str(second), "--sparql-endpoint", ENDPOINT)
    assert done.returncode == 0, done.stderr
    return first, second


@pytest.fixture(scope="module")
def release(releases: tuple[Path, Path]) -> Path:
    return releases[0]


@pytest.fixture(scope="module")
def description(release: Path) -> Graph:
    graph = Graph()
    graph.parse(release / f"{STEM}.void.ttl", format="turtle")
    return graph


def test_release_has_every_file(release: Path) -> None:
    """Verify the release folder holds exactly the documented files."""
    assert {p.name for p in release.iterdir()} == FILES


def test_two_releases_are_byte_identical(releases: tuple[Path, Path]) -> None:
    """Verify two runs in separate processes write the same bytes, file by file."""
    first, second = releases
    for name in sorted(FILES):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_sha256sums_match_the_files(release: Path) -> None:
    """Verify SHA256SUMS is in `sha256sum -c` form and names every other file."""
    lines = (release / "SHA256SUMS").read_text(encoding="ascii").splitlines()
    listed = {}
    for line in lines:
        digest, name = line.split("  ", 1)
        listed[name] = digest
    assert set(listed) == FILES - {"SHA256SUMS"}
    for name, digest in listed.items():
        assert hashlib.sha256((release / name).read_bytes()).hexdigest() == digest, name
    checked = subprocess.run(
        ["sha256sum", "-c", "SHA256SUMS"], cwd=release, capture_output=True, text=True, check=False
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_nquads_gzip_is_deterministic_and_complete(release: Path) -> None:
    """Verify the gzip header carries no time and no file name, and that the N-Quads
    hold the same quads as the TriG."""
    raw = (release / f"{STEM}.nq.gz").read_bytes()
    assert raw[:2] == b"\x1f\x8b"
    flags, mtime = raw[3], int.from_bytes(raw[4:8], "little")
    assert mtime == 0 and not flags & 0x08  # FNAME not set
    nquads, trig = Store(), Store()
    nquads.load(gzip.decompress(raw), format=RdfFormat.N_QUADS)
    trig.load(path=str(release / f"{STEM}.trig"), format=RdfFormat.TRIG)
    assert len(nquads) == len(trig) > 19000
    assert {q for q in nquads if not _blank(q)} == {q for q in trig if not _blank(q)}


def _blank(quad: object) -> bool:
    return "BlankNode" in repr(quad)


def test_dataset_description(description: Graph, release: Path) -> None:
    """Verify the VoID + DCAT description: licence, attribution, the five ITU
    sources, generation by this version, URI space, endpoint, triples per graph."""
    datasets = list(description.subjects(RDF.type, DCAT.Dataset))
    assert len(datasets) == 1
    ds = datasets[0]
    assert (ds, RDF.type, VOID.Dataset) in description
    assert (ds, DCTERMS.license, CC_BY) in description
    attribution = str(description.value(ds, CC.attributionName))
    assert "International Telecommunication Union" in attribution
    sources = set(description.objects(ds, DCTERMS.source))
    trig = Store()
    trig.load(path=str(release / f"{STEM}.trig"), format=RdfFormat.TRIG)
    in_graph = {
        r[0].value
        for r in select(
            trig, "SELECT DISTINCT ?s { GRAPH ?g { ?s a <" + str(iris.WSIS) + "SourceDocument> } }"
        )
    }
    assert {str(s) for s in sources} == in_graph and len(sources) == 5
    activity = description.value(ds, PROV.wasGeneratedBy)
    agent = description.value(activity, PROV.wasAssociatedWith)
    assert __version__ in str(agent)
    assert (ds, VOID.uriSpace, Literal(iris.ID)) in description
    assert (ds, VOID.sparqlEndpoint, URIRef(ENDPOINT)) in description
    counts = {
        str(s): int(str(description.value(s, VOID.triples)))
        for s in description.objects(ds, VOID.subset)
    }
    for graph, count in counts.items():
        rows = list(select(trig, f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"))
        assert int(rows[0][0].value) == count, graph
    assert len(counts) == 7


def test_every_distribution_has_size_checksum_and_media_type(
    description: Graph, release: Path
) -> None:
    """Verify one dcat:Distribution per published file, its byte size and SHA-256
    (spdx:checksum) those of the file, and its download URL ending in the name."""
    ds = next(description.subjects(RDF.type, DCAT.Dataset))
    seen = set()
    for dist in description.objects(ds, DCAT.distribution):
        url = str(description.value(dist, DCAT.downloadURL))
        name = url.rsplit("/", 1)[1]
        data = (release / name).read_bytes()
        assert description.value(dist, DCAT.byteSize) == Literal(len(data), datatype=NON_NEGATIVE)
        checksum = description.value(dist, SPDX.checksum)
        assert description.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        assert (
            str(description.value(checksum, SPDX.checksumValue)) == hashlib.sha256(data).hexdigest()
        )
        assert str(description.value(dist, DCAT.mediaType)).startswith(
            "https://www.iana.org/assignments/media-types/"
        )
        assert (dist, DCTERMS.license, CC_BY) in description
        seen.add(name)
    assert seen == FILES - {"SHA256SUMS", f"{STEM}.void.ttl"}


@pytest.mark.parametrize("name", ["trig", "nq.gz", "jsonld"])
def test_description_answers_in_the_graph(release: Path, name: str) -> None:
    """Verify `SELECT * { ?d a dcat:Dataset }` answers on a store the dump is
    loaded into, from the description's own named graph."""
    store = Store()
    path = release / f"{STEM}.{name}"
    if name == "nq.gz":
        store.load(gzip.decompress(path.read_bytes()), format=RdfFormat.N_QUADS)
    else:
        store.load(path=str(path), format=RdfFormat.TRIG if name == "trig" else RdfFormat.JSON_LD)
    rows = list(
        select(
            store,
            "PREFIX dcat: <http://www.w3.org/ns/dcat#> SELECT * { ?d a dcat:Dataset }",
            use_default_graph_as_union=True,
        )
    )
    assert [r["d"].value for r in rows] == [f"{iris.BASE}dataset/{__version__}"]
    graphs = list(
        select(
            store,
            "PREFIX dcat: <http://www.w3.org/ns/dcat#> "
            "SELECT ?g { GRAPH ?g { ?d a dcat:Dataset } }",
        )
    )
    assert [r["g"].value for r in graphs] == [str(iris.named_graph("dataset"))]


def test_jsonld_uses_the_published_context_and_holds_the_trig(release: Path) -> None:
    """Verify the JSON-LD dump carries the published @context (short names for the
    ontology's terms) and gives the same quads as the TriG."""
    context = json.loads((release / f"{STEM}.context.jsonld").read_text(encoding="utf-8"))
    document = json.loads((release / f"{STEM}.jsonld").read_text(encoding="utf-8"))
    assert document["@context"] == context["@context"]
    terms = context["@context"]
    assert terms["linkedSDGTarget"] == "wsis:linkedSDGTarget"
    assert terms["RoadmapEntry"] == "wsis:RoadmapEntry"
    text = (release / f"{STEM}.jsonld").read_text(encoding="utf-8")
    assert '"linkedSDGTarget"' in text and '"RoadmapEntry"' in text
    jsonld, trig = Store(), Store()
    jsonld.load(path=str(release / f"{STEM}.jsonld"), format=RdfFormat.JSON_LD)
    trig.load(path=str(release / f"{STEM}.trig"), format=RdfFormat.TRIG)
    assert len(jsonld) == len(trig)
    assert {q for q in jsonld if not _blank(q)} == {q for q in trig if not _blank(q)}


@pytest.mark.parametrize(
    ("suffix", "fmt"), [("ttl", "turtle"), ("rdf", "xml"), ("jsonld", "json-ld")]
)
def test_ontology_files_are_the_ontology(release: Path, suffix: str, fmt: str) -> None:
    """Verify each ontology file is isomorphic to ontology/wsis.ttl (blank nodes
    included)."""
    source = Graph().parse(ROOT / "ontology" / "wsis.ttl", format="turtle")
    written = Graph().parse(release / f"{ONTO}.{suffix}", format=fmt)
    assert len(written) == len(source)
    assert isomorphic(written, source)


def test_union_turtle_holds_every_triple_once(release: Path) -> None:
    """Verify the Turtle dump is the union: as many triples as distinct triples of
    the TriG."""
    turtle, trig = Store(), Store()
    turtle.load(path=str(release / f"{STEM}.ttl"), format=RdfFormat.TURTLE)
    trig.load(path=str(release / f"{STEM}.trig"), format=RdfFormat.TRIG)
    rows = list(
        select(
            trig, "SELECT (COUNT(*) AS ?n) { SELECT DISTINCT ?s ?p ?o { GRAPH ?g { ?s ?p ?o } } }"
        )
    )
    assert len(turtle) == int(rows[0][0].value)


def test_release_refuses_a_file_as_folder(tmp_path: Path) -> None:
    """Verify `-o` naming a file is a usage error (exit 2) and writes nothing."""
    target = tmp_path / "file"
    target.write_text("x", encoding="utf-8")
    done = wsiskg("release", "-o", str(target))
    assert done.returncode == 2, done.stderr
    assert "is a file" in done.stderr
    assert target.read_text(encoding="utf-8") == "x"


@pytest.mark.parametrize("fmt", ["trig", "turtle", "nquads", "jsonld"])
def test_export_is_byte_stable(fmt: str) -> None:
    """Verify two `wsiskg export` runs in separate processes give the same bytes
    (the ontology's blank nodes are labelled canonically)."""
    first = wsiskg("export", "-f", fmt)
    second = wsiskg("export", "-f", fmt)
    assert first.returncode == 0 and second.returncode == 0, first.stderr
    assert len(first.stdout) > 1_000_000
    assert (
        hashlib.sha256(first.stdout.encode()).digest()
        == hashlib.sha256(second.stdout.encode()).digest()
    )


def test_release_graph_equals_export(release: Path, tmp_path: Path) -> None:
    """Verify the release's TriG is the export plus the description's named graph."""
    done = wsiskg("export", "-f", "trig", "-o", str(tmp_path / "export.trig"))
    assert done.returncode == 0, done.stderr
    export, dump = Store(), Store()
    export.load(path=str(tmp_path / "export.trig"), format=RdfFormat.TRIG)
    dump.load(path=str(release / f"{STEM}.trig"), format=RdfFormat.TRIG)
    described = str(iris.named_graph("dataset"))
    rest = [q for q in dump if q.graph_name.value != described]
    assert len(rest) == len(export)
    assert {q for q in rest if not _blank(q)} == {q for q in export if not _blank(q)}
