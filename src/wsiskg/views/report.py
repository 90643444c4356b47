"""A static HTML report of the graph (no server needed).

Every count is a link to the entries behind it: the action line x SDG goal
matrix of each edition and a cross-edition matrix open a page listing the
entries of a cell. Each entry, WSIS outcome, action line, edition, SDG goal
and SDG target has its own page, which embeds the graph's description of the
entity as JSON-LD (``<script type="application/ld+json">``): its own triples
and those of the parts minted under its IRI (an entry's results, activities,
citations, corrections and timing). A search page filters a static index of
entries, results and activities in the browser (plain JavaScript, no request
to another host). Every page carries the same navigation, so every page
reaches every other one.

Pages are rendered with jinja2 templates read from the package
(``wsiskg/templates/report``) through importlib.resources. The ontology page
(pyLODE) is rendered once per ontology digest and cached. The site is written
to a temporary folder and moved into place at the end; the same graph gives
the same bytes.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from wsiskg import iris
from wsiskg.errors import WsiskgError
from wsiskg.paths import Layout
from wsiskg.sparql import query_text

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
W = str(iris.WSIS)
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
PROV = "http://www.w3.org/ns/prov#"
TIME = "http://www.w3.org/2006/time#"
PREFIXES = {
    "wsis": W,
    "skos": SKOS,
    "rdfs": RDFS,
    "prov": PROV,
    "time": TIME,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dcterms": "http://purl.org/dc/terms/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "id": iris.ID,
}
# the classes whose individuals get a page of their own
PAGED = {
    W + "RoadmapEntry": "entry",
    W + "WSISOutcome": "outcome",
    W + "ActionLine": "action-line",
    W + "RoadmapEdition": "edition",
    W + "SDGGoal": "sdg-goal",
    W + "SDGTarget": "sdg-target",
}
# an entry's links shown in their own sections (the rest go to "other statements")
SHOWN = {
    RDF_TYPE,
    RDFS + "label",
    PROV + "wasDerivedFrom",
    W + "addressesOutcome",
    W + "edition",
    W + "entryActionLine",
    W + "outcomeText",
    W + "timing",
    W + "linkedSDGGoal",
    W + "linkedSDGTarget",
    W + "citesResolution",
    W + "hasCitation",
    W + "hasExpectedResult",
    W + "hasActivity",
    W + "hasCorrection",
    W + "sourceLineStart",
    W + "sourceLineEnd",
}
ONTOLOGY_CACHE = "WSISKG_CACHE"


@dataclass
class Site:
    folder: Path
    pages: list[str]


@dataclass
class Term:
    """An RDF term of the graph: an IRI (``lang`` and ``datatype`` empty), a literal,
    or a blank node (``blank``)."""

    value: str
    is_iri: bool
    lang: str = ""
    datatype: str = ""
    blank: bool = False

    def key(self) -> tuple[int, str, str, str]:
        return (0 if self.is_iri else 1, self.value, self.lang, self.datatype)


@dataclass
class Index:
    """The union of the graph's named graphs, by subject."""

    triples: dict[str, dict[str, list[Term]]] = field(default_factory=dict)
    parts: dict[str, list[str]] = field(default_factory=dict)  # IRI -> IRIs under it

    def objects(self, subject: str, predicate: str) -> list[Term]:
        return self.triples.get(subject, {}).get(predicate, [])

    def iris(self, subject: str, predicate: str) -> list[str]:
        return sorted(t.value for t in self.objects(subject, predicate) if t.is_iri)

    def text(self, subject: str, predicate: str, default: str = "") -> str:
        found = sorted(t.value for t in self.objects(subject, predicate) if not t.is_iri)
        return found[0] if found else default

    def of_type(self, cls: str) -> list[str]:
        return sorted(
            s
            for s, props in self.triples.items()
            if any(t.value == cls for t in props.get(RDF_TYPE, []))
        )


