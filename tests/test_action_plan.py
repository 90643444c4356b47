"""The Buenos Aires Action Plan against expectations read from the document,
and its bridge to the roadmap editions."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from pyoxigraph import RdfFormat, Store
from rdflib import Dataset

from wsiskg import iris
from wsiskg.ingest.curation import Curation
from wsiskg.ingest.readers.dispatch import read_plan
from wsiskg.ingest.records import PlanOutputRecord, PlanRead
from wsiskg.ingest.sources import Source
from wsiskg.iris import WSIS

from .conftest import ROOT, load_expectations, select

EXPECTED = load_expectations("baap-2018-2021")


@pytest.fixture(scope="module")
def plan(sources: dict[str, Source], curation: Curation) -> PlanRead:
    source = sources["baap-2018-2021"]
    return read_plan(source, curation)


def test_counts_read_from_the_document(plan: PlanRead) -> None:
    """Verify the numbers of objectives, plan outcomes, indicators, outputs and proposals."""
    counts = EXPECTED["counts"]
    assert len(plan.objectives) == counts["objectives"] == 4
    assert len(plan.outcomes) == counts["plan_outcomes"] == 14
    assert sum(len(o.indicators) for o in plan.outcomes) == counts["performance_indicators"]
    assert len(plan.outputs) == counts["outputs"] == 17
    assert len(plan.proposals) == counts["amendment_proposals"] == 4


def test_objectives_and_outcomes(plan: PlanRead) -> None:
    """Verify objective titles and each plan outcome's line and indicators."""
    for objective in EXPECTED["objectives"]:
        title, _, line = plan.objectives[objective["number"]]
        assert line == objective["first_line"]
        assert objective["title"].startswith(title)
    outcomes = {o.number: o for o in plan.outcomes}
    for expected in EXPECTED["plan_outcomes"]:
        outcome = outcomes[expected["number"]]
        assert outcome.first_line == expected["first_line"]
        assert len(outcome.indicators) == len(expected["indicators"])


def _fields(output: PlanOutputRecord) -> dict[str, object]:
    def numbers(body: str, kind: str) -> list[str]:
        return sorted(
            (c.number or "" if c.kind == kind else f"{c.kind} {c.number}")
            for c in output.citations
            if c.body == body and (c.kind == kind or kind == "resolution" and c.kind == "decision")
        )

    return {
        "objective": output.objective,
        "plan_outcome": output.outcome,
        "programme": output.programmes[0] if output.programmes else None,
        "pp_resolutions": numbers("pp", "resolution"),
        "wtdc_resolutions": numbers("wtdc", "resolution"),
        "wtdc_recommendations": numbers("wtdc", "recommendation"),
        "resolution_statements": list(output.resolution_statements),
        "action_lines": list(output.action_lines),
        "action_line_statements": list(output.action_line_statements),
        "sdg_goals": sorted(output.sdgs.goals),
        "sdg_targets": sorted(output.sdgs.targets),
        "sdg_statements": list(output.sdgs.statements),
    }


@pytest.mark.parametrize("expected", EXPECTED["outputs"], ids=lambda o: o["number"])
def test_output_as_printed(plan: PlanRead, expected: dict[str, Any]) -> None:
    """Verify an output's objective, outcome, programme, resolutions, action lines and SDGs."""
    output = next(o for o in plan.outputs if o.number == expected["number"])
    assert output.first_line == expected["first_line"]
    assert output.heading.strip() == expected["title"].strip()
    assert output.title.strip() == expected["table_title"].strip()
    want = {k: expected.get(k, []) for k in _fields(output)}
    want["pp_resolutions"] = sorted(str(n) for n in want["pp_resolutions"])
    want["wtdc_resolutions"] = sorted(str(n) for n in want["wtdc_resolutions"])
    want["wtdc_recommendations"] = sorted(str(n) for n in want["wtdc_recommendations"])
    want["sdg_goals"] = sorted(want["sdg_goals"])
    want["sdg_targets"] = sorted(map(str, want["sdg_targets"]))
    assert _fields(output) == want


def test_every_reference_number_is_parsed(plan: PlanRead) -> None:
    """Verify that no number of a resolutions paragraph is left as raw text: every
    one is a citation (besides the output and outcome numbers the sentence names)."""
    for output in plan.outputs:
        paragraph = output.reference_text.split("\n")[0]
        paragraph = re.sub(r"(?:Output|Outcome)\s+\d\.\d", " ", paragraph)
        printed = set(re.findall(r"\b\d{1,3}\b", paragraph))
        cited = {c.number for c in output.citations}
        assert printed == cited, output.number


def test_statements_are_kept_not_expanded(plan: PlanRead) -> None:
    """Verify "all WTDC Resolutions" and "all SDGs" stay statements (no invented numbers)."""
    out_11 = next(o for o in plan.outputs if o.number == "1.1")
    assert out_11.resolution_statements == ("all WTDC Resolutions",)
    assert not any(c.body == "wtdc" for c in out_11.citations)
    out_32 = next(o for o in plan.outputs if o.number == "3.2")
    assert out_32.sdgs.goals == () and out_32.sdgs.targets == ()
    assert out_32.sdgs.statements[0].endswith("all SDGs")


