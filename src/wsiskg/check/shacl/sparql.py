"""SHACL-SPARQL constraints (sh:sparql on node shapes) on Oxigraph.

Pre-binding follows SHACL §5.3.1: the query is parsed with rdflib's SPARQL
parser and checked for what pre-binding forbids (MINUS, SERVICE, VALUES, a
BIND to a pre-bound variable, a subquery that does not return $this). Then the
query runs once with $this free, keeping only the solutions for focus nodes,
where its algebra shows that this is the same as pre-binding each focus node
(see :func:`per_focus`); otherwise it runs once per focus node with $this
substituted by Oxigraph (SPARQL substitution, SEP-0007, which is pre-binding).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from pyoxigraph import BlankNode as OxBlankNode
from pyoxigraph import DefaultGraph, NamedNode, Quad, QuerySolutions, Store, Triple, Variable
from pyoxigraph import Literal as OxLiteral
from rdflib import BNode, Graph, Literal, URIRef
from rdflib import Variable as RdfVariable
from rdflib.namespace import OWL, RDF, SH
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node

from wsiskg.errors import DataError

if TYPE_CHECKING:  # rdflib's SPARQL parser returns pyparsing's results
    from pyparsing import ParseResults
from wsiskg.check.shacl.core import (
    UnsupportedError,
    is_true,
    path_sparql,
    target_pattern,
    targeted_shapes,
)
from wsiskg.check.shacl.results import SEVERITIES, Terms, ValidationResult, kind, plain, to_rdflib

THIS = RdfVariable("this")
OxTerm = NamedNode | OxBlankNode | OxLiteral | Triple
PRE_BOUND = {RdfVariable("this"), RdfVariable("currentShape"), RdfVariable("shapesGraph")}


@dataclass(frozen=True)
class SparqlConstraint:
    shape: Node
    constraint: Node
    select: str
    message: str
    severity: URIRef
    path: Node | None = None  # a property shape's path ($PATH in the query)
    graph: Graph | None = None  # where the path's nodes are

    @property
    def severity_name(self) -> str:
        return SEVERITIES.get(self.severity, str(self.severity))


def sparql_constraints(shapes: Graph) -> list[SparqlConstraint]:
    """The active SPARQL constraints of the targeted shapes; a property shape's $PATH
    is replaced by its path in SPARQL syntax (SHACL 5.3.2)."""
    found = []
    for shape in targeted_shapes(shapes):
        path = shapes.value(shape, SH.path)
        path_text = None
        if path is not None:
            try:
                path_text = path_sparql(shapes, path)
            except UnsupportedError as exc:
                raise DataError(f"the path of {shape} is not a SHACL path: {exc}") from None
        for constraint in shapes.objects(shape, SH.sparql):
            if is_true(shapes, constraint, SH.deactivated):
                continue
            select = shapes.value(constraint, SH.select)
            if select is None:
                raise DataError(f"SPARQL constraint of {shape} has no sh:select")
            message = shapes.value(constraint, SH.message) or shapes.value(shape, SH.message)
            severity = shapes.value(shape, SH.severity) or SH.Violation
            if not isinstance(severity, URIRef):
                raise DataError(f"sh:severity of {shape} is not an IRI")
            text = str(select)
            if path_text is not None:
                text = re.sub(r"\$PATH\b", path_text.replace("\\", "\\\\"), text)
            found.append(
                SparqlConstraint(
                    shape,
                    constraint,
                    _prefixes(shapes, constraint) + text,
                    str(message or ""),
                    severity,
                    path,
                    shapes,
                )
            )
    return sorted(found, key=lambda c: (str(c.shape), c.select))


def _prefixes(shapes: Graph, constraint: Node) -> str:
    """The PREFIX lines of the constraint's sh:prefixes, with the declarations of the
    ontologies they owl:import (transitively)."""
    lines = []
    todo = list(shapes.objects(constraint, SH.prefixes))
    seen: set[Node] = set()
    while todo:
        holder = todo.pop()
        if holder in seen:
            continue
        seen.add(holder)
        todo.extend(shapes.objects(holder, OWL.imports))
        for declaration in shapes.objects(holder, SH.declare):
            prefix = shapes.value(declaration, SH.prefix)
            namespace = shapes.value(declaration, SH.namespace)
            lines.append(f"PREFIX {prefix}: <{namespace}>\n")
    return "".join(sorted(set(lines)))


# -- the parsed query -----------------------------------------------------------------


def _walk(node: object, top: bool = True) -> list[CompValue]:
    """Every algebra node below ``node`` (graph patterns inside expressions too)."""
    found: list[CompValue] = []
    todo = [node]
    while todo:
        item = todo.pop()
        if isinstance(item, CompValue):
            found.append(item)
            todo.extend(item.values())
        elif isinstance(item, list | tuple):
            todo.extend(item)
    return found


def check_query(
    text: str,
    where: str,
    *,
    kind: str = "SelectQuery",
    bound: frozenset[RdfVariable] | set[RdfVariable] = PRE_BOUND,
) -> Query:
    """The query's algebra, refused where SHACL pre-binding forbids its form (§5.3.1);
    ``where`` names the query in messages ("SPARQL constraint of ex:S")."""
    parsed, query = _algebra(text, where)
    if query.algebra.name != kind:
        raise DataError(f"{where} is not {'an ASK' if kind == 'AskQuery' else 'a SELECT'} query")
    for item in _walk(query.algebra):
        name = item.name
        if name == "Minus":
            raise DataError(
                f"{where} uses MINUS (not allowed with pre-bound variables, SHACL 5.3.1)"
            )
        if name in ("ServiceGraphPattern",) or "service" in name.lower():
            raise DataError(f"{where} uses SERVICE (not allowed)")
        if name in ("values", "ValuesClause"):
            raise DataError(f"{where} uses VALUES (not allowed)")
        if name == "Extend" and item.get("var") in bound:
            raise DataError(
                f"{where} binds pre-bound variable ?{item['var']} with AS (not allowed)"
            )
    top = query.algebra.p
    for project in _subqueries(top):
        if project is top and kind == "AskQuery":
            continue
        if THIS not in (project.get("PV") or []):
            raise DataError(f"{where} has a subquery that does not return $this (SHACL 5.3.1)")
    for item in _walk(list(parsed)):
        if (
            item.name == "SubSelect"
            and "projection" not in item
            and THIS not in _in_scope(item.get("where"))
        ):
            raise DataError(
                f"{where} has a SELECT * subquery in which $this is not in "
                "scope, so it does not return $this (SHACL 5.3.1)"
            )
    return query


@lru_cache(maxsize=256)
def _algebra(text: str, where: str) -> tuple[ParseResults, Query]:
    """The query's parse tree and algebra (parsed once per text: rdflib's parser is
    slow)."""
    try:
        parsed = parseQuery(text)
        return parsed, translateQuery(parsed)
    except Exception as exc:  # the parser raises pyparsing's and its own errors
        raise DataError(f"{where} is not a valid query: {exc}") from None


def _in_scope(node: object) -> set[RdfVariable]:
    """The variables a group of the parse tree binds (triple patterns, BIND ... AS,
    subquery projections), not those that only an expression mentions."""
    found: set[RdfVariable] = set()
    todo = [node]
    while todo:
        item = todo.pop()
        if isinstance(item, RdfVariable):
            found.add(item)
        elif isinstance(item, CompValue):
            if item.name == "Filter":
                continue
            todo.extend(v for k, v in item.items() if k != "expr")
        elif isinstance(item, list | tuple):
            todo.extend(item)
    return found


def check_validators(shapes: Graph) -> None:
    """Refuse the SPARQL validators of constraint components that break pre-binding:
    an ASK validator may not bind $value either, nor any validator a parameter."""
    for component in sorted(shapes.subjects(RDF.type, SH.ConstraintComponent), key=str):
        parameters = {
            RdfVariable(re.split(r"[#/]", str(path))[-1])
            for declaration in shapes.objects(component, SH.parameter)
            for path in shapes.objects(declaration, SH.path)
        }
        for predicate in (SH.validator, SH.nodeValidator, SH.propertyValidator):
            for validator in shapes.objects(component, predicate):
                prefixes = _prefixes(shapes, validator)
                ask = shapes.value(validator, SH.ask)
                if ask is not None:
                    check_query(
                        prefixes + str(ask),
                        f"ASK validator of {component}",
                        kind="AskQuery",
                        bound=PRE_BOUND | parameters | {RdfVariable("value")},
                    )
                select = shapes.value(validator, SH.select)
                if select is not None:
                    check_query(
                        prefixes + str(select),
                        f"SELECT validator of {component}",
                        bound=PRE_BOUND | parameters,
                    )


def _subqueries(node: object) -> list[CompValue]:
    return [item for item in _walk(node) if item.name == "Project"]


def per_focus(query: Query) -> bool:
    """Whether the query must be evaluated one focus node at a time.

    Pre-binding joins every basic graph pattern with $this. Where the query's
    own pattern certainly binds $this (in every solution, at every FILTER or
    BIND that reads it) and nothing aggregates, limits or nests a SELECT,
    evaluating it once with $this free and keeping the solutions whose $this
    is a focus node gives the same solutions; otherwise it is evaluated once
    per focus node."""
    names = {item.name for item in _walk(query.algebra["p"]["p"])}
    if names & {"Group", "AggregateJoin", "Slice", "Project", "ToMultiSet"}:
        return True
    try:
        return THIS not in _certain(query.algebra["p"]["p"])
    except _UnsafeError:
        return True


class _UnsafeError(Exception):
    pass


def _mentions_this(expr: object) -> bool:
    if expr == THIS:
        return True
    if isinstance(expr, CompValue):
        return any(_mentions_this(v) for k, v in expr.items() if k != "_vars")
    if isinstance(expr, list | tuple):
        return any(_mentions_this(v) for v in expr)
    return False


def _certain(node: CompValue) -> set[RdfVariable]:
    """The variables bound in every solution of an algebra pattern; raises _UnsafeError
    where an expression reads $this without the pattern binding it."""
    name = node.name
    if name == "BGP":
        return {t for triple in node["triples"] for t in triple if isinstance(t, RdfVariable)}
    if name in ("Distinct", "Reduced", "OrderBy"):
        return _certain(node["p"])
    if name == "Join":
        return _certain(node["p1"]) | _certain(node["p2"])
    if name == "LeftJoin":
        left = _certain(node["p1"])
        right = _certain(node["p2"])
        if _mentions_this(node.get("expr")) and THIS not in left | right:
            raise _UnsafeError
        return left
    if name == "Union":
        return _certain(node["p1"]) & _certain(node["p2"])
    if name == "Minus":
        return _certain(node["p1"])
    if name == "Graph":
        return _certain(node["p"]) | (
            {node["term"]} if isinstance(node["term"], RdfVariable) else set()
        )
    if name in ("Filter", "Extend"):
        inner = _certain(node["p"])
        if _mentions_this(node["expr"]) and THIS not in inner:
            raise _UnsafeError
        return inner
    raise _UnsafeError


# -- running --------------------------------------------------------------------------


def _ox(node: Node) -> NamedNode | OxBlankNode | OxLiteral:
    if isinstance(node, URIRef):
        return NamedNode(str(node))
    if isinstance(node, BNode):
        return OxBlankNode(str(node))
    assert isinstance(node, Literal)
    if node.language:
        return OxLiteral(str(node), language=node.language)
    if node.datatype:
        return OxLiteral(str(node), datatype=NamedNode(str(node.datatype)))
    return OxLiteral(str(node))


def focus_nodes(store: Store, shapes: Graph, shape: Node) -> list[OxTerm]:
    """The shape's focus nodes as Oxigraph terms."""
    query = f"SELECT DISTINCT ?this WHERE {{ {target_pattern(shapes, shape)} }}"
    rows = store.query(query, use_default_graph_as_union=True)
    assert isinstance(rows, QuerySolutions)
    return [row["this"] for row in rows]


