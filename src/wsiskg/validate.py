"""SHACL validation of the graph against shapes/*.ttl.

The data is loaded into an in-memory Oxigraph store and validated by the
engine in :mod:`wsiskg.shacl` (SHACL Core compiled to SPARQL, SHACL-SPARQL
with pre-binding, pySHACL for the shapes it does not compile). With
``inference`` other than none, the data is first expanded (RDFS or OWL RL
closure with owlrl, ontology included) and both kinds of constraint run on the
expansion.

As the SHACL report says, the data conforms only without any result; the
command fails (exit 1) only on ``sh:Violation``, warnings and infos are reported.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import BlankNode as OxBlankNode
from pyoxigraph import DefaultGraph, NamedNode, Quad, RdfFormat, Store
from pyoxigraph import Literal as OxLiteral
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node
from rdflib.util import guess_format

from . import iris, shacl
from .errors import DataError, UsageError
from .paths import Layout
from .shacl import ValidationResult

INFERENCE = ("none", "rdfs", "owlrl")
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@dataclass
class ValidationReport:
    results: list[ValidationResult]
    inference: str
    triples: int
    seconds: float
    files: list[Path]
    lines: dict[str, tuple[int, int, str]] = field(default_factory=dict)
    shapes: Graph | None = None

    @property
    def conforms(self) -> bool:
        """sh:conforms of the SHACL report: no result of any severity."""
        return not self.results

    @property
    def passes(self) -> bool:
        """No violation (warnings and infos do not fail validation; exit code 0)."""
        return not any(r.severity == "Violation" for r in self.results)

    def count(self, severity: str) -> int:
        return sum(1 for r in self.results if r.severity == severity)


# -- loading -------------------------------------------------------------------

def data_files(layout: Layout, paths: Iterable[Path] | None = None) -> list[Path]:
    files = list(paths or [])
    if not files:
        files = sorted(layout.kg.glob("*.ttl"))
        if not files:
            raise DataError("no built graph to validate; run `wsiskg build` first",
                            path=layout.kg)
    return files


def _format(path: Path) -> RdfFormat:
    suffix = path.suffix.lower()
    formats = {".ttl": RdfFormat.TURTLE, ".trig": RdfFormat.TRIG, ".nt": RdfFormat.N_TRIPLES,
               ".nq": RdfFormat.N_QUADS, ".rdf": RdfFormat.RDF_XML, ".owl": RdfFormat.RDF_XML}
    if suffix not in formats:
        raise DataError(f"unknown RDF file type {suffix!r} (use .ttl, .trig, .nt, .nq, .rdf)",
                        path=path)
    return formats[suffix]


def load_store(files: list[Path]) -> Store:
    """All files in one in-memory Oxigraph store (default graph), errors named by file
    and line."""
    store = Store()
    for path in files:
        if not path.is_file():
            raise DataError("file not found", path=path)
        try:
            store.load(path=str(path), format=_format(path))
        except SyntaxError as exc:
            line = _syntax_line(exc)
            raise DataError(f"cannot parse: {exc}", path=path, line=line) from None
        except OSError as exc:
            raise DataError(f"cannot read: {exc.strerror}", path=path) from None
    return store


def _syntax_line(exc: SyntaxError) -> int | None:
    if exc.lineno:
        return int(exc.lineno)
    m = re.search(r"line (\d+)", str(exc))
    return int(m.group(1)) if m else None


def _term(node: object) -> URIRef | Literal | BNode:
    if isinstance(node, NamedNode):
        return URIRef(node.value)
    if isinstance(node, OxLiteral):
        if node.language:
            return Literal(node.value, lang=node.language)
        if node.datatype.value == _XSD_STRING:
            return Literal(node.value)
        return Literal(node.value, datatype=URIRef(node.datatype.value))
    assert isinstance(node, OxBlankNode)
    return BNode(node.value)


def to_rdflib(store: Store, predicates: set[str] | None = None) -> Graph:
    """The union of the store's graphs as a plain rdflib graph (pySHACL's input),
    only the given predicates where a set is given."""
    graph = Graph()
    add = graph.add
    for quad in store:
        if predicates is None or quad.predicate.value in predicates:
            add((_term(quad.subject), _term(quad.predicate), _term(quad.object)))
    return graph


def load_shapes(layout: Layout) -> Graph:
    files = sorted(layout.shapes.glob("*.ttl"))
    if not files:
        raise DataError("no SHACL shapes (*.ttl) found", path=layout.shapes,
                        hint="the shapes folder is part of the repository; restore it")
    shapes = Graph()
    for path in files:
        try:
            shapes.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises several unrelated types
            raise DataError(f"not valid Turtle: {exc}", path=path) from None
    return shapes


# -- the API ---------------------------------------------------------------------

def validate(layout: Layout, paths: Iterable[Path] | None = None, *,
             inference: str = "none", shapes: Sequence[Path] | None = None
             ) -> ValidationReport:
    """Validate the built graph (or the given files) against shapes/*.ttl.

    Given files are validated together with the ontology and the reference
    data (the nodes an edition links to), unless they include them already.
    With ``shapes``, the files are validated alone against those shapes."""
    if inference not in INFERENCE:
        raise UsageError(f"unknown inference {inference!r} (choose {', '.join(INFERENCE)})")
    started = time.perf_counter()
    if shapes:
        files = list(paths or [])
        if not files:
            raise UsageError("--shapes needs the data files to validate")
        shapes_graph = read_shapes(list(shapes))
        store = load_files(files)
        sources = [shacl.Source(f, _format(f), f.resolve().as_uri()) for f in files]
    else:
        files = data_files(layout, paths)
        shapes_graph = load_shapes(layout)
        given = {f.resolve() for f in files if f.exists()}
        ontology = layout.ontology / "wsis.ttl"
        loaded = files + ([ontology] if ontology.resolve() not in given else [])
        store = load_store(loaded)
        reference = layout.kg / "reference.ttl"
        in_trig = next(iter(store.quads_for_pattern(
            None, None, None, NamedNode(iris.GRAPH + "reference"))), None)
        if reference.is_file() and reference.resolve() not in given and in_trig is None:
            store.load(path=str(reference), format=RdfFormat.TURTLE)
            loaded.append(reference)
        sources = [shacl.Source(f, _format(f)) for f in loaded]
    exact_data = shacl.ExactData(sources, shacl.rewritten_predicates(sources))
    if inference != "none":
        from .reason import owlrl_closure

        data = to_rdflib(store)
        expanded = owlrl_closure(data, inference)
        # keep the data's own literals: owlrl merges literals of equal Python value
        # (1 and true); entailments between nodes are what the shapes need
        inferred = Graph()
        for triple in expanded:
            if not isinstance(triple[2], Literal) and triple not in data:
                inferred.add(triple)
        store.extend(_quads(inferred))
        exact_data.extra = inferred
    results = validate_store(store, shapes_graph, exact_data)
    report = ValidationReport(results, inference, len(store),
                              time.perf_counter() - started, files, shapes=shapes_graph)
    report.lines = source_lines(store, {r.focus_node for r in report.results})
    return report


def read_shapes(files: list[Path]) -> Graph:
    """Shapes from any RDF files (relative IRIs resolved against each file)."""
    shapes = Graph()
    for path in files:
        if not path.is_file():
            raise DataError("shapes file not found", path=path)
        try:
            if path.suffix.lower() in (".trig", ".nq"):
                from rdflib import Dataset

                dataset = Dataset()
                dataset.parse(path, format="trig" if path.suffix.lower() == ".trig"
                              else "nquads")
                for s, p, o, _ in dataset.quads():
                    shapes.add((s, p, o))
            else:
                _format(path)
                shapes.parse(path, format=guess_format(str(path)) or "turtle")
        except DataError:
            raise
        except Exception as exc:  # rdflib raises several unrelated types
            raise DataError(f"cannot parse shapes: {exc}", path=path) from None
    return shapes


def load_files(files: list[Path]) -> Store:
    """Like :func:`load_store`, with relative IRIs resolved against each file's URI (as
    rdflib does), for data that is not the project's own."""
    store = Store()
    for path in files:
        if not path.is_file():
            raise DataError("file not found", path=path)
        try:
            store.load(path=str(path), format=_format(path), base_iri=path.resolve().as_uri())
        except SyntaxError as exc:
            raise DataError(f"cannot parse: {exc}", path=path, line=_syntax_line(exc)) from None
        except OSError as exc:
            raise DataError(f"cannot read: {exc.strerror}", path=path) from None
    return store


def validate_store(store: Store, shapes: Graph, exact_data: shacl.ExactData | None = None
                   ) -> list[ValidationResult]:
    """Validate the store's data (the union of its graphs) against the shapes; with
    ``exact_data``, literals the store rewrote are judged as written."""
    return shacl.validate(store, shapes, exact_data)


def shape_subset(shapes: Graph, shape: URIRef) -> Graph:
    """One node shape with everything it refers to (property shapes, lists,
    SPARQL constraints) and the prefix declarations: to validate one shape."""
    subset = Graph()
    todo: list[Node] = [shape, iris.SHAPES_GRAPH]
    seen: set[Node] = set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for p, o in shapes.predicate_objects(node):
            subset.add((node, p, o))
            if isinstance(o, BNode):
                todo.append(o)
    return subset


def _quads(graph: Graph) -> Iterable[Quad]:
    def ox(term: object) -> NamedNode | OxLiteral | OxBlankNode:
        if isinstance(term, URIRef):
            return NamedNode(str(term))
        if isinstance(term, Literal):
            if term.language:
                return OxLiteral(str(term), language=term.language)
            if term.datatype:
                return OxLiteral(str(term), datatype=NamedNode(str(term.datatype)))
            return OxLiteral(str(term))
        return OxBlankNode(str(term))

    for s, p, o in graph:
        if isinstance(s, Literal) or not isinstance(p, URIRef):
            continue        # generalized triples of the RDFS closure (literal subjects)
        yield Quad(ox(s), ox(p), ox(o), DefaultGraph())  # type: ignore[arg-type]


def source_lines(store: Store, focus_nodes: set[str]) -> dict[str, tuple[int, int, str]]:
    """The source line span of each focus node, or of the entry or output it belongs to."""
    spans: dict[str, tuple[int, int, str]] = {}
    query = """
        PREFIX wsis: <https://w3id.org/wsis-kg/ontology#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?node ?start ?end ?source WHERE {
            ?node wsis:sourceLineStart ?start .
            OPTIONAL { ?node wsis:sourceLineEnd ?end }
            OPTIONAL { ?node prov:wasDerivedFrom ?source }
        }"""
    known = {}
    for row in store.query(query, use_default_graph_as_union=True):  # type: ignore[union-attr]
        end = row["end"]
        source = row["source"]
        known[row["node"].value] = (int(row["start"].value),
                                    int(end.value) if end else int(row["start"].value),
                                    source.value.rsplit("/", 1)[-1] if source else "")
    for node in focus_nodes:
        owner = node
        while owner and owner not in known and "/" in owner:
            owner = owner.rsplit("/", 1)[0]
        if owner in known:
            spans[node] = known[owner]
    return spans
