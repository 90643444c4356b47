"""SHACL property paths: what a path expression reads."""

from __future__ import annotations

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node


def path_predicates(shapes: Graph, path: Node) -> set[URIRef]:
    """Every predicate IRI a path expression reads."""
    if isinstance(path, URIRef):
        return {path}
    found: set[URIRef] = set()
    todo, seen = [path], set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for p, o in shapes.predicate_objects(node):
            if isinstance(o, URIRef) and p in (
                RDF.first,
                SH.inversePath,
                SH.zeroOrMorePath,
                SH.oneOrMorePath,
                SH.zeroOrOnePath,
            ):
                found.add(o)
            if isinstance(o, BNode):
                todo.append(o)
    return found