def run_sparql_constraints(
    store: Store, constraints: list[SparqlConstraint], shapes: Graph
) -> list[ValidationResult]:
    results: set[ValidationResult] = set()
    for constraint in constraints:
        where = f"SPARQL constraint of {constraint.shape}"
        query = check_query(constraint.select, where)
        bound: dict[Variable, OxTerm] = {}
        if re.search(r"[?$]currentShape\b", constraint.select):
            bound[Variable("currentShape")] = _ox(constraint.shape)
        graphs: dict[str, object] = {"use_default_graph_as_union": True}
        shapes_graph = None
        if re.search(r"[?$]shapesGraph\b", constraint.select):
            shapes_graph = _add_shapes_graph(store, shapes)
            bound[Variable("shapesGraph")] = shapes_graph
            named = [g for g in store.named_graphs() if g != shapes_graph]
            graphs = {
                "default_graph": [DefaultGraph(), *named],
                "named_graphs": [*named, shapes_graph],
            }
        try:
            focus = focus_nodes(store, shapes, constraint.shape)
            if per_focus(query):
                for node in focus:
                    rows = _per_focus(store, constraint.select, node, bound, graphs)
                    results.update(_results(constraint, rows, to_rdflib(node)))
            else:
                rows = _run(store, constraint.select, bound, graphs)
                results.update(_results(constraint, rows, None, set(focus)))
        finally:
            if shapes_graph is not None:
                store.remove_graph(shapes_graph)
    return list(results)


