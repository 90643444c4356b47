"""SHACL Core constraints compiled to SPARQL and run on Oxigraph, one query per
constraint over all focus nodes of a shape.

A shape is compiled only when every constraint it (and each of its property
shapes) declares is one this module knows; otherwise :func:`plan` hands the
shape to the general engine (pySHACL) together with the data it needs.

The queries are generated from the shapes each run, so they are not ``.rq``
files like the package's other queries (``wsiskg/sparql/``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from pyoxigraph import QuerySolutions, Store
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD
from rdflib.term import Node

from wsiskg.check.shacl.exact import stored_as_written
from wsiskg.check.shacl.results import SEVERITIES, Terms, ValidationResult, kind, plain, to_rdflib

TYPE_PATH = f"<{RDF.type}>/<{RDFS.subClassOf}>*"

# Predicates of a shape that are no constraint (or are read with one).
NON_CONSTRAINTS = {
    RDF.type,
    SH.path,
    SH.property,
    SH.targetClass,
    SH.targetNode,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
    SH.message,
    SH.severity,
    SH.deactivated,
    SH.name,
    SH.description,
    SH.order,
    SH.group,
    SH.defaultValue,
    SH.ignoredProperties,
    SH.flags,
    SH.sparql,
    SH.declare,
    SH.prefixes,
    SH.shapesGraph,
}
VALUE_COMPONENTS = {
    SH["class"]: "Class",
    SH.datatype: "Datatype",
    SH.nodeKind: "NodeKind",
    SH.minExclusive: "MinExclusive",
    SH.minInclusive: "MinInclusive",
    SH.maxExclusive: "MaxExclusive",
    SH.maxInclusive: "MaxInclusive",
    SH.minLength: "MinLength",
    SH.maxLength: "MaxLength",
    SH.pattern: "Pattern",
    SH.languageIn: "LanguageIn",
    SH["in"]: "In",
}
FOCUS_COMPONENTS = {
    SH.minCount: "MinCount",
    SH.maxCount: "MaxCount",
    SH.hasValue: "HasValue",
    SH.uniqueLang: "UniqueLang",
    SH.equals: "Equals",
    SH.disjoint: "Disjoint",
    SH.lessThan: "LessThan",
    SH.lessThanOrEquals: "LessThanOrEquals",
    SH.closed: "Closed",
}
# constraints on other shapes, compiled to a SPARQL condition "conforms to the shape"
LOGICAL = {SH["or"]: "Or", SH["and"]: "And", SH["not"]: "Not", SH.xone: "Xone", SH.node: "Node"}
QUALIFIED = {
    SH.qualifiedValueShape,
    SH.qualifiedMinCount,
    SH.qualifiedMaxCount,
    SH.qualifiedValueShapesDisjoint,
}
KNOWN = set(VALUE_COMPONENTS) | set(FOCUS_COMPONENTS) | set(LOGICAL) | QUALIFIED
NESTING = 8  # deeper (or recursive) shape references go to the general engine
# the casts Oxigraph evaluates: an ill-formed literal of these types fails its cast
CASTS = {
    XSD.integer,
    XSD.decimal,
    XSD.double,
    XSD.float,
    XSD.boolean,
    XSD.dateTime,
    XSD.date,
    XSD.time,
    XSD.gYear,
    XSD.gYearMonth,
    XSD.duration,
    XSD.dayTimeDuration,
    XSD.yearMonthDuration,
    XSD.string,
}
NODE_KINDS = {
    SH.IRI: "isIRI(?value)",
    SH.BlankNode: "isBlank(?value)",
    SH.Literal: "isLiteral(?value)",
    SH.BlankNodeOrIRI: "!isLiteral(?value)",
    SH.BlankNodeOrLiteral: "!isIRI(?value)",
    SH.IRIOrLiteral: "!isBlank(?value)",
}
COMPARISONS = {
    SH.minExclusive: ">",
    SH.minInclusive: ">=",
    SH.maxExclusive: "<",
    SH.maxInclusive: "<=",
}


class UnsupportedError(Exception):
    """A shape this module does not compile; the general engine validates it."""


def sparql_term(node: Node) -> str:
    if isinstance(node, BNode):
        raise UnsupportedError("blank node as constraint parameter")
    return str(node.n3())


def path_sparql(shapes: Graph, path: Node) -> str:
    """A SHACL property path as a SPARQL property path."""
    if isinstance(path, URIRef):
        return f"<{path}>"
    if not isinstance(path, BNode):
        raise UnsupportedError(f"not a path: {path!r}")
    if shapes.value(path, RDF.first) is not None:
        steps = [path_sparql(shapes, step) for step in Collection(shapes, path)]
        if len(steps) < 2:
            raise UnsupportedError("sequence path of fewer than two steps")
        return "(" + "/".join(steps) + ")"
    unary = {
        SH.inversePath: "^({})",
        SH.zeroOrMorePath: "({})*",
        SH.oneOrMorePath: "({})+",
        SH.zeroOrOnePath: "({})?",
    }
    for predicate, template in unary.items():
        inner = shapes.value(path, predicate)
        if inner is not None:
            return template.format(path_sparql(shapes, inner))
    alternatives = shapes.value(path, SH.alternativePath)
    if alternatives is not None:
        steps = [path_sparql(shapes, step) for step in Collection(shapes, alternatives)]
        if len(steps) < 2:
            raise UnsupportedError("alternative path of fewer than two members")
        return "(" + "|".join(steps) + ")"
    raise UnsupportedError("unknown path form")


# -- shapes and targets ----------------------------------------------------------


def is_true(shapes: Graph, node: Node, predicate: URIRef) -> bool:
    """Whether the parameter is the literal true (SHACL names only true: "1"^^xsd:boolean
    leaves the constraint inactive)."""
    value = shapes.value(node, predicate)
    return isinstance(value, Literal) and value.datatype == XSD.boolean and str(value) == "true"


def is_class(shapes: Graph, node: Node) -> bool:
    """SHACL instance of rdfs:Class in the shapes graph (implicit class target)."""
    classes = {RDFS.Class, OWL.Class}
    for cls in shapes.objects(node, RDF.type):
        if cls in classes or any(
            c in classes for c in shapes.transitive_objects(cls, RDFS.subClassOf)
        ):
            return True
    return False


def is_shape_node(shapes: Graph, node: Node) -> bool:
    types = set(shapes.objects(node, RDF.type))
    return bool(types & {SH.NodeShape, SH.PropertyShape}) or shapes.value(node, SH.path) is not None


def targeted_shapes(shapes: Graph) -> list[Node]:
    """Shapes with at least one target (explicit, or implicit class), not deactivated."""
    found: set[Node] = set()
    for predicate in (
        SH.targetClass,
        SH.targetNode,
        SH.targetSubjectsOf,
        SH.targetObjectsOf,
        SH.target,
    ):
        found.update(shapes.subjects(predicate, None))
    for node in set(shapes.subjects(RDF.type, None)):
        if is_class(shapes, node) and is_shape_node(shapes, node):
            found.add(node)
    return sorted((s for s in found if not is_true(shapes, s, SH.deactivated)), key=str)


def target_pattern(shapes: Graph, shape: Node) -> str:
    """A SPARQL group binding ?this to each focus node of the shape."""
    if shapes.value(shape, SH.target) is not None:
        raise UnsupportedError("SPARQL-based target")
    parts = []
    classes = set(shapes.objects(shape, SH.targetClass))
    if is_class(shapes, shape):
        classes.add(shape)
    for cls in sorted(classes, key=str):
        parts.append(f"{{ ?this {TYPE_PATH} {sparql_term(cls)} . }}")
    nodes = sorted(shapes.objects(shape, SH.targetNode), key=str)
    if any(isinstance(n, Literal) and not stored_as_written(n) for n in nodes):
        raise UnsupportedError("a target literal the store would rewrite")
    if nodes:
        parts.append("{ VALUES ?this { " + " ".join(sparql_term(n) for n in nodes) + " } }")
    for prop in sorted(shapes.objects(shape, SH.targetSubjectsOf), key=str):
        parts.append(f"{{ ?this {sparql_term(prop)} ?target_o . }}")
    for prop in sorted(shapes.objects(shape, SH.targetObjectsOf), key=str):
        parts.append(f"{{ ?target_s {sparql_term(prop)} ?this . }}")
    if not parts:
        return "{ FILTER(false) }"
    return "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(parts) + " } }"


# -- compiling one shape -------------------------------------------------------------


@dataclass
class Query:
    """One constraint as a SELECT over all focus nodes: ?this [?value] [?path]."""

    shape: Node
    owner: Node
    component: str
    detail: str
    sparql: str
    path: Node | None
    severity: URIRef
    message: str
    check: URIRef | None = None  # a datatype whose literals Python checks


@dataclass
class Plan:
    queries: list[Query] = field(default_factory=list)
    fallback: list[Node] = field(default_factory=list)


def plan(shapes: Graph) -> Plan:
    """Compile every targeted shape that can be; list the others."""
    result = Plan()
    for shape in targeted_shapes(shapes):
        try:
            result.queries.extend(compile_shape(shapes, shape))
        except UnsupportedError:
            result.fallback.append(shape)
    return result


def _members(shapes: Graph, node: Node) -> list[Node]:
    if node == RDF.nil:
        return []
    if not isinstance(node, BNode) or shapes.value(node, RDF.first) is None:
        raise UnsupportedError("not a list")
    return list(Collection(shapes, node))


def compile_shape(shapes: Graph, shape: Node) -> list[Query]:
    focus = target_pattern(shapes, shape)
    queries = list(_compile(shapes, shape, shape, focus))
    for prop in sorted(shapes.objects(shape, SH.property), key=str):
        if shapes.value(prop, SH.path) is None:
            raise UnsupportedError("property shape without a path")
        if is_true(shapes, prop, SH.deactivated):
            continue
        queries.extend(_compile(shapes, prop, shape, focus))
    return queries


def _message(shapes: Graph, shape: Node) -> str:
    messages = sorted(shapes.objects(shape, SH.message), key=str)
    english = [m for m in messages if isinstance(m, Literal) and m.language in (None, "en")]
    return str((english or messages)[0]) if messages else ""


def _compile(shapes: Graph, shape: Node, owner: Node, focus: str) -> Iterator[Query]:
    path_node = shapes.value(shape, SH.path)
    if shape != owner and shapes.value(shape, SH.property) is not None:
        raise UnsupportedError("property shape with property shapes")
    for predicate in set(shapes.predicates(shape, None)):
        if predicate in NON_CONSTRAINTS or predicate in KNOWN:
            continue
        if str(predicate).startswith(str(SH)) or _is_parameter(shapes, predicate):
            raise UnsupportedError(f"constraint {predicate}")
    if shape != owner and shapes.value(shape, SH.sparql) is not None:
        raise UnsupportedError("SPARQL constraint on a property shape")
    severity = shapes.value(shape, SH.severity) or SH.Violation
    if not isinstance(severity, URIRef):
        raise UnsupportedError("severity")
    message = _message(shapes, shape)
    if path_node is None:
        values = "BIND(?this AS ?value)"
        path = ""
    else:
        path = path_sparql(shapes, path_node)
        values = f"?this {path} ?value ."

    def query(
        component: str,
        detail: str,
        body: str,
        select: str = "?this ?value",
        check: URIRef | None = None,
        text: str = "",
    ) -> Query:
        sparql = f"SELECT DISTINCT {select} WHERE {{ {focus} {body} }}"
        return Query(
            shape,
            owner,
            f"{SH}{component}ConstraintComponent",
            detail,
            sparql,
            path_node,
            severity,
            message or text,
            check,
        )

    for predicate, name in sorted(VALUE_COMPONENTS.items()):
        for param in sorted(shapes.objects(shape, predicate), key=str):
            condition, check = _value_condition(shapes, shape, predicate, param)
            yield query(
                name,
                param.n3(),
                f"{values} FILTER({condition})",
                check=check,
                text=f"Value does not satisfy sh:{predicate.split('#')[1]} {param.n3()}",
            )
    for predicate in (SH.minCount, SH.maxCount):
        for param in shapes.objects(shape, predicate):
            if not isinstance(param, Literal) or not isinstance(param.toPython(), int):
                raise UnsupportedError("count")
            if path_node is None:
                raise UnsupportedError("count on a node shape")
            n = int(param.toPython())
            name = FOCUS_COMPONENTS[predicate]
            text = f"{'Fewer' if predicate == SH.minCount else 'More'} than {n} values"
            if predicate == SH.minCount and n == 1:
                body = f"FILTER NOT EXISTS {{ ?this {path} ?value }}"
            elif predicate == SH.minCount:
                body = (
                    f"{{ SELECT ?this (COUNT(DISTINCT ?value) AS ?n) WHERE {{ {focus} "
                    f"OPTIONAL {{ ?this {path} ?value }} }} GROUP BY ?this }} "
                    f"FILTER(?n < {n})"
                )
            elif n == 0:
                body = f"FILTER EXISTS {{ ?this {path} ?value }}"
            else:
                body = (
                    f"{{ SELECT ?this (COUNT(DISTINCT ?value) AS ?n) WHERE {{ {focus} "
                    f"?this {path} ?value }} GROUP BY ?this }} FILTER(?n > {n})"
                )
            yield query(name, str(n), body, "?this", text=text)
    for param in shapes.objects(shape, SH.hasValue):
        term = sparql_term(param)
        if path_node is None:
            body = f"FILTER(!sameTerm(?this, {term}))"
        else:
            body = f"FILTER NOT EXISTS {{ ?this {path} ?value FILTER(sameTerm(?value, {term})) }}"
        yield query("HasValue", param.n3(), body, "?this", text=f"Missing value {param.n3()}")
    if is_true(shapes, shape, SH.uniqueLang):
        if path_node is None:
            raise UnsupportedError("uniqueLang on a node shape")
        body = (
            f"{{ SELECT ?this (COUNT(DISTINCT ?value) AS ?n) WHERE {{ {values} "
            f'FILTER(isLiteral(?value) && lang(?value) != "") }} '
            f"GROUP BY ?this (LCASE(lang(?value)) AS ?lang) }} FILTER(?n > 1)"
        )
        yield query(
            "UniqueLang",
            "true",
            f"{{ {focus} {body} }}",
            "?this",
            text="Language used more than once",
        )
    elif shapes.value(shape, SH.uniqueLang) is not None and not isinstance(
        shapes.value(shape, SH.uniqueLang), Literal
    ):
        raise UnsupportedError("uniqueLang")
    if path_node is None:
        same = "FILTER(sameTerm(?this, ?value))"
    else:
        same = f"?this {path} ?value ."
    for param in shapes.objects(shape, SH.equals):
        p = sparql_term(param)
        body = (
            f"{{ {focus} {values} FILTER NOT EXISTS {{ ?this {p} ?value }} }} UNION "
            f"{{ {focus} ?this {p} ?value FILTER NOT EXISTS {{ {same} }} }}"
        )
        yield query("Equals", param.n3(), body, text=f"Values differ from those of {p}")
    for param in shapes.objects(shape, SH.disjoint):
        p = sparql_term(param)
        yield query(
            "Disjoint",
            param.n3(),
            f"{values} ?this {p} ?value .",
            text=f"Value is also a value of {p}",
        )
    for predicate, op in ((SH.lessThan, "<"), (SH.lessThanOrEquals, "<=")):
        for param in shapes.objects(shape, predicate):
            if path_node is None:
                raise UnsupportedError("lessThan on a node shape")
            p = sparql_term(param)
            yield query(
                FOCUS_COMPONENTS[predicate],
                param.n3(),
                f"{values} ?this {p} ?other FILTER(!COALESCE(?value {op} ?other, false))",
                text=f"Value is not {op} a value of {p}",
            )
    for predicate, name in LOGICAL.items():
        for param in sorted(shapes.objects(shape, predicate), key=str):
            condition = logical_violation(shapes, predicate, param, "?value", 1)
            yield query(
                name,
                _detail(shapes, param),
                f"{values} FILTER({condition})",
                text=f"Value does not conform to sh:{predicate.split('#')[1]}",
            )
    qualified = shapes.value(shape, SH.qualifiedValueShape)
    if qualified is not None:
        if path_node is None or is_true(shapes, shape, SH.qualifiedValueShapesDisjoint):
            raise UnsupportedError("qualified value shape on a node or disjoint")
        condition = conforms(shapes, qualified, "?value", 1)
        for predicate, op, name in (
            (SH.qualifiedMinCount, "<", "QualifiedMinCount"),
            (SH.qualifiedMaxCount, ">", "QualifiedMaxCount"),
        ):
            for param in shapes.objects(shape, predicate):
                if not isinstance(param, Literal) or not isinstance(param.toPython(), int):
                    raise UnsupportedError("qualified count")
                n = int(param.toPython())
                body = (
                    f"{{ SELECT ?this (COUNT(DISTINCT ?value) AS ?n) WHERE {{ {focus} "
                    f"OPTIONAL {{ ?this {path} ?value FILTER({condition}) }} }} "
                    f"GROUP BY ?this }} FILTER(?n {op} {n})"
                )
                yield query(
                    name,
                    str(n),
                    body,
                    "?this",
                    text=f"{'Fewer' if op == '<' else 'More'} than {n} values "
                    "conform to the qualified value shape",
                )
    if is_true(shapes, shape, SH.closed):
        if path_node is not None:
            raise UnsupportedError("closed property shape")
        allowed: set[Node] = set()
        for prop in shapes.objects(shape, SH.property):
            prop_path = shapes.value(prop, SH.path)
            if isinstance(prop_path, URIRef):
                allowed.add(prop_path)
        ignored = shapes.value(shape, SH.ignoredProperties)
        if ignored is not None:
            allowed.update(_members(shapes, ignored))
        listed = ", ".join(sparql_term(p) for p in sorted(allowed, key=str))
        condition = f"FILTER(?path NOT IN ({listed}))" if listed else ""
        yield query(
            "Closed",
            "true",
            f"?this ?path ?value . {condition}",
            "?this ?path ?value",
            text="Predicate is not allowed (closed shape)",
        )


def _detail(shapes: Graph, param: Node) -> str:
    if isinstance(param, BNode) and shapes.value(param, RDF.first) is not None:
        return "(" + " ".join(_detail(shapes, m) for m in Collection(shapes, param)) + ")"
    return str(param.n3())


def logical_violation(shapes: Graph, predicate: URIRef, param: Node, var: str, depth: int) -> str:
    """The SPARQL condition true when node ``var`` violates sh:or, sh:and, sh:not,
    sh:xone or sh:node with ``param``."""
    if predicate in (SH["or"], SH["and"], SH.xone):
        members = [conforms(shapes, m, var, depth) for m in _members(shapes, param)]
        if predicate == SH["or"]:
            return f"!({' || '.join(members) or 'false'})"
        if predicate == SH["and"]:
            return f"!({' && '.join(members) or 'true'})"
        counted = " + ".join(f"IF({m}, 1, 0)" for m in members) or "0"
        return f"({counted}) != 1"
    if predicate == SH["not"]:
        return conforms(shapes, param, var, depth)
    return f"!({conforms(shapes, param, var, depth)})"


def conforms(shapes: Graph, shape: Node, var: str, depth: int) -> str:
    """A SPARQL condition true when node ``var`` conforms to ``shape`` (its value
    constraints, counts of 0 or 1, sh:hasValue, property shapes and logical
    constraints); other shapes raise UnsupportedError."""
    if depth > NESTING:
        raise UnsupportedError("shape nesting too deep (recursive shapes)")
    if isinstance(shape, Literal):
        raise UnsupportedError("a literal as shape")
    if is_true(shapes, shape, SH.deactivated):
        return "true"
    allowed = (
        NON_CONSTRAINTS
        | set(VALUE_COMPONENTS)
        | set(LOGICAL)
        | {SH.minCount, SH.maxCount, SH.hasValue}
    )
    for predicate in set(shapes.predicates(shape, None)):
        if predicate in allowed:
            continue
        if str(predicate).startswith(str(SH)) or _is_parameter(shapes, predicate):
            raise UnsupportedError(f"nested constraint {predicate}")
    if shapes.value(shape, SH.sparql) is not None:
        raise UnsupportedError("nested SPARQL constraint")
    path_node = shapes.value(shape, SH.path)
    value = f"?v{depth}"
    path = path_sparql(shapes, path_node) if path_node is not None else ""

    def on_values(condition: str) -> str:
        """Violated when some value node satisfies the condition (given on ?value)."""
        if path_node is None:
            return condition.replace("?value", var)
        return f"EXISTS {{ {var} {path} {value} FILTER({condition.replace('?value', value)}) }}"

    violations = []
    for predicate in sorted(VALUE_COMPONENTS):
        for param in sorted(shapes.objects(shape, predicate), key=str):
            condition, check = _value_condition(shapes, shape, predicate, param)
            if check is not None:
                raise UnsupportedError("datatype checked in Python")
            violations.append(on_values(condition))
    for predicate in (SH.minCount, SH.maxCount):
        for param in shapes.objects(shape, predicate):
            if path_node is None or not isinstance(param, Literal):
                raise UnsupportedError("count")
            n = param.toPython()
            if predicate == SH.minCount and n == 1:
                violations.append(f"NOT EXISTS {{ {var} {path} {value} }}")
            elif predicate == SH.maxCount and n == 0:
                violations.append(f"EXISTS {{ {var} {path} {value} }}")
            elif predicate == SH.maxCount and n == 1:
                violations.append(
                    f"EXISTS {{ {var} {path} {value} . {var} {path} {value}b "
                    f"FILTER(!sameTerm({value}, {value}b)) }}"
                )
            elif not (predicate == SH.minCount and n == 0):
                raise UnsupportedError("nested count above 1")
    for param in shapes.objects(shape, SH.hasValue):
        term = sparql_term(param)
        if path_node is None:
            violations.append(f"!sameTerm({var}, {term})")
        else:
            violations.append(
                f"NOT EXISTS {{ {var} {path} {value} FILTER(sameTerm({value}, {term})) }}"
            )
    for predicate in sorted(LOGICAL):
        for param in sorted(shapes.objects(shape, predicate), key=str):
            inner = "?value" if path_node is not None else var
            condition = logical_violation(shapes, predicate, param, inner, depth + 1)
            violations.append(on_values(condition) if path_node is not None else condition)
    for prop in sorted(shapes.objects(shape, SH.property), key=str):
        if shapes.value(prop, SH.path) is None:
            raise UnsupportedError("property shape without a path")
        violations.append(f"!({conforms(shapes, prop, var, depth + 1)})")
    return "!(" + " || ".join(violations) + ")" if violations else "true"


def _is_parameter(shapes: Graph, predicate: Node) -> bool:
    """A parameter of a SPARQL-based constraint component declared in the shapes."""
    for declaration in shapes.subjects(SH.path, predicate):
        if next(iter(shapes.subjects(SH.parameter, declaration)), None) is not None:
            return True
    return False


def _value_condition(
    shapes: Graph, shape: Node, predicate: URIRef, param: Node
) -> tuple[str, URIRef | None]:
    """The SPARQL condition true for a value node that violates the constraint."""
    if predicate == SH["class"]:
        return f"NOT EXISTS {{ ?value {TYPE_PATH} {sparql_term(param)} }}", None
    if predicate == SH.datatype:
        if not isinstance(param, URIRef):
            raise UnsupportedError("datatype")
        wrong = f"!isLiteral(?value) || datatype(?value) != <{param}>"
        if param in CASTS:
            return (
                f"{wrong} || !COALESCE(sameTerm(<{param}>(STR(?value)), "
                f"<{param}>(STR(?value))), false)"
            ), None
        if str(param).startswith(str(XSD)):
            return f"{wrong} || datatype(?value) = <{param}>", param
        return wrong, None
    if predicate == SH.nodeKind:
        if not isinstance(param, URIRef) or param not in NODE_KINDS:
            raise UnsupportedError("node kind")
        return f"!({NODE_KINDS[param]})", None
    if predicate in COMPARISONS:
        if not isinstance(param, Literal):
            raise UnsupportedError("comparison")
        return f"!COALESCE(?value {COMPARISONS[predicate]} {param.n3()}, false)", None
    if predicate in (SH.minLength, SH.maxLength):
        if not isinstance(param, Literal) or not isinstance(param.toPython(), int):
            raise UnsupportedError("length")
        op = ">=" if predicate == SH.minLength else "<="
        return (
            f"isBlank(?value) || !COALESCE(STRLEN(STR(?value)) {op} {int(param.toPython())}, false)"
        ), None
    if predicate == SH.pattern:
        flags = shapes.value(shape, SH.flags)
        regex = f"REGEX(STR(?value), {Literal(str(param)).n3()}"
        regex += f", {Literal(str(flags)).n3()})" if flags is not None else ")"
        return f"isBlank(?value) || !COALESCE({regex}, false)", None
    if predicate == SH.languageIn:
        tags = [str(t) for t in _members(shapes, param)]
        matches = " || ".join(f"langMatches(lang(?value), {Literal(t).n3()})" for t in tags)
        return f"!(isLiteral(?value) && ({matches or 'false'}))", None
    if predicate == SH["in"]:
        members = " || ".join(
            f"sameTerm(?value, {sparql_term(m)})" for m in _members(shapes, param)
        )
        return f"!({members or 'false'})", None
    raise UnsupportedError(str(predicate))


# -- running ------------------------------------------------------------------------


def run(store: Store, queries: list[Query], shapes: Graph) -> list[ValidationResult]:
    results: list[ValidationResult] = []
    terms: dict[object, Node] = {}  # each data term converted once
    names: dict[object, str] = {}  # and named once

    def term(node: object) -> Node:
        found = terms.get(node)
        if found is None:
            found = terms[node] = to_rdflib(node)
        return found

    for q in queries:
        solutions = store.query(q.sparql, use_default_graph_as_union=True)
        assert isinstance(solutions, QuerySolutions)
        has_value = "?value" in q.sparql.split("WHERE")[0]
        closed = q.component.endswith("ClosedConstraintComponent")
        severity = SEVERITIES.get(q.severity, str(q.severity))
        owner, shape = str(q.owner), str(q.shape)
        path_text = _path_text(shapes, q.path)
        for row in solutions:
            path: Node | None = q.path
            if closed:
                path = term(row["path"])
            value_term = term(row["value"]) if has_value else None
            if (
                q.check is not None
                and isinstance(value_term, Literal)
                and value_term.datatype == q.check
                and value_term.ill_typed is not True
            ):
                continue
            this = row["this"]
            focus = term(this)
            name = names.get(this)
            if name is None:
                name = names[this] = str(focus)
            results.append(
                ValidationResult(
                    severity,
                    owner,
                    name,
                    str(path) if closed else path_text,
                    plain(value_term),
                    q.component,
                    shape,
                    q.detail,
                    kind(value_term),
                    q.message,
                    Terms(focus, path, value_term, q.shape, q.severity, shapes),
                )
            )
    return results


def _path_text(shapes: Graph, path: Node | None) -> str:
    if path is None:
        return ""
    if isinstance(path, URIRef):
        return str(path)
    try:
        return path_sparql(shapes, path)
    except UnsupportedError:
        return str(path)
