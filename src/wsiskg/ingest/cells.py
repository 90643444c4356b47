"""Cell parsers: one pure function per notation the sources use.

Each parser takes the text of one cell (fragments of several physical lines
joined with newlines) and returns typed records. A text that does not follow
the notation raises :class:`CellParseError`; nothing else escapes a parser.
Parsers know notations, not layouts and not the ontology.
"""

from __future__ import annotations

import html
import re

from wsiskg.errors import CellParseError
from wsiskg.ingest.records import Citation, Correction, GoalRefs, Item, PlanRef, SdgRefs, Timing

# ---------------------------------------------------------------------------
# Text helpers

_TAG = re.compile(r"<[^>]{0,300}>")
_BREAK_TAG = re.compile(r"<\s*(?:li|p|br|/p|/li|ul|/ul|ol|/ol)\b[^>]{0,300}>", re.IGNORECASE)
_SPACE = re.compile(r"[ \t\u00a0]+")


def strip_html(text: str) -> str:
    """Remove HTML tags; paragraph and list-item tags become line breaks."""
    text = _BREAK_TAG.sub("\n", text)
    text = _TAG.sub(" ", text)
    return html.unescape(text)


def squash(text: str) -> str:
    """One line, single spaces, no HTML."""
    return _SPACE.sub(" ", strip_html(text).replace("\n", " ")).strip()


# ---------------------------------------------------------------------------
# Timing

_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}
_YEAR = r"(?:19|20)\d\d"
_RANGE = re.compile(rf"^({_YEAR})\s*(?:-|–|—|to)\s*({_YEAR})$")
_OPEN_RANGE = re.compile(
    rf"^(?:since\s+)?({_YEAR})\s*(?:-|–|to)?\s*(?:to date|onwards?|\(?continuous\)?)$",
    re.IGNORECASE,
)
_MONTH_YEAR = re.compile(
    rf"^((?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]{{0,6}})\.?\s+({_YEAR})$",
    re.IGNORECASE,
)
_SINCE = re.compile(rf"^(?:since|from)\s+({_YEAR})$", re.IGNORECASE)
_SINGLE = re.compile(rf"^(?:by\s+)?({_YEAR})$", re.IGNORECASE)
_CONTINUOUS = re.compile(
    r"^(?:continuous|on[\s-]?going(?: activities)?(?: with yearly results)?|ongoing)$",
    re.IGNORECASE,
)


def parse_timing(text: str) -> Timing | None:
    """Parse a proposed timing; None for an empty cell.

    A single date ("2015", "Dec. 2012") is the interval of that year (with its
    month where printed). "Since 2019 (continuous)" and "2012 to date" have a
    beginning and no end; "Continuous" has neither.
    """
    printed = squash(text)
    if not printed:
        return None
    value = printed.rstrip(".;,").strip()
    if m := _RANGE.match(value):
        begin, end = int(m.group(1)), int(m.group(2))
        if end < begin:
            raise CellParseError(f"timing {printed!r} ends before it begins")
        return Timing(printed, begin, end)
    if m := _OPEN_RANGE.match(value):
        return Timing(printed, int(m.group(1)), None, continuous=True)
    if m := _SINCE.match(value):
        return Timing(printed, int(m.group(1)), None, continuous=True)
    if m := _MONTH_YEAR.match(value):
        month = _MONTHS.get(m.group(1)[:3].lower())
        if month is None:
            raise CellParseError(f"unknown month in timing {printed!r}")
        return Timing(printed, int(m.group(2)), int(m.group(2)), month=month)
    if m := _SINGLE.match(value):
        return Timing(printed, int(m.group(1)), int(m.group(1)))
    if _CONTINUOUS.match(value):
        return Timing(printed, None, None, continuous=True)
    raise CellParseError(f"timing not understood: {printed!r}")


def render_timing(timing: Timing) -> str:
    """The canonical printed form of a timing (inverse of :func:`parse_timing`)."""
    if timing.continuous:
        if timing.begin is not None:
            return f"Since {timing.begin} (continuous)"
        return "Continuous"
    if timing.begin is not None and timing.begin == timing.end:
        if timing.month is not None:
            name = [k for k, v in _MONTHS.items() if v == timing.month][0].title()
            return f"{name}. {timing.end}"
        return str(timing.end)
    if timing.begin is not None and timing.end is not None:
        return f"{timing.begin}-{timing.end}"
    raise ValueError("a timing needs both bounds or to be continuous")


# ---------------------------------------------------------------------------
# SDG references

