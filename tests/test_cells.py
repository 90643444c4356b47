"""Cell parsers on real cell texts from the sources, and their properties."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wsiskg.errors import CellParseError
from wsiskg.ingest import cells
from wsiskg.ingest.records import Citation, PlanRef, SdgRefs, Timing


@pytest.mark.parametrize(
    ("text", "begin", "end", "continuous"),
    [
        ("2020-2023", 2020, 2023, False),
        ("2010 - 2011", 2010, 2011, False),
        ("2020-\n2023", 2020, 2023, False),  # split over two lines
        ("Dec. 2012", 2012, 2012, False),
        ("May 2012", 2012, 2012, False),
        ("2015", 2015, 2015, False),
        ("2018", 2018, 2018, False),
        ("Since 2019 (continuous)", 2019, None, True),
        ("Since 2016", 2016, None, True),
        ("Continuous", None, None, True),
        ("2012 to date", 2012, None, True),
        ("On going activities with yearly results", None, None, True),
        ("On-going activities with yearly results", None, None, True),
    ],
)
def test_timing(text: str, begin: int | None, end: int | None, continuous: bool) -> None:
    """Verify each timing notation of the sources."""
    timing = cells.parse_timing(text)
    assert timing is not None
    assert (timing.begin, timing.end, timing.continuous) == (begin, end, continuous)


def test_timing_keeps_month_and_print() -> None:
    """Verify that "Dec. 2012" keeps its month and the printed text."""
    assert cells.parse_timing("Dec. 2012") == Timing("Dec. 2012", 2012, 2012, month=12)


@pytest.mark.parametrize("text", ["2020- 20203", "soon", "2023-2020x"])
def test_timing_refuses_what_it_cannot_read(text: str) -> None:
    """Verify that a malformed timing raises the parser's error."""
    with pytest.raises(CellParseError):
        cells.parse_timing(text)


def test_empty_timing_is_none() -> None:
    """Verify that an empty cell has no timing."""
    assert cells.parse_timing(" \n ") is None


@pytest.mark.parametrize(
    ("text", "goals", "targets"),
    [
        ("1, 2, 3", (1, 2, 3), ()),
        ("SDG 8,9", (8, 9), ()),
        ("<i>SDG 9</i>", (9,), ()),
        ("1.4, 4.1, 5.b", (), ("1.4", "4.1", "5.b")),
        (
            "7.1, 7.a,\n7.b, 9.1, 9.c,\n11.3, 11.b, 16.2, 17.8.",
            (),
            ("7.1", "7.a", "7.b", "9.1", "9.c", "11.3", "11.b", "16.2", "17.8"),
        ),
        ("5b, 9a", (), ("5.b", "9.a")),
        ("1 (targets 1.4, 1.5)", (1,), ("1.4", "1.5")),
        ("SDG 4, 9, 11 and 16", (4, 9, 11, 16), ()),
        (
            "16.10: Ensure public access to information and protect fundamental freedoms 16.b",
            (),
            ("16.10", "16.b"),
        ),
        (
            "SDG 1 (No poverty), SDG 4 (Quality education), SDG 9 (Industry, Innovation, and "
            "Infrastructure) and SDG 10 (Reducing inequality)",
            (1, 4, 9, 10),
            (),
        ),
    ],
)
def test_sdg_refs(text: str, goals: tuple[int, ...], targets: tuple[str, ...]) -> None:
    """Verify whole goals and targets in each notation the sources use."""
    refs = cells.parse_sdg_refs(text)
    assert (refs.goals, refs.targets) == (goals, targets)


def test_sdg_cited_text_is_kept() -> None:
    """Verify that a target quoted with its text keeps the text."""
    refs = cells.parse_sdg_refs(
        "9.1: Develop quality, reliable, sustainable and resilient infrastructure"
    )
    assert refs.targets == ("9.1",)
    assert refs.cited_texts == (
        "9.1: Develop quality, reliable, sustainable and resilient infrastructure",
    )


def test_sdg_statement_is_kept() -> None:
    """Verify that "relevant to all SDGs" stays a statement, with no invented links."""
    refs = cells.parse_sdg_refs("relevant to all SDGs")
    assert refs == SdgRefs(statements=("relevant to all SDGs",))


