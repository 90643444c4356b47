"""SHACL validation of the graph against shapes/*.ttl.

Core constraints go to pySHACL on a plain in-memory rdflib graph. The
SHACL-SPARQL constraints are evaluated on the embedded Oxigraph store, once
per constraint over the whole graph: the constraint's SELECT runs with
``$this`` free and restricted to the shape's targets, which gives the same
results as pySHACL's evaluation once per focus node, in a fraction of the
time (tests check both paths agree). With ``inference`` other than none, the
data is first expanded (RDFS or OWL RL closure with owlrl, ontology
included) and both kinds of constraint run on the expansion.

Only ``sh:Violation`` makes the data non-conforming; warnings and infos are
reported.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import BlankNode as OxBlankNode
from pyoxigraph import Literal as OxLiteral
from pyoxigraph import NamedNode, Store
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH

from . import iris
from .errors import DataError, UsageError
from .paths import Layout
from .rdf import data_files, load_store, source_lines, to_rdflib
from .rdf import quads as _quads

INFERENCE = ("none", "rdfs", "owlrl")
SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


@dataclass(frozen=True, order=True)
class ValidationResult:
    """One SHACL validation result, with the fields tests compare on."""

    severity: str
    source_shape: str
    focus_node: str
    path: str
    value: str
    component: str
    message: str = field(compare=False)


@dataclass
class ValidationReport:
    results: list[ValidationResult]
    inference: str
    triples: int
    seconds: float
    files: list[Path]
    lines: dict[str, tuple[int, int, str]] = field(default_factory=dict)

    @property
    def conforms(self) -> bool:
        return not any(r.severity == "Violation" for r in self.results)

    def count(self, severity: str) -> int:
        return sum(1 for r in self.results if r.severity == severity)


# -- loading -------------------------------------------------------------------

def needed_predicates(shapes: Graph) -> set[str]:
    """The predicates core shapes read: their paths, types and subclass links."""
    needed = {str(RDF.type), str(RDFS.subClassOf)}
    for path in shapes.objects(None, SH.path):
        if isinstance(path, URIRef):
            needed.add(str(path))
    for prop in shapes.objects(None, SH.targetSubjectsOf):
        needed.add(str(prop))
    for prop in shapes.objects(None, SH.targetObjectsOf):
        needed.add(str(prop))
    return needed


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


# -- the SPARQL constraints on Oxigraph ------------------------------------------

@dataclass(frozen=True)
class SparqlConstraint:
    shape: URIRef
    constraint: BNode | URIRef
    select: str
    message: str
    severity: str
    target: str


def sparql_constraints(shapes: Graph) -> list[SparqlConstraint]:
    found = []
    for shape, constraint in shapes.subject_objects(SH.sparql):
        select = str(shapes.value(constraint, SH.select))
        prefixes = _prefixes(shapes, constraint)
        message = str(shapes.value(constraint, SH.message) or shapes.value(shape, SH.message)
                      or "SPARQL constraint not met")
        severity_node = shapes.value(shape, SH.severity) or SH.Violation
        found.append(SparqlConstraint(URIRef(str(shape)), constraint,  # type: ignore[arg-type]
                                      prefixes + select, message,
                                      SEVERITIES[severity_node],  # type: ignore[index]
                                      _target_pattern(shapes, shape)))  # type: ignore[arg-type]
    return sorted(found, key=lambda c: (str(c.shape), c.select))


def _prefixes(shapes: Graph, constraint: object) -> str:
    lines = []
    for holder in shapes.objects(constraint, SH.prefixes):  # type: ignore[arg-type]
        for declaration in shapes.objects(holder, SH.declare):
            prefix = shapes.value(declaration, SH.prefix)
            namespace = shapes.value(declaration, SH.namespace)
            lines.append(f"PREFIX {prefix}: <{namespace}>\n")
    return "".join(sorted(lines))


def _target_pattern(shapes: Graph, shape: URIRef) -> str:
    patterns = []
    for cls in shapes.objects(shape, SH.targetClass):
        patterns.append(f"{{ ?this <{RDF.type}>/<{RDFS.subClassOf}>* <{cls}> . }}")
    for prop in shapes.objects(shape, SH.targetSubjectsOf):
        patterns.append(f"{{ ?this <{prop}> ?targetObject__ . }}")
    for prop in shapes.objects(shape, SH.targetObjectsOf):
        patterns.append(f"{{ ?targetSubject__ <{prop}> ?this . }}")
    for node in shapes.objects(shape, SH.targetNode):
        patterns.append(f"{{ VALUES ?this {{ <{node}> }} }}")
    if not patterns:
        raise DataError(f"SHACL-SPARQL shape {shape} has no target")
    return " UNION ".join(patterns)


def _with_target(select: str, target: str) -> str:
    """The constraint's query with $this restricted to the shape's focus nodes."""
    select = select.replace("$this", "?this")
    head, _, rest = select.partition("WHERE {")
    # FILTER NOT EXISTS / subqueries refer to ?this as bound: keep the target first
    return f"{head} WHERE {{ {{ SELECT DISTINCT ?this WHERE {{ {target} }} }} {rest}"


def run_sparql_constraints(store: Store, constraints: list[SparqlConstraint]
                           ) -> list[ValidationResult]:
    results: set[ValidationResult] = set()
    for constraint in constraints:
        query = _with_target(constraint.select, constraint.target)
        solutions = store.query(query, use_default_graph_as_union=True)
        names = [v.value for v in solutions.variables]  # type: ignore[union-attr]
        for row in solutions:  # type: ignore[union-attr]
            bindings = {name: row[name] for name in names if row[name] is not None}
            focus = bindings.get("this")
            path = bindings.get("path")
            value = bindings.get("value")
            message = _fill(constraint.message, bindings)
            results.add(ValidationResult(
                constraint.severity, str(constraint.shape), _plain(focus), _plain(path),
                _plain(value), str(SH.SPARQLConstraintComponent), message))
    return sorted(results)


def _fill(template: str, bindings: dict[str, object]) -> str:
    """A message template with {?var} replaced by the solution's values."""
    return re.sub(r"\{[?$](\w+)\}", lambda m: _plain(bindings.get(m.group(1))), template)