# Official targets per goal: (number of numeric targets, letters of lettered ones)
SDG_TARGET_SHAPE: dict[int, tuple[int, str]] = {
    1: (5, "ab"),
    2: (5, "abc"),
    3: (9, "abcd"),
    4: (7, "abc"),
    5: (6, "abc"),
    6: (6, "ab"),
    7: (3, "ab"),
    8: (10, "ab"),
    9: (5, "abc"),
    10: (7, "abc"),
    11: (7, "abc"),
    12: (8, "abc"),
    13: (3, "ab"),
    14: (7, "abc"),
    15: (9, "abc"),
    16: (10, "ab"),
    17: (19, ""),
}
SDG_TARGETS: frozenset[str] = frozenset(
    [f"{g}.{n}" for g, (count, _) in SDG_TARGET_SHAPE.items() for n in range(1, count + 1)]
    + [f"{g}.{letter}" for g, (_, letters) in SDG_TARGET_SHAPE.items() for letter in letters]
)

# the clause that says "all SDGs", from the start of its sentence
_SDG_STATEMENT = re.compile(r"(?:^|(?<=[.;]\s))[^.;]*?\ball\s+(?:the\s+)?SDGs\b", re.IGNORECASE)
# a token of a leading code list: 9, 9.c, 5b, 17.8. (trailing stop), or a filler
_LIST_TOKEN = re.compile(
    r"\s*(?:(?P<code>(?<![\w.])\d{1,4}(?:\s?\.\s?(?:\d{1,2}|[a-z]))?(?:[a-z](?![a-z]))?)\.?(?![\w])"
    r"|(?P<filler>SDGs?|Goals?|targets?|and|&|[,;•()\[\]*-]))",
    re.IGNORECASE,
)
_SDG_MENTION = re.compile(
    r"\bSDGs?\s*(\d{1,2}(?:\.(?:\d{1,2}|[a-z]))?"
    r"(?:\s*(?:,|and|&)\s*\d{1,2}(?:\.(?:\d{1,2}|[a-z]))?(?![\d.]))*)"
    r"|\btargets?\s+(\d{1,2}\.(?:\d{1,2}|[a-z])(?:\s*(?:,|and|&)\s*\d{1,2}\.(?:\d{1,2}|[a-z]))*)",
    re.IGNORECASE,
)
_CODE = re.compile(r"^(\d{1,4})(?:\s?\.\s?(\d{1,2}|[a-z])|([a-z]))?$")


def sdg_code(goal: int, part: str | None) -> str:
    """Validate a goal or target code; return it in official notation."""
    if not 1 <= goal <= 17:
        raise CellParseError(f"unknown SDG goal {goal} (goals are 1-17)")
    if part is None:
        return str(goal)
    code = f"{goal}.{part}"
    if code not in SDG_TARGETS:
        raise CellParseError(f"unknown SDG target {code}")
    return code


def _code(token: str) -> tuple[int, str | None]:
    m = _CODE.match(re.sub(r"\s", "", token).rstrip("."))
    if not m:
        raise CellParseError(f"SDG code not understood: {token!r}")
    return int(m.group(1)), m.group(2) or m.group(3)


_PROSE_CODE = re.compile(r"(?<![\w.])(\d{1,2})\.(\d{1,2}|[a-z])(?![\w.])")


def parse_sdg_refs(text: str) -> SdgRefs:
    """Parse an SDG linkage cell.

    Each line of the cell may start with a list of codes: whole goals ("1, 2,
    3", "SDG 8,9"), targets ("1.4, 4.1, 5.b", "5b" for 5.b, "17.8." with a
    stop). Prose may follow ("9.1: Develop quality ...", "SDG 1 (No poverty),
    SDG 4 ..."): it is kept as cited text, and the goals and targets it names
    ("SDG 4", "target 9.c", a target code such as "16.b") are taken too. A
    code in a list outside the 17 goals and 169 targets is an error;
    "relevant to all SDGs" is kept as a statement.
    """
    flat = squash(text)
    statements = tuple(m.group(0) for m in _SDG_STATEMENT.finditer(flat))
    goals: list[int] = []
    targets: list[str] = []

    def take(goal: int, part: str | None) -> None:
        code = sdg_code(goal, part)
        if part is None:
            if goal not in goals:
                goals.append(goal)
        elif code not in targets:
            targets.append(code)

    prose_parts: list[str] = []
    for raw_line in strip_html(text).split("\n"):
        line = _SDG_STATEMENT.sub(" ", squash(raw_line)).strip()
        pos = 0
        while pos < len(line):
            m = _LIST_TOKEN.match(line, pos)
            if not m or m.end() == pos:
                break
            if m.group("code"):
                goal, part = _code(m.group("code"))
                if goal > 99:  # a year or count opens a prose line
                    break
                take(goal, part)
            pos = m.end()
        rest = line[pos:].strip()
        if rest and not re.search(r"[A-Za-z]{2}", rest) and not re.match(r"(?:19|20)\d\d\b", rest):
            raise CellParseError(f"SDG reference not understood: {rest!r} in {flat!r}")
        if rest:
            prose_parts.append(rest)
    prose = " ".join(prose_parts)
    for m in _SDG_MENTION.finditer(prose):
        for token in re.findall(r"\d{1,2}(?:\.(?:\d{1,2}|[a-z]))?", m.group(1) or m.group(2)):
            take(*_code(token))
    for m in _PROSE_CODE.finditer(prose):
        code = f"{m.group(1)}.{m.group(2)}"
        if code in SDG_TARGETS:
            take(int(m.group(1)), m.group(2))
    cited = (flat,) if prose else ()
    return SdgRefs(tuple(goals), tuple(targets), cited, statements)


