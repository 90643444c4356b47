"""The reader protocol and what the roadmap readers share.

A reader takes a registered :class:`~wsiskg.ingest.sources.Source`, the text lines
of its document (already corrected by the curation's ``replace`` entries)
and the reader options its registry entry declares; it yields a read: the
records it reassembled, each with the source lines it came from, and a role
for every physical line (what ``wsiskg lines`` shows). A reader knows text
layouts only: it neither loads nor applies curation (see
:mod:`wsiskg.ingest.readers.dispatch`, which applies it around every reader).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from wsiskg.ingest.records import Correction, RawRow
from wsiskg.ingest.sources import ReaderOptions, Source


class Read(Protocol):
    """What every read holds besides its records."""

    roles: dict[int, str]  # 1-based line -> role
    corrections: list[Correction]  # corrections that belong to no record


ReadT_co = TypeVar("ReadT_co", bound=Read, covariant=True)


class Reader(Protocol[ReadT_co]):
    """A reader: ``(source, lines, options) -> read``."""

    def __call__(self, source: Source, lines: list[str], options: ReaderOptions) -> ReadT_co: ...


@dataclass
class TableRead:
    """What a roadmap reader found: outcome rows and the role of every line."""

    rows: list[RawRow]
    roles: dict[int, str]  # line -> role
    owner: dict[int, str]  # line -> "C2/A" for outcome lines
    corrections: list[Correction] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # line -> column -> the text of that line placed in the column (after the
    # recorded corrections), so each cell can be traced back to its lines
    placed: dict[int, dict[str, str]] = field(default_factory=dict)

    def place(self, line_no: int, column: str, text: str) -> None:
        cell = self.placed.setdefault(line_no, {})
        cell[column] = f"{cell[column]} {text}" if column in cell else text

    def add_row(self, row: RowBuilder, source_id: str, options: ReaderOptions) -> None:
        """Close a row: keep its record and where each of its lines went."""
        self.rows.append(row.build(source_id, options))
        for column, parts in row.cells.items():
            for part_line, part_text in parts:
                self.place(part_line, column, part_text)


@dataclass
class RowBuilder:
    """One outcome row being reassembled: its text per column, line by line.

    Each reader adds its layout's own state (a page break, the column the row
    stands in) in a subclass; the row it yields is built here.
    """

    action_line: str
    section: str
    key: str
    printed_label: str
    first_line: int
    cells: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    lines: list[int] = field(default_factory=list)
    corrections: list[Correction] = field(default_factory=list)

    def put(self, column: str, line_no: int, text: str) -> None:
        self.cells.setdefault(column, []).append((line_no, text))

    def text_of(self, column: str) -> str:
        return " ".join(t for _, t in self.cells.get(column, []))

    def build(self, source_id: str, options: ReaderOptions) -> RawRow:
        cells = {c: "\n".join(t for _, t in parts) for c, parts in self.cells.items()}
        return RawRow(
            source_id=source_id,
            action_line=self.action_line,
            section=self.section,
            key=self.key,
            printed_label=self.printed_label,
            cells=cells,
            first_line=self.first_line,
            last_line=max(self.lines),
            lines=sorted(self.lines),
            corrections=self.corrections,
            results_notation=options.results,
        )
