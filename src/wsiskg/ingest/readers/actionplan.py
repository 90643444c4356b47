"""Reader for the Buenos Aires Action Plan (Word-converted prose and tables).

The document opens with a TDAG correspondence-group contribution (its
numbered proposals name an output and a heading each), then the plan: per
objective a heading "Objective N – Title: description", a table of outcomes
with their performance indicators and the outputs that serve them, and one
section per output ("Output N.M", its title, "Programme: ...", and a
closing "References to WTDC Resolutions, WSIS Action Lines and Sustainable
Development Goals" with three paragraphs: resolutions, action lines, SDGs).

The reader yields typed records and a role for every line; the reference
paragraphs go through the cell parsers.
"""

from __future__ import annotations

import re
from pathlib import Path

from wsiskg.errors import CellParseError, SourceError
from wsiskg.ingest import cells
from wsiskg.ingest.records import PlanOutcomeRecord, PlanOutputRecord, PlanRead, ProposalRecord
from wsiskg.ingest.sources import ReaderOptions, Source

_PROPOSAL = re.compile(
    r"^\s*(\d{1,2})\.\s+In\s+Output\s+(\d\.\d{1,2}),\s+under\s+[“\"](.+?)[”\"],\s+(.+?)\s*$"
)
_PART_C = re.compile(r"^\s*PART\s+C\s*$")
_OBJECTIVE = re.compile(r"^\s*Objective\s+(\d)\s*[–-]\s*([^:]+?)\s*:\s*(.+?)\s*$")
_OUTPUT = re.compile(r"^\s*Output\s+(\d)\.(\d{1,2})\s*$")
_TABLE_OUTPUT = re.compile(r"^\s*(\d)\.(\d{1,2})\s*[–-]\s*(.+?)\s*$")
_PROGRAMME = re.compile(r"^\s*Programme\s*:\s*(.+?)\s*$")
_REFERENCES = re.compile(r"^\s*\d{1,2}\.\s*References\s+to\s+WTDC\s+Resolutions", re.IGNORECASE)
_REF_RESOLUTIONS = re.compile(
    r"^\s*(?:PP\s+and\s+)?WTDC\s+resolutions\s+and\s+recommendations", re.IGNORECASE
)
_REF_ACTION_LINES = re.compile(r"^\s*WSIS\s+action\s+lines\s*$", re.IGNORECASE)
_REF_SDGS = re.compile(r"^\s*Sustainable\s+Development\s+Goals\s+and\s+Targets\s*$", re.IGNORECASE)
_CONTRIBUTES = re.compile(r"contribute\s+to\s+the\s+achievement\s+of\s+Outcome\s+(\d)\.(\d)")
_TABLE_HEAD = re.compile(
    r"^(?:Outcomes?|Performance\s+Indicators?|Outputs?|"
    r"\(Products?\s+and\s+services\))$"
)


