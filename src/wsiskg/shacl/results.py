"""Validation results as the engine produces them: SHACL report fields as RDF terms."""

from __future__ import annotations

from dataclasses import dataclass, field

from pyoxigraph import BlankNode as OxBlankNode
from pyoxigraph import Literal as OxLiteral
from pyoxigraph import NamedNode
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@dataclass(frozen=True)
class Terms:
    """A result's fields as RDF terms (for the SHACL report graph). ``path`` and
    ``shape`` are nodes of the shapes graph; focus node and value come from the data."""

    focus: Node
    path: Node | None
    value: Node | None
    shape: Node
    severity: URIRef
    graph: Graph | None = field(default=None, compare=False)   # where path's nodes are


@dataclass(frozen=True, order=True)
class ValidationResult:
    """One SHACL validation result, with the fields tests compare on.

    ``source_shape`` names the node shape a property shape belongs to (what a
    reader looks for); ``shape`` is the result's own sh:sourceShape and
    ``detail`` the constraint's parameter, so that two constraints of one shape
    failing on one node stay two results."""

    severity: str
    source_shape: str
    focus_node: str
    path: str
    value: str
    component: str
    shape: str = ""
    detail: str = ""
    message: str = field(default="", compare=False)
    terms: Terms | None = field(default=None, compare=False, hash=False)


def to_rdflib(node: object) -> URIRef | Literal | BNode:
    """An Oxigraph term as an rdflib term."""
    if isinstance(node, NamedNode):
        return URIRef(node.value)
    if isinstance(node, OxLiteral):
        if node.language:
            return Literal(node.value, lang=node.language)
        if node.datatype.value == _XSD_STRING:
            return Literal(node.value)
        return Literal(node.value, datatype=URIRef(node.datatype.value))
    if isinstance(node, OxBlankNode):
        return BNode(node.value)
    raise TypeError(f"not an RDF term: {node!r}")


def plain(node: object) -> str:
    """A term's lexical value (IRI, literal text or blank node label); '' for none."""
    if node is None:
        return ""
    if isinstance(node, NamedNode | OxLiteral | OxBlankNode):
        return str(node.value)
    return str(node)