def render_sdg_refs(refs: SdgRefs) -> str:
    """Canonical printed form of goals and targets (inverse of parse_sdg_refs)."""
    return ", ".join([str(g) for g in refs.goals] + list(refs.targets))


# ---------------------------------------------------------------------------
# Strategic goals, resolutions, plan references, regional initiatives, GCA

_GOALS = re.compile(r"\bGoals?\s+(\d{1,2}(?:\s*(?:&|and|,)\s*\d{1,2})*)", re.IGNORECASE)
_STRATEGIC_TARGET = re.compile(
    r"\(\s*Target\s+(\d{1,2}\.\d{1,2})\s*\)|\btarget\s*\(\s*(\d{1,2}\.\d{1,2})\.?\s*\)",
    re.IGNORECASE,
)


def parse_strategic_goals(text: str) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """ITU strategic goals and targets: "Goal 1 Goal 3", "Goals 1 & 4",
    "ITU Strategic Goal 3 (Target 3.1)"."""
    flat = squash(text)
    goals: list[int] = []
    for m in _GOALS.finditer(flat):
        # "Strategic Goal 2 includes a target (2.2.)" is prose, still goal 2
        for number in re.findall(r"\d{1,2}", m.group(1)):
            if int(number) not in goals:
                goals.append(int(number))
    targets = []
    for m in _STRATEGIC_TARGET.finditer(flat):
        code = m.group(1) or m.group(2)
        if code not in targets:
            targets.append(code)
    return tuple(goals), tuple(targets)


_BODY_PREFIX = [
    (re.compile(r"\bPP(?:-\d{2})?\s+Res(?:olutions?|\.)?\b\.?", re.IGNORECASE), "pp"),
    (re.compile(r"\bWTDC(?:-\d{2})?\s+Res(?:olutions?|\.)?\b\.?", re.IGNORECASE), "wtdc"),
    (re.compile(r"\bWTSA(?:-\d{2})?\s+Res(?:olutions?|\.)?\b\.?", re.IGNORECASE), "wtsa"),
    (re.compile(r"\b(?:C\d{2}|Council)\s+Res(?:olutions?|\.)?\b\.?", re.IGNORECASE), "council"),
    (re.compile(r"\bUNGA\s+Res(?:olutions?|\.)?\b\.?", re.IGNORECASE), "unga"),
]
_BODY_SUFFIX = [
    (re.compile(r"^\s*of\s+the\s+Plenipotentiary\s+Conference", re.IGNORECASE), "pp"),
    (
        re.compile(
            r"^\s*of\s+(?:the\s+)?World\s+Telecommunication\s+Standardization\s+Assembly",
            re.IGNORECASE,
        ),
        "wtsa",
    ),
    (
        re.compile(
            r"^\s*of\s+(?:the\s+)?World\s+Telecommunication\s+Development\s+Conference",
            re.IGNORECASE,
        ),
        "wtdc",
    ),
    (re.compile(r"^\s*of\s+(?:the\s+)?(?:ITU\s+)?Council", re.IGNORECASE), "council"),
    (
        re.compile(r"^\s*of\s+the\s+(?:UN|United\s+Nations)\s+General\s+Assembly", re.IGNORECASE),
        "unga",
    ),
]
_BODY_PHRASE = re.compile(
    r"\b(PP|WTDC|WTSA)\b(?:-\d{2,4})?\s+Resolutions\b(?!\s*\d)", re.IGNORECASE
)
_BARE = re.compile(r"(?<![A-Za-z])Res(?:olutions?|\.)(?=\s*\d)", re.IGNORECASE)
_NUMBER = re.compile(
    r"^\s*(\d{1,4}(?:/\d{1,3})?)\s*(\((?:Rev\.?\s*)?([^()]{2,40}?),?\s+((?:19|20)\d\d)\s*\))?"
)
_SEPARATOR = re.compile(r"^\s*(?:,\s*(?:and\b)?|and\b|&)\s*")
_TEXT_CITATIONS = re.compile(
    r"\b(?:Kigali|Buenos Aires|Dubai|Busan|Bucharest)\s+Resolution\s*\((?:19|20)\d\d\)"
    r"|\bITRs\s*\(Rev\.[^)]{0,30}\)",
    re.IGNORECASE,
)


