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

import importlib.resources
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from wsiskg import iris
from wsiskg.errors import DataError, UsageError
from wsiskg.ingest.cells import SDG_TARGETS
from wsiskg.sparql import query_text

if TYPE_CHECKING:
    from wsiskg.paths import Layout

ENGINES = ("oxigraph", "rdflib")
FORMATS = ("table", "csv", "tsv", "json")
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: str | None  # None: required; "all": optional, unbound
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


def _property(value: str) -> tuple[str, str]:
    if not re.fullmatch(r"wsis:[A-Za-z][A-Za-z0-9]*", value):
        raise ValueError("a property of the ontology such as wsis:hasActivity")
    return _iri(str(iris.WSIS[value.removeprefix("wsis:")]))


LANGUAGES = ("ar", "zh-Hans", "en", "es", "fr", "ru")


def _lang(value: str) -> tuple[str, str]:
    """One of the six UN languages, as the language tag of the labels to return."""
    for tag in LANGUAGES:
        if value.lower() == tag.lower():
            return ("string", tag)
    raise ValueError(f"one of the six UN languages: {', '.join(LANGUAGES)}")


TYPES: dict[str, Callable[[str], tuple[str, str]]] = {
    "edition": _edition,
    "action-line": _action_line,
    "sdg-goal": _sdg_goal,
    "sdg-target": _sdg_target,
    "plan-objective": _objective,
    "year": _year,
    "outcome-key": _outcome_key,
    "keyword": _keyword,
    "integer": _integer,
    "property": _property,
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


def load_query(path: Path, text: str | None = None, *, header_required: bool = True) -> CannedQuery:
    """A query file with its header; ``header_required=False`` accepts a plain SPARQL
    file (no ``#+`` lines: no summary, no parameters)."""
    if text is None:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise DataError(
                f"not UTF-8 text ({exc.reason} at byte {exc.start})", path=path
            ) from None
    header = parse_header(text, path)
    if not header_required and not header:
        header = {"summary": "", "description": "", "params": []}
    for key in ("summary", "description", "params"):
        if key not in header:
            raise DataError(f"query header lacks '{key}'", path=path)
    params = []
    for item in header.get("params") or []:
        try:
            param = Param(
                str(item["name"]),
                str(item["type"]),
                None if item.get("default") is None else str(item["default"]),
                str(item["example"]),
            )
        except (KeyError, TypeError):
            raise DataError(
                f"query parameter needs name, type, default and example: {item!r}", path=path
            ) from None
        if param.type not in TYPES:
            raise DataError(f"unknown parameter type {param.type!r}", path=path)
        params.append(param)
    return CannedQuery(
        path.stem,
        path,
        str(header["summary"]),
        str(header["description"]),
        tuple(params),
        tuple(str(t) for t in header.get("tags") or ()),
        text,
    )


def load_queries(folder: Path) -> dict[str, CannedQuery]:
    files = sorted(folder.glob("*.rq"))
    if not files:
        raise DataError("no canned queries (*.rq) found", path=folder)
    return {q.name: q for q in map(load_query, files)}


def internal_query(name: str) -> CannedQuery:
    """One of the queries the package itself runs (``wsiskg/sparql/NAME.rq``)."""
    return load_query(Path(f"sparql/{name}.rq"), query_text(name))


def internal_queries() -> dict[str, CannedQuery]:
    """Every query the package itself runs, by name."""
    folder = importlib.resources.files("wsiskg").joinpath("sparql")
    names = sorted(
        item.name.removesuffix(".rq") for item in folder.iterdir() if item.name.endswith(".rq")
    )
    return {name: internal_query(name) for name in names}


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
        raise UsageError(
            f"query {query.name!r} has no parameter {', '.join(unknown)} "
            f"(its parameters: {', '.join(known) or 'none'})"
        )
    bound = {}
    for param in query.params:
        if param.name in given:
            value = given[param.name]
        elif param.required:
            raise UsageError(
                f"query {query.name!r} needs -p {param.name}=VALUE "
                f"(for example {param.name}={param.example})"
            )
        else:
            continue
        try:
            bound[param.name] = TYPES[param.type](value)
        except ValueError as exc:
            raise UsageError(f"-p {param.name}={value!r} is not valid: expected {exc}") from None
    return bound


def parse_params(pairs: Iterable[str]) -> dict[str, str]:
    given: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not re.fullmatch(r"[a-z_]+", name):
            raise UsageError(f"parameter {pair!r} is not of the form name=value")
        given[name] = value
    return given


# -- values the graph holds ------------------------------------------------------------


@dataclass(frozen=True)
class Held:
    """The editions, action lines and span of years the graph holds: a parameter of
    type edition, action-line or year outside them is refused (it could only give
    an empty answer that looks like a real one)."""

    editions: frozenset[str]
    action_lines: frozenset[str]
    years: tuple[int, int] | None

    def check(self, query: CannedQuery, given: dict[str, str]) -> None:
        for param in query.params:
            value = given.get(param.name)
            if value is not None:
                self.require(param.type, value, f"-p {param.name}={value}")

    def require(self, kind: str, value: str, given_as: str) -> None:
        """Refuse ``value`` of type ``kind`` (edition, action-line, year) when the
        graph does not hold it; ``given_as`` is how the user gave it (an option)."""
        if not self.editions:
            return  # a graph with no editions at all (an empty default graph: warned)
        if kind == "edition" and value not in self.editions:
            known = ", ".join(sorted(self.editions))
        elif kind == "action-line" and value not in self.action_lines:
            known = ", ".join(sorted(self.action_lines, key=lambda a: int(a[1:])))
        elif (
            kind == "year"
            and self.years is not None
            and not self.years[0] <= int(value) <= self.years[1]
        ):
            known = f"{self.years[0]} to {self.years[1]}"
        else:
            return
        raise UsageError(
            f"{given_as}: the graph holds no such {kind.replace('-', ' ')} (it holds {known})"
        )


def held(engine_name: str, handle: Any) -> Held:
    """What the graph on this engine holds (two small internal queries)."""
    editions: set[str] = set()
    lines: set[str] = set()
    for row in run(engine_name, handle, internal_query("editions").text, {}).rows:
        editions.add(row["id"][1])
        if "actionLine" in row:
            lines.add(row["actionLine"][1])
    span = run(engine_name, handle, internal_query("timing-span").text, {}).rows
    years = None
    if span and "first" in span[0] and "last" in span[0]:
        years = (int(span[0]["first"][1]), int(span[0]["last"][1]))
    return Held(frozenset(editions), frozenset(lines), years)


@dataclass(frozen=True)
class Editions:
    """The editions the graph holds, in the order of their revisions (each after the
    one it revises, prov:wasRevisionOf), and those none of whose entries links to an
    SDG (editions printed without an SDG column)."""

    order: tuple[str, ...]
    without_sdg: frozenset[str]


def editions(engine_name: str, handle: Any) -> Editions:
    rows = run(engine_name, handle, internal_query("edition-order").text, {}).rows
    previous = {r["id"][1]: r["previous"][1] if "previous" in r else None for r in rows}
    without = frozenset(r["id"][1] for r in rows if int(r["linkedEntries"][1]) == 0)
    order: list[str] = []
    placed: set[str] = set()
    while len(order) < len(previous):
        ready = sorted(
            e
            for e, before in previous.items()
            if e not in placed and (before is None or before in placed or before not in previous)
        )
        if not ready:  # a cycle of revisions: the rest in name order
            ready = sorted(set(previous) - placed)
        order.append(ready[0])
        placed.add(ready[0])
    return Editions(tuple(order), without)


def answer(engine_name: str, handle: Any, query: CannedQuery, given: dict[str, str]) -> Results:
    """Bind the given parameters, refuse values the graph does not hold, and run."""
    bound = bind(query, given)
    if any(p.type in ("edition", "action-line", "year") and p.name in given for p in query.params):
        held(engine_name, handle).check(query, given)
    return run(engine_name, handle, query.text, bound)


def ask(
    layout: Layout,
    name: str | None,
    given: dict[str, str],
    *,
    query_file: Path | None = None,
    engine: str = "oxigraph",
    store_dir: Path | None = None,
    endpoint: str | None = None,
    warn: Callable[[str], None] | None = None,
) -> Results:
    """The answer of the canned query ``name`` (or of ``query_file``, with or without
    a ``#+`` header) on the chosen engine: the embedded store (``oxigraph``), plain
    rdflib over the built TriG, or the SPARQL endpoint at ``endpoint``. ``warn``
    hears about an endpoint whose default graph looks empty."""
    if query_file is not None:
        if not query_file.is_file():
            raise UsageError(f"no such query file: {query_file}")
        canned = load_query(query_file, header_required=False)
    elif name:
        canned = find_query(layout.queries, name)
    else:
        raise UsageError("name a canned query (see `wsiskg queries`) or give --file")
    if endpoint:
        warning = default_graph_warning(endpoint)
        if warning and warn is not None:
            warn(warning)
        return answer("remote", endpoint, canned, given)
    if engine == "oxigraph":
        from wsiskg.store.embedded import open_embedded

        return answer(engine, open_embedded(layout, store_dir), canned, given)
    return answer(engine, open_engine(engine, layout.kg / "wsis.trig"), canned, given)


# -- engines ----------------------------------------------------------------------


@dataclass
class Results:
    variables: list[str]
    rows: list[dict[str, tuple[str, str, str | None]]]  # var -> (kind, value, datatype/lang)


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
    return (
        "literal",
        term.value,
        None if datatype == "http://www.w3.org/2001/XMLSchema#string" else datatype,
    )


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

        from wsiskg.store.embedded import EmbeddedStore

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
    """Run on an engine: ``oxigraph`` (a store), ``rdflib`` (a dataset) or ``remote``
    (the handle is the endpoint's URL)."""
    try:
        if engine_name == "oxigraph":
            return run_oxigraph(handle, text, bound)
        if engine_name == "remote":
            return run_remote(handle, text, bound)
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
            lines.append("\t".join(_tsv(row[v]) if v in row else "" for v in results.variables))
        return "\n".join(lines) + "\n"
    widths = {v: len(v) for v in results.variables}
    cells = [
        [_short(row[v][1]) if v in row else "" for v in results.variables] for row in results.rows
    ]
    for line in cells:
        for v, text in zip(results.variables, line, strict=True):
            widths[v] = min(max(widths[v], len(text)), 60)
    head = "  ".join(v.ljust(widths[v]) for v in results.variables)
    body = [
        "  ".join(c[:60].ljust(widths[v]) for v, c in zip(results.variables, line, strict=True))
        for line in cells
    ]
    return "\n".join([head, "-" * len(head), *body, f"({len(cells)} rows)"])


def _tsv(term: tuple[str, str, str | None]) -> str:
    kind, value, extra = term
    if kind == "uri":
        return f"<{value}>"
    if kind == "bnode":
        return f"_:{value}"
    escaped = (
        value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    )
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
    escaped = (
        value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    )
    return f'"{escaped}"'


# what a query's algebra is made of above the first pattern of its WHERE group: the
# solution modifiers, then the group's filters, joins, optionals and minuses (the
# first pattern is on the left); a second Project is a subquery, which is not entered
_DOWN = {
    "Slice": "p",
    "Distinct": "p",
    "Reduced": "p",
    "OrderBy": "p",
    "Extend": "p",
    "Filter": "p",
    "AggregateJoin": "p",
    "Group": "p",
    "Join": "p1",
    "LeftJoin": "p1",
    "Minus": "p1",
    "Project": "p",
}
# the lexical tokens that may hold braces without opening a group: comments, IRIs,
# long and short strings; then the brackets
_SPARQL_TOKEN = re.compile(
    r"(?P<skip>#[^\n]*"
    r"|<[^<>\"{}|^`\\\x00-\x20]*>"
    r'|"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*')"
    r"|(?P<open>[{(\[])|(?P<close>[})\]])",
    re.S,
)


