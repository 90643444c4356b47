"""Dataset releases and byte-stable dumps of the graph.

A release is a folder of files for one package version: the graph (ontology,
reference data, every edition and the action plan, each in its named graph,
plus a description of the dataset in ``…/graph/dataset``) as TriG, gzipped
N-Quads, Turtle (the union) and JSON-LD with a published ``@context``; the
ontology as Turtle, RDF/XML and JSON-LD; a VoID + DCAT description with byte
sizes and SHA-256 checksums of every file; and ``SHA256SUMS``.

Every file is byte-stable: the data files have no blank nodes; the
ontology's blank nodes (OWL class expressions and lists) are labelled by
rdflib's canonical labelling (RGDA1), which depends only on the triples;
Oxigraph writes an in-memory store in a fixed order; gzip is written with
mtime 0 and no file name; the JSON-LD writer sorts everything.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wsiskg import __version__, iris
from wsiskg.errors import DataError, UsageError, WsiskgError
from wsiskg.paths import Layout
from wsiskg.sparql import query_text

CC_BY = "https://creativecommons.org/licenses/by/4.0/"
ATTRIBUTION = "International Telecommunication Union (ITU)"
DATASET_GRAPH = "dataset"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
MEDIA = "https://www.iana.org/assignments/media-types/"

PREFIXES: dict[str, str] = {
    "wsis": str(iris.WSIS),
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": XSD,
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "time": "http://www.w3.org/2006/time#",
    "vann": "http://purl.org/vocab/vann/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "void": "http://rdfs.org/ns/void#",
    "spdx": "http://spdx.org/rdf/terms#",
    "cc": "http://creativecommons.org/ns#",
}

EXPORT_FORMATS = ("turtle", "trig", "nquads", "ntriples", "jsonld")


# -- building the graph in a store, deterministically ---------------------------------


def ontology_quads(path: Path, graph: Any) -> list[Any]:
    """The ontology's triples as Oxigraph quads in ``graph``, blank nodes labelled
    canonically (the same triples give the same labels, whatever the parse)."""
    from pyoxigraph import BlankNode, Literal, NamedNode, Quad
    from rdflib import BNode, Graph, URIRef
    from rdflib import Literal as RdfLiteral
    from rdflib.compare import to_canonical_graph

    parsed = Graph()
    try:
        parsed.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises several kinds for bad Turtle
        raise DataError(f"cannot parse: {exc}", path=path) from None
    canonical = to_canonical_graph(parsed)

    def term(value: Any) -> Any:
        if isinstance(value, URIRef):
            return NamedNode(str(value))
        if isinstance(value, BNode):
            return BlankNode(str(value))
        assert isinstance(value, RdfLiteral)
        if value.language:
            return Literal(str(value), language=value.language)
        if value.datatype is not None:
            return Literal(str(value), datatype=NamedNode(str(value.datatype)))
        return Literal(str(value))

    return [Quad(term(s), term(p), term(o), graph) for s, p, o in canonical]


def graph_store(layout: Layout, *, named: bool = True) -> Any:
    """An in-memory Oxigraph store with the ontology and every built file of
    data/kg, each in its named graph (``named``) or all in the default graph."""
    from pyoxigraph import DefaultGraph, NamedNode, RdfFormat, Store

    from wsiskg.store.embedded import graph_files

    store = Store()
    for name, path in graph_files(layout):
        graph = NamedNode(str(iris.named_graph(name))) if named else DefaultGraph()
        if name == "ontology":
            store.extend(ontology_quads(path, graph))
            continue
        try:
            store.load(path=str(path), format=RdfFormat.TURTLE, to_graph=graph)
        except SyntaxError as exc:
            raise DataError(f"cannot parse: {exc}", path=path) from None
        except OSError as exc:
            raise DataError(f"cannot read: {exc}", path=path) from None
    return store


def _key(quad: Any) -> tuple[str, str, str, str]:
    graph = "" if quad.graph_name is None else str(quad.graph_name)
    return (graph, str(quad.subject), str(quad.predicate), str(quad.object))


def sorted_quads(store: Any, graph: Any = None) -> list[Any]:
    """The store's quads (of one graph, if given) in a fixed order: graph,
    subject, predicate, object as N-Quads text."""
    quads = store if graph is None else store.quads_for_pattern(None, None, None, graph)
    return sorted(quads, key=_key)


def dump(store: Any, fmt: str, ctx: Mapping[str, Any] | None = None) -> bytes:
    """A store in one of the export formats, written from sorted quads so that
    the same content gives the same bytes: trig, nquads and jsonld keep the
    named graphs; turtle and ntriples write the default graph."""
    from pyoxigraph import DefaultGraph, RdfFormat, serialize

    if fmt not in (*EXPORT_FORMATS, "rdfxml"):
        raise UsageError(f"unknown export format {fmt!r} (choose {', '.join(EXPORT_FORMATS)})")
    if fmt == "jsonld":
        if ctx is None:
            raise ValueError("a JSON-LD dump needs its context")
        return to_jsonld(list(store), ctx)
    kwargs: dict[str, Any] = {}
    if fmt in ("turtle", "trig", "rdfxml"):
        kwargs["prefixes"] = PREFIXES
    if fmt in ("trig", "nquads"):
        data = serialize(
            sorted_quads(store),
            format=RdfFormat.TRIG if fmt == "trig" else RdfFormat.N_QUADS,
            **kwargs,
        )
    else:
        formats = {
            "turtle": RdfFormat.TURTLE,
            "ntriples": RdfFormat.N_TRIPLES,
            "rdfxml": RdfFormat.RDF_XML,
        }
        data = serialize(
            [quad.triple for quad in sorted_quads(store, DefaultGraph())],
            format=formats[fmt],
            **kwargs,
        )
    assert data is not None
    return bytes(data)


def export(layout: Layout, fmt: str) -> bytes:
    """Ontology, reference data, editions and plan; quad formats keep the named
    graphs, triple formats give their union. Byte-stable."""
    if fmt not in EXPORT_FORMATS:
        raise UsageError(f"unknown export format {fmt!r} (choose {', '.join(EXPORT_FORMATS)})")
    return dump(
        graph_store(layout, named=fmt in ("trig", "nquads", "jsonld")),
        fmt,
        context(layout) if fmt == "jsonld" else None,
    )


# -- JSON-LD ------------------------------------------------------------------------


def context(layout: Layout) -> dict[str, Any]:
    """The published ``@context``: the prefixes, and a short name for every term
    of the layout's ontology (``ActionLine``, ``linkedSDGTarget`` …)."""
    return context_of(ontology_terms(layout.ontology / "wsis.ttl"))


