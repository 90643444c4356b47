"""SHACL validation of the graph against shapes/*.ttl.

The data is loaded into an in-memory Oxigraph store and validated by the
engine in :mod:`wsiskg.check.shacl` (SHACL Core compiled to SPARQL, SHACL-SPARQL
with pre-binding, pySHACL for the shapes it does not compile). With
``inference`` other than none, the data is first expanded (RDFS or OWL RL
closure with owlrl, ontology included) and both kinds of constraint run on the
expansion.

As the SHACL report says, the data conforms only without any result; the
command fails (exit 1) only on ``sh:Violation``, warnings and infos are reported.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import NamedNode, RdfFormat, Store
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node
from rdflib.util import guess_format

from wsiskg import iris
from wsiskg.check import shacl
from wsiskg.check.shacl import ValidationResult
from wsiskg.errors import DataError, UsageError
from wsiskg.paths import Layout
from wsiskg.rdf import data_files, load_into, load_store, rdf_format, source_lines, to_rdflib
from wsiskg.rdf import quads as _quads

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


def load_shapes(layout: Layout) -> Graph:
    files = sorted(layout.shapes.glob("*.ttl"))
    if not files:
        raise DataError(
            "no SHACL shapes (*.ttl) found",
            path=layout.shapes,
            hint="the shapes folder is part of the repository; restore it",
        )
    shapes = Graph()
    for path in files:
        try:
            shapes.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises several unrelated types
            raise DataError(f"not valid Turtle: {exc}", path=path) from None
    return shapes


# -- the API ---------------------------------------------------------------------


def validate(
    layout: Layout,
    paths: Iterable[Path] | None = None,
    *,
    inference: str = "none",
    shapes: Sequence[Path] | None = None,
    progress: Callable[[str], None] | None = None,
) -> ValidationReport:
    """Validate the built graph (or the given files) against shapes/*.ttl.

    Given files are validated together with the ontology and the reference
    data (the nodes an edition links to), unless they include them already.
    With ``shapes``, the files are validated alone against those shapes.
    ``progress`` hears the name of each stage as it starts."""
    if inference not in INFERENCE:
        raise UsageError(f"unknown inference {inference!r} (choose {', '.join(INFERENCE)})")
    started = time.perf_counter()
    step = progress or (lambda _stage: None)
    step("loading the data and the shapes")
    if shapes:
        files = list(paths or [])
        if not files:
            raise UsageError("--shapes needs the data files to validate")
        shapes_graph = read_shapes(list(shapes))
        store = load_files(files)
        sources = [shacl.Source(f, rdf_format(f), f.resolve().as_uri()) for f in files]
    else:
        files = data_files(layout, paths)
        shapes_graph = load_shapes(layout)
        given = {f.resolve() for f in files if f.exists()}
        ontology = layout.ontology / "wsis.ttl"
        loaded = files + ([ontology] if ontology.resolve() not in given else [])
        store = load_store(loaded)
        reference = layout.kg / "reference.ttl"
        in_trig = next(
            iter(store.quads_for_pattern(None, None, None, NamedNode(iris.GRAPH + "reference"))),
            None,
        )
        if reference.is_file() and reference.resolve() not in given and in_trig is None:
            store.load(path=str(reference), format=RdfFormat.TURTLE)
            loaded.append(reference)
        sources = [shacl.Source(f, rdf_format(f)) for f in loaded]
    exact_data = shacl.ExactData(sources, shacl.rewritten_predicates(sources))
    if inference != "none":
        from wsiskg.check.reason import owlrl_closure

        step(f"{inference} closure (the slow part)")
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
    step(f"SHACL validation of {len(store)} triples")
    results = validate_store(store, shapes_graph, exact_data)
    report = ValidationReport(
        results, inference, len(store), time.perf_counter() - started, files, shapes=shapes_graph
    )
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
                dataset.parse(path, format="trig" if path.suffix.lower() == ".trig" else "nquads")
                for s, p, o, _ in dataset.quads():
                    shapes.add((s, p, o))
            else:
                rdf_format(path)
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
        load_into(store, path, resolve_relative=True)
    return store


def validate_store(
    store: Store, shapes: Graph, exact_data: shacl.ExactData | None = None
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