def _rdflib_term(kind: str, value: str) -> Any:
    from rdflib import Literal, URIRef
    from rdflib.namespace import XSD

    if kind == "iri":
        return URIRef(value)
    if kind == "integer":
        return Literal(value, datatype=XSD.integer)
    return Literal(value)


def _algebra(text: str) -> Any:
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        return translateQuery(parseQuery(text))
    except Exception as exc:  # pyparsing and rdflib raise several kinds
        raise UsageError(f"the query does not parse: {exc}") from None


def bound_algebra(text: str, bound: dict[str, tuple[str, str]]) -> Any:
    """The query's algebra with the parameters bound: a one-row VALUES table
    (``ToMultiSet``) joined with the first pattern of the WHERE group, below the
    group's filters, so that every filter, optional and aggregate sees them."""
    from rdflib import Variable
    from rdflib.plugins.sparql.algebra import Join, ToMultiSet
    from rdflib.plugins.sparql.parserutils import CompValue

    query = _algebra(text)
    parent, attr = query.algebra, "p"
    node = parent[attr]
    projected = False
    while isinstance(node, CompValue) and node.name in _DOWN:
        if node.name == "Project":
            if projected:
                break
            projected = True
        parent, attr = node, _DOWN[node.name]
        node = parent[attr]
    row = {Variable(name): _rdflib_term(*bound[name]) for name in sorted(bound)}
    parent[attr] = Join(ToMultiSet(CompValue("values", res=[row])), node)
    return query.algebra