def _revision(place: str | None, year: str | None) -> str | None:
    if not place or not year:
        return None
    place = re.sub(r"^\s*Rev\.?\s*", "", place).strip(" ,")
    return f"{place}, {year}"


def parse_resolutions(text: str) -> tuple[Citation, ...]:
    """Resolution citations with the revision each cites: "PP Res. 130 (Rev.
    Dubai 2018), 174 (Rev. Busan, 2014)", "WTDC Res. 45 (Rev. Dubai, 2014),
    67, 69", "C09 Res 1305", "Resolution 70/1", "PP-14 Resolution 123",
    "Resolutions 71, 130 (Rev. Bucharest, 2022) of the Plenipotentiary
    Conference". A citation with no number ("Kigali Resolution (2022)") is
    kept as text. A bare "Resolution N" names no body: N/M is a UN General
    Assembly resolution, other numbers are Plenipotentiary ones only when a
    following "of the ..." says so, else they are kept as text."""
    flat = squash(text)
    found: list[Citation] = []
    for m in _TEXT_CITATIONS.finditer(flat):
        found.append(Citation(printed=m.group(0)))
    flat = _TEXT_CITATIONS.sub(" ", flat)
    markers: list[tuple[int, int, str | None]] = []
    taken: list[tuple[int, int]] = []
    for pattern, prefix_body in _BODY_PREFIX:
        for m in pattern.finditer(flat):
            markers.append((m.start(), m.end(), prefix_body))
            taken.append((m.start(), m.end()))
    for bare in _BARE.finditer(flat):
        if not any(a <= bare.start() < b for a, b in taken):
            markers.append((bare.start(), bare.end(), None))
    markers.sort()
    for start, end, body in markers:
        pos = end
        numbers: list[tuple[str, str | None, str]] = []
        while True:
            found_number = _NUMBER.match(flat[pos:])
            if not found_number:
                break
            numbers.append(
                (
                    found_number.group(1),
                    _revision(found_number.group(3), found_number.group(4)),
                    found_number.group(0).strip(),
                )
            )
            pos += found_number.end()
            sep = _SEPARATOR.match(flat[pos:])
            if not sep:
                break
            pos += sep.end()
        group_body = body
        if group_body is None:
            for pattern, suffix_body in _BODY_SUFFIX:
                if pattern.match(flat[pos:]):
                    group_body = suffix_body
                    break
        if group_body is None:
            # "Several WTDC resolutions refer to ... (Res. 37, Res. 40)"
            before = list(_BODY_PHRASE.finditer(flat[max(0, start - 300) : start]))
            if before:
                group_body = before[-1].group(1).lower()
        for number, revision, printed in numbers:
            this_body = group_body
            if this_body is None and "/" in number:
                this_body = "unga"
            if this_body is None:
                found.append(Citation(printed=f"{flat[start:end]} {printed}"))
                continue
            citation = Citation(
                printed=f"{flat[start:end]} {printed}".strip(),
                body=this_body,
                number=number.replace("/", "-"),
                revision=revision,
            )
            if not any(c.body == citation.body and c.number == citation.number for c in found):
                found.append(citation)
    return tuple(found)


_BAAP_OBJECTIVE = re.compile(
    r"\b(?:Buenos\s+Aires\s+Action\s+Plan\s+Objective|ITU-D\s+Objective)\s*(\d)"
    r"(?:\s*/\s*(Output|Outcome)[\s_]*(\d\.\d))?",
    re.IGNORECASE,
)
_DAP_PROGRAMME = re.compile(r"\bDAP\s+Programme\s+(\d)", re.IGNORECASE)


