"""Every expected result and ITU activity of every roadmap edition, traced
back to the source lines of its entry: each item is one whole item as
printed, and nothing of the results column is lost.

Not a sample: the tests walk every item of every entry of every edition.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import pytest

from wsiskg.graph.build import EditionReport
from wsiskg.ingest.curation import Curation
from wsiskg.ingest.readers.base import TableRead
from wsiskg.ingest.readers.dispatch import read_roadmap
from wsiskg.ingest.records import Entry, RawRow
from wsiskg.ingest.row_parser import parse_row
from wsiskg.ingest.sources import Source

EDITIONS = ["roadmaps-2010", "roadmaps-2019-draft-zero", "roadmaps-2019", "roadmaps-2024-draft"]

# The column's own headings (capitalised, followed by a colon, the end of the
# line or a capitalised word), and the 2010 activity codes ("A1*:"): they
# open items and belong to none.
_HEADING = re.compile(
    r"(?:Expected\s+Results?|(?:ITU|TTO|110|ITH)\s+(?:Activities|ACTIVITIES)"
    r"(?:\s*\(Aligned\s+with\s+SDGs\))?)(?=\s*:|\s*$|\s+[^a-z\s])"
    r"|Results\s+of\s+activities(?:\s+in\s+this\s+area)?\s+include(?=\s*:)"
)
_CODE_2010 = re.compile(r"(?<![A-Za-z0-9])A\s?\d{1,2}\s*\*?\s*:")
_TAG = re.compile(r"<[^>]{0,300}>")
# an item never ends on a word that needs its continuation
_OPEN_END = {
    "and",
    "or",
    "of",
    "the",
    "to",
    "for",
    "in",
    "with",
    "a",
    "an",
    "among",
    "between",
    "by",
    "on",
    "from",
    "at",
    "into",
    "under",
    "its",
    "their",
}


def words(text: str) -> list[str]:
    """The words of a text, lower case, without HTML, punctuation or line breaks."""
    return re.findall(r"[^\W_]+", html.unescape(_TAG.sub(" ", text)).lower())


@dataclass
class Traced:
    entry: Entry
    haystack: list[str]  # the words of the results column of the entry's lines
    lines: list[int]


def _groups(rows: list[RawRow], curation: Curation, source_id: str) -> dict[int, list[int]]:
    """Rows that share one printed row's cells (recorded curation entries): index -> lines."""
    ids = {e.id for e in curation.shared_cell_groups(source_id)}
    ids |= {e.id for e in curation.row_splits(source_id)}
    by_rule: dict[str, list[int]] = {}
    for index, row in enumerate(rows):
        for fix in row.corrections:
            if fix.rule in ids:
                by_rule.setdefault(fix.rule, []).append(index)
    lines: dict[int, list[int]] = {}
    for members in by_rule.values():
        union = sorted({n for m in members for n in rows[m].lines})
        for m in members:
            lines[m] = union
    return lines


def trace(source: Source, curation: Curation) -> list[Traced]:
    assert source.edition is not None
    table: TableRead = read_roadmap(source, curation)
    grouped = _groups(table.rows, curation, source.id)
    traced = []
    for index, row in enumerate(table.rows):
        entry = parse_row(row, source.edition.id, source.path)
        lines = grouped.get(index, sorted(row.lines))
        text = " ".join(table.placed.get(n, {}).get("results", "") for n in lines)
        text = _HEADING.sub(" ", html.unescape(_TAG.sub(" ", text)))
        if source.edition.id == "2010":
            text = _CODE_2010.sub(" ", text)
        traced.append(Traced(entry, words(text), lines))
    return traced


@pytest.fixture(scope="module")
def traced(sources: dict[str, Source], curation: Curation) -> dict[str, list[Traced]]:
    return {sid: trace(sources[sid], curation) for sid in EDITIONS}


def _find(needle: list[str], haystack: list[str], start: int) -> int:
    """Where a word sequence begins in a longer one, from start on; -1 if nowhere."""
    if not needle:
        return -1
    for i in range(start, len(haystack) - len(needle) + 1):
        if haystack[i : i + len(needle)] == needle:
            return i
    return -1


def problems(item: Traced) -> list[str]:
    """Every way in which an entry's items are not its results column as printed."""
    entry = item.entry
    where = f"{entry.action_line} {entry.key} (lines {entry.first_line}-{entry.last_line})"
    found: list[str] = []
    cursor = 0
    covered = [False] * len(item.haystack)
    for kind, items in (("result", entry.results), ("activity", entry.activities)):
        for number, one in enumerate(items, 1):
            needle = words(one.text)
            at = _find(needle, item.haystack, cursor)
            if at < 0:
                anywhere = _find(needle, item.haystack, 0)
                found.append(
                    f"{where} {kind} {number} "
                    f"{'out of order' if anywhere >= 0 else 'not in its lines'}: "
                    f"{one.text[:80]!r}"
                )
                continue
            for i in range(at, at + len(needle)):
                covered[i] = True
            cursor = at + len(needle)
            if needle[-1] in _OPEN_END:
                found.append(f"{where} {kind} {number} stops before its end: {one.text[-60:]!r}")
    lost = [w for w, c in zip(item.haystack, covered, strict=True) if not c]
    if lost:
        found.append(f"{where}: words of the results column in no item: {' '.join(lost)[:200]!r}")
    return found


@pytest.mark.parametrize("source_id", EDITIONS)
def test_every_item_is_whole_and_nothing_is_lost(
    source_id: str, traced: dict[str, list[Traced]]
) -> None:
    """Verify that every result and activity of the edition is found, whole and in printed
    order, in its entry's own results column, and that every word of that column reaches an
    item (headings aside)."""
    found = [p for item in traced[source_id] for p in problems(item)]
    assert found == [], "\n".join(found)
    assert sum(len(t.entry.results) + len(t.entry.activities) for t in traced[source_id]) > 0


@pytest.mark.parametrize("source_id", EDITIONS)
def test_every_line_has_a_role(
    source_id: str, sources: dict[str, Source], curation: Curation
) -> None:
    """Verify that the reader gives every physical line of the source a role."""
    source = sources[source_id]
    lines = source.read_lines()
    table = read_roadmap(source, curation, lines)
    missing = [n for n in range(1, len(lines) + 1) if n not in table.roles]
    assert missing == []
    placed_elsewhere = [n for n in table.placed if table.roles.get(n) != "outcome"]
    assert placed_elsewhere == []


def test_pdf_outcomes_hold_no_text_of_other_columns(
    edition_reports: dict[str, EditionReport],
) -> None:
    """Verify that the flattened-PDF reader puts no line of the results (or any other)
    column into an outcome: every 2019 outcome reads word for word as the same outcome of
    the draft zero, whose TAB cells leave no doubt about columns (the editions print the
    WSIS outcome texts unchanged; hyphenation aside)."""
    draft = {(e.action_line, e.key): e for e in edition_reports["roadmaps-2019-draft-zero"].entries}
    compared = 0
    for entry in edition_reports["roadmaps-2019"].entries:
        twin = draft.get((entry.action_line, entry.key))
        if twin is None:
            continue
        assert "".join(words(entry.text)) == "".join(words(twin.text)), (
            entry.action_line,
            entry.key,
        )
        compared += 1
    assert compared == len(edition_reports["roadmaps-2019"].entries)