def read_action_plan(source: Source, lines: list[str], options: ReaderOptions) -> PlanRead:
    """Read the objectives, outcomes, outputs and proposals of an action plan."""
    path = source.path
    roles: dict[int, str] = {}
    read = PlanRead({}, [], [], [], roles)
    part_c = next((n for n, t in enumerate(lines, 1) if _PART_C.match(t)), None)
    if part_c is None:
        raise SourceError("no 'PART C' (the plan) found", path=path)
    for n, text in enumerate(lines[: part_c - 1], 1):
        m = _PROPOSAL.match(text)
        if m:
            read.proposals.append(
                ProposalRecord(int(m.group(1)), m.group(2), m.group(3), m.group(4), n)
            )
            roles[n] = "proposal"
        else:
            roles[n] = "blank" if not text.strip() else "contribution"
    objective: int | None = None
    in_table = False
    output: PlanOutputRecord | None = None
    ref_kind: str | None = None
    ref_parts: dict[str, list[str]] = {}
    ref_first = 0
    outcome_count: dict[int, int] = {}

    def close_output(last: int) -> None:
        nonlocal output
        if output is not None:
            output.last_line = last
            _finish_references(output, ref_parts, ref_first, path)
            output = None

    footnotes = False
    for n in range(part_c, len(lines) + 1):
        text = lines[n - 1]
        stripped = text.strip()
        if not stripped:
            roles[n] = "blank"
            continue
        if footnotes or re.fullmatch(r"_{5,}", stripped):
            close_output(n - 1)
            footnotes = True
            roles[n] = "footnote"
            continue
        m = _OBJECTIVE.match(text)
        if m:
            close_output(n - 1)
            objective = int(m.group(1))
            read.objectives[objective] = (m.group(2).strip(), m.group(3).strip(), n)
            in_table = True
            roles[n] = "objective"
            continue
        m = _OUTPUT.match(text)
        if m and objective is not None:
            close_output(n - 1)
            in_table = False
            number = f"{m.group(1)}.{m.group(2)}"
            listed = next((o for o in read.outputs if o.number == number), None)
            if listed is None:
                raise SourceError(
                    f"Output {number} is not listed in objective {objective}'s table",
                    path=path,
                    line=n,
                )
            output = listed
            output.first_line = n
            ref_kind, ref_parts, ref_first = None, {}, 0
            roles[n] = "output"
            continue
        if in_table and objective is not None:
            roles[n] = "table"
            if _TABLE_HEAD.match(stripped):
                continue
            listing = _TABLE_OUTPUT.match(stripped)
            if listing:
                if int(listing.group(1)) != objective:
                    raise SourceError(
                        f"output {listing.group(1)}.{listing.group(2)} listed "
                        f"under objective {objective}",
                        path=path,
                        line=n,
                    )
                read.outputs.append(
                    PlanOutputRecord(
                        objective,
                        f"{listing.group(1)}.{listing.group(2)}",
                        listing.group(3).strip(),
                        n,
                    )
                )
            elif stripped.startswith("-"):
                if not read.outcomes or read.outcomes[-1].objective != objective:
                    raise SourceError("performance indicator before any outcome", path=path, line=n)
                read.outcomes[-1].indicators.append(stripped.lstrip("- ").strip())
            elif text.startswith("\t"):
                outcome_count[objective] = outcome_count.get(objective, 0) + 1
                read.outcomes.append(
                    PlanOutcomeRecord(
                        objective, f"{objective}.{outcome_count[objective]}", stripped, n
                    )
                )
            else:
                roles[n] = "table-note"
            continue
        if output is None:
            roles[n] = "plan-text"
            continue
        roles[n] = "output"
        if not output.heading and n == _next_content(lines, output.first_line):
            output.heading = stripped
            continue
        m = _PROGRAMME.match(text)
        if m and ref_kind is None:
            output.programmes.append(m.group(1))
            continue
        if _REFERENCES.match(text):
            ref_kind, ref_first = "start", n
            roles[n] = "references"
            continue
        if ref_kind is not None:
            roles[n] = "references"
            if _REF_RESOLUTIONS.match(text):
                ref_kind = "resolutions"
            elif _REF_ACTION_LINES.match(text):
                ref_kind = "action_lines"
            elif _REF_SDGS.match(text):
                ref_kind = "sdgs"
            elif ref_kind == "start":
                raise SourceError("reference paragraph without its heading", path=path, line=n)
            else:
                ref_parts.setdefault(ref_kind, []).append(stripped)
            output.reference_lines = (ref_first, n)
    close_output(len(lines))
    _check(read, path)
    return read


def _next_content(lines: list[str], after: int) -> int:
    for n in range(after + 1, len(lines) + 1):
        if lines[n - 1].strip():
            return n
    return after


def _finish_references(
    output: PlanOutputRecord, parts: dict[str, list[str]], first: int, path: Path
) -> None:
    resolutions = " ".join(parts.get("resolutions", []))
    action_lines = " ".join(parts.get("action_lines", []))
    sdg_text = " ".join(parts.get("sdgs", []))
    where = f"Output {output.number}"
    if not (resolutions and action_lines and sdg_text):
        missing = [
            k
            for k, v in (
                ("resolutions", resolutions),
                ("action lines", action_lines),
                ("SDGs", sdg_text),
            )
            if not v
        ]
        raise SourceError(
            f"{where}: reference paragraph(s) missing: {', '.join(missing)}",
            path=path,
            line=first or output.first_line,
        )
    try:
        output.citations, output.resolution_statements = cells.parse_plan_resolutions(resolutions)
        output.action_lines, output.action_line_statements = cells.parse_action_lines(action_lines)
        output.sdgs = cells.parse_sdg_refs(cells.sdg_list_of(sdg_text))
    except CellParseError as exc:
        raise SourceError(f"{where}: {exc.message}", path=path, line=first) from None
    contributes = {f"{a}.{b}" for a, b in _CONTRIBUTES.findall(resolutions + " " + action_lines)}
    if len(contributes) > 1:
        raise SourceError(
            f"{where} contributes to several outcomes: {sorted(contributes)}", path=path, line=first
        )
    output.outcome = contributes.pop() if contributes else None
    output.reference_text = "\n".join(
        p for k in ("resolutions", "action_lines", "sdgs") for p in parts.get(k, [])
    )


def _check(read: PlanRead, path: Path) -> None:
    numbers = [o.number for o in read.outputs]
    if len(set(numbers)) != len(numbers):
        raise SourceError("an output is listed twice", path=path)
    for output in read.outputs:
        if not output.reference_lines[0]:
            raise SourceError(
                f"Output {output.number} has no section with references",
                path=path,
                line=output.first_line,
            )
    for proposal in read.proposals:
        if proposal.output not in numbers:
            raise SourceError(
                f"proposal {proposal.number} amends Output {proposal.output}, "
                "which the plan does not have",
                path=path,
                line=proposal.line,
            )