def parse_plan_refs(text: str) -> tuple[PlanRef, ...]:
    """Action-plan references: "Buenos Aires Action Plan Objective 2",
    "ITU-D Objective 2/Output 2.2 (Buenos Aires Action Plan)", "ITU-D
    Objective 3", "DAP Programme 3" (Doha Action Plan, 2010 edition)."""
    flat = squash(text)
    refs: list[PlanRef] = []
    for m in _BAAP_OBJECTIVE.finditer(flat):
        objective = int(m.group(1))
        if not 1 <= objective <= 4:
            raise CellParseError(
                f"the Buenos Aires Action Plan has objectives 1-4, not {objective}"
            )
        ref = PlanRef("baap", objective=objective)
        if ref not in refs:
            refs.append(ref)
        if m.group(2):
            code = m.group(3)
            if not code.startswith(f"{objective}."):
                raise CellParseError(
                    f"{m.group(0)!r}: {m.group(2).lower()} {code} is not "
                    f"under objective {objective}"
                )
            sub = (
                PlanRef("baap", objective=objective, output=code)
                if m.group(2).lower() == "output"
                else PlanRef("baap", objective=objective, outcome=code)
            )
            if sub not in refs:
                refs.append(sub)
    for m in _DAP_PROGRAMME.finditer(flat):
        ref = PlanRef("dap", programme=int(m.group(1)))
        if ref not in refs:
            refs.append(ref)
    return tuple(refs)


_INITIATIVE = re.compile(r"\b(AFR|AMS|ARB|ASP|CIS|EUR|ARF)\s?(\d)\b")
INITIATIVE_MISPRINTS = {"ARF": "AFR"}


def parse_regional_initiatives(text: str) -> tuple[tuple[str, ...], tuple[Correction, ...]]:
    """Regional initiative codes (AFR3, ARB2 ...); the misprint ARF is read as
    AFR and reported."""
    flat = squash(text)
    codes: list[str] = []
    fixes: list[Correction] = []
    for m in _INITIATIVE.finditer(flat):
        region = m.group(1)
        code = f"{INITIATIVE_MISPRINTS.get(region, region)}{m.group(2)}"
        if region in INITIATIVE_MISPRINTS:
            fixes.append(
                Correction(
                    "rule:initiative-misprint",
                    "goals",
                    m.group(0),
                    code,
                    f"no region {region}; {code} is the regional initiative meant",
                )
            )
        if code not in codes:
            codes.append(code)
    return tuple(codes), tuple(fixes)


GCA_PILLARS = {
    1: "Legal Measures",
    2: "Technical and Procedural Measures",
    3: "Organizational Structures",
    4: "Capacity Building",
    5: "International Cooperation",
}
_PILLAR = re.compile(
    r"(?:(\S{1,3})\s*)?(Legal\s+Measures|Technical\s+and\s+Procedural\s+Measures|"
    r"Organi[sz]ational\s+Structures|Capacity\s+Building|International\s+Co-?operation)",
    re.IGNORECASE,
)


def parse_gca_pillars(text: str) -> tuple[tuple[int, ...], tuple[Correction, ...]]:
    """GCA pillars named after a "GCA" heading, by name: "1. Legal Measures",
    "5.International Cooperation". Where the printed number disagrees with
    the name ("S.International Cooperation"), the name decides, reported."""
    flat = squash(text)
    start = re.search(r"\bGCA\b", flat)
    if not start:
        return (), ()
    part = flat[start.end() :]
    stop = re.search(r"\bResolutions?\b", part)
    if stop:
        part = part[: stop.start()]
    names = {re.sub(r"\W", "", v.lower()): k for k, v in GCA_PILLARS.items()}
    pillars: list[int] = []
    fixes: list[Correction] = []
    for m in _PILLAR.finditer(part):
        key = re.sub(r"\W", "", m.group(2).lower()).replace("organis", "organiz")
        key = key.replace("cooperation", "cooperation")
        number = names[key]
        prefix = (m.group(1) or "").strip()
        printed_number = prefix.rstrip(".")
        if printed_number and printed_number != str(number):
            fixes.append(
                Correction(
                    "rule:gca-pillar-name",
                    "goals",
                    m.group(0).strip(),
                    f"{number}. {GCA_PILLARS[number]}",
                    "the pillar's printed number disagrees with its name; the name decides",
                )
            )
        if number not in pillars:
            pillars.append(number)
    return tuple(pillars), tuple(fixes)


def parse_goal_cell(text: str, *, action_line: str) -> tuple[GoalRefs, tuple[Correction, ...]]:
    """Everything the strategic goals and resolutions column cites."""
    goals, targets = parse_strategic_goals(text)
    initiatives, fixes_ri = parse_regional_initiatives(text)
    pillars, fixes_gca = parse_gca_pillars(text) if action_line == "C5" else ((), ())
    refs = GoalRefs(
        strategic_goals=goals,
        strategic_targets=targets,
        citations=parse_resolutions(text),
        plan_refs=parse_plan_refs(text),
        regional_initiatives=initiatives,
        gca_pillars=pillars,
    )
    return refs, fixes_ri + fixes_gca


# ---------------------------------------------------------------------------
# Lists of results and activities

