"""Reader for the TAB layout: one table row per physical line, cells
separated by TAB, logical rows spread over many lines.

It knows text layouts only: titles, repeated header rows, section rows,
footnotes, page artefacts, continuation lines, labels in their own cell and
HTML fragments inside cells. It yields :class:`RawRow` records (cells by
column, the lines they came from) and assigns every physical line a role, so
the build can report where each line went.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from wsiskg.errors import SourceError
from wsiskg.ingest.readers.base import RowBuilder, TableRead
from wsiskg.ingest.readers.labels import LabelSequence, find_label
from wsiskg.ingest.records import Correction, RawRow
from wsiskg.ingest.sources import ReaderOptions, Source

# canonical column names, recognised from the header text
_COLUMNS = [
    ("outcome", re.compile(r"WSIS\s+Outcomes|Outcomes", re.IGNORECASE)),
    ("timing", re.compile(r"Proposed|Timing", re.IGNORECASE)),
    ("goals", re.compile(r"Strategic\s+Goals|Relevant\s+Resolutions", re.IGNORECASE)),
    ("sdgs", re.compile(r"Linkages?\s+with\s+(?:the\s+)?SDGs", re.IGNORECASE)),
    ("evidence", re.compile(r"Evidence", re.IGNORECASE)),
    ("results", re.compile(r"Expected\s+(?:and\s+Achieved\s+)?Results", re.IGNORECASE)),
    ("impact", re.compile(r"Impact\s+on\s+ITU", re.IGNORECASE)),
    ("partners", re.compile(r"Other\s+Partners", re.IGNORECASE)),
    ("covid", re.compile(r"COVID", re.IGNORECASE)),
]
_TITLE = re.compile(
    r"^\s*(?:\d\.\s*)?(?:Roadmap\s+for\s+)?WSIS\s+Action\s+Line\s+(C\d{1,2})\b", re.IGNORECASE
)
_HEADER_AL = re.compile(r"\(\s*WSIS\s+AL\s+(C\d{1,2})\s*\)", re.IGNORECASE)
_SECTION_GT = re.compile(r"^Geneva\s+Plan\s+of\s+Action", re.IGNORECASE)
_SECTION_W10 = re.compile(r"^WSIS\s?\+\s?10\s+Outcome\s+Doc", re.IGNORECASE)
_FOOTNOTE = re.compile(r"^\s*(?:\^\{\d{1,2}\.?\}|[¹²³⁴⁵⁶⁷⁸⁹⁰]+|\d{1,2}\s+[A-Z])")
_ARTEFACT_CELL = re.compile(r"^(?:[1ıIl|•]|-\s*\S{1,3}\s*-)$")

ROLES = (
    "blank",
    "front-matter",
    "title",
    "note",
    "header",
    "section",
    "footnote",
    "artefact",
    "outcome",
    "back-matter",
)


@dataclass
class _TabRow(RowBuilder):
    """A row of the TAB layout: a merged cell may be printed again after a page break."""

    page_break: bool = False

    def add(self, line_no: int, cells: dict[str, str]) -> None:
        self.lines.append(line_no)
        for column, text in cells.items():
            if not text.strip():
                continue
            parts = self.cells.setdefault(column, [])
            if self.page_break and parts and parts[-1][1] == text.strip() and column != "outcome":
                # a merged cell printed again on the next page
                self.corrections.append(
                    Correction(
                        "rule:page-repeat",
                        column,
                        text.strip(),
                        "",
                        "a merged cell printed again after a page break is read once",
                        line_no,
                    )
                )
                continue
            if column == "results" and parts and _repeats(parts[-1][1], text.strip()):
                # the conversion printed the end of the line above a second time
                self.corrections.append(
                    Correction(
                        "rule:repeated-tail",
                        column,
                        text.strip(),
                        "",
                        "the words of this line are printed once already at the end of (or "
                        "inside) the line above; they are read once",
                        line_no,
                    )
                )
                continue
            parts.append((line_no, text.strip()))
        self.page_break = False


def _repeats(above: str, text: str) -> bool:
    """Whether a line's text only repeats the line above: its last two or more
    words, or four or more of its words anywhere."""
    words = text.split()
    if len(words) < 2:
        return False
    flat = " ".join(above.split())
    return flat.endswith(" " + " ".join(words)) or (len(words) >= 4 and f" {text} " in f" {flat} ")


def _columns(header_cells: list[str], path: Path, line_no: int) -> list[str]:
    cells = [c for c in header_cells]
    if cells and not cells[0].strip():
        cells = cells[1:]
    names: list[str] = []
    for cell in cells:
        for name, pattern in _COLUMNS:
            if name not in names and pattern.search(cell):
                names.append(name)
                break
        else:
            raise SourceError(
                f"header cell not recognised: {cell.strip()!r}", path=path, line=line_no
            )
    if names[:2] != ["outcome", "timing"]:
        raise SourceError(
            "a table header must start with the outcomes and timing columns",
            path=path,
            line=line_no,
        )
    return names


def _is_header(cells: list[str]) -> bool:
    text = " ".join(cells)
    return bool(
        re.search(r"Proposed", text) and re.search(r"Timing", text) and re.search(r"Outcomes", text)
    )


def read_tab_table(source: Source, lines: list[str], options: ReaderOptions) -> TableRead:
    """Reassemble the outcome rows of a TAB-layout roadmap edition."""
    source_id, path = source.id, source.path
    roles: dict[int, str] = {}
    owner: dict[int, str] = {}
    rows: list[RawRow] = []
    read = TableRead(rows, roles, owner)

    action_line: str | None = None
    columns: list[str] | None = None
    section = "geneva-tunis"
    sequence = LabelSequence()
    current: _TabRow | None = None
    pending: list[tuple[int, dict[str, str]]] = []
    seen_table = False
    after_section = False
    used_labels: dict[tuple[str | None, str], set[str]] = {}

    def close() -> None:
        nonlocal current
        if current is not None:
            read.add_row(current, source_id, options)
            current = None

    def start_action_line(code: str) -> None:
        nonlocal action_line, section, sequence, columns
        close()
        if pending:
            _orphans(pending, path)
        action_line = code
        section = "geneva-tunis"
        sequence = LabelSequence()
        columns = None

    for index, raw in enumerate(lines):
        line_no = index + 1
        text = raw.rstrip("\n")
        if not text.strip():
            roles[line_no] = "blank"
            continue
        cells = text.split("\t")
        joined = " ".join(c.strip() for c in cells if c.strip())
        single = len([c for c in cells if c.strip()]) == 1 and len(cells) <= 2

        title = _TITLE.match(joined) if single else None
        if title and not (len(cells) == 2 and cells[1].strip()):
            start_action_line(title.group(1).upper())
            roles[line_no] = "title"
            seen_table = True
            continue
        if not seen_table:
            roles[line_no] = "front-matter"
            continue
        if _is_header(cells):
            found = _HEADER_AL.search(joined)
            code = found.group(1).upper() if found else action_line
            if code is None:
                raise SourceError(
                    "table header before any action line title", path=path, line=line_no
                )
            if code != action_line:
                start_action_line(code)
            columns = _columns(cells, path, line_no)
            roles[line_no] = "header"
            if current is not None:
                current.page_break = True
            if re.search(r"Geneva\s+Plan\s+of\s+Action", joined):
                close()
                section = "geneva-tunis"
                roles[line_no] = "header"
            continue
        if _SECTION_GT.match(joined) or _SECTION_W10.match(joined):
            close()
            new_section = "wsis10" if _SECTION_W10.match(joined) else "geneva-tunis"
            if new_section != section or sequence.previous is not None:
                if pending:
                    _orphans(pending, path)
                sequence = LabelSequence()
            section = new_section
            roles[line_no] = "section"
            after_section = True
            continue
        if (
            after_section
            and current is None
            and not pending
            and cells[0].strip()
            and not any(c.strip() for c in cells[1:])
            and find_label(cells[0]) is None
        ):
            # the section row's title wraps onto a line of its own ("... Beyond" / "2015")
            roles[line_no] = "section"
            continue
        if single and columns is not None and len(cells) == 1:
            previous_role = _previous_role(roles, line_no)
            if _FOOTNOTE.match(text) or previous_role == "footnote":
                roles[line_no] = "footnote"
            elif (
                action_line is not None
                and rows
                and not current
                and previous_role in ("back-matter",)
            ):
                roles[line_no] = "back-matter"
            else:
                roles[line_no] = "note"
            continue
        if single and columns is None:
            roles[line_no] = "note"
            continue
        if columns is None:
            raise SourceError(
                "table row outside a table (no header row above it)", path=path, line=line_no
            )
        if all(_ARTEFACT_CELL.match(c.strip()) for c in cells if c.strip()):
            roles[line_no] = "artefact"
            read.notes.append(f"line {line_no}: page artefact {joined!r} ignored")
            continue
        row_cells = _normalise(cells, columns, path, line_no)
        label = find_label(row_cells["outcome"])
        accepted = None
        if label is not None:
            accepted = sequence.accept(label.printed, section)
            if (
                accepted is None
                and label.printed in used_labels.get((action_line, section), ())
                and row_cells.get("timing", "").strip()
            ):
                raise SourceError(
                    f"{action_line} {label.printed_full} is printed a second time in this "
                    "section (a row with its own timing)",
                    path=path,
                    line=line_no,
                    hint="record a curation entry that relabels one of the two rows",
                )
        if label is not None and accepted is not None:
            close()
            after_section = False
            key, fix = accepted
            used_labels.setdefault((action_line, section), set()).add(label.printed)
            corrections: list[Correction] = []
            if fix:
                corrections.append(
                    Correction(
                        "rule:label-misprint",
                        "label",
                        label.printed,
                        key.removeprefix("wsis10-"),
                        f"the label sequence of {action_line} calls for "
                        f"{key.removeprefix('wsis10-')!r} here",
                        line_no,
                    )
                )
            row_cells["outcome"] = label.rest
            assert action_line is not None
            current = _TabRow(
                action_line, section, key, label.printed_full, line_no, corrections=corrections
            )
            for pending_line, pending_cells in pending:
                current.add(pending_line, pending_cells)
                owner[pending_line] = f"{action_line}/{key}"
            pending.clear()
            current.add(line_no, row_cells)
            roles[line_no] = "outcome"
            owner[line_no] = f"{action_line}/{key}"
            continue
        if current is None:
            pending.append((line_no, row_cells))
            roles[line_no] = "outcome"
            continue
        current.add(line_no, row_cells)
        roles[line_no] = "outcome"
        owner[line_no] = f"{current.action_line}/{current.key}"
    close()
    if pending:
        _orphans(pending, path)
    return read


def _previous_role(roles: dict[int, str], line_no: int) -> str | None:
    for n in range(line_no - 1, 0, -1):
        role = roles.get(n)
        if role not in (None, "blank"):
            return role
    return None


def _orphans(pending: list[tuple[int, dict[str, str]]], path: Path) -> None:
    first = pending[0][0]
    raise SourceError(
        "table lines that belong to no outcome row (no labelled row follows them in this section)",
        path=path,
        line=first,
        hint="record a curation entry that labels or removes them",
    )


def _normalise(cells: list[str], columns: list[str], path: Path, line_no: int) -> dict[str, str]:
    """Map a line's cells to the table's columns.

    A line with one cell more than the header is accepted only where its
    first cell is a bare label printed in its own cell ("h." then the outcome
    text). Any other line with fewer or more cells than the header is
    refused, an empty extra cell included: a stray TAB shifts every cell after
    it into the wrong column, so it is fixed by a curation entry, never
    guessed at.
    """
    n = len(columns)
    if len(cells) == n + 1:
        first = cells[0].strip()
        label = find_label(first)
        if label is not None and label.rest == "":
            cells = [f"{first} {cells[1].strip()}"] + cells[2:]
    if len(cells) != n:
        raise SourceError(
            f"table row has {len(cells)} cells, the header has {n}",
            path=path,
            line=line_no,
            hint="a cell is missing or split; record a curation entry",
        )
    return dict(zip(columns, cells, strict=True))