SHAPES_GRAPH = NamedNode("urn:x-wsiskg:shapes-graph")


def _add_shapes_graph(store: Store, shapes: Graph) -> NamedNode:
    """The shapes as a named graph of the store, for $shapesGraph (removed after use)."""
    store.extend(
        Quad(_ox(s), _ox(p), _ox(o), SHAPES_GRAPH)  # type: ignore[arg-type]  # see below
        for s, p, o in shapes
    )  # a shapes graph parsed from RDF has no literal subject
    return SHAPES_GRAPH


def _per_focus(
    store: Store, text: str, node: OxTerm, bound: dict[Variable, OxTerm], graphs: dict[str, object]
) -> object:
    """The query with $this pre-bound to one focus node (see :func:`_run`)."""
    return _run(store, text, {Variable("this"): node, **bound}, graphs)


def _run(
    store: Store, text: str, bound: dict[Variable, OxTerm], graphs: dict[str, object]
) -> object:
    """The query with its pre-bound variables replaced by their terms in the query text
    (as SHACL 5.3.1 defines pre-binding: every FILTER and BIND sees them); a blank node,
    or a replaced text that is not a query, goes through Oxigraph's substitution."""
    if not any(isinstance(term, OxBlankNode) for term in bound.values()):
        replaced = substitute(text, {var.value: str(term) for var, term in bound.items()})
        try:
            return store.query(replaced, **graphs)  # type: ignore[arg-type]  # checked keys
        except SyntaxError:
            pass
    return store.query(text, substitutions=bound or None, **graphs)  # type: ignore[arg-type]  # keywords checked above