@pytest.mark.parametrize("text", ["18.1", "9.z", "SDG 18", "1710", "4.11"])
def test_unknown_sdg_code_is_an_error(text: str) -> None:
    """Verify that a code outside the 17 goals and 169 targets is refused."""
    with pytest.raises(CellParseError):
        cells.parse_sdg_refs(text)


@pytest.mark.parametrize(
    ("text", "goals", "targets"),
    [
        ("Goal 1 Goal 3 Goal 6 Goal 7", (1, 3, 6, 7), ()),
        ("Goals 1 & 4 ITU-D Objective 3", (1, 4), ()),
        ("Goal 1 & 4", (1, 4), ()),
        ("ITU Strategic Goal 3 (Target 3.1)", (3,), ("3.1",)),
        ("PP-2022: Strategic Goal 2 includes a target (2.2.) on digital skills.", (2,), ("2.2",)),
    ],
)
def test_strategic_goals(text: str, goals: tuple[int, ...], targets: tuple[str, ...]) -> None:
    """Verify ITU strategic goal and target notations."""
    assert cells.parse_strategic_goals(text) == (goals, targets)


def _numbered(citations: tuple[Citation, ...]) -> list[tuple[str | None, str | None, str | None]]:
    return [(c.body, c.number, c.revision) for c in citations if c.body]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "PP Res. 130 (Rev. Dubai 2018), 174 (Rev. Busan, 2014)",
            [("pp", "130", "Dubai, 2018"), ("pp", "174", "Busan, 2014")],
        ),
        (
            "WTDC Res. 45 (Rev. Dubai, 2014), 67, 69 (Rev. Buenos Aires, 2017)",
            [
                ("wtdc", "45", "Dubai, 2014"),
                ("wtdc", "67", None),
                ("wtdc", "69", "Buenos Aires, 2017"),
            ],
        ),
        (
            "WTSA Res. 50, 52 (Rev. Hammamet, 2016), 58 (Rev. Dubai 2012)",
            [("wtsa", "50", None), ("wtsa", "52", "Hammamet, 2016"), ("wtsa", "58", "Dubai, 2012")],
        ),
        ("Goal 7 C09 Res 1305 DAP Programme 3", [("council", "1305", None)]),
        (
            "Goal 1 Goal 7 PP Res 102, 133, C09 Res 1305",
            [("pp", "102", None), ("pp", "133", None), ("council", "1305", None)],
        ),
        ("Resolution 70/1 (Transforming our world: the 2030 Agenda)", [("unga", "70-1", None)]),
        (
            "PP-14 Resolution 123, WTSA-20 Resolution 44,",
            [("pp", "123", None), ("wtsa", "44", None)],
        ),
        (
            "Resolutions 71, 130, 140, 179 (Rev. Bucharest, 2022) of the Plenipotentiary "
            "Conference "
            "Resolution 174 (Rev. Dubai, 2018), 181 (Guadalajara, 2010) of the Plenipotentiary "
            "Conference ITRs (Rev. Dubai, 2012) Council Resolution 1306",
            [
                ("pp", "71", None),
                ("pp", "130", None),
                ("pp", "140", None),
                ("pp", "179", "Bucharest, 2022"),
                ("pp", "174", "Dubai, 2018"),
                ("pp", "181", "Guadalajara, 2010"),
                ("council", "1306", None),
            ],
        ),
        (
            "PP Res. 130 (Rev. Dubai 2018), 174\n(Rev. Busan, 2014)",  # broken across lines
            [("pp", "130", "Dubai, 2018"), ("pp", "174", "Busan, 2014")],
        ),
        (
            "Several WTDC resolutions refer to digital skills (Res. 37, Res. 40)",
            [("wtdc", "37", None), ("wtdc", "40", None)],
        ),
    ],
)
def test_resolutions(text: str, expected: list[tuple[str, str, str | None]]) -> None:
    """Verify resolution citations with issuing body, number and revision."""
    assert sorted(_numbered(cells.parse_resolutions(text))) == sorted(expected)


