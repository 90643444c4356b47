"""Outcomes across editions: one node per WSIS outcome, the revision chain,
recorded identity decisions, and the draft zero compared with the 2019 edition."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset
from rdflib.namespace import PROV

from wsiskg import iris
from wsiskg.errors import CurationError
from wsiskg.graph.build import EditionReport
from wsiskg.ingest.identity import Decision, Identity, apply_identity, similarity
from wsiskg.ingest.records import Entry
from wsiskg.iris import WSIS


def test_same_outcome_is_one_node_across_editions(dataset: Dataset) -> None:
    """Verify that C2 A of all four editions (2010 worded differently) is one outcome."""
    outcome = iris.outcome("C2", "A")
    entries = {s for s, _, _, _ in dataset.quads((None, WSIS.addressesOutcome, outcome, None))}
    assert entries == {
        iris.entry(e, "C2", "A") for e in ("2010", "2019-draft-zero", "2019", "2024-draft")
    }


def test_editions_form_a_revision_chain(dataset: Dataset) -> None:
    """Verify 2010 -> 2019 draft zero -> 2019 -> 2024 draft with prov:wasRevisionOf."""
    chain = {
        (str(s), str(o)) for s, _, o, _ in dataset.quads((None, PROV.wasRevisionOf, None, None))
    }
    assert chain == {
        (str(iris.edition("2019-draft-zero")), str(iris.edition("2010"))),
        (str(iris.edition("2019")), str(iris.edition("2019-draft-zero"))),
        (str(iris.edition("2024-draft")), str(iris.edition("2019"))),
    }


def test_wsis10_outcomes_are_their_own_nodes(dataset: Dataset) -> None:
    """Verify that C6 a and C6 wsis10-a are different outcomes from different documents."""
    plain, wsis10 = iris.outcome("C6", "a"), iris.outcome("C6", "wsis10-a")
    docs = {o for _, _, o, _ in dataset.quads((wsis10, WSIS.outcomeDocument, None, None))}
    assert docs == {
        iris.outcome_document("wsis10-statement"),
        iris.outcome_document("wsis10-vision"),
    }
    assert plain != wsis10


def _entry(edition: str, key: str, text: str) -> Entry:
    return Entry(
        edition=edition,
        source_id=f"roadmaps-{edition}",
        action_line="C2",
        section="geneva-tunis",
        key=key,
        printed_label=f"{key}:",
        text=text,
        first_line=1,
        last_line=1,
    )


def test_undecided_change_of_wording_stops_the_build() -> None:
    """Verify that a changed wording with no recorded decision is refused."""
    editions = [
        ("old", [_entry("old", "A", "Development of national ICT policies.")]),
        ("new", [_entry("new", "A", "Governments should take action in ICT.")]),
    ]
    with pytest.raises(CurationError, match="worded differently"):
        apply_identity(editions, Identity(0.75, [], Path("outcomes.yaml")))


def test_distinct_decision_gives_its_own_outcome() -> None:
    """Verify that a 'distinct' decision links the entry to a different outcome key."""
    old = _entry("old", "A", "Development of national ICT policies.")
    new = _entry("new", "A", "Governments should take action in ICT.")
    decision = Decision("a-old", "C2", "A", "old", "new", False, "A-old", "different item")
    lines = apply_identity(
        [("old", [old]), ("new", [new])], Identity(0.75, [decision], Path("outcomes.yaml"))
    )
    assert old.outcome_key == "A-old" and new.outcome_key == "A"
    assert "distinct outcome C2/A-old" in lines[0]


def test_unneeded_decision_is_refused() -> None:
    """Verify that a decision for a wording that did not change stops the build."""
    text = "Encourage and promote joint use of traditional media and new technologies"
    decision = Decision("l", "C2", "A", "old", "new", True, "A", "same")
    with pytest.raises(CurationError, match="no longer needed"):
        apply_identity(
            [("old", [_entry("old", "A", text)]), ("new", [_entry("new", "A", text)])],
            Identity(0.75, [decision], Path("outcomes.yaml")),
        )


# -- the draft zero against the final 2019 edition --------------------------


def field_differences(a: Entry, b: Entry) -> dict[str, tuple[object, object]]:
    """The fields in which two entries about the same outcome differ."""

    def timing(e: Entry) -> object:
        return None if e.timing is None else (e.timing.begin, e.timing.end, e.timing.continuous)

    def fields(e: Entry) -> dict[str, object]:
        g = e.goals
        return {
            "printed_label": e.printed_label,
            "timing": timing(e),
            "strategic_goals": sorted(g.strategic_goals),
            "strategic_targets": sorted(g.strategic_targets),
            "resolutions": sorted((c.body, c.number, c.revision) for c in g.citations if c.body),
            "sdg_goals": sorted(e.sdgs.goals),
            "sdg_targets": sorted(e.sdgs.targets),
            "plan_refs": sorted(map(repr, g.plan_refs)),
            "regional_initiatives": sorted(g.regional_initiatives),
            "gca_pillars": sorted(g.gca_pillars),
        }

    fa, fb = fields(a), fields(b)
    found = {k: (fa[k], fb[k]) for k in fa if fa[k] != fb[k]}
    if similarity(a.text, b.text) < 0.97:
        found["outcome_text"] = (a.text, b.text)
    return found


# Verified by reading roadmaps-2019-draft-zero.txt and roadmaps-2019.txt side by side.
VERIFIED = {
    ("C5", "B4", "sdg_targets"),  # draft zero prints an extra 11.5 (line 175)
    ("C5", "wsis10-c", "resolutions"),  # draft zero's cell is cut off after "179 (Rev."
    ("C6", "c", "printed_label"),  # "C." then "c."
    ("C6", "o", "printed_label"),  # "0." then "o."
    *{
        ("C6", k, "timing")
        for k in (
            "m",
            "n",
            "q",
            "r",
            "wsis10-a",
            "wsis10-b",
            "wsis10-c",
            "wsis10-d",
            "wsis10-e",
            "wsis10-f",
        )
    },  # 2018 -> 2019
}


def test_draft_zero_against_2019_lists_exactly_the_verified_differences(
    edition_reports: dict[str, EditionReport],
) -> None:
    """Verify that the fields differing between draft zero and 2019 are the ones read."""
    draft = {(e.action_line, e.key): e for e in edition_reports["roadmaps-2019-draft-zero"].entries}
    final = {(e.action_line, e.key): e for e in edition_reports["roadmaps-2019"].entries}
    assert set(draft) == set(final)
    found = {(k[0], k[1], name) for k in draft for name in field_differences(draft[k], final[k])}
    assert found == VERIFIED
    b4_draft, b4_final = field_differences(draft[("C5", "B4")], final[("C5", "B4")])["sdg_targets"]
    assert isinstance(b4_draft, list) and isinstance(b4_final, list)
    assert set(b4_draft) - set(b4_final) == {"11.5"}
    res_draft, res_final = field_differences(draft[("C5", "wsis10-c")], final[("C5", "wsis10-c")])[
        "resolutions"
    ]
    assert isinstance(res_draft, list) and isinstance(res_final, list)
    assert ("pp", "179", None) in res_draft and ("pp", "179", "Dubai, 2018") in res_final
    assert {("wtdc", "45", "Dubai, 2014"), ("wtdc", "67", None)} <= set(res_final) - set(res_draft)
    m = field_differences(draft[("C6", "m")], final[("C6", "m")])["timing"]
    assert m == ((2018, 2018, False), (2019, 2019, False))


@pytest.mark.parametrize(
    ("action_line", "key", "draft_phrase", "final_phrase"),
    [
        (
            "C2",
            "A",
            "18th edition of the Global Symposium for Regulators",
            "19th edition of the Global Symposium for Regulators",
        ),
        (
            "C6",
            "a",
            "18th edition of the Global Symposium for Regulators",
            "19th edition of the Global Symposium for Regulators",
        ),
        ("C6", "i", None, "Digital identity in the ICT ecosystem"),
        ("C6", "k", None, "regional economic dialogues"),
    ],
)
def test_updated_activities_in_2019(
    edition_reports: dict[str, EditionReport],
    action_line: str,
    key: str,
    draft_phrase: str | None,
    final_phrase: str,
) -> None:
    """Verify activity updates of the 2019 edition read in both documents (the GSR edition)."""

    def text(source: str) -> str:
        entry = next(
            e
            for e in edition_reports[source].entries
            if (e.action_line, e.key) == (action_line, key)
        )
        return " ".join(i.text for i in entry.results + entry.activities)

    draft, final = text("roadmaps-2019-draft-zero"), text("roadmaps-2019")
    assert final_phrase in final and final_phrase not in draft
    if draft_phrase:
        assert draft_phrase in draft and draft_phrase not in final
