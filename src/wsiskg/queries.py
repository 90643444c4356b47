"""Canned SPARQL queries: their headers, typed parameters and the engines.

Each ``queries/*.rq`` file starts with a header in grlc's form: lines
``#+ key: value`` that together are YAML (summary, description, params,
tags). A parameter has a name (the query variable it binds), a type, a
default (``null``: required; ``all``: optional, the variable stays free) and
an example. A value given by the user is parsed into a typed RDF term (an
SDG code becomes its IRI, a year an integer, an edition its IRI) and bound to
the variable by the engine (Oxigraph substitutions, rdflib initBindings): it
is never spliced into the query text. A value that does not parse is refused
with a usage error (exit code 2).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from . import iris
from .cells import SDG_TARGETS
from .errors import DataError, UsageError

ENGINES = ("oxigraph", "rdflib")
FORMATS = ("table", "csv", "tsv", "json")
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: str | None       # None: required; "all": optional, unbound
    example: str

    @property
    def required(self) -> bool:
        return self.default is None


@dataclass(frozen=True)
class CannedQuery:
    name: str
    path: Path
    summary: str
    description: str
    params: tuple[Param, ...]
    tags: tuple[str, ...]
    text: str

    @property
    def is_violation_check(self) -> bool:
        return self.name.endswith("-violation")


# -- parameter types -----------------------------------------------------------

def _iri(value: str) -> tuple[str, str]:
    return ("iri", value)


def _edition(value: str) -> tuple[str, str]:
    if not re.fullmatch(r"[0-9]{4}(-[a-z0-9]+)*", value):
        raise ValueError("an edition id such as 2019 or 2019-draft-zero")
    return _iri(str(iris.edition(value)))


def _action_line(value: str) -> tuple[str, str]:
    if not re.fullmatch(r"C([1-9]|1[01])", value):
        raise ValueError("an action line C1 to C11")
    return _iri(str(iris.action_line(value)))


def _sdg_goal(value: str) -> tuple[str, str]:
    if not re.fullmatch(r"[0-9]{1,2}", value) or not 1 <= int(value) <= 17:
        raise ValueError("an SDG goal number from 1 to 17")
    return _iri(str(iris.sdg_goal(int(value))))


def _sdg_target(value: str) -> tuple[str, str]:
    if value not in SDG_TARGETS:
        raise ValueError("one of the 169 SDG targets, such as 9.c or 17.8")
    return _iri(str(iris.sdg_target(value)))


def _objective(value: str) -> tuple[str, str]:
    if not re.fullmatch(r"[1-4]", value):
        raise ValueError("a Buenos Aires Action Plan objective from 1 to 4")
    return _iri(str(iris.plan_objective("baap", int(value))))


def _year(value: str) -> tuple[str, str]:
    if not re.fullmatch(r"(19|20)[0-9]{2}", value):
        raise ValueError("a year such as 2021")
    return ("integer", value)


def _outcome_key(value: str) -> tuple[str, str]:
    if not re.fullmatch(r"(wsis10-)?[A-Za-z][0-9]?", value):
        raise ValueError("an outcome key such as A, B1, o or wsis10-a")
    return ("string", value)


def _keyword(value: str) -> tuple[str, str]:
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9 .,/()-]{1,59}", value):
        raise ValueError("2 to 60 letters, digits, spaces and . , / ( ) -")
    return ("string", value)


def _integer(value: str) -> tuple[str, str]:
    if not re.fullmatch(r"[0-9]{1,9}", value):
        raise ValueError("a non-negative integer")
    return ("integer", value)


LANGUAGES = ("ar", "zh-Hans", "en", "es", "fr", "ru")


def _lang(value: str) -> tuple[str, str]:
    """One of the six UN languages, as the language tag of the labels to return."""
    for tag in LANGUAGES:
        if value.lower() == tag.lower():
            return ("string", tag)
    raise ValueError(f"one of the six UN languages: {', '.join(LANGUAGES)}")


TYPES: dict[str, Callable[[str], tuple[str, str]]] = {
    "edition": _edition, "action-line": _action_line, "sdg-goal": _sdg_goal,
    "sdg-target": _sdg_target, "plan-objective": _objective, "year": _year,
    "outcome-key": _outcome_key, "keyword": _keyword, "integer": _integer,
    "lang": _lang,
}


# -- loading ---------------------------------------------------------------------

def parse_header(text: str, path: Path) -> dict[str, Any]:
    lines = []
    for line in text.splitlines():
        if line.startswith("#+"):
            lines.append(line[3:] if line.startswith("#+ ") else line[2:])
        elif line.strip() and not line.startswith("#"):
            break
    try:
        header = yaml.safe_load("\n".join(lines)) or {}
    except yaml.YAMLError as exc:
        raise DataError(f"query header is not valid YAML: {exc}", path=path) from None
    if not isinstance(header, dict):
        raise DataError("query header must be '#+ key: value' lines", path=path)
    return header


def load_query(path: Path) -> CannedQuery:
    text = path.read_text(encoding="utf-8")
    header = parse_header(text, path)
    for key in ("summary", "description", "params"):
        if key not in header:
            raise DataError(f"query header lacks '{key}'", path=path)
    params = []
    for item in header.get("params") or []:
        try:
            param = Param(str(item["name"]), str(item["type"]),
                          None if item.get("default") is None else str(item["default"]),
                          str(item["example"]))
        except (KeyError, TypeError):
            raise DataError(f"query parameter needs name, type, default and example: {item!r}",
                            path=path) from None
        if param.type not in TYPES:
            raise DataError(f"unknown parameter type {param.type!r}", path=path)
        params.append(param)
    return CannedQuery(path.stem, path, str(header["summary"]), str(header["description"]),
                       tuple(params), tuple(str(t) for t in header.get("tags") or ()), text)


def load_queries(folder: Path) -> dict[str, CannedQuery]:
    files = sorted(folder.glob("*.rq"))
    if not files:
        raise DataError("no canned queries (*.rq) found", path=folder)
    return {q.name: q for q in map(load_query, files)}


def find_query(folder: Path, name: str) -> CannedQuery:
    queries = load_queries(folder)
    if name not in queries:
        raise UsageError(f"no canned query {name!r}; `wsiskg queries` lists them")
    return queries[name]


def bind(query: CannedQuery, given: dict[str, str]) -> dict[str, tuple[str, str]]:
    """Typed terms for the parameters: (kind, value) with kind iri|string|integer."""
    known = {p.name: p for p in query.params}
    unknown = sorted(set(given) - set(known))
    if unknown:
        raise UsageError(f"query {query.name!r} has no parameter {', '.join(unknown)} "
                         f"(its parameters: {', '.join(known) or 'none'})")
    bound = {}
    for param in query.params:
        if param.name in given:
            value = given[param.name]
        elif param.required:
            raise UsageError(f"query {query.name!r} needs -p {param.name}=VALUE "
                             f"(for example {param.name}={param.example})")
        else:
            continue
        try:
            bound[param.name] = TYPES[param.type](value)
        except ValueError as exc:
            raise UsageError(f"-p {param.name}={value!r} is not valid: expected {exc}") \
                from None
    return bound


def parse_params(pairs: Iterable[str]) -> dict[str, str]:
    given: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not re.fullmatch(r"[a-z_]+", name):
            raise UsageError(f"parameter {pair!r} is not of the form name=value")
        given[name] = value
    return given


# -- engines ----------------------------------------------------------------------

@dataclass
class Results:
    variables: list[str]
    rows: list[dict[str, tuple[str, str, str | None]]]   # var -> (kind, value, datatype/lang)


def run_oxigraph(store: Any, text: str, bound: dict[str, tuple[str, str]]) -> Results:
    from pyoxigraph import Literal, NamedNode, Variable

    substitutions = {}
    for name, (kind, value) in bound.items():
        term: Any
        if kind == "iri":
            term = NamedNode(value)
        elif kind == "integer":
            term = Literal(value, datatype=NamedNode(XSD_INTEGER))
        else:
            term = Literal(value)
        substitutions[Variable(name)] = term
    solutions = store.query(text, substitutions=substitutions, use_default_graph_as_union=True)
    variables = [v.value for v in solutions.variables]
    columns = list(enumerate(variables))
    converted: dict[Any, tuple[str, str, str | None]] = {}  # rows repeat terms
    rows = []
    for solution in solutions:
        row = {}
        for index, name in columns:
            value = solution[index]
            if value is not None:
                term_row = converted.get(value)
                if term_row is None:
                    term_row = converted[value] = _ox_term(value)
                row[name] = term_row
        rows.append(row)
    return Results(variables, rows)


def _ox_term(term: Any) -> tuple[str, str, str | None]:
    from pyoxigraph import BlankNode, Literal, NamedNode

    if isinstance(term, NamedNode):
        return ("uri", term.value, None)
    if isinstance(term, BlankNode):
        return ("bnode", term.value, None)
    assert isinstance(term, Literal)
    if term.language:
        return ("literal", term.value, "@" + term.language)
    datatype = term.datatype.value
    return ("literal", term.value,
            None if datatype == "http://www.w3.org/2001/XMLSchema#string" else datatype)


def run_rdflib(dataset: Any, text: str, bound: dict[str, tuple[str, str]]) -> Results:
    from rdflib import BNode, Literal, URIRef, Variable
    from rdflib.namespace import XSD

    bindings: dict[Variable, URIRef | Literal] = {}
    for name, (kind, value) in bound.items():
        if kind == "iri":
            bindings[Variable(name)] = URIRef(value)
        elif kind == "integer":
            bindings[Variable(name)] = Literal(value, datatype=XSD.integer)
        else:
            bindings[Variable(name)] = Literal(value)
    result = dataset.query(text, initBindings=bindings)
    variables = [str(v) for v in result.vars]
    rows: list[dict[str, tuple[str, str, str | None]]] = []
    for solution in result:
        row: dict[str, tuple[str, str, str | None]] = {}
        for name, value in zip(variables, solution, strict=True):
            if value is None:
                continue
            if isinstance(value, URIRef):
                row[name] = ("uri", str(value), None)
            elif isinstance(value, BNode):
                row[name] = ("bnode", str(value), None)
            else:
                datatype = None
                if value.language:
                    datatype = "@" + value.language
                elif value.datatype and str(value.datatype) != str(XSD.string):
                    datatype = str(value.datatype)
                row[name] = ("literal", str(value), datatype)
        rows.append(row)
    return Results(variables, rows)


def open_engine(engine: str, trig: Path) -> Any:
    """The built graph (data/kg/wsis.trig) in the chosen engine."""
    if engine not in ENGINES:
        raise UsageError(f"unknown engine {engine!r} (choose {', '.join(ENGINES)})")
    if not trig.is_file():
        raise DataError("no built graph; run `wsiskg build` first", path=trig)
    if engine == "oxigraph":
        from pyoxigraph import RdfFormat, Store

        from .store import EmbeddedStore

        store = Store()
        store.load(path=str(trig), format=RdfFormat.TRIG)
        # as in the persistent store: the union of the named graphs in the default
        # graph, which Oxigraph queries faster than a union default graph
        store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
        return EmbeddedStore(store)
    from rdflib import Dataset

    dataset = Dataset(default_union=True)
    dataset.parse(trig, format="trig")
    return dataset


def run(engine_name: str, handle: Any, text: str, bound: dict[str, tuple[str, str]]) -> Results:
    try:
        if engine_name == "oxigraph":
            return run_oxigraph(handle, text, bound)
        return run_rdflib(handle, text, bound)
    except SyntaxError as exc:
        raise UsageError(f"the query does not parse: {exc}") from None


# -- rendering (SPARQL 1.1 results formats) ------------------------------------------

def results_json(results: Results) -> dict[str, Any]:
    """The SPARQL 1.1 Query Results JSON document of a result."""
    bindings = []
    for row in results.rows:
        item: dict[str, dict[str, str]] = {}
        for name, (kind, value, extra) in row.items():
            cell: dict[str, str] = {"type": kind, "value": value}
            if extra and extra.startswith("@"):
                cell["xml:lang"] = extra[1:]
            elif extra:
                cell["datatype"] = extra
            item[name] = cell
        bindings.append(item)
    return {"head": {"vars": results.variables}, "results": {"bindings": bindings}}


def render(results: Results, fmt: str) -> str:
    import csv
    import io
    import json

    if fmt == "json":
        return json.dumps(results_json(results), indent=2, ensure_ascii=False)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(results.variables)
        for row in results.rows:
            writer.writerow([row[v][1] if v in row else "" for v in results.variables])
        return out.getvalue()
    if fmt == "tsv":
        lines = ["\t".join(f"?{v}" for v in results.variables)]
        for row in results.rows:
            lines.append("\t".join(_tsv(row[v]) if v in row else ""
                                   for v in results.variables))
        return "\n".join(lines) + "\n"
    widths = {v: len(v) for v in results.variables}
    cells = [[_short(row[v][1]) if v in row else "" for v in results.variables]
             for row in results.rows]
    for line in cells:
        for v, text in zip(results.variables, line, strict=True):
            widths[v] = min(max(widths[v], len(text)), 60)
    head = "  ".join(v.ljust(widths[v]) for v in results.variables)
    body = ["  ".join(c[:60].ljust(widths[v]) for v, c in zip(results.variables, line,
                                                                 strict=True))
            for line in cells]
    return "\n".join([head, "-" * len(head), *body, f"({len(cells)} rows)"])


def _tsv(term: tuple[str, str, str | None]) -> str:
    kind, value, extra = term
    if kind == "uri":
        return f"<{value}>"
    if kind == "bnode":
        return f"_:{value}"
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") \
        .replace("\t", "\\t")
    if extra and extra.startswith("@"):
        return f'"{escaped}"{extra}'
    if extra == XSD_INTEGER:
        return value
    if extra:
        return f'"{escaped}"^^<{extra}>'
    return f'"{escaped}"'


def _short(value: str) -> str:
    return value.replace(iris.ID, "id:")


# -- remote endpoints ------------------------------------------------------------------

def _sparql_term(kind: str, value: str) -> str:
    """A typed term in SPARQL syntax; the value was validated by its parameter type."""
    if kind == "iri":
        if re.search(r"[<>\"{}|\\^`\s]", value):
            raise UsageError(f"not a valid IRI: {value!r}")
        return f"<{value}>"
    if kind == "integer":
        if not value.isdigit():
            raise UsageError(f"not an integer: {value!r}")
        return f'"{value}"^^<{XSD_INTEGER}>'
    escaped = (value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
               .replace("\r", "\\r"))
    return f'"{escaped}"'


def with_values(text: str, bound: dict[str, tuple[str, str]]) -> str:
    """The query with its parameters bound by a VALUES block opening its WHERE
    clause (the SPARQL 1.1 Protocol has no other way to bind them): the block is
    built from the typed, validated terms, never from the user's text, and joins
    before the query's filters see the variables."""
    if not bound:
        return text
    names = sorted(bound)
    row = " ".join(_sparql_term(*bound[name]) for name in names)
    block = f"VALUES ({' '.join('?' + n for n in names)}) {{ ({row}) }}"
    match = re.search(r"\bWHERE\s*\{", text)
    if match is None:
        raise UsageError("the query has no WHERE clause to bind its parameters in")
    return f"{text[:match.end()]}\n  {block}\n{text[match.end():]}"


def run_remote(endpoint: str, text: str, bound: dict[str, tuple[str, str]]) -> Results:
    from .store import query_remote

    data = query_remote(endpoint, with_values(text, bound))
    variables = list(data.get("head", {}).get("vars", []))
    rows = []
    for binding in data.get("results", {}).get("bindings", []):
        row: dict[str, tuple[str, str, str | None]] = {}
        for name, cell in binding.items():
            kind = "literal" if cell["type"] in ("literal", "typed-literal") else cell["type"]
            extra = None
            if "xml:lang" in cell:
                extra = "@" + cell["xml:lang"]
            elif cell.get("datatype") and cell["datatype"] != \
                    "http://www.w3.org/2001/XMLSchema#string":
                extra = cell["datatype"]
            row[name] = (kind, cell["value"], extra)
        rows.append(row)
    return Results(variables, rows)
