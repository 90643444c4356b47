"""Reader for flattened PDF text (the 2019 edition).

The table's cells are broken into short lines and the columns follow one
another in reading order within each row: outcome text, timing, strategic
goals and resolutions, SDG linkage, expected results and activities. Where a
row runs over a page, the next page resumes every unfinished column, again in
column order, after a repeated header (or, late in the document, at an
unmarked page break: a line that starts with a single space). Footnotes,
page numbers and link footers stand between.

Each line is assigned to a column by what it says (a year opens the timing,
"Goal"/"Resolutions"/"(Rev." lines belong to the goals column, code lists to
the SDG column, "Expected Results:" and long lines to the results) and by
where the row stands, so the cells can go through the same cell parsers as
the TAB editions. Every line gets a role, as in the TAB reader.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from wsiskg.errors import SourceError
from wsiskg.ingest.readers.base import RowBuilder, TableRead
from wsiskg.ingest.readers.labels import LabelSequence, find_label
from wsiskg.ingest.records import Correction, RawRow
from wsiskg.ingest.sources import ReaderOptions, Source

COLUMNS = ("outcome", "timing", "goals", "sdgs", "results")
_O, _T, _G, _S, _R = range(5)

_TITLE = re.compile(r"^\s*Roadmap\s+for\s+WSIS\s+Action\s+Line\s+(C\d{1,2})\b", re.IGNORECASE)
_SECTION_GT = re.compile(r"^\s*Geneva\s+Plan\s+of\s+Action", re.IGNORECASE)
_SECTION_W10 = re.compile(r"^\s*WSIS\s?\+\s?10\s+Outcome\s+Doc", re.IGNORECASE)
_HEADER_END = re.compile(r"^\s*Expected\s+Results\s+of\s+ITU\s+Activities\s*\d*\s*$")
_HEADER_WORDS = re.compile(
    r"^\s*(?:WSIS\s+Outcomes\s*\d*|\(WSIS\s+AL\s+C\d{1,2}\)|Proposed|Timing\s*\d*|ITU\s+Strategic|"
    r"Goals\s+and|Relevant|Resolutions\s*\d+|Resolutions|Linkage(?:\s+with)?(?:\s+the)?|"
    r"with\s+the|the\s+SDGs|SDGs)\s*$"
)
# a header cell with its footnote mark, standing where a page begins
_HEADER_ANCHOR = re.compile(r"^ ?(?:WSIS\s+Outcomes|Timing|Resolutions)\s*\d{1,2}\s*$")
_FOOTNOTE = re.compile(
    r"^\s*\d{1,2}\s+(?:WSIS\s+[Oo]utcomes|A\s+proposed|Relevant\s+ITU|"
    r"This\s+column|In\s+this\s+column)"
)
_FOOTER = re.compile(r"^\s*(?:Page\s+\d{1,3}|https?://\S+)\s*$")
_YEAR_LINE = re.compile(r"^\s*((?:19|20)\d\d\s*-\s*(?:(?:19|20)\d\d)?|(?:19|20)\d\d)(?=\s|$)(.*)$")
_YEAR_END = re.compile(r"^\s*((?:19|20)\d\d)\s*$")
_RESULTS_MARK = re.compile(
    r"^\s*(?:Expected\s+Results\s*:|ITU\s+Activities\s*:?|Results\s+of\s+activities|"
    r"[-•\uf0b7]\s*\S)"
)
_CODE = r"\d{1,2}(?:\.(?:\d{1,2}|[a-z]))?"
_SDG_LIST = re.compile(rf"^\s*(?:SDGs?\s*)?{_CODE}(?:\s*,\s*{_CODE}|\s+{_CODE})*\s*[,.]?\s*$")
_GOALS_OPEN = re.compile(
    r"(?:Objective|Programme|Goals?|Res\.?|Output|Target|Rev\.?|[,(&]|and)\s*$"
)
_SDG_CITED = re.compile(r"^\s*\d{1,2}\.(?:\d{1,2}|[a-z])\s*:?\s+[A-Za-z]")
_GOAL_WORDS = re.compile(
    r"^\s*(?:Goals?\b|ITU-[DTR]\s+[Oo]bjective|ITU-D$|ITU\s+Strategic|Buenos\b|Action\s+Plan|Objective\b|\d/Out|Regional\b|"
    r"Initiatives|\((?:AFR|AMS|ARB|ASP|CIS|EUR|ARF)|(?:AFR|AMS|ARB|ASP|CIS|EUR)\d|GCA\b|"
    r"\d\.\s?(?:Legal|Technical|Organi|Capacity|International)|S\.International|"
    r"Legal|Measures|Procedural|Structures|Building|Cooperation|Resolutions?\b|PP\b|"
    r"WTDC|WTSA|C\d\d\s+Res|\(Rev|Rev\.|\d{1,4}\s*\(Rev|\d{1,3}\s*$|"
    r"[A-Z][a-z]+(?:\s[A-Z][a-z]+)?,?\s+\d{4}\)|\d{4}\)|Aires|Strategic|"
    r"\(Target|\d\.\d\)|Target\b|objectives)"
)
_LONG = 48
_MIXED = re.compile(r"^(.*?)\s+(Expected\s+Results\s*:.*)$")


@dataclass
class _Row(RowBuilder):
    """A row of the flattened layout and the column it stands in."""

    state: int = _O
    has_timing: bool = False
    timing_open: bool = False
    restart: bool = False

    def open(self, column: str) -> bool:
        text = self.text_of(column).rstrip()
        return bool(text) and not text.endswith((".", "!", "?"))


def _header_lines(lines: list[str]) -> set[int]:
    """Line numbers of repeated table headers: the header words that stand
    right before "Expected Results of ITU Activities"."""
    found: set[int] = set()
    for index, text in enumerate(lines):
        if not (_HEADER_END.match(text) or _HEADER_ANCHOR.match(text)):
            continue
        found.add(index + 1)
        back = index - 1
        while back >= 0 and (not lines[back].strip() or _HEADER_WORDS.match(lines[back])):
            if lines[back].strip():
                found.add(back + 1)
            back -= 1
    return found


def _classify(row: _Row, text: str) -> int:
    """The column a content line belongs to, given where the row stands."""
    stripped = text.strip()
    state = row.state
    if row.restart and stripped.startswith("(") and row.state == _R and row.open("results"):
        # "(joint activity of BDT and BR)": the tail of the result or activity
        # the page cut, not a new sentence of the outcome
        return _R
    if row.restart:
        # A new page resumes the unfinished columns in order. The outcome
        # resumes where its text stopped mid-sentence, or after ";" / ":" with
        # an outcome-like line (~40 characters, or a sub-point "iii. ...");
        # results lines are longer than outcome lines.
        outcome = row.text_of("outcome").rstrip()
        mid_sentence = bool(outcome) and not outcome.rstrip("])'\"").endswith(
            (".", "!", "?", ";", ":")
        )
        after_list = outcome.endswith((";", ":"))
        outcome_like = (24 < len(stripped) < _LONG) or re.match(r"^[ivx]{1,4}\.\s", stripped)
        resumes = (mid_sentence and len(stripped) < _LONG) or (after_list and outcome_like)
        state = _O if resumes else _G
    outcome_text = row.text_of("outcome").rstrip().rstrip("])'\"")
    if state == _O and row.has_timing and outcome_text.endswith((".", "!", "?")):
        state = _G  # the outcome's sentence is complete
    other = (
        (_GOAL_WORDS.match(stripped) and len(stripped) <= 32)
        or _SDG_LIST.match(stripped)
        or _SDG_CITED.match(stripped)
        or _RESULTS_MARK.match(stripped)
    )
    if state == _O and (not row.has_timing or not other):
        return _O
    if _RESULTS_MARK.match(stripped):
        return _R
    lone = re.fullmatch(r"(\d{1,3})\s*[,.]?", stripped)
    if lone and (int(lone.group(1)) > 17 or _GOALS_OPEN.search(row.text_of("goals"))):
        return _G  # "ITU-D Objective" / "3"; "WTSA Res. 50," / "52"
    if _SDG_LIST.match(stripped) or _SDG_CITED.match(stripped):
        return _S
    if len(stripped) <= 32 and _GOAL_WORDS.match(stripped):
        return _G
    if len(stripped) >= _LONG:
        return _R
    if row.restart and row.open("sdgs") and not _GOALS_OPEN.search(row.text_of("goals")):
        return _S
    return max(state, _G)


def read_pdf_flow(source: Source, lines: list[str], options: ReaderOptions) -> TableRead:
    """Reassemble the outcome rows of a flattened-PDF roadmap edition."""
    source_id, path = source.id, source.path
    headers = _header_lines(lines)
    roles: dict[int, str] = {}
    owner: dict[int, str] = {}
    rows: list[RawRow] = []
    read = TableRead(rows, roles, owner)

    action_line: str | None = None
    section = "geneva-tunis"
    sequence = LabelSequence(strict=True)
    current: _Row | None = None
    in_footnotes = False
    previous_role = ""

    def close() -> None:
        nonlocal current
        if current is not None:
            read.add_row(current, source_id, options)
            current = None

    for index, raw in enumerate(lines):
        line_no = index + 1
        text = raw.rstrip()
        stripped = text.strip()
        if not stripped:
            roles[line_no] = "blank"
            continue
        title = _TITLE.match(text)
        if title:
            close()
            action_line = title.group(1).upper()
            section = "geneva-tunis"
            sequence = LabelSequence(strict=True)
            roles[line_no] = previous_role = "title"
            in_footnotes = False
            continue
        if action_line is None:
            roles[line_no] = "front-matter"
            continue
        if line_no in headers:
            roles[line_no] = previous_role = "header"
            in_footnotes = False
            if current is not None:
                current.restart = True
            continue
        if _FOOTNOTE.match(text) or (in_footnotes and previous_role == "footnote"):
            in_footnotes = True
            roles[line_no] = previous_role = "footnote"
            continue
        if _FOOTER.match(text):
            roles[line_no] = previous_role = "footer"
            if current is not None:
                current.restart = True
            continue
        if _SECTION_GT.match(text) or _SECTION_W10.match(text):
            close()
            section = "wsis10" if _SECTION_W10.match(text) else "geneva-tunis"
            sequence = LabelSequence(strict=True)
            roles[line_no] = previous_role = "section"
            continue
        if current is None and previous_role in ("title", "note") and not find_label(text):
            roles[line_no] = previous_role = "note"  # title wrap, "Note: GCA - ..."
            continue
        if current is None and previous_role == "section" and not find_label(text):
            roles[line_no] = previous_role = "section"  # the section row wraps
            continue
        label = find_label(text)
        accepted = sequence.accept(label.printed, section) if label is not None else None
        if (
            label is not None
            and accepted is not None
            and (current is None or current.has_timing or current.state >= _G)
        ):
            close()
            key, fix = accepted
            current = _Row(action_line, section, key, label.printed_full, line_no)
            if fix:
                current.corrections.append(
                    Correction(
                        "rule:label-misprint",
                        "label",
                        label.printed,
                        key.removeprefix("wsis10-"),
                        f"the label sequence of {action_line} calls for that letter here",
                        line_no,
                    )
                )
            current.put("outcome", line_no, label.rest)
            current.lines.append(line_no)
            roles[line_no] = previous_role = "outcome"
            owner[line_no] = f"{action_line}/{key}"
            continue
        if current is None:
            raise SourceError(
                "text outside any outcome row",
                path=path,
                line=line_no,
                hint="record a curation entry, or check the layout",
            )
        if text.startswith(" ") and not text.startswith("  ") and previous_role != "header":
            current.restart = True  # an unmarked page break
        _place(current, line_no, stripped)
        current.lines.append(line_no)
        roles[line_no] = previous_role = "outcome"
        owner[line_no] = f"{current.action_line}/{current.key}"
    close()
    return read


def _place(row: _Row, line_no: int, text: str) -> None:
    """Put one content line into its column and move the row's state."""
    if row.timing_open:
        row.timing_open = False
        end = _YEAR_END.match(text)
        if end:
            row.put("timing", line_no, end.group(1))
            return
    year = _YEAR_LINE.match(text)
    if year and not row.has_timing and row.state <= _T:
        row.put("timing", line_no, year.group(1).strip())
        row.has_timing = True
        row.timing_open = year.group(1).strip().endswith("-")
        row.state = _G
        row.restart = False
        rest = year.group(2).strip()
        if rest:
            row.put("goals", line_no, rest)
        return
    mixed = _MIXED.match(text)
    if mixed and _SDG_LIST.match(mixed.group(1)):
        # "11.3, 11.b, Expected Results:": a code list sharing a line with the results
        row.put("sdgs", line_no, mixed.group(1))
        row.put("results", line_no, mixed.group(2))
        row.state = _R
        row.restart = False
        return
    column = _classify(row, text)
    row.state = column if row.restart else max(row.state, column)
    row.restart = False
    row.put(COLUMNS[column], line_no, text)
