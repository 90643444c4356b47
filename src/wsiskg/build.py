"""The build: sources and reference data to deterministic Turtle in data/kg.

Everything is read, parsed, built and serialised in memory first; only when
all of it succeeded are the files written, each to a temporary file that is
then renamed over the old one. A failure leaves every existing output as it
was.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF

from . import iris
from .curation import Curation, load_curation
from .entries import check_unique, parse_row
from .errors import DataError, SourceError, WsiskgError
from .graph import PREFIXES, GraphBuilder, new_graph
from .identity import apply_identity, load_identity
from .iris import WSIS
from .paths import Layout
from .readers.actionplan import read_action_plan
from .readers.pdfflow import read_pdf_flow
from .readers.tabular import read_tab_table
from .records import Correction, Entry, PlanRead
from .serialize import graph_body, to_trig, to_turtle
from .sources import Source, load_registry

READERS = {"tab-table": read_tab_table, "pdf-flow": read_pdf_flow}


@dataclass
class EditionReport:
    """What the build made of one edition."""

    edition: str
    source: str
    entries: list[Entry]
    line_roles: Counter[str]
    notes: list[str]
    edition_corrections: list[Correction]
    triples: int = 0
    seconds: float = 0.0

    @property
    def corrections(self) -> list[Correction]:
        found = list(self.edition_corrections)
        for entry in self.entries:
            found.extend(entry.corrections)
        return found

    def counts(self) -> dict[str, int]:
        e = self.entries
        return {
            "outcomes": len(e),
            "sdg_links": sum(len(x.sdgs.goals) + len(x.sdgs.targets) for x in e),
            "citations": sum(len(x.goals.citations) for x in e),
            "results": sum(len(x.results) for x in e),
            "activities": sum(len(x.activities) for x in e),
            "corrections": len(self.corrections),
        }


@dataclass
class BuildResult:
    written: list[Path]
    reference_triples: int
    editions: list[EditionReport]
    skipped: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    identity: list[str] = field(default_factory=list)
    plans: list[PlanReport] = field(default_factory=list)


@dataclass
class PlanReport:
    """What the build made of one action plan."""

    source: str
    read: PlanRead
    triples: int
    seconds: float

    def counts(self) -> dict[str, int]:
        r = self.read
        return {
            "objectives": len(r.objectives),
            "outcomes": len(r.outcomes),
            "indicators": sum(len(o.indicators) for o in r.outcomes),
            "outputs": len(r.outputs),
            "citations": sum(len(o.citations) for o in r.outputs),
            "sdg_links": sum(len(o.sdgs.goals) + len(o.sdgs.targets) for o in r.outputs),
            "proposals": len(r.proposals),
        }


def _parse_turtle(path: Path) -> Graph:
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises several unrelated types
        line = getattr(exc, "lineno", None)
        raise DataError(f"not valid Turtle: {exc}", path=path, line=line) from None
    return graph


def reference_graph(layout: Layout) -> Graph:
    """The hand-curated reference data, merged."""
    files = sorted(layout.reference.glob("*.ttl"))
    if not files:
        raise DataError("no reference data (*.ttl) found", path=layout.reference)
    graph = new_graph()
    for path in files:
        part = _parse_turtle(path)
        for triple in part:
            if any(isinstance(t, BNode) for t in triple):
                raise DataError("reference data must not use blank nodes", path=path)
            graph.add(triple)
    return graph


def line_roles(layout: Layout, source_id: str) -> list[tuple[int, str, str, str]]:
    """Where each line of a roadmap source went: (line, role, outcome, text)."""
    sources = {s.id: s for s in load_registry(layout.registry)}
    if source_id not in sources:
        raise SourceError(f"unknown source {source_id!r} (known: {', '.join(sorted(sources))})",
                          path=layout.registry)
    source = sources[source_id]
    if source.layout not in READERS:
        raise SourceError(f"source {source_id!r} is not a roadmap table", path=source.path)
    curation = load_curation(layout.curation, set(sources))
    lines = source.read_lines()
    table = READERS[source.layout](source.id, lines, source.path, curation)
    return [(n, table.roles.get(n, "?"), table.owner.get(n, ""), text)
            for n, text in enumerate(lines, 1)]


def read_edition(source: Source, curation: Curation) -> EditionReport:
    assert source.edition is not None
    started = time.perf_counter()
    lines = source.read_lines()
    reader = READERS[source.layout]
    table = reader(source.id, lines, source.path, curation)
    entries = [parse_row(row, source.edition.id, source.path) for row in table.rows]
    check_unique(entries, source.path)
    roles = Counter(table.roles.values())
    report = EditionReport(source.edition.id, source.id, entries, roles, table.notes,
                           table.corrections)
    report.seconds = time.perf_counter() - started
    return report


def edition_graph(source: Source, report: EditionReport) -> Graph:
    assert source.edition is not None
    builder = GraphBuilder()
    edition_node = builder.edition(source.edition, source)
    for entry in report.entries:
        builder.entry(entry, source.edition.strategic_plan)
    if report.edition_corrections:
        builder._corrections(edition_node, report.edition_corrections)
    return builder.graph


def dangling(graph: Graph, described: set[URIRef]) -> list[tuple[URIRef, URIRef, URIRef]]:
    """Links to IRIs under id/ that no graph describes."""
    found: list[tuple[URIRef, URIRef, URIRef]] = []
    for s, p, o in graph:
        if p == RDF.type or not isinstance(o, URIRef) or not str(o).startswith(iris.ID):
            continue
        if o not in described:
            found.append((URIRef(str(s)), URIRef(str(p)), o))
    return sorted(found)


def generated_header(what: str, sources: list[Source]) -> list[str]:
    lines = [f"{what}", "Generated by `wsiskg build`; do not edit. Edit the sources, "
             "data/reference/ or data/curation/ and rebuild."]
    for source in sources:
        lines.append(f"source: data/sources/{source.path.name} sha256:{source.sha256}")
    return lines


def build(layout: Layout, *, write: bool = True) -> BuildResult:
    started = time.perf_counter()
    sources = load_registry(layout.registry)
    for source in sources:
        source.verify()
    curation = load_curation(layout.curation, {s.id for s in sources})
    reference = reference_graph(layout)
    described: set[URIRef] = {s for s in reference.subjects() if isinstance(s, URIRef)}
    described |= {iris.edition(s.edition.id) for s in sources if s.edition is not None}

    outputs: dict[str, str] = {}
    graphs: dict[URIRef, Graph] = {iris.named_graph("reference"): reference}
    bodies: dict[URIRef, str] = {iris.named_graph("reference"): graph_body(reference, PREFIXES)}
    outputs["reference.ttl"] = to_turtle(
        reference, PREFIXES, generated_header("WSIS Roadmaps KG: reference data", []),
        body=bodies[iris.named_graph("reference")])
    reports: list[EditionReport] = []
    skipped: list[tuple[str, str]] = []
    editions: list[Source] = []
    plans: list[Source] = []
    for source in sources:
        if source.layout == "action-plan" and source.plan:
            plans.append(source)
        elif source.edition is None:
            skipped.append((source.id, "not a roadmap edition"))
        elif source.layout not in READERS:
            skipped.append((source.id, f"no reader for layout {source.layout}"))
        else:
            editions.append(source)
    editions = revision_order(editions, layout.registry)
    reports = [read_edition(source, curation) for source in editions]
    identity_lines = apply_identity([(r.edition, r.entries) for r in reports],
                                    load_identity(layout.curation))
    for source, report in zip(editions, reports, strict=True):
        assert source.edition is not None
        tick = time.perf_counter()
        graph = edition_graph(source, report)
        own = {s for s in graph.subjects() if isinstance(s, URIRef)}
        missing = dangling(graph, described | own)
        if missing:
            s, p, o = missing[0]
            raise SourceError(f"{len(missing)} link(s) to undescribed IRIs, first: {s} {p} {o}",
                              path=source.path,
                              hint="add the missing node to data/reference/ or fix the source "
                                   "citation by a curation entry")
        report.triples = len(graph)
        report.seconds += time.perf_counter() - tick
        name = iris.named_graph(source.edition.id)
        graphs[name] = graph
        bodies[name] = graph_body(graph, PREFIXES)
        outputs[f"{source.edition.id}.ttl"] = to_turtle(
            graph, PREFIXES,
            generated_header(f"WSIS Roadmaps KG: roadmap edition {source.edition.id}", [source]),
            body=bodies[name])
    plan_reports: list[PlanReport] = []
    for source in plans:
        assert source.plan is not None
        tick = time.perf_counter()
        read = read_action_plan(source.id, source.read_lines(), source.path, curation)
        builder = GraphBuilder()
        builder.action_plan(source.plan, read, source)
        graph = builder.graph
        missing = dangling(graph, described | {s for s in graph.subjects()
                                               if isinstance(s, URIRef)})
        if missing:
            s, p, o = missing[0]
            raise SourceError(f"{len(missing)} link(s) to undescribed IRIs, first: {s} {p} {o}",
                              path=source.path)
        name = iris.named_graph(source.id)
        graphs[name] = graph
        bodies[name] = graph_body(graph, PREFIXES)
        outputs[f"{source.id}.ttl"] = to_turtle(
            graph, PREFIXES, generated_header(f"WSIS Roadmaps KG: action plan {source.id}",
                                              [source]), body=bodies[name])
        plan_reports.append(PlanReport(source.id, read, len(graph),
                                       time.perf_counter() - tick))
    outputs["wsis.trig"] = to_trig(
        graphs, PREFIXES, bodies=bodies, comment=generated_header(
            "WSIS Roadmaps KG: reference data and every edition, one named graph each",
            [s for s in sources if (s.edition is not None and s.layout in READERS) or s.plan]))
    written: list[Path] = []
    if write:
        written = write_atomically(layout.kg, outputs)
    return BuildResult(written, len(reference), reports, skipped,
                       time.perf_counter() - started, identity_lines, plan_reports)


def revision_order(editions: list[Source], registry: Path) -> list[Source]:
    """Editions in the order of their revision chain (oldest first)."""
    by_previous = {s.edition.revision_of: s for s in editions if s.edition is not None}
    ordered: list[Source] = []
    previous: str | None = None
    while previous in by_previous:
        source = by_previous.pop(previous)
        ordered.append(source)
        assert source.edition is not None
        previous = source.edition.id
    if by_previous:
        left = ", ".join(s.id for s in by_previous.values())
        raise SourceError(f"editions outside the revision chain: {left}", path=registry,
                          hint="each edition's revision_of must name the edition before it")
    return ordered


def write_atomically(folder: Path, outputs: dict[str, str]) -> list[Path]:
    """Write every file or none: temporaries first, then renames."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WsiskgError(f"cannot create the output folder: {exc.strerror}", path=folder) from None
    temporaries: list[tuple[Path, Path]] = []
    try:
        for name, text in sorted(outputs.items()):
            handle, tmp_name = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
                stream.write(text)
            temporaries.append((Path(tmp_name), folder / name))
    except OSError as exc:
        for tmp_path, _ in temporaries:
            tmp_path.unlink(missing_ok=True)
        raise WsiskgError(f"cannot write the output folder: {exc.strerror}", path=folder,
                          hint="check that the folder is writable") from None
    for tmp, final in temporaries:
        os.chmod(tmp, 0o644)
        os.replace(tmp, final)
    return [final for _, final in temporaries]


def count_entities(graph: Graph) -> Counter[str]:
    """Instances per class of the ontology (local names)."""
    counts: Counter[str] = Counter()
    for cls in graph.objects(None, RDF.type):
        if isinstance(cls, URIRef) and str(cls).startswith(str(WSIS)):
            counts[str(cls)[len(str(WSIS)):]] = 0
    for _, cls in graph.subject_objects(RDF.type):
        if isinstance(cls, URIRef) and str(cls).startswith(str(WSIS)):
            counts[str(cls)[len(str(WSIS)):]] += 1
    return counts