def read_index(store: Any) -> Index:
    """Every triple of the union of the named graphs (blank-node subjects left out:
    only the ontology's OWL lists have them)."""
    from pyoxigraph import Literal, NamedNode

    index = Index()
    solutions = store.query(query_text("report-triples"), use_default_graph_as_union=True)
    triples = index.triples
    for subject, predicate, obj in solutions:
        if isinstance(obj, NamedNode):
            term = Term(obj.value, True)
        elif isinstance(obj, Literal):
            language = obj.language
            datatype = "" if language else obj.datatype.value
            term = Term(
                obj.value, False, language or "", "" if datatype == XSD_STRING else datatype
            )
        else:
            term = Term(obj.value, False, blank=True)
        props = triples.get(subject.value)
        if props is None:
            props = triples[subject.value] = {}
        props.setdefault(predicate.value, []).append(term)
    for props in triples.values():
        for terms in props.values():
            terms.sort(key=Term.key)
    return index


# -- JSON-LD --------------------------------------------------------------------------


@functools.cache
def _compact(iri: str) -> str:
    for prefix, namespace in PREFIXES.items():
        if (
            prefix != "id"
            and iri.startswith(namespace)
            and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", iri[len(namespace) :])
        ):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def description(index: Index, entity: str) -> list[str]:
    """The subjects that make up an entity's description: itself and the nodes
    minted under its IRI (``…/result/1``, ``…/timing``)."""
    if not index.parts:
        for subject in index.triples:
            head = subject
            while "/" in head[len(iris.ID) :]:
                head = head.rsplit("/", 1)[0]
                index.parts.setdefault(head, []).append(subject)
    return [entity, *sorted(index.parts.get(entity, []))]


