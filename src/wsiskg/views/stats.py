"""Triple and entity counts of built graph files."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from wsiskg.errors import DataError
from wsiskg.iris import WSIS
from wsiskg.paths import Layout
from wsiskg.rdf import check_readable, parse_graph


@dataclass
class FileStats:
    path: Path
    triples: int
    entities: Counter[str]


def graph_stats(layout: Layout, files: list[Path] | None = None) -> list[FileStats]:
    if files is None:
        files = sorted(p for p in layout.kg.glob("*.ttl"))
        if not files:
            raise DataError("no built graph found; run `wsiskg build` first", path=layout.kg)
    result = []
    for path in files:
        check_readable(path)
        graph = parse_graph(path)
        result.append(FileStats(path, len(graph), count_entities(graph)))
    return result


def count_entities(graph: Graph) -> Counter[str]:
    """Instances per class of the ontology (local names)."""
    counts: Counter[str] = Counter()
    for cls in graph.objects(None, RDF.type):
        if isinstance(cls, URIRef) and str(cls).startswith(str(WSIS)):
            counts[str(cls)[len(str(WSIS)) :]] = 0
    for _, cls in graph.subject_objects(RDF.type):
        if isinstance(cls, URIRef) and str(cls).startswith(str(WSIS)):
            counts[str(cls)[len(str(WSIS)) :]] += 1
    return counts
