"""Recorded corrections of source defects (``data/curation/*.yaml``).

Two kinds of entry, each with an id, the source, the line, the field it
concerns and a reason:

* ``replace`` (the default): on that physical line, the printed text is
  replaced by the corrected text before the reader sees the line. The
  printed text must occur exactly once on the line; when the source changes
  and it no longer does, the build stops with a message naming the entry.
* ``shared-cells``: the outcome rows whose labels are printed on lines
  ``line``..``last_line`` are one table row holding several outcomes; their
  cells other than the outcome text belong to every one of them.
* ``proposal-text`` (with ``proposal``): the text an amendment proposal
  inserts, which the converted document prints without change marks: on
  that line, from the printed words on.
* ``split-row``: two outcomes printed in one row: the outcome cell of the
  row read at ``line`` is split where the printed text (the second
  outcome's label and first words) begins; both entries share the row's
  other cells.

Every applied correction is reported by ``wsiskg build`` and recorded in the
graph (what was printed, what was used, why).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from wsiskg.errors import CurationError, SourceError
from wsiskg.ingest.readers.base import TableRead
from wsiskg.ingest.readers.labels import find_label
from wsiskg.ingest.records import Correction, PlanRead, RawRow

IDENTITY_FILE = "outcomes.yaml"
KINDS = ("replace", "shared-cells", "split-row", "proposal-text")
FIELDS = (
    "label",
    "outcome",
    "timing",
    "goals",
    "sdgs",
    "results",
    "impact",
    "partners",
    "evidence",
    "covid",
    "row",
    "section",
    "layout",
    "proposal",
    "references",
)


@dataclass(frozen=True)
class CurationEntry:
    id: str
    source: str
    line: int
    field: str
    reason: str
    kind: str = "replace"
    printed: str = ""
    corrected: str = ""
    last_line: int | None = None
    proposal: int | None = None
    file: Path | None = None

    def correction(self) -> Correction:
        return Correction(
            rule=self.id,
            field=self.field,
            printed=self.printed,
            corrected=self.corrected,
            reason=self.reason,
            line=self.line,
        )


@dataclass
class Curation:
    """All curation entries, by source."""

    entries: list[CurationEntry]

    def for_source(self, source_id: str) -> list[CurationEntry]:
        return [e for e in self.entries if e.source == source_id]

    def apply_replacements(
        self, source_id: str, lines: list[str], path: Path
    ) -> dict[int, list[Correction]]:
        """Apply the replace entries of one source to its lines, in place.

        Returns the corrections made, by 1-based line number.
        """
        applied: dict[int, list[Correction]] = {}
        for entry in self.for_source(source_id):
            if entry.kind != "replace":
                continue
            if not 1 <= entry.line <= len(lines):
                raise CurationError(
                    f"curation entry {entry.id!r} points at line {entry.line}, "
                    f"but {path.name} has {len(lines)} lines",
                    path=entry.file,
                )
            text = lines[entry.line - 1]
            count = text.count(entry.printed)
            if count != 1:
                found = "does not occur" if count == 0 else f"occurs {count} times"
                raise CurationError(
                    f"curation entry {entry.id!r} no longer matches the source: "
                    f"{entry.printed!r} {found} on {path.name} line {entry.line}",
                    path=entry.file,
                    hint="the source changed; review the entry against the printed text",
                )
            lines[entry.line - 1] = text.replace(entry.printed, entry.corrected)
            applied.setdefault(entry.line, []).append(entry.correction())
        return applied

    def shared_cell_groups(self, source_id: str) -> list[CurationEntry]:
        return [e for e in self.for_source(source_id) if e.kind == "shared-cells"]

    def proposal_texts(self, source_id: str) -> list[CurationEntry]:
        return [e for e in self.for_source(source_id) if e.kind == "proposal-text"]

    def row_splits(self, source_id: str) -> list[CurationEntry]:
        return [e for e in self.for_source(source_id) if e.kind == "split-row"]


def load_curation(folder: Path, known_sources: set[str]) -> Curation:
    entries: list[CurationEntry] = []
    if not folder.is_dir():
        return Curation(entries)
    for path in sorted(folder.glob("*.yaml")):
        if path.name == IDENTITY_FILE:
            continue  # outcome identity decisions: see identity.py
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            raise CurationError(
                f"not valid YAML: {exc}", path=path, line=mark.line + 1 if mark else None
            ) from None
        if raw is None:
            continue
        if not isinstance(raw, dict) or not isinstance(raw.get("corrections"), list):
            raise CurationError("a curation file must have a list 'corrections'", path=path)
        for item in raw["corrections"]:
            entries.append(_entry(item, path, known_sources))
    ids = [e.id for e in entries]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise CurationError(f"curation ids used twice: {', '.join(duplicates)}", path=folder)
    return Curation(entries)


def _entry(item: Any, path: Path, known_sources: set[str]) -> CurationEntry:
    if not isinstance(item, dict):
        raise CurationError(f"curation entry is not a mapping: {item!r}", path=path)
    missing = [k for k in ("id", "source", "line", "field", "reason") if k not in item]
    if missing:
        raise CurationError(
            f"curation entry {item.get('id', item)!r} lacks {', '.join(missing)}", path=path
        )
    kind = str(item.get("kind", "replace"))
    if kind not in KINDS:
        raise CurationError(f"curation entry {item['id']!r}: unknown kind {kind!r}", path=path)
    field = str(item["field"])
    if field not in FIELDS:
        raise CurationError(
            f"curation entry {item['id']!r}: unknown field {field!r} (known: {', '.join(FIELDS)})",
            path=path,
        )
    source = str(item["source"])
    if source not in known_sources:
        raise CurationError(f"curation entry {item['id']!r}: unknown source {source!r}", path=path)
    if kind == "proposal-text" and "proposal" not in item:
        raise CurationError(f"curation entry {item['id']!r} needs 'proposal'", path=path)
    if kind in ("replace", "split-row", "proposal-text") and "printed" not in item:
        raise CurationError(f"curation entry {item['id']!r} needs 'printed'", path=path)
    if kind == "replace" and "corrected" not in item:
        raise CurationError(f"curation entry {item['id']!r} needs 'corrected'", path=path)
    if kind == "shared-cells" and "last_line" not in item:
        raise CurationError(f"curation entry {item['id']!r} needs 'last_line'", path=path)
    return CurationEntry(
        id=str(item["id"]),
        source=source,
        line=int(item["line"]),
        field=field,
        reason=str(item["reason"]),
        kind=kind,
        printed=str(item.get("printed", "")),
        corrected=str(item.get("corrected", "")),
        last_line=int(item["last_line"]) if item.get("last_line") is not None else None,
        proposal=int(item["proposal"]) if item.get("proposal") is not None else None,
        file=path,
    )


# Structural corrections, applied to what a reader read (the ``replace``
# entries are applied to the lines before it reads them: Curation.apply_replacements).


def share_cells(read: TableRead, curation: Curation, source_id: str, path: Path) -> None:
    """Apply shared-cells curation: outcomes printed in one table row share its cells."""
    for entry in curation.shared_cell_groups(source_id):
        assert entry.last_line is not None
        group = [r for r in read.rows if entry.line <= r.first_line <= entry.last_line]
        if len(group) < 2:
            raise SourceError(
                f"curation entry {entry.id!r} expects several outcome rows on lines "
                f"{entry.line}-{entry.last_line}, found {len(group)}",
                path=path,
                line=entry.line,
            )
        shared: dict[str, list[str]] = {}
        for row in group:
            for column, text in row.cells.items():
                if column != "outcome" and text:
                    shared.setdefault(column, []).append(text)
        merged = {c: "\n".join(parts) for c, parts in shared.items()}
        labels = ", ".join(r.key for r in group)
        for row in group:
            for column, text in merged.items():
                row.cells[column] = text
            row.corrections.append(
                Correction(
                    entry.id,
                    entry.field,
                    f"outcomes {labels} printed in one table row",
                    f"each of {labels} gets the row's shared cells",
                    entry.reason,
                    entry.line,
                )
            )


def split_rows(read: TableRead, curation: Curation, source_id: str, path: Path) -> None:
    """Apply split-row curation: two outcomes printed in one row become two rows
    sharing its cells (the lines stay with the first)."""
    for entry in curation.row_splits(source_id):
        matches = [r for r in read.rows if entry.line in r.lines]
        if not matches:
            raise SourceError(
                f"curation entry {entry.id!r}: no outcome row on line {entry.line}",
                path=path,
                line=entry.line,
            )
        row = matches[0]
        outcome = row.cells.get("outcome", "")
        if outcome.count(entry.printed) != 1:
            raise SourceError(
                f"curation entry {entry.id!r} no longer matches: {entry.printed!r} is not "
                f"printed once in the outcome cell of {row.action_line} {row.key}",
                path=path,
                line=entry.line,
            )
        before, after = outcome.split(entry.printed)
        label = find_label(entry.printed + after)
        if label is None:
            raise SourceError(
                f"curation entry {entry.id!r}: {entry.printed!r} does not start "
                "with an outcome label",
                path=path,
                line=entry.line,
            )
        key = label.printed if row.section != "wsis10" else f"wsis10-{label.printed}"
        row.cells["outcome"] = before.strip()
        fix = Correction(
            entry.id,
            entry.field,
            f"{row.printed_label} ... {label.printed_full} ...",
            f"{row.key} and {key} as two entries sharing the row's cells",
            entry.reason,
            entry.line,
        )
        row.corrections.append(fix)
        twin = RawRow(
            source_id=row.source_id,
            action_line=row.action_line,
            section=row.section,
            key=key,
            printed_label=label.printed_full,
            cells={**row.cells, "outcome": label.rest},
            first_line=entry.line,
            last_line=row.last_line,
            lines=[],
            corrections=[fix],
            results_notation=row.results_notation,
        )
        read.rows.insert(read.rows.index(row) + 1, twin)


def attach_line_fixes(read: TableRead, fixes_by_line: dict[int, list[Correction]]) -> None:
    """Corrections of a line go to the outcome row that holds the line; those of
    other lines (headers, sections) stay with the edition."""
    for line_no, fixes in sorted(fixes_by_line.items()):
        holders = [r for r in read.rows if line_no in r.lines]
        if holders:
            holders[0].corrections.extend(fixes)
        else:
            read.corrections.extend(fixes)


def attach_proposal_texts(
    read: PlanRead, curation: Curation, source_id: str, lines: list[str], path: Path
) -> None:
    """Attach the text each proposal inserts, as recorded in curation."""
    proposals = {p.number: p for p in read.proposals}
    for entry in curation.proposal_texts(source_id):
        assert entry.proposal is not None
        if entry.proposal not in proposals:
            raise SourceError(
                f"curation entry {entry.id!r}: no proposal {entry.proposal}",
                path=path,
                line=entry.line,
            )
        text = lines[entry.line - 1] if 1 <= entry.line <= len(lines) else ""
        if text.count(entry.printed) != 1:
            raise SourceError(
                f"curation entry {entry.id!r} no longer matches: "
                f"{entry.printed!r} is not printed once on line {entry.line}",
                path=path,
                line=entry.line,
            )
        inserted = text[text.index(entry.printed) :].strip()
        proposals[entry.proposal].text.append((entry.line, inserted))
        read.corrections.append(entry.correction())
    for proposal in read.proposals:
        proposal.text.sort()