_BULLET = re.compile(r"^\s*(?:[-•‣▪●◦*]|\uf0b7|\d{1,2}[.)](?=\s))\s*")
# words after which a printed line cannot end an item
_CONNECTORS = {
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
    "under",
    "on",
    "by",
    "from",
    "as",
    "at",
    "such",
    "including",
    "other",
    "its",
    "their",
    "among",
    "amongst",
    "between",
    "into",
    "through",
    "within",
    "various",
    "towards",
    "via",
    "e.g.",
    "i.e.",
    "than",
    "both",
    "each",
    "all",
    "this",
    "these",
    "that",
    "which",
    "who",
    "whose",
    "is",
    "are",
    "be",
    "will",
    "can",
}
_TITLE_WORD = re.compile(r"^[A-Z][a-z]")
_CAPITAL_WORD = re.compile(r"^[A-Z]")


_HEADING = re.compile(
    r"^(Expected\s+Results?|(?:ITU|TTO|110|ITH)\s+(?:Activities|ACTIVITIES)(?:\s*\(Aligned\s+with\s+SDGs\))?)"
    r"(?:\s*:\s*|\s+(?![a-z])|$)(.*)$"
    # C6's lead-in to its list of results
    r"|^(Results\s+of\s+activities(?:\s+in\s+this\s+area)?\s+include)\s*:\s*(.*)$"
)


_INLINE_BULLET = re.compile(r"\s[-•]\s?(?=[A-Z])|(?<=:)\s[-•]\s?(?=[a-z])")
# Where a table cell's paragraphs were flattened into one line, an item that
# opens with one of the phrases the roadmaps open their activities with
# ("ITU activities under ...", "ITU-D activities ...", "Work under the ITU-T
# Focus Group ...") follows the previous item's last word directly; the
# phrase begins a new item unless that word needs a continuation.
_ITEM_OPENER = re.compile(
    r"(?<=[a-z0-9).])\s+(?=(?:ITU(?:-[DTR])?\s+(?:[Aa]ctivities|[Tt]raining\s+activities|"
    r"collaboration|maintenance|Study\s+Group\s+\d{1,2}\s+[Aa]ctivities)|"
    r"BDT\s+(?:[Aa]ctivities|[Tt]raining)|Work\s+under\s+the\s+ITU)\b)"
)


def _flattened_items(line: str) -> list[str]:
    """A line cut before each item-opening phrase that does not follow a connector."""
    parts: list[str] = []
    start = 0
    for m in _ITEM_OPENER.finditer(line):
        before = line[start : m.start()]
        if before.rsplit(" ", 1)[-1].lower() in _CONNECTORS:
            continue
        parts.append(before)
        start = m.end()
    parts.append(line[start:])
    return parts


_WRAPPED = 3  # words a line has at least where it was wrapped in the middle of a name


def _continues(previous: str, body: str, last_line: str) -> bool:
    """Whether a printed line continues the item of the line before it (a wrapped
    line) rather than opening a new one; last_line is the line before it as printed."""
    if previous.endswith((".", ";", ":", "!", "?")):
        return False
    if previous.count("(") > previous.count(")") or previous.endswith((",", "-", "/", "&")):
        return True
    first = body.split(" ", 1)[0]
    last_word = previous.rsplit(" ", 1)[-1]
    if not (body[0].isupper() or body[0].isdigit()):
        return True  # lower case: the rest of a wrapped sentence
    if " " not in body:  # "... of Member" + "States.", "... aspects of" + "Cybersecurity."
        return bool(_CAPITAL_WORD.match(last_word)) or last_word.lower() in _CONNECTORS
    if last_word.lower() in _CONNECTORS or body[0].isdigit():
        return True  # "... under" / "Recommendation" + "123 and ..."
    second = body.split(" ", 2)[1]
    before_last = previous.rsplit(" ", 2)[-2].lower() if previous.count(" ") >= 1 else ""
    # a name wrapped over two lines: "... a National" + "Cybersecurity Strategy ...",
    # "... Focus Group on Data" + "Processing and Management ...", "... between
    # Member" + "States and ..."; an item opens with a verb ("Assisting Member
    # States ..."), and a name after "and" may end there ("... Processing and
    # Management" + "Cooperation with ...")
    name_goes_on = (_TITLE_WORD.match(second) or second.startswith("(")) and not first.endswith(
        "ing"
    )
    after_connector = before_last in _CONNECTORS and before_last not in ("and", "or")
    return bool(
        len(last_line.split()) >= _WRAPPED
        and _CAPITAL_WORD.match(last_word)
        and _TITLE_WORD.match(first)
        and (name_goes_on or after_connector)
    )