def _comparable(node: Any) -> Any:
    """An algebra without rdflib's bookkeeping (variable sets, laziness), to compare."""
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        return (
            node.name,
            tuple(
                (key, _comparable(value))
                for key, value in node.items()
                if key not in ("_vars", "lazy")
            ),
        )
    if isinstance(node, list | tuple):
        return tuple(_comparable(value) for value in node)
    if isinstance(node, dict):
        return tuple(sorted((str(key), _comparable(value)) for key, value in node.items()))
    if isinstance(node, set):
        return tuple(sorted(map(repr, node)))
    return repr(node)


def _where_group(text: str, form: str, has_template: bool) -> int | None:
    """Where the WHERE group's body starts: after the first brace at the outer
    level (after the CONSTRUCT template, if any), whether or not the WHERE keyword
    is written; comments, IRIs and strings are skipped as tokens."""
    depth, template = 0, form == "ConstructQuery" and has_template
    for match in _SPARQL_TOKEN.finditer(text):
        if match.group("open"):
            if depth == 0 and match.group("open") == "{":
                if not template:
                    return match.end()
                template = False
            depth += 1
        elif match.group("close"):
            depth -= 1
    return None


def with_values(text: str, bound: dict[str, tuple[str, str]]) -> str:
    """The query with its parameters bound, for an endpoint (the SPARQL 1.1
    Protocol has no other way to bind them). The binding is defined on the parsed
    query: a VALUES table joined with the first pattern of its WHERE group
    (:func:`bound_algebra`). The text sent is the query with that VALUES block
    opening the group, built from the typed, validated terms; it is parsed again
    and refused unless its algebra is exactly the bound algebra."""
    if not bound:
        return text
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        form = parseQuery(text)[1]
    except Exception as exc:  # pyparsing raises several kinds
        raise UsageError(f"the query does not parse: {exc}") from None
    start = _where_group(text, form.name, form.get("template") is not None)
    if start is None:
        raise UsageError("the query has no WHERE group to bind its parameters in")
    names = sorted(bound)
    row = " ".join(_sparql_term(*bound[name]) for name in names)
    block = f"VALUES ({' '.join('?' + n for n in names)}) {{ ({row}) }}"
    result = f"{text[:start]}\n  {block}\n{text[start:]}"
    if _comparable(_algebra(result).algebra) != _comparable(bound_algebra(text, bound)):
        raise UsageError(
            "cannot bind the parameters of this query for a remote endpoint "
            "(its WHERE group does not open where expected)"
        )
    return result


