"""Typed records: what readers and cell parsers produce, and what the graph
builder consumes. Readers know text layouts only; everything after them works
on these records."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Timing:
    """A proposed timing: a year interval, open where a bound is not printed."""

    printed: str
    begin: int | None
    end: int | None
    continuous: bool = False
    month: int | None = None


@dataclass(frozen=True)
class SdgRefs:
    """The SDG goals and targets one cell cites."""

    goals: tuple[int, ...] = ()
    targets: tuple[str, ...] = ()
    cited_texts: tuple[str, ...] = ()  # "9.1: Develop quality ..." kept as printed
    statements: tuple[str, ...] = ()  # "relevant to all SDGs"


@dataclass(frozen=True)
class Citation:
    """A resolution citation; ``body``/``number`` are None for a text-only one."""

    printed: str
    body: str | None = None
    number: str | None = None
    revision: str | None = None
    kind: str = "resolution"  # resolution | decision | recommendation


@dataclass(frozen=True)
class PlanRef:
    """A reference to an action plan: objective, output, outcome or programme."""

    plan: str  # "baap" or "dap"
    objective: int | None = None
    output: str | None = None
    outcome: str | None = None
    programme: int | None = None


@dataclass(frozen=True)
class GoalRefs:
    """The references of a strategic goals and resolutions cell."""

    strategic_goals: tuple[int, ...] = ()
    strategic_targets: tuple[str, ...] = ()
    citations: tuple[Citation, ...] = ()
    plan_refs: tuple[PlanRef, ...] = ()
    regional_initiatives: tuple[str, ...] = ()
    gca_pillars: tuple[int, ...] = ()


@dataclass(frozen=True)
class Item:
    """One expected result or ITU activity, in printed order."""

    text: str
    code: str | None = None  # 2010 activity code (A1)
    role: str | None = None  # F / P / I
    starred: bool = False  # "A1*"
    project_codes: tuple[str, ...] = ()
    achieved: bool = False


@dataclass(frozen=True)
class Correction:
    """An open correction of a source defect."""

    rule: str  # curation entry id or parser rule name
    field: str
    printed: str
    corrected: str
    reason: str
    line: int | None = None


@dataclass
class RawRow:
    """One outcome row as a reader reassembled it: cells by column, lines."""

    source_id: str
    action_line: str
    section: str  # geneva-tunis | wsis10
    key: str  # outcome key (A, B1, o, wsis10-a)
    printed_label: str
    cells: dict[str, str]
    first_line: int
    last_line: int
    lines: list[int] = field(default_factory=list)
    corrections: list[Correction] = field(default_factory=list)
    # how the results cell is written (the source's reader option ``results``)
    results_notation: str = "headed"


@dataclass
class Entry:
    """One roadmap entry: a WSIS outcome row of one edition, parsed."""

    edition: str
    source_id: str
    action_line: str
    section: str
    key: str
    printed_label: str
    text: str
    first_line: int
    last_line: int
    timing: Timing | None = None
    goals: GoalRefs = field(default_factory=GoalRefs)
    sdgs: SdgRefs = field(default_factory=SdgRefs)
    results: list[Item] = field(default_factory=list)
    activities: list[Item] = field(default_factory=list)
    mentions: tuple[Citation, ...] = ()
    evidence: str | None = None
    covid: str | None = None
    resource_impact: str | None = None
    partners: str | None = None
    corrections: list[Correction] = field(default_factory=list)
    outcome_key: str = ""  # the WSIS outcome addressed; the label key unless decided

    def __post_init__(self) -> None:
        if not self.outcome_key:
            self.outcome_key = self.key


# -- action plans ------------------------------------------------------------


@dataclass
class PlanOutcomeRecord:
    objective: int
    number: str
    title: str
    first_line: int
    indicators: list[str] = field(default_factory=list)


@dataclass
class PlanOutputRecord:
    objective: int
    number: str
    title: str  # as the objective's table lists it
    first_line: int  # the "Output N.M" heading
    last_line: int = 0
    heading: str = ""  # the title under the section heading
    programmes: list[str] = field(default_factory=list)
    outcome: str | None = None
    citations: tuple[Citation, ...] = ()
    resolution_statements: tuple[str, ...] = ()
    action_lines: tuple[str, ...] = ()
    action_line_statements: tuple[str, ...] = ()
    sdgs: SdgRefs = field(default_factory=SdgRefs)
    reference_lines: tuple[int, int] = (0, 0)
    reference_text: str = ""


@dataclass
class ProposalRecord:
    number: int
    output: str
    heading: str
    summary: str
    line: int
    text: list[tuple[int, str]] = field(default_factory=list)
    heading_line: int | None = None


@dataclass
class PlanRead:
    objectives: dict[int, tuple[str, str, int]]  # number -> (title, description, line)
    outcomes: list[PlanOutcomeRecord]
    outputs: list[PlanOutputRecord]
    proposals: list[ProposalRecord]
    roles: dict[int, str]
    corrections: list[Correction] = field(default_factory=list)