def split_items(text: str) -> list[str]:
    """Split a cell into list items: bullets (also inline: "... toolkits - Enhancement
    ..."), numbers, HTML list items, or lines that begin a new item; wrapped lines
    are joined (see :func:`_continues`)."""
    text = _INLINE_BULLET.sub("\n- ", strip_html(text))
    lines = [squash(line) for line in text.split("\n")]
    items: list[str] = []
    last_line = ""
    bulleted = False  # the current item opened with a bullet
    for line in lines:
        for index, part in enumerate(_flattened_items(line) if line else []):
            bullet = _BULLET.match(part)
            body = part[bullet.end() :] if bullet else part
            if not body:
                continue
            # in a bulleted list a line without a bullet continues the item
            # ("...; the report on ..."), unless that item has ended its sentence
            in_list = bulleted and bool(items) and not items[-1].endswith((".", "!", "?"))
            if (
                bullet
                or not items
                or index > 0
                or not (in_list or _continues(items[-1], body, last_line))
            ):
                items.append(body)
                bulleted = bool(bullet)
            else:
                previous = items[-1]
                joiner = "" if previous.endswith("-") and body[0].islower() else " "
                items[-1] = previous + joiner + body
            last_line = part
    return items


def parse_results_cell(text: str) -> tuple[list[Item], list[Item]]:
    """Split an expected-results column into results and ITU activities, on
    the "Expected Results:" / "ITU Activities:" headings (all results where
    no heading is printed)."""
    results: list[str] = []
    activities: list[str] = []
    target = results
    chunk: list[str] = []

    def flush() -> None:
        if chunk:
            target.extend(split_items("\n".join(chunk)))
            chunk.clear()

    # headings printed inline ("... Expected Results: ... ITU Activities: ...") open lines
    # (or without the colon after a sentence: "... legislation. ITU Activities BDT ...")
    text = re.sub(
        r"\s(?=(?:Expected\s+Results?|ITU\s+Activities|Results\s+of\s+activities"
        r"(?:\s+in\s+this\s+area)?\s+include)\s*:)"
        r"|(?<=[.;])\s+(?=ITU\s+Activities\s+[A-Z])",
        "\n",
        strip_html(text),
    )
    for line in text.split("\n"):
        flat = squash(line)
        head = _HEADING.match(flat)
        if head:
            flush()
            heading, rest = (
                (head.group(1), head.group(2)) if head.group(1) else (head.group(3), head.group(4))
            )
            target = (
                activities
                if "activities" in heading.lower() and not heading.startswith("Results")
                else results
            )
            if rest:
                chunk.append(rest)
            continue
        chunk.append(line)
    flush()
    return [Item(t) for t in results], [Item(t) for t in activities]


_ACTIVITY_2010 = re.compile(r"(?<![A-Za-z0-9])A\s?(\d{1,2})\s*(\*?)\s*:")
_ROLE = re.compile(r"\(\s*([FPI])\s*\)\s*$")
PROJECT_CODE = re.compile(r"\b\d[A-Z]{2,3}\d{5,6}\b")


def parse_activities_2010(text: str) -> tuple[list[Item], list[Item]]:
    """The 2010 results column: expected results, then numbered activities
    "A1*: Direct assistance through programmes (I)" with ITU's role and the
    project codes cited as examples under them."""
    flat = "\n".join(squash(line) for line in strip_html(text).split("\n"))
    matches = list(_ACTIVITY_2010.finditer(flat))
    # before the numbered activities (or instead of them: C5 prints none) the
    # column has the "Expected Results:" / "ITU Activities:" form of the later editions
    head_results, head_activities = parse_results_cell(
        flat[: matches[0].start()] if matches else flat
    )
    results = [
        Item(i.text, project_codes=tuple(PROJECT_CODE.findall(i.text))) for i in head_results
    ]
    activities = [
        Item(i.text, project_codes=tuple(PROJECT_CODE.findall(i.text))) for i in head_activities
    ]
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(flat)
        body = squash(flat[m.end() : end])
        # the role closes the activity's own line: "... programmes (I) Selected examples"
        first = re.split(r"\s(?=Selected examples|Example)", body, maxsplit=1)[0]
        role_match = _ROLE.search(first)
        role = role_match.group(1) if role_match else None
        activities.append(
            Item(
                body,
                code=f"A{m.group(1)}",
                role=role,
                starred=bool(m.group(2)),
                project_codes=tuple(PROJECT_CODE.findall(body)),
            )
        )
    return results, activities


# ---------------------------------------------------------------------------
# Mentions of resolutions inside result or activity text

_MENTION = re.compile(
    r"\b(PP|WTDC|WTSA)(?:-\d{2})?\s+Res(?:olution|\.)?\s*(\d{1,4})\b", re.IGNORECASE
)