def test_citation_without_number_stays_text() -> None:
    """Verify that "Kigali Resolution (2022)" gets no invented number."""
    found = cells.parse_resolutions("Kigali Resolution (2022):")
    assert found == (Citation(printed="Kigali Resolution (2022)"),)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Buenos Aires Action Plan Objective 2", [PlanRef("baap", objective=2)]),
        (
            "ITU-D Objective 2/Output 2.2 (Buenos Aires Action Plan)",
            [PlanRef("baap", objective=2), PlanRef("baap", objective=2, output="2.2")],
        ),
        (
            "ITU-D Objective 2/Output_2.2",
            [PlanRef("baap", objective=2), PlanRef("baap", objective=2, output="2.2")],
        ),
        ("ITU-D Objective 3", [PlanRef("baap", objective=3)]),
        (
            "DAP Programme 1 DAP Programme 4",
            [PlanRef("dap", programme=1), PlanRef("dap", programme=4)],
        ),
        ("ITU-T Objective 1", []),
    ],
)
def test_plan_refs(text: str, expected: list[PlanRef]) -> None:
    """Verify action-plan references (and that ITU-T objectives are not taken for them)."""
    assert list(cells.parse_plan_refs(text)) == expected


def test_plan_output_must_belong_to_its_objective() -> None:
    """Verify that "Objective 2/Output 3.1" is refused."""
    with pytest.raises(CellParseError):
        cells.parse_plan_refs("ITU-D Objective 2/Output 3.1")


def test_regional_initiatives_and_misprint() -> None:
    """Verify regional initiative codes; "ARF3" is read as AFR3 and reported."""
    codes, fixes = cells.parse_regional_initiatives(
        "Regional Initiatives\n(ARF3, ARB2, ASP5, CIS3,EUR4)"
    )
    assert codes == ("AFR3", "ARB2", "ASP5", "CIS3", "EUR4")
    assert [(f.printed, f.corrected) for f in fixes] == [("ARF3", "AFR3")]


@pytest.mark.parametrize(
    ("text", "pillars", "fixed"),
    [
        (
            "<u>GCA</u>\n2.Technical and Procedural Measures\n3. Organizational\nStructures\n"
            "5.International Cooperation\n<u>Resolutions</u>\nPP Res. 130",
            (2, 3, 5),
            0,
        ),
        ("GCA\nLegal Measures S.International Cooperation", (1, 5), 1),
        ("Goal 4 Goal 6 GCA 1. Legal Measures 3. Organizational Structures", (1, 3), 0),
        ("Capacity Building without a GCA heading", (), 0),
    ],
)
def test_gca_pillars(text: str, pillars: tuple[int, ...], fixed: int) -> None:
    """Verify GCA pillars by name; a number that disagrees with the name is reported."""
    found, fixes = cells.parse_gca_pillars(text)
    assert found == pillars
    assert len(fixes) == fixed


def test_activities_2010_codes_roles_and_projects() -> None:
    """Verify 2010 activities: code, asterisk, ITU role and project codes."""
    text = (
        "National ICT policies are developed A1*: Direct assistance through programmes (I) "
        "A2*: Implementation of relevant projects (RIs /others) (I) Selected examples: "
        "7GL008061 Support for the establishment of harmonized policies\n"
        "A3: Provision of tools and guidelines on policy development"
    )
    results, activities = cells.parse_activities_2010(text)
    assert [r.text for r in results] == ["National ICT policies are developed"]
    assert [(a.code, a.starred, a.role) for a in activities] == [
        ("A1", True, "I"),
        ("A2", True, "I"),
        ("A3", False, None),
    ]
    assert activities[1].project_codes == ("7GL008061",)


def test_results_and_activities_headings() -> None:
    """Verify the split on "Expected Results:" and "ITU Activities:" headings and bullets."""
    text = (
        "Expected Results:\nCapacity built in Member States\nITU Activities:\n"
        "- Forums on Universal Access\n- Provision of tools, guidelines and best\n"
        "practice examples"
    )
    results, activities = cells.parse_results_cell(text)
    assert [r.text for r in results] == ["Capacity built in Member States"]
    assert [a.text for a in activities] == [
        "Forums on Universal Access",
        "Provision of tools, guidelines and best practice examples",
    ]