def context_of(terms: Iterable[str]) -> dict[str, Any]:
    body: dict[str, Any] = dict(sorted(PREFIXES.items()))
    for local in sorted(terms):
        if local not in body:
            body[local] = f"wsis:{local}"
    return {"@context": body}


def ontology_terms(path: Path) -> list[str]:
    """The local names of the terms the ontology declares (every typed subject in
    its namespace: classes, properties, individuals)."""
    from rdflib import Graph, URIRef
    from rdflib.namespace import RDF

    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises several kinds for bad Turtle
        raise DataError(f"cannot parse: {exc}", path=path) from None
    namespace = str(iris.WSIS)
    return sorted(
        {
            str(s)[len(namespace) :]
            for s in graph.subjects(RDF.type, None)
            if isinstance(s, URIRef)
            and str(s).startswith(namespace)
            and str(s)[len(namespace) :].isidentifier()
        }
    )


class _Compactor:
    def __init__(self, ctx: Mapping[str, Any]) -> None:
        body = ctx["@context"]
        self.terms: dict[str, str] = {
            value_iri: name
            for name, value in body.items()
            if isinstance(value, str)
            and ":" in value
            and (value_iri := self.expand(body, value)) is not None
            and name not in PREFIXES
        }
        self.prefixes = sorted(((ns, p) for p, ns in PREFIXES.items()), key=lambda x: -len(x[0]))

    @staticmethod
    def expand(body: Mapping[str, Any], value: str) -> str | None:
        prefix, _, local = value.partition(":")
        namespace = body.get(prefix)
        return f"{namespace}{local}" if isinstance(namespace, str) else None

    def key(self, iri: str) -> str:
        if iri in self.terms:
            return self.terms[iri]
        for namespace, prefix in self.prefixes:
            if iri.startswith(namespace):
                local = iri[len(namespace) :]
                if local and local.replace("_", "a").replace("-", "a").isalnum():
                    return f"{prefix}:{local}"
        return iri


