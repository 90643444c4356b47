"""Checks on a query before it reaches the engine: no SERVICE (federated query)
unless its endpoint is on an explicit allow-list.

pyoxigraph evaluates ``SERVICE <iri>`` with its own HTTP client, so a client
could make the server open connections anywhere. The query is parsed (rdflib's
SPARQL 1.1 parser) and every SERVICE clause in its syntax tree is looked at; a
query that cannot be parsed for the check is refused. A query whose text has
no ``service`` keyword and no ``\\u`` escape cannot contain a SERVICE clause, so
it is not parsed twice.
"""

from __future__ import annotations

import functools
from typing import Any


class RefusedQueryError(Exception):
    """The query asks for something this endpoint does not do."""


def _walk(node: Any) -> list[Any]:
    from rdflib.plugins.sparql.parserutils import CompValue

    found = []
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            if item.name == "ServiceGraphPattern":
                found.append(item)
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
        elif hasattr(item, "asList") and not isinstance(item, str):
            stack.extend(list(item))
    return found


@functools.lru_cache(maxsize=512)
def service_targets(text: str) -> tuple[str, ...]:
    """The endpoints of the query's SERVICE clauses ('?var' for a variable)."""
    lowered = text.lower()
    if "service" not in lowered and "\\u" not in lowered:
        return ()
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import URIRef, Variable

    try:
        tree = parseQuery(text)
    except (ParseException, ValueError, TypeError) as exc:
        raise RefusedQueryError(
            "the query is not valid SPARQL 1.1 (checked before running "
            f"it for SERVICE clauses): {str(exc).splitlines()[0][:200]}"
        ) from None
    targets = []
    prologue = tree[0]
    for clause in _walk(list(tree)):
        term = clause.get("term")
        if isinstance(term, Variable):
            targets.append(f"?{term}")
        elif isinstance(term, URIRef):
            targets.append(str(term))
        elif isinstance(term, CompValue):  # a prefixed name: resolve it
            from rdflib.plugins.sparql.algebra import translatePName
            from rdflib.plugins.sparql.sparql import Prologue

            resolver = Prologue()
            for declaration in prologue:
                if declaration.name == "PrefixDecl":
                    resolver.bind(declaration.prefix, declaration.iri)
            targets.append(str(translatePName(term, resolver)))
        else:
            targets.append(str(term))
    return tuple(targets)


def check_query(text: str, allowed_services: frozenset[str]) -> None:
    """Refuse a query with a SERVICE clause to an endpoint not on the allow-list."""
    for target in service_targets(text):
        if target not in allowed_services:
            raise RefusedQueryError(
                f"SERVICE {'<' + target + '>' if not target.startswith('?') else target} is "
                "refused: this endpoint does not query other endpoints"
                + (f" (allowed: {', '.join(sorted(allowed_services))})" if allowed_services else "")
            )