def test_html_list_items_split() -> None:
    """Verify that HTML list items and paragraphs of the 2024 draft become items."""
    items = cells.split_items("<ul><li>First item</li><li>Second item</li></ul><p>Third.</p>")
    assert items == ["First item", "Second item", "Third."]


def test_item_beginning_itu_activities_is_not_a_heading() -> None:
    """Verify that "ITU activities under ..." items survive the "ITU Activities:" heading
    (2019 C5 A1, lines 1389-1399)."""
    text = (
        "Expected Results:\nContinue to act as a platform.\nITU Activities:\n"
        "ITU activities under ITU-D and SG 2 Q3\n"
        "ITU activities under ITU-T SG 13, 17, 20 and other relevant Study Groups\n"
        "ITU activities under Child Online Protection initiative\n"
        "ITU activities under WSIS Forum"
    )
    results, activities = cells.parse_results_cell(text)
    assert [r.text for r in results] == ["Continue to act as a platform."]
    assert [a.text for a in activities] == [
        "ITU activities under ITU-D and SG 2 Q3",
        "ITU activities under ITU-T SG 13, 17, 20 and other relevant Study Groups",
        "ITU activities under Child Online Protection initiative",
        "ITU activities under WSIS Forum",
    ]


@pytest.mark.parametrize(
    ("text", "heading_kind"),
    [
        ("ITU Activities ITU collaboration with relevant organizations", "activities"),
        ("TTO ACTIVITIES:\nAssistance to Member States", "activities"),
        ("ITU Activities (Aligned with SDGs)\nAssistance to Member States", "activities"),
        ("Results of activities in this area include: Assistance to Member States", "results"),
    ],
)
def test_heading_variants(text: str, heading_kind: str) -> None:
    """Verify the printed forms of the column's headings, and that none stays in an item."""
    results, activities = cells.parse_results_cell(text)
    items = results if heading_kind == "results" else activities
    assert len(items) == 1
    assert not items[0].text.lower().startswith(("itu activities", "tto", "results of"))


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        # a result wrapped after "among" at a page break (2019 C5 A2)
        (
            [
                "Facilitate an institutional framework for close global cooperation among",
                "Member States. This includes helping set up systems.",
            ],
            [
                "Facilitate an institutional framework for close global cooperation among Member "
                "States. This includes helping set up systems."
            ],
        ),
        # a name wrapped over two lines, then a new item (draft zero C5 G)
        (
            [
                "Roll out the Guide to Developing a National",
                "Cybersecurity Strategy to support Member States",
                "ITU-D maintenance of the Global",
                "Cybersecurity Index (GCI)",
            ],
            [
                "Roll out the Guide to Developing a National Cybersecurity Strategy to support "
                "Member States",
                "ITU-D maintenance of the Global Cybersecurity Index (GCI)",
            ],
        ),
        # an open parenthesis, a name after a preposition, a one-word tail
        (
            [
                "Participation of ITU-D Secretariat (Telecommunication Development",
                "Bureau) in initiatives",
                "Work under the ITU-T Focus Group on Data",
                "Processing and Management",
                "Cooperation with FIRST, AP-CERT, OIC",
                "CERT",
            ],
            [
                "Participation of ITU-D Secretariat (Telecommunication Development Bureau) in "
                "initiatives",
                "Work under the ITU-T Focus Group on Data Processing and Management",
                "Cooperation with FIRST, AP-CERT, OIC CERT",
            ],
        ),
        # an item that opens with a verb after a name, and one after a one-word tail
        (
            [
                "ITU-D activities under CIRT Programme",
                "Assisting Members States in the establishment of CIRTs",
                "ITU-D maintenance of best national practices on key aspects of",
                "Cybersecurity",
                "Technical Recommendations under ITU-T Study Group 17 activities",
            ],
            [
                "ITU-D activities under CIRT Programme",
                "Assisting Members States in the establishment of CIRTs",
                "ITU-D maintenance of best national practices on key aspects of Cybersecurity",
                "Technical Recommendations under ITU-T Study Group 17 activities",
            ],
        ),
        # in a bulleted item a line that starts with a capital still continues it
        (
            [
                "- Improved exchange of technical information between Member",
                "States and relevant organizations.",
                "- Increased capacity",
            ],
            [
                "Improved exchange of technical information between Member States and relevant "
                "organizations.",
                "Increased capacity",
            ],
        ),
    ],
)
def test_wrapped_lines_and_new_items(lines: list[str], expected: list[str]) -> None:
    """Verify which printed lines continue an item and which open one."""
    assert cells.split_items("\n".join(lines)) == expected


