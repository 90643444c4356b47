"""The data's literals exactly as written, where Oxigraph's store would change them.

Oxigraph stores typed literals in canonical form: "4.0"^^xsd:decimal is read back
as "4", "+5"^^xsd:int and "300"^^xsd:byte as xsd:integer, "1"^^xsd:boolean as
"true". SHACL judges the literal as written (sh:datatype xsd:byte, sh:value in
the report), so the shapes that can read such a literal are validated by the
general engine on the data as parsed, not on the store.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import DefaultGraph, NamedNode, Quad, RdfFormat, Store, parse
from pyoxigraph import Literal as OxLiteral
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from wsiskg.check.shacl.paths import path_predicates
from wsiskg.check.shacl.results import to_rdflib

_PLAIN = {
    "http://www.w3.org/2001/XMLSchema#string",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString",
}
# constraints whose parameter names a predicate of the data
_PREDICATE_PARAMETERS = (
    SH.equals,
    SH.disjoint,
    SH.lessThan,
    SH.lessThanOrEquals,
    SH.targetObjectsOf,
)
# predicates under which a shape reads data the general engine cannot bound
_READS_ANY = (SH.closed, SH.sparql, SH.target)


@dataclass
class Source:
    """One data file as it was loaded into the store."""

    path: Path
    format: RdfFormat
    base_iri: str | None = None


@dataclass
class ExactData:
    """The predicates whose literals the store rewrote, and the data as parsed."""

    sources: list[Source]
    rewritten: set[str]
    extra: Graph = field(default_factory=Graph)

    def graph(self) -> Graph:
        """All data as parsed (literals as written), as one rdflib graph."""
        graph = Graph()
        add = graph.add
        for quad in _quads(self.sources):
            add(
                (to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object))
            )  # a literal subject cannot come from the parser
        for triple in self.extra:
            add(triple)
        return graph


def _quads(sources: Iterable[Source]) -> Iterator[Quad]:
    for source in sources:
        yield from parse(path=str(source.path), format=source.format, base_iri=source.base_iri)


def rewritten_predicates(sources: list[Source]) -> set[str]:
    """The predicates that have a literal the store would not give back as written."""
    by_literal: dict[OxLiteral, set[str]] = {}
    for quad in _quads(sources):
        value = quad.object
        if isinstance(value, OxLiteral) and value.datatype.value not in _PLAIN:
            by_literal.setdefault(value, set()).add(quad.predicate.value)
    if not by_literal:
        return set()
    literals = list(by_literal)
    scratch = Store()
    predicate = NamedNode("urn:wsiskg:literal")
    scratch.extend(
        Quad(NamedNode(f"urn:wsiskg:{i}"), predicate, literal, DefaultGraph())
        for i, literal in enumerate(literals)
    )
    found: set[str] = set()
    for quad in scratch:
        original = literals[int(quad.subject.value.rsplit(":", 1)[1])]
        stored = quad.object
        assert isinstance(stored, OxLiteral)
        if stored.value != original.value or stored.datatype != original.datatype:
            found.update(by_literal[original])
    return found


def reads(shapes: Graph, shape: Node) -> set[URIRef] | None:
    """The data predicates a shape (with the shapes it refers to) can read; None when
    it can read any."""

    found: set[URIRef] = set()
    todo, seen = [shape], set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for p, o in shapes.predicate_objects(node):
            if p in _READS_ANY:
                return None
            if p == SH.path:
                found.update(path_predicates(shapes, o))
            elif p in _PREDICATE_PARAMETERS and isinstance(o, URIRef):
                found.add(o)
            if isinstance(o, BNode) or (
                isinstance(o, URIRef)
                and p
                in (SH.node, SH.property, SH.qualifiedValueShape, SH["not"], RDF.first, RDF.rest)
            ):
                todo.append(o)
    return found


def stored_as_written(literal: Literal) -> bool:
    """Whether the store gives the (shapes graph's) literal back as written."""
    if literal.language or literal.datatype is None or str(literal.datatype) in _PLAIN:
        return True
    original = OxLiteral(str(literal), datatype=NamedNode(str(literal.datatype)))
    scratch = Store()
    scratch.add(
        Quad(NamedNode("urn:wsiskg:0"), NamedNode("urn:wsiskg:literal"), original, DefaultGraph())
    )
    stored = next(iter(scratch)).object
    return (
        isinstance(stored, OxLiteral)
        and stored.value == original.value
        and stored.datatype == original.datatype
    )
