"""Roadmap editions read from the sources, compared with expectations
written by reading the documents (tests/expectations/*.yaml), field by field."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest

from wsiskg.graph.build import EditionReport
from wsiskg.ingest.records import Entry

from .conftest import load_expectations

EDITIONS = ["roadmaps-2010", "roadmaps-2019-draft-zero", "roadmaps-2019", "roadmaps-2024-draft"]


def _norm(text: str) -> str:
    """Compare text loosely: no hyphenation breaks, HTML, case or spacing."""
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"(\w)- (\w)", r"\1\2", text)
    return re.sub(r"\W+", "", text).lower()


def differences(entry: Entry, expected: dict[str, Any]) -> list[str]:
    """Every field of an expectation that the parsed entry does not match."""
    found: list[str] = []

    def check(name: str, actual: object, wanted: object) -> None:
        if actual != wanted:
            found.append(f"{name}: parsed {actual!r}, expected {wanted!r}")

    check("first_line", entry.first_line, expected["first_line"])
    check("section", entry.section, expected["section"])
    if not _norm(entry.text).startswith(_norm(expected["text_starts"])):
        found.append(f"text: parsed {entry.text[:60]!r}, expected {expected['text_starts']!r}")
    if "timing" in expected:
        want = expected["timing"]
        t = entry.timing
        got = None if t is None else {"begin": t.begin, "end": t.end, "continuous": t.continuous}
        check("timing", got, {k: want[k] for k in ("begin", "end", "continuous")})
    elif entry.timing is not None:
        found.append(f"timing: parsed {entry.timing.printed!r}, expected none")
    goals = entry.goals
    if "strategic_goals" in expected:
        check("strategic_goals", sorted(goals.strategic_goals), sorted(expected["strategic_goals"]))
    check(
        "strategic_targets",
        sorted(goals.strategic_targets),
        sorted(expected.get("strategic_targets", [])),
    )
    if "resolutions" in expected:
        got_res = sorted((c.body, c.number, c.revision) for c in goals.citations if c.body)
        want_res = sorted(
            (r["body"], str(r["number"]), r["revision"]) for r in expected["resolutions"]
        )
        check("resolutions", got_res, want_res)
    if "sdg_goals" in expected:
        check("sdg_goals", sorted(entry.sdgs.goals), sorted(expected["sdg_goals"]))
    if "sdg_targets" in expected:
        check("sdg_targets", sorted(entry.sdgs.targets), sorted(map(str, expected["sdg_targets"])))
    if "baap" in expected:
        got_plan = []
        for ref in goals.plan_refs:
            if ref.plan != "baap":
                continue
            if ref.output:
                got_plan.append(f"output/{ref.output}")
            elif ref.outcome:
                got_plan.append(f"outcome/{ref.outcome}")
            else:
                got_plan.append(f"objective/{ref.objective}")
        check("baap", sorted(got_plan), sorted(expected["baap"]))
    if "regional_initiatives" in expected:
        check(
            "regional_initiatives",
            sorted(goals.regional_initiatives),
            sorted(expected["regional_initiatives"]),
        )
    if "gca_pillars" in expected:
        check("gca_pillars", sorted(goals.gca_pillars), sorted(expected["gca_pillars"]))
    if "activities" in expected and entry.edition == "2010":
        check(
            "activities",
            [(a.code, a.role) for a in entry.activities],
            [(a["code"], a["role"]) for a in expected["activities"]],
        )
    for key, items in (
        ("results_printed", entry.results),
        ("activities_printed", entry.activities),
    ):
        if key in expected:
            check(key, [_norm(i.text) for i in items], [_norm(t) for t in expected[key]])
    if "project_codes" in expected:
        codes = {c for item in entry.results + entry.activities for c in item.project_codes}
        check("project_codes", sorted(codes), sorted(expected["project_codes"]))
    return found


@pytest.mark.parametrize("source_id", EDITIONS)
def test_outcome_counts_per_action_line_and_section(
    source_id: str, edition_reports: dict[str, EditionReport]
) -> None:
    """Verify that every outcome row of the document is read, counted as printed."""
    expected = load_expectations(source_id)["counts"]
    counted = Counter((e.action_line, e.section) for e in edition_reports[source_id].entries)
    for action_line, sections in expected.items():
        for section, number in sections.items():
            assert counted[(action_line, section)] == number, (action_line, section)
    assert sum(counted.values()) == sum(n for s in expected.values() for n in s.values())


def _cases() -> list[tuple[str, str, str]]:
    cases = []
    for source_id in EDITIONS:
        for outcome in load_expectations(source_id)["outcomes"]:
            cases.append((source_id, outcome["action_line"], outcome["label"]))
    return cases


@pytest.mark.parametrize(("source_id", "action_line", "label"), _cases(), ids=lambda v: str(v))
def test_outcome_fields_as_printed(
    source_id: str, action_line: str, label: str, entries_by_key: dict[tuple[str, str, str], Entry]
) -> None:
    """Verify that an outcome's timing, goals, resolutions and SDG links are read as printed."""
    expected = next(
        o
        for o in load_expectations(source_id)["outcomes"]
        if o["action_line"] == action_line and o["label"] == label
    )
    entry = entries_by_key.get((source_id, action_line, label))
    assert entry is not None, f"{action_line} {label} not read"
    assert differences(entry, expected) == []
