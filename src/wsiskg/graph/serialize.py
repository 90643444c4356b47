"""Deterministic Turtle and TriG: the same triples give the same bytes.

Subjects, predicates and objects are written in sorted order (``rdf:type``
first), IRIs with a known prefix as prefixed names where the local part is a
plain name, and every other IRI in full. The graphs written here have no
blank nodes, which is what makes the output stable; a blank node is refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

_PLAIN_LOCAL = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_BARE_TYPES = {XSD.integer: re.compile(r"^[+-]?\d+$"), XSD.boolean: re.compile(r"^(true|false)$")}


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )


class TermWriter:
    """Renders terms with a fixed prefix map."""

    def __init__(self, prefixes: Mapping[str, str]) -> None:
        self.prefixes = dict(prefixes)
        self._by_length = sorted(self.prefixes.items(), key=lambda kv: -len(kv[1]))

    def iri(self, iri: URIRef) -> str:
        text = str(iri)
        for prefix, namespace in self._by_length:
            if text.startswith(namespace):
                local = text[len(namespace) :]
                if _PLAIN_LOCAL.match(local):
                    return f"{prefix}:{local}"
        return f"<{text}>"

    def term(self, term: object) -> str:
        if isinstance(term, BNode):
            raise ValueError("blank nodes are not written by the deterministic serializer")
        if isinstance(term, URIRef):
            return self.iri(term)
        if isinstance(term, Literal):
            lexical = str(term)
            if term.datatype in _BARE_TYPES and _BARE_TYPES[term.datatype].match(lexical):
                return lexical
            quoted = f'"{_escape(lexical)}"'
            if term.language:
                return f"{quoted}@{term.language}"
            if term.datatype is not None and term.datatype != XSD.string:
                return f"{quoted}^^{self.iri(term.datatype)}"
            return quoted
        raise TypeError(f"not an RDF term: {term!r}")


def _sort_key(term: object) -> tuple[int, str, str, str]:
    if isinstance(term, URIRef):
        return (0, str(term), "", "")
    if isinstance(term, Literal):
        return (1, str(term), str(term.datatype or ""), term.language or "")
    return (2, str(term), "", "")


def _body(graph: Graph, writer: TermWriter, indent: str) -> list[str]:
    out: list[str] = []
    by_subject: dict[object, dict[object, list[object]]] = {}
    for s, p, o in graph:
        by_subject.setdefault(s, {}).setdefault(p, []).append(o)
    for subject in sorted(by_subject, key=_sort_key):
        predicates = by_subject[subject]
        order = sorted(predicates, key=lambda p: (p != RDF.type, _sort_key(p)))
        lines = []
        for predicate in order:
            objects = sorted(predicates[predicate], key=_sort_key)
            verb = "a" if predicate == RDF.type else writer.iri(predicate)  # type: ignore[arg-type]  # a predicate is an IRI
            rendered = ", ".join(writer.term(o) for o in objects)
            lines.append(f"{indent}    {verb} {rendered}")
        out.append(f"{indent}{writer.term(subject)}\n" + " ;\n".join(lines) + " .\n")
    return out


def _header(comment: Iterable[str], prefixes: Mapping[str, str]) -> str:
    head = "".join(f"# {line}\n" if line else "#\n" for line in comment)
    head += "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(prefixes.items()))
    return head + "\n"


def graph_body(graph: Graph, prefixes: Mapping[str, str]) -> str:
    """The statements of a graph, without header: to reuse in Turtle and TriG."""
    return "\n".join(_body(graph, TermWriter(prefixes), ""))


def to_turtle(
    graph: Graph, prefixes: Mapping[str, str], comment: Iterable[str] = (), body: str | None = None
) -> str:
    if body is None:
        body = graph_body(graph, prefixes)
    return _header(comment, prefixes) + body


def to_trig(
    graphs: Mapping[URIRef, Graph],
    prefixes: Mapping[str, str],
    comment: Iterable[str] = (),
    bodies: Mapping[URIRef, str] | None = None,
) -> str:
    writer = TermWriter(prefixes)
    parts = [_header(comment, prefixes)]
    for name in sorted(graphs, key=str):
        body = bodies[name] if bodies and name in bodies else graph_body(graphs[name], prefixes)
        indented = "".join(
            "    " + line if line.strip() else line for line in body.splitlines(keepends=True)
        )
        parts.append(f"{writer.iri(name)} {{\n{indented}}}\n\n")
    return "".join(parts).rstrip("\n") + "\n"