def _node_id(term: Any) -> str:
    from pyoxigraph import BlankNode

    return f"_:{term.value}" if isinstance(term, BlankNode) else str(term.value)


def _value(term: Any, compactor: _Compactor) -> Any:
    from pyoxigraph import Literal

    if not isinstance(term, Literal):
        return {"@id": _node_id(term)}
    if term.language:
        return {"@value": term.value, "@language": term.language}
    datatype = term.datatype.value
    if datatype == XSD + "string":
        return term.value
    return {"@value": term.value, "@type": compactor.key(datatype)}


def _nodes(quads: list[Any], compactor: _Compactor) -> list[dict[str, Any]]:
    by_subject: dict[str, dict[str, list[Any]]] = {}
    for quad in quads:
        subject = _node_id(quad.subject)
        predicate = quad.predicate.value
        properties = by_subject.setdefault(subject, {})
        if predicate == RDF_TYPE and not hasattr(quad.object, "datatype"):
            properties.setdefault("@type", []).append(compactor.key(quad.object.value))
        else:
            properties.setdefault(compactor.key(predicate), []).append(
                _value(quad.object, compactor)
            )
    nodes = []
    for subject in sorted(by_subject):
        node: dict[str, Any] = {"@id": subject}
        for key in sorted(by_subject[subject], key=lambda k: (k != "@type", k)):
            values = sorted(
                by_subject[subject][key],
                key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False),
            )
            node[key] = values[0] if len(values) == 1 else values
        nodes.append(node)
    return nodes