def test_items_run_together_in_one_line() -> None:
    """Verify that activities printed run together in one cell line (2010 C5, draft zero)
    are cut before the phrases that open them, except after a connector."""
    text = (
        "ITU activities under the IMPACT initiative ITU activities under Child Online "
        "Protection initiative. BDT Training programs ITU-T Study Group 17 Activities "
        "Technical Recommendations under ITU-T Study Group 17 activities"
    )
    assert cells.split_items(text) == [
        "ITU activities under the IMPACT initiative",
        "ITU activities under Child Online Protection initiative.",
        "BDT Training programs",
        "ITU-T Study Group 17 Activities Technical Recommendations under ITU-T Study Group 17 "
        "activities",
    ]


def test_2010_column_without_numbered_activities() -> None:
    """Verify that a 2010 column with headings and no "A1:" codes (C5) is split like the
    later editions."""
    results, activities = cells.parse_activities_2010(
        "Expected Results: Establishment of a global framework ITU Activities: ITU activities "
        "under the IMPACT initiative ITU activities under Child Online Protection initiative"
    )
    assert [r.text for r in results] == ["Establishment of a global framework"]
    assert [a.text for a in activities] == [
        "ITU activities under the IMPACT initiative",
        "ITU activities under Child Online Protection initiative",
    ]
    assert all(a.code is None for a in activities)


# -- properties ------------------------------------------------------------

PARSERS: list[Callable[[str], object]] = [
    cells.parse_timing,
    cells.parse_sdg_refs,
    cells.parse_resolutions,
    cells.parse_strategic_goals,
    cells.parse_plan_refs,
    cells.parse_regional_initiatives,
    cells.parse_gca_pillars,
    cells.parse_results_cell,
    cells.parse_activities_2010,
    cells.split_items,
    cells.find_mentions,
]


@pytest.mark.parametrize("parser", PARSERS, ids=lambda p: p.__name__)
@settings(max_examples=300, deadline=None)
@given(
    text=st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=200)
    | st.from_regex(r"(SDG |Goal |Res\. |PP Res\. |A\d+\*?: )?[0-9., &a-z()/-]{0,40}")
)
def test_parsers_raise_only_their_own_error(parser: Callable[[str], object], text: str) -> None:
    """Verify that arbitrary text never raises anything but CellParseError."""
    try:
        parser(text)
    except CellParseError:
        pass


years = st.integers(min_value=1990, max_value=2099)


@given(
    st.one_of(
        st.tuples(years, years).map(
            lambda p: Timing("", min(p), max(p)) if p[0] != p[1] else Timing("", p[0], p[0])
        ),
        years.map(lambda y: Timing("", y, None, continuous=True)),
        st.tuples(years, st.integers(1, 12)).map(lambda p: Timing("", p[0], p[0], month=p[1])),
        st.just(Timing("", None, None, continuous=True)),
    )
)
def test_timing_round_trip(timing: Timing) -> None:
    """Verify parse(render(t)) == t for every timing shape."""
    parsed = cells.parse_timing(cells.render_timing(timing))
    assert parsed is not None
    assert (parsed.begin, parsed.end, parsed.continuous, parsed.month) == (
        timing.begin,
        timing.end,
        timing.continuous,
        timing.month,
    )


@given(
    st.lists(st.integers(1, 17), unique=True, max_size=6),
    st.lists(st.sampled_from(sorted(cells.SDG_TARGETS)), unique=True, max_size=8),
)
def test_sdg_round_trip(goals: list[int], targets: list[str]) -> None:
    """Verify parse(render(refs)) == refs for goal and target lists."""
    refs = SdgRefs(tuple(goals), tuple(targets))
    assert cells.parse_sdg_refs(cells.render_sdg_refs(refs)) == refs
