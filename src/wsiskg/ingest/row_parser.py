"""From reassembled rows to parsed roadmap entries (shared by every layout).

Each cell goes to the parser of its notation; a cell that does not parse
stops the build with a message naming the source file and the row's lines.
"""

from __future__ import annotations

from pathlib import Path

from wsiskg.errors import CellParseError, SourceError
from wsiskg.ingest import cells
from wsiskg.ingest.records import Entry, RawRow


def parse_row(row: RawRow, edition: str, path: Path) -> Entry:
    where = f"{row.action_line} {row.key} (lines {row.first_line}-{row.last_line})"
    get = row.cells.get
    try:
        timing = cells.parse_timing(get("timing", ""))
        goal_refs, goal_fixes = cells.parse_goal_cell(get("goals", ""), action_line=row.action_line)
        sdgs = cells.parse_sdg_refs(get("sdgs", ""))
        results_text = get("results", "")
        if row.results_notation == "numbered-activities":
            results, activities = cells.parse_activities_2010(results_text)
        else:
            results, activities = cells.parse_results_cell(results_text)
    except CellParseError as exc:
        raise SourceError(f"{where}: {exc.message}", path=path, line=row.first_line) from None
    prose = "\n".join(get(c, "") for c in ("results", "evidence", "covid"))
    mentions = tuple(
        m
        for m in cells.find_mentions(prose)
        if not any(c.body == m.body and c.number == m.number for c in goal_refs.citations)
    )
    text = cells.squash(get("outcome", ""))
    if not text:
        raise SourceError(
            f"{where}: outcome row without outcome text", path=path, line=row.first_line
        )
    return Entry(
        edition=edition,
        source_id=row.source_id,
        action_line=row.action_line,
        section=row.section,
        key=row.key,
        printed_label=row.printed_label,
        text=text,
        first_line=row.first_line,
        last_line=row.last_line,
        timing=timing,
        goals=goal_refs,
        sdgs=sdgs,
        results=results,
        activities=activities,
        mentions=mentions,
        evidence=_text(get("evidence")),
        covid=_text(get("covid")),
        resource_impact=_text(get("impact")),
        partners=_text(get("partners")),
        corrections=list(row.corrections)
        + [
            fix.__class__(
                fix.rule, fix.field, fix.printed, fix.corrected, fix.reason, row.first_line
            )
            for fix in goal_fixes
        ],
    )


def _text(value: str | None) -> str | None:
    if value is None:
        return None
    flat = cells.squash(value)
    return flat or None


def check_unique(entries: list[Entry], path: Path) -> None:
    """Two rows with the same label in one action line are a source defect."""
    seen: dict[tuple[str, str], Entry] = {}
    for entry in entries:
        key = (entry.action_line, entry.key)
        if key in seen:
            raise SourceError(
                f"{entry.action_line} {entry.key} printed twice (lines "
                f"{seen[key].first_line} and {entry.first_line})",
                path=path,
                line=entry.first_line,
                hint="record a curation entry that relabels one of them",
            )
        seen[key] = entry