def find_mentions(text: str) -> tuple[Citation, ...]:
    """Resolutions named inside prose ("WTDC Resolution 45"): mentions, not citations."""
    found: list[Citation] = []
    for m in _MENTION.finditer(squash(text)):
        c = Citation(printed=m.group(0), body=m.group(1).lower(), number=m.group(2))
        if not any(x.body == c.body and x.number == c.number for x in found):
            found.append(c)
    return tuple(found)


# ---------------------------------------------------------------------------
# The Buenos Aires Action Plan's reference paragraphs

_PLAN_MARKER = re.compile(
    r"\b(PP|WTDC|WTSA)(?:-\d{2})?\s+(Resolutions?|Decisions?|Recommendations?)\b", re.IGNORECASE
)
_PLAN_NUMBER = re.compile(
    r"^\s*(\d{1,4})\b(\s*\((?:Rev\.?\s*)?([^()]{2,40}?),?\s+"
    r"((?:19|20)\d\d)\s*\))?"
)
_PLAN_STATEMENT = re.compile(
    r"\ball\s+(?:the\s+)?(?:PP|WTDC|WTSA)\s+"
    r"(?:Resolutions|Recommendations|Decisions)\b",
    re.IGNORECASE,
)
_ITU_D_RECOMMENDATIONS = re.compile(
    r"\bRecommendations?\s+ITU-D\s+\d{1,3}(?:\s*(?:,|and)\s*ITU-D\s+\d{1,3})*"
)
_KINDS = {"resolution": "resolution", "decision": "decision", "recommendation": "recommendation"}


def parse_plan_resolutions(text: str) -> tuple[tuple[Citation, ...], tuple[str, ...]]:
    """The resolutions paragraph of an action-plan output: "PP Decisions 5, 13,
    PP Resolutions 25, 71 ... and all WTDC Resolutions", "WTDC Resolutions 9 and
    10", "WTDC Recommendation 5". A statement that names no number ("all WTDC
    Resolutions") is kept as a statement, never expanded."""
    flat = squash(text)
    statements = tuple(dict.fromkeys(m.group(0) for m in _PLAN_STATEMENT.finditer(flat)))
    found: list[Citation] = []
    for group in _ITU_D_RECOMMENDATIONS.finditer(flat):
        for number in re.findall(r"ITU-D\s+(\d{1,3})", group.group(0)):
            found.append(
                Citation(
                    printed=f"Recommendation ITU-D {number}",
                    body="wtdc",
                    number=number,
                    kind="recommendation",
                )
            )
    for marker in _PLAN_MARKER.finditer(flat):
        if flat[max(0, marker.start() - 4) : marker.start()].lower().endswith("all "):
            continue
        body = marker.group(1).lower()
        kind = _KINDS[marker.group(2).lower().rstrip("s")]
        pos = marker.end()
        while True:
            number = _PLAN_NUMBER.match(flat[pos:])
            if not number:
                break
            citation = Citation(
                printed=f"{marker.group(0)} {number.group(1)}",
                body=body,
                number=number.group(1),
                revision=_revision(number.group(3), number.group(4)),
                kind=kind,
            )
            if not any((c.body, c.number, c.kind) == (body, citation.number, kind) for c in found):
                found.append(citation)
            pos += number.end()
            sep = _SEPARATOR.match(flat[pos:])
            if not sep:
                break
            pos += sep.end()
    return tuple(found), statements


_ACTION_LINE_STATEMENT = re.compile(
    r"(?:^|(?<=[.;]\s))[^.;]*?\ball\s+(?:the\s+)?WSIS\s+Action\s+Lines\b"
    r"(?:\s+of\s+the\s+Geneva\s+Plan\s+of\s+Action)?",
    re.IGNORECASE,
)


def parse_action_lines(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """WSIS action lines named in prose ("WSIS Action Lines C1 and C11"), and
    statements that name none ("... relevant to ... all WSIS Action Lines"),
    kept as printed."""
    flat = squash(text)
    statements = tuple(m.group(0).strip() for m in _ACTION_LINE_STATEMENT.finditer(flat))
    found: list[str] = []
    for m in re.finditer(r"\bC\s?(\d{1,2})\b", flat):
        number = int(m.group(1))
        if not 1 <= number <= 11:
            raise CellParseError(f"unknown WSIS action line C{number} (they are C1-C11)")
        if f"C{number}" not in found:
            found.append(f"C{number}")
    return tuple(found), statements


def sdg_list_of(text: str) -> str:
    """The SDG list of a sentence "... will contribute to ... the following UN SDGs: ..."."""
    flat = squash(text)
    m = re.search(r"\bSDGs?\s*:\s*(.*)$", flat)
    body = m.group(1) if m else flat
    # "1, 3, (target 3.d), 5" and "17 (targets 17.3, 17.16 and 17.17)." are code lists
    return body.rstrip(" .")