_TOKENS = re.compile(
    r"""
    (?P<skip>"{3}.*?"{3}|'{3}.*?'{3}                        # long strings
      |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'        # strings
      |<[^<>"{}|^`\\\s]*>|\#[^\n]*)                        # IRIs, comments
    |(?P<bound>\bbound\s*\(\s*[?$](?P<bound_name>\w+)\s*\))
    |[?$](?P<name>\w+)
    |(?P<select>\bSELECT\b)
    |(?P<end>\bWHERE\b|\{)""",
    re.IGNORECASE | re.DOTALL | re.VERBOSE,
)


def substitute(text: str, terms: dict[str, str]) -> str:
    """``text`` with each variable named in ``terms`` (outside strings, IRIs and
    comments) replaced by its term (N3 syntax); in a SELECT clause it becomes
    ``(term AS ?var)``, and bound(?var) is true."""
    out, last, in_projection = [], 0, False
    for match in _TOKENS.finditer(text):
        if match.group("skip"):
            continue
        if match.group("select"):
            in_projection = True
        elif match.group("end"):
            in_projection = False
        elif match.group("bound_name") in terms:
            out.append(text[last : match.start()] + "(true)")
            last = match.end()
        elif match.group("name") in terms:
            name = match.group("name")
            out.append(text[last : match.start()])
            out.append(f"({terms[name]} AS ?{name})" if in_projection else terms[name])
            last = match.end()
    out.append(text[last:])
    return "".join(out)


def _results(
    constraint: SparqlConstraint, rows: object, focus: Node | None, keep: set[OxTerm] | None = None
) -> list[ValidationResult]:
    if not isinstance(rows, QuerySolutions):
        raise DataError(f"SPARQL constraint of {constraint.shape} is not a SELECT query")
    found = []
    names = [v.value for v in rows.variables]
    for row in rows:
        bindings = {name: row[name] for name in names if row[name] is not None}
        if keep is not None and bindings.get("this") not in keep:
            continue
        this = to_rdflib(bindings["this"]) if "this" in bindings else focus
        if this is None:
            continue
        path = bindings.get("path")
        path_term = to_rdflib(path) if isinstance(path, NamedNode) else constraint.path
        path_text = str(path_term) if path_term is not None else ""
        if isinstance(path_term, BNode) and constraint.graph is not None:
            path_text = path_sparql(constraint.graph, path_term)
        value = to_rdflib(bindings["value"]) if "value" in bindings else this
        message = (
            _fill(constraint.message, bindings)
            if constraint.message
            else "SPARQL constraint not met"
        )
        found.append(
            ValidationResult(
                constraint.severity_name,
                str(constraint.shape),
                str(this),
                path_text,
                plain(value),
                str(SH.SPARQLConstraintComponent),
                str(constraint.shape),
                str(constraint.constraint),
                kind(value),
                message,
                Terms(
                    this, path_term, value, constraint.shape, constraint.severity, constraint.graph
                ),
            )
        )
    return found


def _fill(template: str, bindings: dict[str, object]) -> str:
    """A message template with {?var} replaced by the solution's values."""
    return re.sub(r"\{[?$](\w+)\}", lambda m: plain(bindings.get(m.group(1))), template)
