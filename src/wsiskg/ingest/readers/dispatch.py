"""Reading a source: its reader by layout, with the curation applied around it.

This is the one place where curation meets the readers. Before a reader sees
the lines, the ``replace`` entries correct the printed text; after it has
read them, the structural entries (``split-row``, ``shared-cells``,
``proposal-text``) apply to what it read, and every correction of a line
goes to the record that holds the line (the others stay with the source).
"""

from __future__ import annotations

from wsiskg.errors import SourceError
from wsiskg.ingest.curation import (
    Curation,
    attach_line_fixes,
    attach_proposal_texts,
    share_cells,
    split_rows,
)
from wsiskg.ingest.readers.actionplan import read_action_plan
from wsiskg.ingest.readers.base import Reader, TableRead
from wsiskg.ingest.readers.pdfflow import read_pdf_flow
from wsiskg.ingest.readers.tabular import read_tab_table
from wsiskg.ingest.records import PlanRead
from wsiskg.ingest.sources import Source

# the reader of each layout: roadmap tables, and action plans
READERS: dict[str, Reader[TableRead]] = {"tab-table": read_tab_table, "pdf-flow": read_pdf_flow}
PLAN_READERS: dict[str, Reader[PlanRead]] = {"action-plan": read_action_plan}


def read_roadmap(source: Source, curation: Curation, lines: list[str] | None = None) -> TableRead:
    """Read a roadmap source (its verified lines, or the ``lines`` given)."""
    if source.layout not in READERS:
        raise SourceError(f"source {source.id!r} is not a roadmap table", path=source.path)
    lines = list(source.read_lines() if lines is None else lines)
    fixes = curation.apply_replacements(source.id, lines, source.path)
    read = READERS[source.layout](source, lines, source.reader)
    split_rows(read, curation, source.id, source.path)
    share_cells(read, curation, source.id, source.path)
    attach_line_fixes(read, fixes)
    return read


def read_plan(source: Source, curation: Curation, lines: list[str] | None = None) -> PlanRead:
    """Read an action-plan source (its verified lines, or the ``lines`` given)."""
    if source.layout not in PLAN_READERS:
        raise SourceError(f"source {source.id!r} is not an action plan", path=source.path)
    lines = list(source.read_lines() if lines is None else lines)
    fixes = curation.apply_replacements(source.id, lines, source.path)
    read = PLAN_READERS[source.layout](source, lines, source.reader)
    read.corrections[:0] = [fix for line_fixes in fixes.values() for fix in line_fixes]
    attach_proposal_texts(read, curation, source.id, lines, source.path)
    return read
