"""The IRI policy, in one place: every IRI of the graph is minted here.

Base ``https://w3id.org/wsis-kg/``; ontology terms under ``ontology#``,
individuals under ``id/``, named graphs under ``graph/``. Keys come from the
documents themselves (action line C2, outcome A, target 9.c), so the IRIs are
stable across builds and readable.
"""

from __future__ import annotations

import re

from rdflib import Namespace, URIRef

BASE = "https://w3id.org/wsis-kg/"
ID = BASE + "id/"
GRAPH = BASE + "graph/"
SHAPES = BASE + "shapes#"  # the SHACL shapes' terms
SHAPES_GRAPH = URIRef(BASE + "shapes")

WSIS = Namespace(BASE + "ontology#")
ONTOLOGY = URIRef(BASE + "ontology")
UN_SDG = "http://metadata.un.org/sdg/"

RESOLUTION_BODIES = ("pp", "wtdc", "wtsa", "council", "unga")

_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def _key(value: str, what: str) -> str:
    if not _KEY.match(value):
        raise ValueError(f"not a valid {what} key for an IRI: {value!r}")
    return value


def _id(path: str) -> URIRef:
    return URIRef(ID + path)


def action_line(code: str) -> URIRef:
    return _id(f"action-line/{_key(code, 'action line')}")


def action_line_scheme() -> URIRef:
    return _id("action-line")


def outcome(action_line_code: str, key: str) -> URIRef:
    return _id(f"outcome/{_key(action_line_code, 'action line')}/{_key(key, 'outcome')}")


def outcome_document(key: str) -> URIRef:
    return _id(f"outcome-document/{_key(key, 'outcome document')}")


def edition(edition_id: str) -> URIRef:
    return _id(f"edition/{_key(edition_id, 'edition')}")


def entry(edition_id: str, action_line_code: str, key: str) -> URIRef:
    return _id(f"entry/{_key(edition_id, 'edition')}/{action_line_code}/{_key(key, 'outcome')}")


def entry_part(owner_iri: URIRef, kind: str, index: int | str) -> URIRef:
    """A node owned by one entry or output: ``…/result/1``, ``…/citation/2``."""
    if kind not in {"result", "activity", "citation", "correction", "indicator"}:
        raise ValueError(f"unknown part {kind!r}")
    return URIRef(f"{owner_iri}/{kind}/{index}")


def timing(entry_iri: URIRef) -> URIRef:
    return URIRef(f"{entry_iri}/timing")


def year(value: int) -> URIRef:
    return _id(f"year/{int(value):04d}")


def source(source_id: str) -> URIRef:
    return _id(f"source/{_key(source_id, 'source')}")


def sdg_scheme() -> URIRef:
    return _id("sdg")


def sdg_goal(number: int) -> URIRef:
    if not 1 <= int(number) <= 17:
        raise ValueError(f"no SDG goal {number}")
    return _id(f"sdg/goal/{int(number)}")


def sdg_target(code: str) -> URIRef:
    return _id(f"sdg/target/{_key(code, 'SDG target')}")


_INDICATOR_CODE = re.compile(r"^C(0[1-9]|1[0-7]|20)(0[1-9]|1[0-9]|0[a-d])(0[1-9]|[1-9][0-9])$")


def sdg_indicator(permanent_code: str) -> URIRef:
    """``id/sdg/indicator/C090c01``: an SDG indicator by UNSD's permanent code (C, two
    digits of goal, two characters of target, two digits of index; a letter target is
    written ``0c``; an indicator repeated under several targets has one code, ``C20…``),
    which, unlike the listing number 9.c.1, survives a renumbering of the framework."""
    if not _INDICATOR_CODE.match(permanent_code):
        raise ValueError(f"not an SDG indicator permanent code: {permanent_code!r}")
    return _id(f"sdg/indicator/{permanent_code}")


def un_sdg(code: str) -> URIRef:
    """The UN SDG KOS IRI of a goal (9), target (9.c) or indicator (C090c01)."""
    return URIRef(UN_SDG + code)


RESOLUTION_KINDS = ("resolution", "decision", "recommendation")


def resolution(body: str, number: str, kind: str = "resolution") -> URIRef:
    """``id/resolution/pp/130``; decisions and recommendations likewise under
    ``id/decision/…`` and ``id/recommendation/…``."""
    if body not in RESOLUTION_BODIES:
        raise ValueError(f"unknown resolution body {body!r}")
    if kind not in RESOLUTION_KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    return _id(f"{kind}/{body}/{_key(number.replace('/', '-'), 'resolution number')}")


def issuing_body(body: str) -> URIRef:
    if body not in RESOLUTION_BODIES:
        raise ValueError(f"unknown resolution body {body!r}")
    return _id(f"body/{body}")


def strategic_plan(period: str) -> URIRef:
    return _id(f"strategic-plan/{_key(period, 'plan period')}")


def strategic_goal(period: str, number: int) -> URIRef:
    return _id(f"strategic-plan/{_key(period, 'plan period')}/goal/{int(number)}")


def strategic_target(period: str, code: str) -> URIRef:
    return _id(f"strategic-plan/{_key(period, 'plan period')}/target/{_key(code, 'target')}")


def action_plan(plan: str) -> URIRef:
    return _id(_key(plan, "action plan"))


def plan_objective(plan: str, number: int) -> URIRef:
    return _id(f"{_key(plan, 'action plan')}/objective/{int(number)}")


def plan_output(plan: str, code: str) -> URIRef:
    return _id(f"{_key(plan, 'action plan')}/output/{_key(code, 'output')}")


def plan_outcome(plan: str, code: str) -> URIRef:
    return _id(f"{_key(plan, 'action plan')}/outcome/{_key(code, 'plan outcome')}")


def plan_programme(plan: str, number: int | str) -> URIRef:
    """``id/dap/programme/3``; a named programme by its name in kebab-case:
    ``id/baap/programme/cybersecurity``."""
    if isinstance(number, int):
        return _id(f"{_key(plan, 'action plan')}/programme/{number}")
    slug = re.sub(r"[^a-z0-9]+", "-", number.lower()).strip("-")
    return _id(f"{_key(plan, 'action plan')}/programme/{_key(slug, 'programme')}")


def plan_proposal(plan: str, number: int) -> URIRef:
    return _id(f"{_key(plan, 'action plan')}/proposal/{int(number)}")


def regional_initiative(code: str) -> URIRef:
    return _id(f"regional-initiative/{_key(code, 'regional initiative')}")


def gca_pillar(number: int) -> URIRef:
    if not 1 <= int(number) <= 5:
        raise ValueError(f"no GCA pillar {number}")
    return _id(f"gca/pillar/{int(number)}")


def gca_scheme() -> URIRef:
    return _id("gca")


def named_graph(name: str) -> URIRef:
    return URIRef(GRAPH + _key(name, "graph"))
