"""What runs inside a query worker process: the store opened read-only, one job
at a time, the answer serialised by pyoxigraph in the format the client accepts.

This module imports nothing from the web stack, so a worker starts quickly; the
parent kills a worker whose job runs past the timeout and starts another.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

# media type -> format name, in the order the server prefers them
RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/json": "json",
    "application/xml": "xml",
}
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "ntriples",
    "application/ld+json": "jsonld",
    "application/rdf+xml": "rdfxml",
    "text/plain": "ntriples",
}
CHARSET_TYPES = {"text/csv", "text/tab-separated-values", "text/turtle", "text/plain"}


@dataclass(frozen=True)
class Job:
    """One query: its text, bound parameters, dataset and wanted formats."""

    text: str
    accept: str
    max_rows: int
    substitutions: dict[str, tuple[str, str]] = field(default_factory=dict)
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Reply:
    status: int
    media_type: str
    body: bytes
    truncated: bool = False


def accepted(accept: str, offered: list[str]) -> str | None:
    """The offered media type the Accept header likes best (server order breaks
    ties); None when it accepts none of them."""
    ranges: list[tuple[str, float]] = []
    for item in (accept or "*/*").split(","):
        parts = [p.strip() for p in item.split(";")]
        if not parts[0]:
            continue
        quality = 1.0
        for part in parts[1:]:
            name, _, value = part.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = max(0.0, min(1.0, float(value)))
                except ValueError:
                    quality = 0.0
        ranges.append((parts[0].lower(), quality))
    best: tuple[float, str] | None = None
    for media in offered:
        kind = media.split("/")[0]
        matches = [(3, q) for r, q in ranges if r == media]
        matches += [(2, q) for r, q in ranges if r == f"{kind}/*"]
        matches += [(1, q) for r, q in ranges if r == "*/*"]
        if not matches:
            continue
        quality = max(matches)[1]  # the most specific range decides
        if quality > 0 and (best is None or quality > best[0]):
            best = (quality, media)
    return None if best is None else best[1]


def _term_json(term: Any) -> dict[str, str]:
    from pyoxigraph import BlankNode, Literal, NamedNode

    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, Literal):
        data = {"type": "literal", "value": term.value}
        if term.language:
            data["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            data["datatype"] = term.datatype.value
        return data
    return {"type": "literal", "value": str(term)}


def _term(kind: str, value: str) -> Any:
    from pyoxigraph import Literal, NamedNode

    if kind == "iri":
        return NamedNode(value)
    if kind == "integer":
        return Literal(value, datatype=NamedNode(XSD + "integer"))
    return Literal(value)


def _refusal(status: int, message: str) -> Reply:
    return Reply(status, "text/plain; charset=utf-8", message.encode())


def _not_acceptable(offered: dict[str, str]) -> Reply:
    kinds = ", ".join(dict.fromkeys(m for m in offered if m not in ("text/plain",)))
    return _refusal(
        406, f"cannot answer in the accepted format; this result can be given as {kinds}"
    )


def execute(store: Any, job: Job) -> Reply:
    """Run one job on the store and serialise its answer."""
    from pyoxigraph import (
        NamedNode,
        QueryBoolean,
        QueryResultsFormat,
        QuerySolutions,
        Variable,
        parse_query_results,
    )

    options: dict[str, Any] = {}
    if job.substitutions:
        options["substitutions"] = {
            Variable(name): _term(kind, value) for name, (kind, value) in job.substitutions.items()
        }
    if job.default_graphs is not None or job.named_graphs is not None:
        options["default_graph"] = [NamedNode(iri) for iri in job.default_graphs or ()]
        options["named_graphs"] = [NamedNode(iri) for iri in job.named_graphs or ()]
    try:
        result = store.query(job.text, **options)
    except SyntaxError as exc:
        return _refusal(400, f"the query is not valid SPARQL 1.1: {_first_line(exc)}")
    except (ValueError, OSError) as exc:
        return _refusal(400, f"the query cannot be evaluated: {_first_line(exc)}")
    result_formats = {
        "json": QueryResultsFormat.JSON,
        "xml": QueryResultsFormat.XML,
        "csv": QueryResultsFormat.CSV,
        "tsv": QueryResultsFormat.TSV,
    }
    try:
        if isinstance(result, QueryBoolean):
            media = accepted(job.accept, list(RESULT_TYPES))
            if media is None:
                return _not_acceptable(RESULT_TYPES)
            body = result.serialize(format=result_formats[RESULT_TYPES[media]]) or b""
            return Reply(200, _with_charset(media), body)
        if isinstance(result, QuerySolutions):
            media = accepted(job.accept, list(RESULT_TYPES))
            if media is None:
                return _not_acceptable(RESULT_TYPES)
            variables = [v.value for v in result.variables]
            bindings: list[dict[str, dict[str, str]]] = []
            truncated = False
            columns = list(enumerate(variables))
            converted: dict[Any, dict[str, str]] = {}  # rows repeat terms
            for solution in result:
                if len(bindings) == job.max_rows:
                    truncated = True
                    break
                row = {}
                for index, name in columns:
                    term = solution[index]
                    if term is not None:
                        value = converted.get(term)
                        if value is None:
                            value = converted[term] = _term_json(term)
                        row[name] = value
                bindings.append(row)
            body = json.dumps(
                {"head": {"vars": variables}, "results": {"bindings": bindings}},
                ensure_ascii=False,
                separators=(",", ":"),
            ).encode()
            fmt = RESULT_TYPES[media]
            if fmt != "json":
                body = (
                    parse_query_results(body, format=QueryResultsFormat.JSON).serialize(
                        format=result_formats[fmt]
                    )
                    or b""
                )
            return Reply(200, _with_charset(media), body, truncated)
        media = accepted(job.accept, list(GRAPH_TYPES))
        if media is None:
            return _not_acceptable(GRAPH_TYPES)
        triples: list[Any] = []
        truncated = False
        for triple in result:
            if len(triples) == job.max_rows:
                truncated = True
                break
            triples.append(triple)
        return Reply(200, _with_charset(media), serialize_graph(triples, media), truncated)
    except (SyntaxError, ValueError, OSError) as exc:
        return _refusal(400, f"the query failed: {_first_line(exc)}")


def describe(store: Any, iri: str, limit: int) -> dict[str, Any]:
    """The resource's outgoing and incoming links (bounded), with the labels of
    the resources they name, for its HTML page and its RDF descriptions."""
    from pyoxigraph import NamedNode

    node = NamedNode(iri)
    outgoing = []
    for index, quad in enumerate(store.quads_for_pattern(node, None, None, _default(store))):
        if index == limit:
            break
        outgoing.append((quad.predicate.value, _term_json(quad.object)))
    incoming = []
    for index, quad in enumerate(store.quads_for_pattern(None, None, node, _default(store))):
        if index == limit:
            break
        incoming.append((quad.subject.value, quad.predicate.value))
    named = {p for p, _ in outgoing} | {o["value"] for _, o in outgoing if o["type"] == "uri"}
    named |= {s for s, _ in incoming} | {p for _, p in incoming} | {iri}
    return {
        "outgoing": sorted(outgoing, key=lambda pair: (pair[0], pair[1]["value"])),
        "incoming": sorted(incoming),
        "labels": _labels(store, named),
    }


def _default(store: Any) -> Any:
    from pyoxigraph import DefaultGraph

    return DefaultGraph()


LABELS = (
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://purl.org/dc/terms/title",
)


def _labels(store: Any, iris: set[str]) -> dict[str, str]:
    from pyoxigraph import NamedNode

    found: dict[str, str] = {}
    for iri in iris:
        for predicate in LABELS:
            quads = list(
                store.quads_for_pattern(NamedNode(iri), NamedNode(predicate), None, _default(store))
            )
            if quads:
                english = [q.object for q in quads if getattr(q.object, "language", None) == "en"]
                found[iri] = min(q.value for q in (english or [q.object for q in quads]))
                break
    return found


def description_triples(store: Any, iri: str, limit: int) -> list[Any]:
    """The concise bounded description: the triples about the resource (the
    graph has no blank nodes); for a resource only linked to, the links to it."""
    from pyoxigraph import NamedNode, Triple

    node = NamedNode(iri)
    triples = [
        Triple(q.subject, q.predicate, q.object)
        for _, q in zip(
            range(limit), store.quads_for_pattern(node, None, None, _default(store)), strict=False
        )
    ]
    if not triples:
        triples = [
            Triple(q.subject, q.predicate, q.object)
            for _, q in zip(
                range(limit),
                store.quads_for_pattern(None, None, node, _default(store)),
                strict=False,
            )
        ]
    return triples


def serialize_graph(triples: list[Any], media: str) -> bytes:
    from pyoxigraph import RdfFormat, serialize

    formats = {
        "turtle": RdfFormat.TURTLE,
        "ntriples": RdfFormat.N_TRIPLES,
        "jsonld": RdfFormat.JSON_LD,
        "rdfxml": RdfFormat.RDF_XML,
    }
    fmt = GRAPH_TYPES[media]
    prefixes = PREFIXES if fmt in ("turtle", "rdfxml", "jsonld") else None
    return serialize(sorted(triples, key=str), format=formats[fmt], prefixes=prefixes) or b""


PREFIXES = {
    "wsis": "https://w3id.org/wsis-kg/ontology#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": XSD,
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "time": "http://www.w3.org/2006/time#",
}


def _with_charset(media: str) -> str:
    return f"{media}; charset=utf-8" if media in CHARSET_TYPES else media


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:300]


def main(connection: Connection, store_path: str) -> None:
    """The worker loop: jobs in, replies out, until the parent closes the pipe."""
    from pyoxigraph import Store

    store = Store.read_only(store_path)
    while True:
        try:
            request = connection.recv()
        except (EOFError, OSError):
            return
        kind, payload = request
        reply: Any
        try:
            if kind == "query":
                reply = execute(store, payload)
            elif kind == "describe":
                iri, limit = payload
                reply = describe(store, iri, limit)
            elif kind == "triples":
                iri, limit, media = payload
                triples = description_triples(store, iri, limit)
                reply = (len(triples), serialize_graph(triples, media))
            else:
                reply = _refusal(500, f"unknown job {kind!r}")
        except Exception as exc:  # noqa: BLE001 - reported to the client, the worker lives on
            reply = _refusal(500, f"the query failed: {_first_line(exc)}")
        connection.send(reply)
