"""The build: sources and reference data to deterministic Turtle in data/kg.

Everything is read, parsed, built and serialised in memory first, and what
each source yielded is checked against the registry's ``yields``; only when
all of it succeeded is the output written: into a private staging folder
beside ``data/kg``, swapped with ``data/kg`` in one rename (all files of one
build, never a mix of two), under the write lock of data/kg. A failure, or a
kill at any moment, leaves the previous output whole; stale staging folders
and temporaries are swept by the next build.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF

from wsiskg import iris
from wsiskg.errors import DataError, SourceError, WsiskgError
from wsiskg.graph.builder import GraphBuilder, new_graph
from wsiskg.graph.serialize import graph_body, to_trig, to_turtle
from wsiskg.ingest.curation import Curation, load_curation
from wsiskg.ingest.identity import apply_identity, load_identity
from wsiskg.ingest.readers.dispatch import READERS, read_plan, read_roadmap
from wsiskg.ingest.records import Correction, Entry, PlanRead
from wsiskg.ingest.row_parser import check_unique, parse_row
from wsiskg.ingest.sources import Source, Yields, load_registry, record_source, registry_line
from wsiskg.paths import Layout
from wsiskg.rdf import PREFIXES, exchange_folders, parse_graph, write_text_atomically
from wsiskg.store.locks import holding, kg_lock_path


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

    def yields(self, action_lines: tuple[str, ...]) -> Yields:
        """Per action line (each the edition covers, and any other met) what was read."""
        found: Yields = {}
        for line in (*action_lines, *sorted({e.action_line for e in self.entries})):
            if line in found:
                continue
            e = [x for x in self.entries if x.action_line == line]
            found[line] = {
                "outcomes": len(e),
                "results": sum(len(x.results) for x in e),
                "activities": sum(len(x.activities) for x in e),
                "sdg_links": sum(len(x.sdgs.goals) + len(x.sdgs.targets) for x in e),
                "citations": sum(len(x.goals.citations) for x in e),
            }
        return found


@dataclass
class BuildResult:
    written: list[Path]
    reference_triples: int
    editions: list[EditionReport]
    skipped: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    identity: list[str] = field(default_factory=list)
    plans: list[PlanReport] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)  # outputs whose bytes changed
    yields: dict[str, Yields] = field(default_factory=dict)  # per source
    graphs: dict[str, Graph] = field(default_factory=dict)  # per output file


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


def reference_graph(layout: Layout) -> Graph:
    """The hand-curated reference data, merged."""
    files = sorted(layout.reference.glob("*.ttl"))
    if not files:
        raise DataError("no reference data (*.ttl) found", path=layout.reference)
    graph = new_graph()
    for path in files:
        part = parse_graph(path)
        for triple in part:
            if any(isinstance(t, BNode) for t in triple):
                raise DataError("reference data must not use blank nodes", path=path)
            graph.add(triple)
    return graph


def line_roles(layout: Layout, source_id: str) -> list[tuple[int, str, str, str]]:
    """Where each line of a roadmap source went: (line, role, outcome, text)."""
    sources = {s.id: s for s in load_registry(layout.registry)}
    if source_id not in sources:
        raise SourceError(
            f"unknown source {source_id!r} (known: {', '.join(sorted(sources))})",
            path=layout.registry,
        )
    source = sources[source_id]
    if source.layout not in READERS:
        raise SourceError(f"source {source_id!r} is not a roadmap table", path=source.path)
    curation = load_curation(layout.curation, set(sources))
    lines = source.read_lines()
    table = read_roadmap(source, curation, lines)
    return [
        (n, table.roles.get(n, "?"), table.owner.get(n, ""), text)
        for n, text in enumerate(lines, 1)
    ]


def read_edition(source: Source, curation: Curation) -> EditionReport:
    assert source.edition is not None
    started = time.perf_counter()
    table = read_roadmap(source, curation)
    entries = [parse_row(row, source.edition.id, source.path) for row in table.rows]
    check_unique(entries, source.path)
    roles = Counter(table.roles.values())
    report = EditionReport(
        source.edition.id, source.id, entries, roles, table.notes, table.corrections
    )
    report.seconds = time.perf_counter() - started
    return report


def edition_graph(source: Source, report: EditionReport) -> Graph:
    assert source.edition is not None
    builder = GraphBuilder()
    edition_node = builder.edition(source.edition, source)
    for entry in report.entries:
        builder.entry(entry, source.edition.strategic_plan)
    if report.edition_corrections:
        builder.corrections(edition_node, report.edition_corrections)
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
    lines = [
        f"{what}",
        "Generated by `wsiskg build`; do not edit. Edit the sources, "
        "data/reference/ or data/curation/ and rebuild.",
    ]
    for source in sources:
        lines.append(f"source: data/sources/{source.path.name} sha256:{source.sha256}")
    return lines


def check_yields(source: Source, found: Yields, registry: Path) -> None:
    """Refuse a source that yields more or less than the registry declares."""
    if source.yields is None:
        raise SourceError(
            f"the registry declares nothing that source {source.id!r} must yield",
            path=registry,
            line=registry_line(registry, source.id),
            hint=f"run `wsiskg sources accept {source.id}` to record it",
        )
    differences = yield_changes(source.yields, found)
    if differences:
        raise SourceError(
            f"source {source.id!r} ({source.path.name}) does not yield what the registry "
            f"declares: {'; '.join(differences)}",
            path=registry,
            line=registry_line(registry, source.id, "yields"),
            hint=f"if the source (or how it is read) changed deliberately, `wsiskg sources "
            f"accept {source.id}` records it; otherwise restore the source",
        )


def yield_changes(declared: Yields, found: Yields, word: str = "declared") -> list[str]:
    """What differs, as 'C6 outcomes 0 (declared 24)', 'C7 not declared', …"""
    out: list[str] = []
    for part in [*declared, *(p for p in found if p not in declared)]:
        if part not in found:
            out.append(f"{part} missing ({word} {_counts(declared[part])})")
        elif part not in declared:
            out.append(f"{part} new ({_counts(found[part])})")
        else:
            kinds = [*declared[part], *(k for k in found[part] if k not in declared[part])]
            for kind in kinds:
                want, got = declared[part].get(kind), found[part].get(kind)
                if want != got:
                    out.append(f"{part} {kind.replace('_', ' ')} {got} ({word} {want})")
    return out


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in counts.items())


def _check_coverage(source: Source, found: Yields, registry: Path) -> None:
    """Every action line the edition covers (as the registry says) has entries."""
    assert source.edition is not None
    empty = [line for line in source.edition.action_lines if not found[line]["outcomes"]]
    if empty:
        raise SourceError(
            f"source {source.id!r} ({source.path.name}) yields no outcome of "
            f"action line(s) {', '.join(empty)}, which its edition covers",
            path=registry,
            line=registry_line(registry, source.id, "action_lines"),
            hint="the source may be truncated or damaged; restore it",
        )


def build(
    layout: Layout, *, write: bool = True, accepting: frozenset[str] = frozenset()
) -> BuildResult:
    """Build every output in memory, check each source's yields, then write them all.

    ``accepting`` names the sources whose digest and yields are not checked (what
    ``wsiskg sources accept`` is about to record)."""
    started = time.perf_counter()
    sources = load_registry(layout.registry)
    for index, source in enumerate(sources):
        if source.id in accepting and source.path.is_file():
            sources[index] = dataclasses.replace(source, sha256=source.digest())
        else:
            source.verify()
    curation = load_curation(layout.curation, {s.id for s in sources})
    reference = reference_graph(layout)
    described: set[URIRef] = {s for s in reference.subjects() if isinstance(s, URIRef)}
    described |= {iris.edition(s.edition.id) for s in sources if s.edition is not None}

    outputs: dict[str, str] = {}
    graphs: dict[URIRef, Graph] = {iris.named_graph("reference"): reference}
    bodies: dict[URIRef, str] = {iris.named_graph("reference"): graph_body(reference, PREFIXES)}
    outputs["reference.ttl"] = to_turtle(
        reference,
        PREFIXES,
        generated_header("WSIS Roadmaps KG: reference data", []),
        body=bodies[iris.named_graph("reference")],
    )
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
    found: dict[str, Yields] = {}
    for source, report in zip(editions, reports, strict=True):
        assert source.edition is not None
        found[source.id] = report.yields(source.edition.action_lines)
        _check_coverage(source, found[source.id], layout.registry)
        if source.id not in accepting:
            check_yields(source, found[source.id], layout.registry)
    identity_lines = apply_identity(
        [(r.edition, r.entries) for r in reports], load_identity(layout.curation)
    )
    for source, report in zip(editions, reports, strict=True):
        assert source.edition is not None
        tick = time.perf_counter()
        graph = edition_graph(source, report)
        own = {s for s in graph.subjects() if isinstance(s, URIRef)}
        missing = dangling(graph, described | own)
        if missing:
            s, p, o = missing[0]
            raise SourceError(
                f"{len(missing)} link(s) to undescribed IRIs, first: {s} {p} {o}",
                path=source.path,
                hint="add the missing node to data/reference/ or fix the source "
                "citation by a curation entry",
            )
        report.triples = len(graph)
        report.seconds += time.perf_counter() - tick
        name = iris.named_graph(source.edition.id)
        graphs[name] = graph
        bodies[name] = graph_body(graph, PREFIXES)
        outputs[f"{source.edition.id}.ttl"] = to_turtle(
            graph,
            PREFIXES,
            generated_header(f"WSIS Roadmaps KG: roadmap edition {source.edition.id}", [source]),
            body=bodies[name],
        )
    plan_reports: list[PlanReport] = []
    for source in plans:
        assert source.plan is not None
        tick = time.perf_counter()
        read = read_plan(source, curation)
        builder = GraphBuilder()
        builder.action_plan(source.plan, read, source)
        graph = builder.graph
        missing = dangling(
            graph, described | {s for s in graph.subjects() if isinstance(s, URIRef)}
        )
        if missing:
            s, p, o = missing[0]
            raise SourceError(
                f"{len(missing)} link(s) to undescribed IRIs, first: {s} {p} {o}", path=source.path
            )
        name = iris.named_graph(source.id)
        graphs[name] = graph
        bodies[name] = graph_body(graph, PREFIXES)
        outputs[f"{source.id}.ttl"] = to_turtle(
            graph,
            PREFIXES,
            generated_header(f"WSIS Roadmaps KG: action plan {source.id}", [source]),
            body=bodies[name],
        )
        plan_reports.append(PlanReport(source.id, read, len(graph), time.perf_counter() - tick))
        found[source.id] = {source.plan: plan_reports[-1].counts()}
        if source.id not in accepting:
            check_yields(source, found[source.id], layout.registry)
    outputs["wsis.trig"] = to_trig(
        graphs,
        PREFIXES,
        bodies=bodies,
        comment=generated_header(
            "WSIS Roadmaps KG: reference data and every edition, one named graph each",
            [s for s in sources if (s.edition is not None and s.layout in READERS) or s.plan],
        ),
    )
    written: list[Path] = []
    changed = changed_outputs(layout.kg, outputs)
    if write:
        with holding(kg_lock_path(layout), "data/kg", write=True):
            written = swap_folder(layout.kg, outputs)
    by_file = {f"{name.rsplit('/', 1)[-1]}.ttl": graph for name, graph in graphs.items()}
    return BuildResult(
        written,
        len(reference),
        reports,
        skipped,
        time.perf_counter() - started,
        identity_lines,
        plan_reports,
        changed,
        found,
        by_file,
    )


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
        raise SourceError(
            f"editions outside the revision chain: {left}",
            path=registry,
            hint="each edition's revision_of must name the edition before it",
        )
    return ordered


def changed_outputs(folder: Path, outputs: dict[str, str]) -> list[str]:
    """The outputs whose text differs from the file there now (or that are new)."""
    changed = []
    for name, text in sorted(outputs.items()):
        try:
            same = (folder / name).read_bytes() == text.encode("utf-8")
        except OSError:
            same = False
        if not same:
            changed.append(name)
    return changed


STAGING = ".kg-staging-"


def sweep(folder: Path) -> list[Path]:
    """Remove what interrupted builds left: staging folders beside ``folder`` and
    temporaries inside it; restore the old folder if a swap was cut in half."""
    removed: list[Path] = []
    parent = folder.parent
    if not parent.is_dir():
        return removed
    leftovers = sorted(p for p in parent.iterdir() if p.name.startswith(STAGING))
    if not folder.exists():
        old = [p for p in leftovers if p.name.endswith(".old")]
        if old:
            old[-1].rename(folder)
            leftovers.remove(old[-1])
    for path in leftovers:
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    if folder.is_dir():
        for tmp in folder.glob(".*.tmp"):
            tmp.unlink(missing_ok=True)
            removed.append(tmp)
    return removed


def swap_folder(folder: Path, outputs: dict[str, str]) -> list[Path]:
    """Replace the generated files of ``folder`` all at once: a staging folder beside
    it gets the new files (and copies of the folder's other files), then the two
    folders are swapped in one rename and the old one removed."""
    if folder.exists() and not folder.is_dir():
        raise WsiskgError(
            "cannot create the output folder: a file stands in its place",
            path=folder,
            hint="move the file away",
        )
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        sweep(folder)
        staging = Path(tempfile.mkdtemp(prefix=STAGING, dir=folder.parent))
    except OSError as exc:
        raise WsiskgError(f"cannot create the output folder: {exc.strerror}", path=folder) from None
    try:
        os.chmod(staging, 0o755)
        if folder.is_dir():
            for path in sorted(folder.iterdir()):
                if path.is_file() and path.name not in outputs and not path.name.startswith("."):
                    shutil.copy2(path, staging / path.name)
        for name, text in sorted(outputs.items()):
            with open(staging / name, "w", encoding="utf-8", newline="\n") as stream:
                stream.write(text)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(staging / name, 0o644)
        if not folder.exists():
            staging.rename(folder)
        elif exchange_folders(staging, folder):
            shutil.rmtree(staging)
        else:
            old = staging.with_name(staging.name + ".old")
            folder.rename(old)
            staging.rename(folder)
            shutil.rmtree(old)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise WsiskgError(
            f"cannot write the output folder: {exc.strerror}",
            path=folder,
            hint="check that the folder is writable",
        ) from None
    return [folder / name for name in sorted(outputs)]


@dataclass
class Acceptance:
    """What ``wsiskg sources accept`` recorded and what the source change did."""

    source: str
    old_digest: str
    new_digest: str
    old_yields: Yields | None
    new_yields: Yields
    output: str
    added: int
    removed: int
    compared: bool

    def lines(self) -> list[str]:
        out = [
            f"{self.source}: sha256 {self.old_digest[:12]}… -> {self.new_digest[:12]}…"
            if self.old_digest != self.new_digest
            else f"{self.source}: sha256 unchanged ({self.new_digest[:12]}…)"
        ]
        if self.old_yields is None:
            out.append(
                f"{self.source}: yields recorded for the first time: "
                + "; ".join(f"{part} {_counts(c)}" for part, c in self.new_yields.items())
            )
        else:
            changes = yield_changes(self.old_yields, self.new_yields, "was")
            out.extend(f"{self.source}: {c}" for c in changes)
            if not changes:
                out.append(f"{self.source}: counts unchanged")
        if self.compared:
            out.append(
                f"{self.source}: against data/kg/{self.output}: +{self.added} "
                f"-{self.removed} triples"
            )
        return out


def accept_sources(layout: Layout, source_ids: list[str]) -> list[Acceptance]:
    """Record the sources' current digests and yields in the registry, after building
    everything with them in memory (a source that cannot be read is refused, and so
    is any other source that no longer yields what the registry declares)."""
    sources = {s.id: s for s in load_registry(layout.registry)}
    unknown = [i for i in source_ids if i not in sources]
    if unknown or not source_ids:
        raise SourceError(
            f"unknown source(s) {', '.join(map(repr, unknown)) or '(none)'} "
            f"(known: {', '.join(sorted(sources))})",
            path=layout.registry,
        )
    result = build(layout, write=False, accepting=frozenset(source_ids))
    accepted = []
    for source_id in source_ids:
        source = sources[source_id]
        name = f"{source.edition.id}.ttl" if source.edition is not None else f"{source.id}.ttl"
        added = removed = 0
        compared = False
        old_file = layout.kg / name
        if old_file.is_file() and name in result.graphs:
            try:
                before = set(parse_graph(old_file))
            except WsiskgError:
                before = None
            if before is not None:
                after = set(result.graphs[name])
                added, removed, compared = len(after - before), len(before - after), True
        accepted.append(
            Acceptance(
                source_id,
                source.sha256,
                source.digest(),
                source.yields,
                result.yields[source_id],
                name,
                added,
                removed,
                compared,
            )
        )
    with holding(kg_lock_path(layout), "data/kg", write=True):
        for item in accepted:
            text = record_source(layout.registry, item.source, item.new_digest, item.new_yields)
            write_text_atomically(layout.registry, text)
    return accepted
