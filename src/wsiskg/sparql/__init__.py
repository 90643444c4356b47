"""The SPARQL queries the package runs itself, one ``NAME.rq`` file each, with
a grlc header like the canned queries of ``queries/`` (and tested like them).

This module imports nothing else of the package, so that any module (the RDF
layer included) can read its queries without an import cycle;
:func:`wsiskg.store.queries.internal_query` parses the header and parameters.

Not here, on purpose: the SHACL engine's queries (``wsiskg.check.shacl``) and the
reasoner's rules (``wsiskg.check.reason``) are generated at run time from the shapes
and from the ontology's axioms, and a SHACL-SPARQL constraint's query lives
inside its shape (``shapes/*.ttl``), where SHACL requires it.
"""

from __future__ import annotations

import importlib.resources


def query_text(name: str) -> str:
    """The text of ``NAME.rq`` (header comments included: engines skip them)."""
    resource = importlib.resources.files(__name__).joinpath(f"{name}.rq")
    return resource.read_text(encoding="utf-8")