def _plain(node: object) -> str:
    if node is None:
        return ""
    if isinstance(node, NamedNode | OxLiteral | OxBlankNode):
        return str(node.value)
    return str(node)


# -- pySHACL for the core constraints -----------------------------------------------

def core_shapes(shapes: Graph) -> Graph:
    core = Graph()
    for triple in shapes:
        if triple[1] != SH.sparql:
            core.add(triple)
    return core


def run_pyshacl(data: Graph, shapes: Graph, ontology: Graph | None = None
                ) -> list[ValidationResult]:
    from pyshacl import validate as pyshacl_validate

    _, report, _ = pyshacl_validate(data, shacl_graph=shapes, ont_graph=ontology,
                                    inference="none", abort_on_first=False,
                                    allow_warnings=True)
    assert isinstance(report, Graph)
    return results_of(report, shapes)


def results_of(report: Graph, shapes: Graph) -> list[ValidationResult]:
    """pySHACL's report as ValidationResults; a property shape is named by its node shape."""
    parents = {str(prop): str(shape) for shape, prop in shapes.subject_objects(SH.property)}
    names = {str(k): v for k, v in SEVERITIES.items()}
    found = set()
    for result in report.subjects(RDF.type, SH.ValidationResult):
        shape = str(report.value(result, SH.sourceShape))
        owner = parents.get(shape, shape)
        severity = str(report.value(result, SH.resultSeverity))
        found.add(ValidationResult(
            names.get(severity, severity),
            owner, str(report.value(result, SH.focusNode) or ""),
            str(report.value(result, SH.resultPath) or ""),
            str(report.value(result, SH.value) or ""),
            str(report.value(result, SH.sourceConstraintComponent) or ""),
            str(report.value(result, SH.resultMessage) or "")))
    return sorted(found)


# -- the API ---------------------------------------------------------------------

def validate(layout: Layout, paths: Iterable[Path] | None = None, *,
             inference: str = "none") -> ValidationReport:
    """Validate the built graph (or the given files) against shapes/*.ttl."""
    if inference not in INFERENCE:
        raise UsageError(f"unknown inference {inference!r} (choose {', '.join(INFERENCE)})")
    started = time.perf_counter()
    files = data_files(layout, paths)
    shapes = load_shapes(layout)
    ontology_path = layout.ontology / "wsis.ttl"
    store = load_store(files + [ontology_path])
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
    results = validate_store(store, shapes)
    report = ValidationReport(results, inference, len(store),
                              time.perf_counter() - started, files)
    report.lines = source_lines(store, {r.focus_node for r in report.results})
    return report


def validate_store(store: Store, shapes: Graph) -> list[ValidationResult]:
    """Validate the store's data: core constraints on pySHACL, SPARQL ones on Oxigraph."""
    core = core_shapes(shapes)
    results = run_pyshacl(to_rdflib(store, needed_predicates(core)), core)
    results += run_sparql_constraints(store, sparql_constraints(shapes))
    return sorted(set(results))


def shape_subset(shapes: Graph, shape: URIRef) -> Graph:
    """One node shape with everything it refers to (property shapes, lists,
    SPARQL constraints) and the prefix declarations: to validate one shape."""
    subset = Graph()
    todo: list[object] = [shape, iris.SHAPES_GRAPH]
    seen: set[object] = set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for p, o in shapes.predicate_objects(node):  # type: ignore[arg-type]
            subset.add((node, p, o))  # type: ignore[arg-type]
            if isinstance(o, BNode):
                todo.append(o)
    return subset