def default_graph_warning(endpoint: str) -> str | None:
    """A warning when the endpoint's default graph is empty: the canned queries
    read the default graph and would answer with 0 rows, the violation checks
    included, on a store without a union default graph."""
    from wsiskg.store.embedded import query_remote

    if query_remote(endpoint, "ASK { ?s ?p ?o }").get("boolean"):
        return None
    if query_remote(endpoint, "ASK { GRAPH ?g { ?s ?p ?o } }").get("boolean"):
        return (
            f"the default graph of {endpoint} is empty but its named graphs hold data: "
            "the queries read the default graph and answer with 0 rows (the violation "
            "checks included); make the store's default graph the union of the named "
            "graphs (see the README's triple-store table)"
        )
    return (
        f"{endpoint} holds no data: every query answers with 0 rows; load it with "
        "`wsiskg load --endpoint`"
    )


def run_remote(endpoint: str, text: str, bound: dict[str, tuple[str, str]]) -> Results:
    from wsiskg.store.embedded import query_remote

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
            elif (
                cell.get("datatype")
                and cell["datatype"] != "http://www.w3.org/2001/XMLSchema#string"
            ):
                extra = cell["datatype"]
            row[name] = (kind, cell["value"], extra)
        rows.append(row)
    return Results(variables, rows)