@pytest.mark.parametrize("expected", EXPECTED["proposals"], ids=lambda p: str(p["number"]))
def test_amendment_proposals(plan: PlanRead, expected: dict[str, Any]) -> None:
    """Verify each proposal's output, heading and the text it inserts (read once where
    printed twice; proposal 3's heading corrected to the output it amends)."""
    proposal = next(p for p in plan.proposals if p.number == expected["number"])
    assert proposal.output == expected["output"]
    assert proposal.line == expected["proposal_line"]
    if proposal.number == 3:
        assert proposal.heading == "Products and services on telecommunication/ICT statistics"
    else:
        assert proposal.heading == expected["heading"]
    assert proposal.text[0][1].lstrip("· ").startswith(expected["text_starts"][:40])
    lines = [n for n, _ in proposal.text]
    assert set(lines) <= set(expected["text_lines"])
    assert lines == {1: [266], 2: [292, 296], 3: [587], 4: [909, 916]}[proposal.number]


# -- in the graph -------------------------------------------------------------


def test_resolution_is_one_node_whichever_document_cites_it(dataset: Dataset) -> None:
    """Verify that PP Resolution 130 is the node a roadmap entry and a plan output both cite."""
    pp130 = iris.resolution("pp", "130")
    citing = {s for s, _, _, _ in dataset.quads((None, WSIS.citesResolution, pp130, None))}
    assert iris.plan_output("baap", "2.2") in citing
    assert iris.entry("2019-draft-zero", "C5", "A1") in citing


def test_entries_link_to_plan_nodes(dataset: Dataset) -> None:
    """Verify that an entry citing "ITU-D Objective 2/Output 2.2" links to the plan's nodes,
    which the plan's graph describes."""
    entry = iris.entry("2019", "C5", "A2")
    objectives = {o for _, _, o, _ in dataset.quads((entry, WSIS.citesPlanObjective, None, None))}
    outputs = {o for _, _, o, _ in dataset.quads((entry, WSIS.citesPlanOutput, None, None))}
    assert objectives == {iris.plan_objective("baap", 2)}
    assert outputs == {iris.plan_output("baap", "2.2")}
    plan_graph = iris.named_graph("baap-2018-2021")
    assert (
        iris.plan_output("baap", "2.2"),
        WSIS.supportsActionLine,
        iris.action_line("C5"),
        plan_graph,
    ) in dataset


@pytest.fixture(scope="module")
def bridge() -> dict[tuple[str, str, str, str], dict[str, str]]:
    store = Store()
    store.load(path=str(ROOT / "data" / "kg" / "wsis.trig"), format=RdfFormat.TRIG)
    query = (ROOT / "queries" / "action-plan-bridge.rq").read_text(encoding="utf-8")
    found: dict[tuple[str, str, str, str], dict[str, str]] = {}
    for row in select(store, query, use_default_graph_as_union=True):
        key = (
            row["editionId"].value,
            row["actionLine"].value,
            row["outcome"].value,
            row["objectiveNumber"].value,
        )
        found.setdefault(key, {})[row["target"].value] = row["status"].value
    return found


def test_bridge_agreement_for_c5_a2(
    bridge: dict[tuple[str, str, str, str], dict[str, str]],
) -> None:
    """Verify the bridge for draft-zero C5 A2 (cites Objective 2/Output 2.2; SDG targets
    7.1, 7.a, 7.b, 9.1, 9.c, 11.3, 11.b, 17.8), read against Outputs 2.1-2.3 (lines 343,
    407, 473 of the plan: 2.2 names whole goals only)."""
    statuses = bridge[("2019-draft-zero", "C5", "A2", "2")]
    by_status: dict[str, set[str]] = {}
    for target, status in statuses.items():
        by_status.setdefault(status, set()).add(target)
    assert by_status["agreement"] == {"9.1", "9.c", "11.b"}
    assert by_status["only in the roadmap"] == {"7.1", "7.a", "7.b", "11.3", "17.8"}
    assert by_status["only in the plan"] == {
        "1.4",
        "1.5",
        "3.8",
        "3.9",
        "3.d",
        "5.b",
        "8.2",
        "9.a",
        "10.c",
        "11.5",
        "13.1",
        "13.2",
        "13.3",
        "16.10",
        "17.6",
        "17.7",
    }


def test_bridge_counts_a_whole_goal(
    bridge: dict[tuple[str, str, str, str], dict[str, str]],
) -> None:
    """Verify that a roadmap entry citing whole goals (draft-zero C2 A: 1, 2, 3, 4, 5, 8, 9,
    10, 11, 16, 17) shows the plan's targets of those goals as "goal in the roadmap"."""
    statuses = bridge[("2019-draft-zero", "C2", "A", "2")]
    assert statuses["9.c"] == "goal in the roadmap"
    assert statuses["1.4"] == "goal in the roadmap"
    assert statuses["13.1"] == "only in the plan"  # goal 13 is not cited by C2 A
    assert Counter(statuses.values())["agreement"] == 0


def test_bridge_query_has_a_header() -> None:
    """Verify the canned query's grlc header and its own prefixes."""
    text = (ROOT / "queries" / "action-plan-bridge.rq").read_text(encoding="utf-8")
    assert text.startswith("#+ summary:")
    assert "#+ description:" in text and "PREFIX wsis:" in text
    assert Path(ROOT / "queries" / "action-plan-bridge.rq").stat().st_size > 0


def test_every_line_has_a_role(plan: PlanRead, sources: dict[str, Source]) -> None:
    """Verify that every line of the document is accounted for (contribution, proposal,
    objective, table, output, references, plan text, footnote or blank)."""
    lines = sources["baap-2018-2021"].read_lines()
    assert set(plan.roles) == set(range(1, len(lines) + 1))
    assert set(plan.roles.values()) <= {
        "contribution",
        "proposal",
        "objective",
        "table",
        "table-note",
        "output",
        "references",
        "plan-text",
        "footnote",
        "blank",
    }