def to_jsonld(quads: list[Any], ctx: Mapping[str, Any]) -> bytes:
    """JSON-LD 1.0 with the context inline: a node per subject, sorted; named
    graphs as ``@graph`` objects. Only full IRIs as ``@id`` values, so that the
    meaning does not depend on a base."""
    from pyoxigraph import DefaultGraph

    compactor = _Compactor(ctx)
    graphs: dict[str, list[Any]] = {}
    default: list[Any] = []
    for quad in quads:
        if isinstance(quad.graph_name, DefaultGraph):
            default.append(quad)
        else:
            graphs.setdefault(_node_id(quad.graph_name), []).append(quad)
    items: list[dict[str, Any]] = _nodes(default, compactor)
    for name in sorted(graphs):
        items.append({"@id": name, "@graph": _nodes(graphs[name], compactor)})
    document = {"@context": ctx["@context"], "@graph": items}
    return (json.dumps(document, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


# -- the release -----------------------------------------------------------------------


@dataclass(frozen=True)
class Distribution:
    key: str  # short id of the distribution (trig, nquads, …)
    filename: str
    title: str
    media_type: str
    compress: str | None = None


@dataclass
class Release:
    folder: Path
    files: list[tuple[str, int, str]]  # name, bytes, sha256
    triples: int
    graphs: list[tuple[str, int]]


def distributions(version: str) -> list[Distribution]:
    stem, onto = f"wsis-kg-{version}", f"wsis-ontology-{version}"
    return [
        Distribution(
            "trig", f"{stem}.trig", "The graph as TriG (named graphs kept)", "application/trig"
        ),
        Distribution(
            "nquads",
            f"{stem}.nq.gz",
            "The graph as N-Quads, gzipped (named graphs kept)",
            "application/n-quads",
            "application/gzip",
        ),
        Distribution(
            "turtle",
            f"{stem}.ttl",
            "The graph as Turtle (the union of the named graphs)",
            "text/turtle",
        ),
        Distribution(
            "jsonld",
            f"{stem}.jsonld",
            "The graph as JSON-LD (named graphs kept)",
            "application/ld+json",
        ),
        Distribution(
            "context",
            f"{stem}.context.jsonld",
            "The JSON-LD @context: short names for the ontology's terms",
            "application/ld+json",
        ),
        Distribution("ontology-turtle", f"{onto}.ttl", "The ontology as Turtle", "text/turtle"),
        Distribution(
            "ontology-rdfxml", f"{onto}.rdf", "The ontology as RDF/XML", "application/rdf+xml"
        ),
        Distribution(
            "ontology-jsonld", f"{onto}.jsonld", "The ontology as JSON-LD", "application/ld+json"
        ),
    ]


def dataset_iri(version: str) -> str:
    return f"{iris.BASE}dataset/{version}"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _gzip(data: bytes) -> bytes:
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as stream:
        stream.write(data)
    return buffer.getvalue()


def describe(
    version: str,
    base_url: str,
    sources: list[tuple[str, str]],
    graphs: list[tuple[str, int]],
    triples: int,
    endpoint: str | None,
    files: Mapping[str, tuple[int, str]] | None = None,
) -> Any:
    """The VoID + DCAT description as an rdflib graph (no blank nodes). With
    ``files`` (name -> bytes, sha256) the distributions carry size and checksum."""
    from rdflib import Graph, Literal, Namespace, URIRef
    from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, XSD

    dcat = Namespace(PREFIXES["dcat"])
    void = Namespace(PREFIXES["void"])
    spdx = Namespace(PREFIXES["spdx"])
    cc = Namespace(PREFIXES["cc"])
    g = Graph()
    ds = URIRef(dataset_iri(version))
    build = URIRef(f"{ds}/build")
    software = URIRef(f"{iris.BASE}software/wsiskg/{version}")
    licence = URIRef(CC_BY)
    g.add((ds, RDF.type, dcat.Dataset))
    g.add((ds, RDF.type, void.Dataset))
    g.add((ds, DCTERMS.title, Literal("WSIS Roadmaps Knowledge Graph", lang="en")))
    g.add(
        (
            ds,
            DCTERMS.description,
            Literal(
                "ITU's WSIS Action Line Roadmaps C2, C5, C6 (2010, 2019 draft zero, 2019, 2024 "
                "draft) and the ITU-D Buenos Aires Action Plan 2018-2021 as linked data, with the "
                "SDG goals and targets, resolutions and ITU strategic plans they cite.",
                lang="en",
            ),
        )
    )
    g.add((ds, dcat.version, Literal(version)))
    g.add((ds, OWL.versionInfo, Literal(version)))
    g.add((ds, DCTERMS.isVersionOf, URIRef(f"{iris.BASE}dataset")))
    g.add((ds, DCTERMS.license, licence))
    g.add((ds, cc.license, licence))
    g.add((ds, cc.attributionName, Literal(ATTRIBUTION)))
    g.add(
        (
            ds,
            DCTERMS.rights,
            Literal(
                f"Derived from documents published by the {ATTRIBUTION}. Licensed under CC BY 4.0: "
                "credit the ITU as the publisher of the WSIS Action Line Roadmaps and the Buenos "
                "Aires Action Plan.",
                lang="en",
            ),
        )
    )
    for keyword in ("WSIS", "ITU", "SDG", "action lines", "roadmaps"):
        g.add((ds, dcat.keyword, Literal(keyword, lang="en")))
    for source, title in sources:
        g.add((ds, DCTERMS.source, URIRef(source)))
        g.add((ds, PROV.wasDerivedFrom, URIRef(source)))
        g.add((URIRef(source), DCTERMS.title, Literal(title, lang="en")))
        g.add((URIRef(source), DCTERMS.publisher, Literal(ATTRIBUTION)))
    g.add((ds, PROV.wasGeneratedBy, build))
    g.add((build, RDF.type, PROV.Activity))
    g.add((build, RDFS.label, Literal(f"wsiskg build and release {version}", lang="en")))
    g.add((build, PROV.wasAssociatedWith, software))
    for source, _ in sources:
        g.add((build, PROV.used, URIRef(source)))
    g.add((software, RDF.type, PROV.SoftwareAgent))
    g.add((software, RDFS.label, Literal(f"wsiskg {version}")))
    g.add((software, OWL.versionInfo, Literal(version)))
    g.add((ds, void.uriSpace, Literal(iris.ID)))
    g.add((ds, void.vocabulary, URIRef(str(iris.ONTOLOGY))))
    for vocabulary in ("skos", "dcterms", "prov", "time"):
        g.add((ds, void.vocabulary, URIRef(PREFIXES[vocabulary])))
    g.add((ds, void.triples, Literal(triples, datatype=XSD.integer)))
    if endpoint:
        g.add((ds, void.sparqlEndpoint, URIRef(endpoint)))
    for name, count in graphs:
        subset = URIRef(str(iris.named_graph(name)))
        g.add((ds, void.subset, subset))
        g.add((subset, RDF.type, void.Dataset))
        g.add((subset, void.triples, Literal(count, datatype=XSD.integer)))
        g.add((subset, RDFS.label, Literal(f"named graph {name}", lang="en")))
    for item in distributions(version):
        dist = URIRef(f"{ds}/distribution/{item.key}")
        url = URIRef(base_url + item.filename)
        g.add((ds, dcat.distribution, dist))
        g.add((dist, RDF.type, dcat.Distribution))
        g.add((dist, DCTERMS.title, Literal(item.title, lang="en")))
        g.add((dist, dcat.downloadURL, url))
        g.add((dist, dcat.mediaType, URIRef(MEDIA + item.media_type)))
        g.add((dist, DCTERMS.license, licence))
        if item.compress:
            g.add((dist, dcat.compressFormat, URIRef(MEDIA + item.compress)))
        if item.key in ("trig", "nquads", "turtle", "jsonld"):
            g.add((ds, void.dataDump, url))
        if files and item.filename in files:
            size, digest = files[item.filename]
            checksum = URIRef(f"{dist}/sha256")
            g.add((dist, dcat.byteSize, Literal(size, datatype=XSD.nonNegativeInteger)))
            g.add((dist, spdx.checksum, checksum))
            g.add((checksum, RDF.type, spdx.Checksum))
            g.add((checksum, spdx.algorithm, spdx.checksumAlgorithm_sha256))
            g.add((checksum, spdx.checksumValue, Literal(digest, datatype=XSD.hexBinary)))
    return g


def _sources(store: Any) -> list[tuple[str, str]]:
    rows = store.query(query_text("release-sources"))
    return [(row[0].value, row[1].value) for row in rows]


def make_release(
    layout: Layout, output: Path, *, base_url: str | None = None, endpoint: str | None = None
) -> Release:
    """Write the release files into ``output`` (created; existing release files
    replaced, each atomically; other files left alone)."""
    from pyoxigraph import DefaultGraph, NamedNode, RdfFormat, Store

    from wsiskg.graph.serialize import to_turtle

    version = __version__
    base = base_url if base_url is not None else f"{iris.BASE}release/{version}/"
    if not base.endswith("/"):
        base += "/"
    for url in (base, endpoint):
        if url is not None and not url.startswith(("http://", "https://")):
            raise UsageError(f"not an http(s) URL: {url!r}")
    if output.exists() and not output.is_dir():
        raise UsageError(f"not a folder: {output}")
    store = graph_store(layout)
    graphs = []
    for graph in sorted(store.named_graphs(), key=lambda g: g.value):
        name = graph.value[len(iris.GRAPH) :]
        graphs.append((name, sum(1 for _ in store.quads_for_pattern(None, None, None, graph))))
    union = Store()
    union.extend(quad_in_default(quad) for quad in store)
    triples = len(union)
    sources = _sources(store)
    if len(sources) == 0:
        raise DataError("the built graph describes no source documents", path=layout.kg)
    names = {d.key: d.filename for d in distributions(version)}

    # the description without sizes and checksums goes into the graph itself
    described = describe(version, base, sources, graphs, triples, endpoint)
    target = NamedNode(str(iris.named_graph(DATASET_GRAPH)))
    description_ttl = to_turtle(described, PREFIXES).encode("utf-8")
    store.load(description_ttl, format=RdfFormat.TURTLE, to_graph=target)
    union.load(description_ttl, format=RdfFormat.TURTLE, to_graph=DefaultGraph())

    ctx = context(layout)
    ontology = Store()
    ontology.extend(ontology_quads(layout.ontology / "wsis.ttl", DefaultGraph()))
    contents: dict[str, bytes] = {
        names["trig"]: dump(store, "trig"),
        names["nquads"]: _gzip(dump(store, "nquads")),
        names["turtle"]: dump(union, "turtle"),
        names["jsonld"]: to_jsonld(list(store), ctx),
        names["context"]: (json.dumps(ctx, indent=1, ensure_ascii=False) + "\n").encode(),
        names["ontology-turtle"]: dump(ontology, "turtle"),
        names["ontology-rdfxml"]: dump(ontology, "rdfxml"),
        names["ontology-jsonld"]: to_jsonld(list(ontology), ctx),
    }
    files = {name: (len(data), _sha256(data)) for name, data in contents.items()}
    full = describe(version, base, sources, graphs, triples, endpoint, files)
    void_name = f"wsis-kg-{version}.void.ttl"
    contents[void_name] = to_turtle(
        full,
        PREFIXES,
        [
            f"VoID + DCAT description of the WSIS Roadmaps Knowledge Graph {version}; "
            "generated by `wsiskg release`.",
            "Data: CC BY 4.0, attribution to the International Telecommunication Union (ITU).",
        ],
    ).encode("utf-8")
    sums = "".join(f"{_sha256(contents[name])}  {name}\n" for name in sorted(contents))
    contents["SHA256SUMS"] = sums.encode()
    write_files(output, contents)
    listed = [(name, len(data), _sha256(data)) for name, data in sorted(contents.items())]
    return Release(output, listed, triples, graphs)


def write_files(folder: Path, contents: Mapping[str, bytes]) -> None:
    """Every file or none: temporaries first, then renames."""
    import os
    import tempfile

    temporaries: list[tuple[Path, Path]] = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in sorted(contents.items()):
            handle, tmp_name = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
            temporaries.append((Path(tmp_name), folder / name))
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
    except OSError as exc:
        for tmp_path, _ in temporaries:
            tmp_path.unlink(missing_ok=True)
        raise WsiskgError(f"cannot write the release: {exc.strerror}", path=folder) from None
    for tmp, final in temporaries:
        os.chmod(tmp, 0o644)
        os.replace(tmp, final)


def quad_in_default(quad: Any) -> Any:
    from pyoxigraph import DefaultGraph, Quad

    return Quad(quad.subject, quad.predicate, quad.object, DefaultGraph())


# -- versions -------------------------------------------------------------------------


def data_version(layout: Layout) -> str:
    """The data's version: the ontology's owl:versionInfo and a digest of the built
    graph, with where they were read from."""
    import re

    from wsiskg.store.embedded import fingerprint, graph_files

    try:
        text = (layout.ontology / "wsis.ttl").read_text(encoding="utf-8")
        files = graph_files(layout)
        digest = fingerprint(files)[:12]
    except (OSError, WsiskgError):
        return f"no built graph ({layout.describe()})"
    found = re.search(r'owl:versionInfo\s+"([^"]+)"', text)
    ontology = found.group(1) if found else "unversioned"
    return f"ontology {ontology}, graph sha256:{digest} ({layout.describe()})"
