"""Triple and entity counts of built graph files."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .build import _parse_turtle, count_entities
from .errors import DataError
from .paths import Layout


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
        if not path.is_file():
            raise DataError("file not found", path=path)
        graph = _parse_turtle(path)
        result.append(FileStats(path, len(graph), count_entities(graph)))
    return result