def jsonld(index: Index, subjects: Iterable[str]) -> str:
    """The triples of the subjects as JSON-LD (compact IRIs through a context of
    prefixes), sorted, safe to embed in a ``<script>`` element."""
    graph = []
    for subject in subjects:
        node: dict[str, Any] = {"@id": subject}
        for predicate, terms in sorted(index.triples.get(subject, {}).items()):
            if any(t.blank for t in terms):
                continue
            if predicate == RDF_TYPE:
                node["@type"] = [_compact(t.value) for t in terms]
                continue
            values = []
            for t in terms:
                if t.is_iri:
                    values.append({"@id": t.value})
                elif t.lang:
                    values.append({"@value": t.value, "@language": t.lang})
                elif t.datatype:
                    values.append({"@value": t.value, "@type": t.datatype})
                else:
                    values.append({"@value": t.value})
            node[_compact(predicate)] = values
        graph.append(node)
    context = {k: v for k, v in PREFIXES.items() if k != "id"}
    text = json.dumps(
        {"@context": context, "@graph": graph},
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# -- pages ----------------------------------------------------------------------------


def page_name(iri: str) -> str:
    """The file of an entity's page: its IRI path under ``id/``, slashes as dashes."""
    return iri[len(iris.ID) :].replace("/", "-") + ".html"


def _order(key: str) -> tuple[int, str]:
    return (1 if key.startswith("wsis10-") else 0, key)


def _line_order(code: str) -> int:
    return int(code[1:])


def _templates(layout: Layout) -> Any:
    """The templates, read from the package; compiled ones kept in the cache folder
    (jinja2 checks them against the template's source)."""
    import jinja2

    folder = resources.files("wsiskg") / "templates" / "report"

    def load(name: str) -> str:
        return (folder / name).read_text(encoding="utf-8")

    compiled = _cache_folder(layout) / "templates"
    try:
        compiled.mkdir(parents=True, exist_ok=True)
        cache: Any = jinja2.FileSystemBytecodeCache(str(compiled))
    except OSError:
        cache = None
    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(load),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=cache,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    return env, folder


@dataclass
class Goal:
    number: int
    iri: str
    page: str
    colour: str
    name: str
    name_lang: str
    title: str
    title_lang: str
    targets: list[str]


@dataclass
class Entry:
    iri: str
    page: str
    edition: str
    line: str
    key: str
    outcome: str  # outcome IRI
    text: str
    timing: str
    goals: list[int]  # goals linked whole
    targets: list[str]  # target codes, numeric order
    all_goals: list[int]  # goals linked whole or through a target
    label: str


class Builder:
    def __init__(self, layout: Layout, store: Any, lang: str) -> None:
        from wsiskg.store.queries import editions, load_queries
        from wsiskg.views.plots import GOAL_COLOURS, goal_order, pick_label

        self.layout, self.store, self.lang = layout, store, lang
        self.queries = load_queries(layout.queries)
        self.index = index = read_index(store)
        self.goal_order = goal_order
        self.pages: dict[str, str] = {}  # file name -> text
        self._label_cache: dict[str, str] = {}
        self._chips: dict[tuple[str, str], Any] = {}
        self.binary: dict[str, bytes] = {}
        self.paged = {iri: page_name(iri) for cls in PAGED for iri in index.of_type(cls)}
        # SDG goals and targets, labels in the chosen language
        self.goals: dict[int, Goal] = {}
        self.target_goal: dict[str, int] = {}
        self.target_iri: dict[str, str] = {}
        for iri in index.of_type(W + "SDGGoal"):
            number = int(index.text(iri, SKOS + "notation"))
            short = pick_label(self._labels(iri, SKOS + "altLabel"), lang)
            title = pick_label(self._labels(iri, SKOS + "prefLabel"), lang) or ("", "")
            targets = []
            for target in index.iris(iri, SKOS + "narrower"):
                code = index.text(target, SKOS + "notation")
                targets.append(code)
            self.goals[number] = Goal(
                number,
                iri,
                self.paged[iri],
                GOAL_COLOURS[number],
                (short or title)[0],
                (short or title)[1],
                title[0],
                title[1],
                sorted(targets, key=goal_order),
            )
        self.goals = dict(sorted(self.goals.items()))
        for iri in index.of_type(W + "SDGTarget"):
            code = index.text(iri, SKOS + "notation")
            self.target_iri[code] = iri
            self.target_goal[code] = int(code.split(".")[0])
        self.goal_of_iri = {g.iri: g.number for g in self.goals.values()}
        # editions and entries
        self.edition_iri = {
            index.text(e, W + "editionId"): e for e in index.of_type(W + "RoadmapEdition")
        }
        order = editions("oxigraph", store).order
        self.editions = [e for e in order if e in self.edition_iri]
        self.entries: list[Entry] = []
        for iri in index.of_type(W + "RoadmapEntry"):
            edition = next(
                k for k, v in self.edition_iri.items() if v in index.iris(iri, W + "edition")
            )
            outcome = index.iris(iri, W + "addressesOutcome")[0]
            line = index.text(index.iris(iri, W + "entryActionLine")[0], SKOS + "notation")
            targets = sorted(
                (index.text(t, SKOS + "notation") for t in index.iris(iri, W + "linkedSDGTarget")),
                key=goal_order,
            )
            goals = sorted(self.goal_of_iri[g] for g in index.iris(iri, W + "linkedSDGGoal"))
            timing = index.iris(iri, W + "timing")
            self.entries.append(
                Entry(
                    iri,
                    self.paged[iri],
                    edition,
                    line,
                    index.text(outcome, W + "outcomeKey"),
                    outcome,
                    index.text(iri, W + "outcomeText"),
                    index.text(timing[0], W + "printedTiming") if timing else "",
                    goals,
                    targets,
                    sorted(set(goals) | {self.target_goal[t] for t in targets}),
                    f"{edition} {line} {index.text(outcome, W + 'outcomeKey')}",
                )
            )
        self.entries.sort(
            key=lambda e: (self.editions.index(e.edition), _line_order(e.line), _order(e.key))
        )
        self.lines = sorted({e.line for e in self.entries}, key=_line_order)
        self.line_iri = {
            index.text(a, SKOS + "notation"): a for a in index.of_type(W + "ActionLine")
        }
        self.sdg_editions = [
            e for e in self.editions if any(x.all_goals for x in self.entries if x.edition == e)
        ]

    def _labels(self, iri: str, predicate: str) -> list[tuple[str, str]]:
        return [(t.value, t.lang) for t in self.index.objects(iri, predicate) if not t.is_iri]

    # -- helpers used by the templates
    def label(self, iri: str) -> str:
        """A short human name of a node: its label, notation or the end of its IRI."""
        if iri not in self._label_cache:
            self._label_cache[iri] = self._label(iri)
        return self._label_cache[iri]

    def _label(self, iri: str) -> str:
        from wsiskg.views.plots import pick_label

        for predicate in (RDFS + "label", SKOS + "prefLabel"):
            found = pick_label(self._labels(iri, predicate), self.lang)
            if found:
                return found[0]
        notation = self.index.text(iri, SKOS + "notation")
        if notation:
            return notation
        return _compact(iri) if not iri.startswith(iris.ID) else iri[len(iris.ID) :]

    def link(self, iri: str) -> str | None:
        return self.paged.get(iri)

    # the SDG chips, rendered once each (they appear thousands of times)
    def goal_chip(self, number: int) -> Any:
        from markupsafe import Markup, escape

        key = ("goal", str(number))
        if key not in self._chips:
            goal = self.goals[number]
            self._chips[key] = Markup(
                f'<a class="sdg g{number}" href="{goal.page}" '
                f'title="SDG {number}: {escape(goal.name)}">{number}</a>'
            )
        return self._chips[key]

    def target_chip(self, code: str) -> Any:
        from markupsafe import Markup, escape

        key = ("target", code)
        if key not in self._chips:
            self._chips[key] = Markup(
                f'<a class="sdg g{self.target_goal[code]}" href="sdg-target-{escape(code)}.html" '
                f'title="SDG target {escape(code)}">{escape(code)}</a>'
            )
        return self._chips[key]

    def sdgs(self, entry: Entry) -> Any:
        """The chips of an entry's SDG links (whole goals, then targets)."""
        from markupsafe import Markup

        if not entry.goals and not entry.targets:
            return Markup('<span class="none">none</span>')
        return Markup("").join(
            [
                *(self.goal_chip(n) for n in entry.goals),
                *(self.target_chip(c) for c in entry.targets),
            ]
        )

    def outcome_page(self, line: str, key: str) -> str | None:
        return self.paged.get(str(iris.outcome(line, key)))

    def target_title(self, code: str) -> tuple[str, str]:
        return _pick(self, self.target_iri[code], SKOS + "prefLabel")

    def target_count(self, code: str) -> int:
        return sum(1 for e in self.entries if code in e.targets)

    def years(self, timing: str) -> tuple[str, str]:
        """The first years of a timing's beginning and end ('' when open)."""

        def year(predicate: str) -> str:
            found = [
                self.index.text(y, TIME + "inXSDgYear") or self.label(y)
                for y in self.index.iris(timing, predicate)
            ]
            return found[0] if found else ""

        return year(TIME + "hasBeginning"), year(TIME + "hasEnd")

    def props(
        self,
        iri: str,
        skip_local: Iterable[str] = (),
        only: list[tuple[str, list[Term]]] | None = None,
    ) -> list[tuple[str, list[Term]]]:
        """(predicate label, values) of a node, skipping predicates by local name."""
        skipped = set(skip_local)
        listed = only if only is not None else sorted(self.index.triples.get(iri, {}).items())
        found = []
        for predicate, terms in listed:
            local = re.split(r"[#/]", predicate)[-1]
            if local in skipped:
                continue
            found.append((self.label(predicate), terms))
        return found

    def cell(self, edition: str, line: str, goal: int) -> list[Entry]:
        return [
            e
            for e in self.entries
            if e.edition == edition and e.line == line and goal in e.all_goals
        ]

    def render(self, env: Any, template: str, name: str, **context: Any) -> None:
        if "b" not in env.globals:  # seen by imported macros too
            env.globals.update(
                b=self,
                goals=self.goals,
                lang=self.lang,
                nav={
                    "editions": self.editions,
                    "lines": self.lines,
                    "sdg_editions": self.sdg_editions,
                },
            )
        self.pages[name] = env.get_template(template).render(this_page=name, **context)

    def entity(self, env: Any, template: str, iri: str, title: str, **context: Any) -> None:
        self.render(
            env,
            template,
            self.paged[iri],
            title=title,
            iri=iri,
            jsonld=jsonld(self.index, description(self.index, iri)),
            **context,
        )


def build_site(
    layout: Layout,
    store: Any,
    output: Path,
    lang: str = "en",
    progress: Callable[[str], None] | None = None,
) -> Site:
    from wsiskg.views import plots
    from wsiskg.views.diff import edition_diff

    step = progress or (lambda _stage: None)
    step("reading the graph")
    b = Builder(layout, store, lang)
    env, folder = _templates(layout)
    index = b.index

    step("edition diffs")
    # edition diffs, by outcome
    diffs = []
    history: dict[str, list[tuple[str, str, Any]]] = defaultdict(list)  # outcome IRI ->
    by_pair = {}
    for older, newer in zip(b.editions, b.editions[1:], strict=False):
        result = edition_diff(store, older, newer)
        by_pair[(older, newer)] = result
        diffs.append((f"diff-{older}-{newer}.html", older, newer, result))
        for change in result.changes:
            outcome = str(iris.outcome(change.action_line, change.outcome))
            history[outcome].append((older, newer, change))

    step("trend pictures")
    # pictures (the matrices and target grids are HTML tables, whose counts are links)
    trends = set()
    for line in b.lines:
        if any(e.all_goals for e in b.entries if e.line == line):
            trend = plots.trend_data(store, b.queries, line, lang, by_pair)
            b.binary[f"trend-{line}.png"] = _picture(layout, trend, plots.draw_trend)
            trends.add(line)

    by_outcome: dict[str, list[Entry]] = defaultdict(list)
    for entry in b.entries:
        by_outcome[entry.outcome].append(entry)

    step("pages")
    # entry pages
    for entry in b.entries:
        iri = entry.iri
        citations = sorted(
            index.iris(iri, W + "hasCitation"),
            key=lambda c: int(index.text(c, W + "position", "0")),
        )
        items = {
            kind: sorted(
                index.iris(iri, predicate), key=lambda c: int(index.text(c, W + "position", "0"))
            )
            for kind, predicate in (
                ("results", W + "hasExpectedResult"),
                ("activities", W + "hasActivity"),
            )
        }
        others = [(p, ts) for p, ts in sorted(index.triples[iri].items()) if p not in SHOWN]
        timing = index.iris(iri, W + "timing")
        b.entity(
            env,
            "entry.html",
            iri,
            f"Entry {entry.label}",
            entry=entry,
            citations=citations,
            items=items,
            others=others,
            timing=timing[0] if timing else None,
            corrections=index.iris(iri, W + "hasCorrection"),
            resolutions=index.iris(iri, W + "citesResolution"),
            source=index.iris(iri, PROV + "wasDerivedFrom"),
            siblings=by_outcome[entry.outcome],
            changes=[c for c in history[entry.outcome] if c[1] == entry.edition],
        )
    # outcome pages
    for outcome, entries in sorted(by_outcome.items()):
        b.entity(
            env,
            "outcome.html",
            outcome,
            f"WSIS outcome {entries[0].line} {entries[0].key}",
            entries=entries,
            changes=history[outcome],
            documents=index.iris(outcome, W + "outcomeDocument"),
        )
    # action lines (those no edition covers too)
    for line in sorted(b.line_iri, key=_line_order):
        iri = b.line_iri[line]
        outcomes = sorted(
            {e.outcome for e in b.entries if e.line == line},
            key=lambda o: _order(index.text(o, W + "outcomeKey")),
        )
        b.entity(
            env,
            "action-line.html",
            iri,
            f"Action line {line}",
            line=line,
            outcomes=[(o, by_outcome[o]) for o in outcomes],
            trend=line in trends,
            line_name=_pick(b, iri, SKOS + "prefLabel")[0] or b.label(iri),
        )
    # editions, with their matrix
    for edition in b.editions:
        iri = b.edition_iri[edition]
        entries = [e for e in b.entries if e.edition == edition]
        matrix = {(line, g): len(b.cell(edition, line, g)) for line in b.lines for g in b.goals}
        target_counts: dict[str, int] = defaultdict(int)
        for e in entries:
            for t in e.targets:
                target_counts[t] += 1
        b.entity(
            env,
            "edition.html",
            iri,
            f"Roadmap edition {edition}",
            edition=edition,
            entries=entries,
            matrix=matrix,
            sdg=edition in b.sdg_editions,
            target_counts=sorted(target_counts.items(), key=lambda kv: b.goal_order(kv[0])),
            counts_by_target=dict(target_counts),
        )
        for line in b.lines:
            for goal in b.goals:
                listed = b.cell(edition, line, goal)
                if listed:
                    b.render(
                        env,
                        "cell.html",
                        f"cell-{edition}-{line}-{goal}.html",
                        title=f"{edition}: action line {line} and SDG {goal}",
                        edition=edition,
                        line=line,
                        goal=b.goals[goal],
                        entries=listed,
                    )
    # the cross-edition matrix and its cells
    across: dict[tuple[str, int], list[str]] = {}
    for line in b.lines:
        for goal in b.goals:
            outcomes = sorted(
                {e.outcome for e in b.entries if e.line == line and goal in e.all_goals},
                key=lambda o: _order(index.text(o, W + "outcomeKey")),
            )
            if outcomes:
                across[(line, goal)] = outcomes
                b.render(
                    env,
                    "cell-across.html",
                    f"cell-all-{line}-{goal}.html",
                    title=f"Action line {line} and SDG {goal} across the editions",
                    line=line,
                    goal=b.goals[goal],
                    rows=[(o, {e.edition: e for e in by_outcome[o]}) for o in outcomes],
                )
    b.render(
        env,
        "matrix.html",
        "matrix.html",
        title="SDG matrix across the editions",
        across=across,
        counts={
            (ed, line, g): len(b.cell(ed, line, g))
            for ed in b.sdg_editions
            for line in b.lines
            for g in b.goals
        },
    )
    # SDG goals and targets
    for sdg in b.goals.values():
        b.entity(
            env,
            "goal.html",
            sdg.iri,
            f"SDG {sdg.number}",
            goal=sdg,
            entries=[e for e in b.entries if sdg.number in e.all_goals],
        )
    for code, iri in sorted(b.target_iri.items(), key=lambda kv: b.goal_order(kv[0])):
        title = _pick(b, iri, SKOS + "prefLabel")
        b.entity(
            env,
            "target.html",
            iri,
            f"SDG target {code}",
            code=code,
            goal=b.goals[b.target_goal[code]],
            target_title=title,
            entries=[e for e in b.entries if code in e.targets],
        )
    b.render(
        env,
        "sdgs.html",
        "sdgs.html",
        title="SDG goals and targets",
        target_entries={
            code: sum(1 for e in b.entries if code in e.targets) for code in b.target_iri
        },
    )
    # diffs, search, queries, index
    for name, older, newer, result in diffs:
        b.render(
            env,
            "diff.html",
            name,
            title=f"Changes from {older} to {newer}",
            older=older,
            newer=newer,
            result=result,
        )
    b.render(env, "search.html", "search.html", title="Search entries, results and activities")
    b.render(
        env,
        "queries.html",
        "queries.html",
        title="Canned SPARQL queries",
        queries=list(b.queries.values()),
    )
    b.render(
        env,
        "index.html",
        "index.html",
        title="WSIS Roadmaps Knowledge Graph",
        diffs=diffs,
        trends=sorted(trends, key=_line_order),
        counts={ed: sum(1 for e in b.entries if e.edition == ed) for ed in b.editions},
        all_lines=[
            (line, b.line_iri[line], sum(1 for e in b.entries if e.line == line))
            for line in sorted(b.line_iri, key=_line_order)
        ],
    )
    b.render(env, "ontology-nav.html", "ontology-nav.html", title="Ontology")
    nav = b.pages.pop("ontology-nav.html")
    b.pages["ontology.html"] = _with_nav(ontology_html(layout), nav)
    step("the ontology page and static files")
    # static files
    b.pages["style.css"] = env.get_template("style.css").render(goals=b.goals)
    b.pages["search.js"] = (folder / "search.js").read_text(encoding="utf-8")
    b.pages["search-index.js"] = _search_index(b)
    step(f"writing {len(b.pages) + len(b.binary)} files")
    return _write(output, b.pages, b.binary)


def _pick(b: Builder, iri: str, predicate: str) -> tuple[str, str]:
    from wsiskg.views.plots import pick_label

    return pick_label(b._labels(iri, predicate), b.lang) or ("", "")


def _search_index(b: Builder) -> str:
    index = b.index
    docs = []
    for entry in b.entries:

        def texts(predicate: str, iri: str = entry.iri) -> list[str]:
            nodes = sorted(
                index.iris(iri, predicate), key=lambda c: int(index.text(c, W + "position", "0"))
            )
            return [index.text(n, W + "text") for n in nodes]

        docs.append(
            {
                "u": entry.page,
                "t": entry.label,
                "o": entry.text,
                "r": texts(W + "hasExpectedResult"),
                "a": texts(W + "hasActivity"),
                "s": entry.targets,
            }
        )
    body = json.dumps(docs, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (
        "// generated by `wsiskg report`: the entries, results and activities searched "
        "by search.js\nwindow.WSISKG_INDEX = " + body.replace("</", "<\\/") + ";\n"
    )


def _picture(layout: Layout, data: Any, draw: Any) -> bytes:
    """The PNG of ``draw(data)``, kept in the cache folder under a digest of the data,
    the drawing code and the matplotlib version: drawn once per change."""
    from importlib.metadata import version

    from wsiskg.views import plots

    digest = hashlib.sha256(
        "\n".join((repr(data), draw.__name__, version("matplotlib"))).encode("utf-8")
    )
    digest.update(Path(plots.__file__).read_bytes())
    cached = _cache_folder(layout) / f"picture-{digest.hexdigest()}.png"
    try:
        return cached.read_bytes()
    except OSError:
        pass
    found: dict[str, bytes] = {}
    plots.save(draw(data), Path("picture.png"), into=found)
    _store(cached, found["picture.png"])
    return found["picture.png"]


def _store(path: Path, data: bytes) -> None:
    """Write a cache file atomically; without a writable cache, do nothing."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except OSError:
        pass


def _with_nav(page: str, nav: str) -> str:
    match = re.search(r"<body[^>]*>", page)
    if not match:
        return nav + page
    return page[: match.end()] + nav + page[match.end() :]


def _cache_folder(layout: Layout) -> Path:
    env = os.environ.get(ONTOLOGY_CACHE)
    return Path(env) if env else layout.root / ".wsiskg" / "cache"


# pyLODE's output follows the order of Python's sets (one of them, of the members
# of a class union, holds HTML elements, ordered by memory address), of rdflib's
# random blank node ids, and what an earlier render in the same process left
# behind: run it in a fresh interpreter with a fixed hash seed, counted blank node
# ids and that set kept in insertion order (the order of the RDF list), so that
# the same ontology gives the same page
PYLODE_SCRIPT = (
    "import itertools, logging, sys, uuid\n"
    "counter = itertools.count(1)\n"
    "uuid.uuid4 = lambda: uuid.UUID(int=next(counter))\n"
    "logging.disable(logging.CRITICAL)\n"
    "import pylode.utils\n"
    "class InsertionOrdered(dict):\n"
    "    def add(self, item): self[item] = None\n"
    "pylode.utils.set = InsertionOrdered\n"
    "from pylode import OntPub\n"
    "sys.stdout.buffer.write(str(OntPub(sys.argv[1]).make_html()).encode('utf-8'))\n"
)


def ontology_html(layout: Layout) -> str:
    """pyLODE's documentation of the ontology, rendered once per ontology digest
    (kept in ``.wsiskg/cache`` or ``$WSISKG_CACHE``)."""
    from importlib.metadata import version

    source = layout.ontology / "wsis.ttl"
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise WsiskgError(f"cannot read the ontology: {exc.strerror}", path=source) from None
    digest = hashlib.sha256(
        data + PYLODE_SCRIPT.encode("utf-8") + version("pylode").encode("utf-8")
    ).hexdigest()
    cached = _cache_folder(layout) / f"ontology-{digest}.html"
    try:
        return cached.read_bytes().decode("utf-8")
    except OSError:
        pass
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    try:
        done = subprocess.run(
            [sys.executable, "-c", PYLODE_SCRIPT, str(source)],
            env=env,
            capture_output=True,
            timeout=300,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise WsiskgError(f"pyLODE could not document the ontology: {exc}", path=source) from None
    if done.returncode != 0:
        why = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["failed"]
        raise WsiskgError(f"pyLODE could not document the ontology: {why[0]}", path=source)
    text = done.stdout.decode("utf-8")
    _store(cached, text.encode("utf-8"))
    return text


def _write(output: Path, pages: dict[str, str], binary: dict[str, bytes]) -> Site:
    parent = output.parent if str(output.parent) else Path(".")
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.", dir=parent))
    except OSError as exc:
        raise WsiskgError(f"cannot write the report: {exc.strerror}", path=output) from None
    try:
        for name, text in pages.items():
            (staging / name).write_text(text, encoding="utf-8")
        for name, data in binary.items():
            (staging / name).write_bytes(data)
        for path in staging.iterdir():
            path.chmod(0o644)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise WsiskgError(f"cannot write the report: {exc.strerror}", path=output) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    old = parent / f".{output.name}.old"
    shutil.rmtree(old, ignore_errors=True)
    if output.exists():
        output.rename(old)
    staging.rename(output)
    output.chmod(0o755)
    shutil.rmtree(old, ignore_errors=True)
    return Site(output, sorted(n for n in pages if n.endswith(".html")))
