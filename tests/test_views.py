"""Seeing the linkage: edition diff (fixture graphs and the real editions) and the
SDG pictures (the report site is tested in test_report_site.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyoxigraph import RdfFormat, Store

from wsiskg.cli import main
from wsiskg.paths import Layout
from wsiskg.store.embedded import EmbeddedStore, open_embedded
from wsiskg.store.queries import load_queries
from wsiskg.views.diff import edition_diff, render_diff
from wsiskg.views.plots import goal_order, matrix_data, trend_data

from .conftest import ROOT, load_expectations

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

FIXTURE = """
@prefix wsis: <https://w3id.org/wsis-kg/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix id: <https://w3id.org/wsis-kg/id/> .
<https://w3id.org/wsis-kg/id/edition/old> a wsis:RoadmapEdition ; wsis:editionId "old" .
<https://w3id.org/wsis-kg/id/edition/new> a wsis:RoadmapEdition ; wsis:editionId "new" .
<https://w3id.org/wsis-kg/id/action-line/C2> skos:notation "C2" .
<https://w3id.org/wsis-kg/id/outcome/C2/A> wsis:outcomeKey "A" ;
    wsis:actionLine <https://w3id.org/wsis-kg/id/action-line/C2> .
<https://w3id.org/wsis-kg/id/outcome/C2/B> wsis:outcomeKey "B" ;
    wsis:actionLine <https://w3id.org/wsis-kg/id/action-line/C2> .
<https://w3id.org/wsis-kg/id/outcome/C2/C> wsis:outcomeKey "C" ;
    wsis:actionLine <https://w3id.org/wsis-kg/id/action-line/C2> .
<https://w3id.org/wsis-kg/id/sdg/target/9.c> skos:notation "9.c" .
<https://w3id.org/wsis-kg/id/sdg/target/4.4> skos:notation "4.4" .
<https://w3id.org/wsis-kg/id/resolution/pp/130> rdfs:label "PP Resolution 130" .
<https://w3id.org/wsis-kg/id/e/old/A> wsis:edition <https://w3id.org/wsis-kg/id/edition/old> ;
    wsis:addressesOutcome <https://w3id.org/wsis-kg/id/outcome/C2/A> ;
    wsis:linkedSDGTarget <https://w3id.org/wsis-kg/id/sdg/target/9.c> ;
    wsis:timing <https://w3id.org/wsis-kg/id/e/old/A/t> ;
    wsis:hasActivity <https://w3id.org/wsis-kg/id/e/old/A/a1> .
<https://w3id.org/wsis-kg/id/e/old/A/t> wsis:printedTiming "2020-2023" .
<https://w3id.org/wsis-kg/id/e/old/A/a1> wsis:text "The 18th GSR." .
<https://w3id.org/wsis-kg/id/e/old/B> wsis:edition <https://w3id.org/wsis-kg/id/edition/old> ;
    wsis:addressesOutcome <https://w3id.org/wsis-kg/id/outcome/C2/B> .
<https://w3id.org/wsis-kg/id/e/new/A> wsis:edition <https://w3id.org/wsis-kg/id/edition/new> ;
    wsis:addressesOutcome <https://w3id.org/wsis-kg/id/outcome/C2/A> ;
    wsis:linkedSDGTarget <https://w3id.org/wsis-kg/id/sdg/target/4.4> ;
    wsis:citesResolution <https://w3id.org/wsis-kg/id/resolution/pp/130> ;
    wsis:timing <https://w3id.org/wsis-kg/id/e/new/A/t> ;
    wsis:hasActivity <https://w3id.org/wsis-kg/id/e/new/A/a1>,
                     <https://w3id.org/wsis-kg/id/e/new/A/a2> .
<https://w3id.org/wsis-kg/id/e/new/A/t> wsis:printedTiming "2020-2025" .
<https://w3id.org/wsis-kg/id/e/new/A/a1> wsis:text "The 19th GSR." .
<https://w3id.org/wsis-kg/id/e/new/A/a2> wsis:text "A new toolkit." .
<https://w3id.org/wsis-kg/id/e/new/C> wsis:edition <https://w3id.org/wsis-kg/id/edition/new> ;
    wsis:addressesOutcome <https://w3id.org/wsis-kg/id/outcome/C2/C> .
"""


def test_diff_of_fixture_graphs() -> None:
    """Verify every kind of difference on two small editions with known changes."""
    store = Store()
    store.load(FIXTURE.encode(), format=RdfFormat.TURTLE)
    diff = edition_diff(store, "old", "new")
    found = {(c.outcome, c.aspect, c.kind, c.detail) for c in diff.changes}
    assert found == {
        ("B", "outcome", "removed", "printed only in old"),
        ("C", "outcome", "added", "printed only in new"),
        ("A", "SDG targets", "added", "4.4"),
        ("A", "SDG targets", "removed", "9.c"),
        ("A", "resolutions", "added", "PP Resolution 130"),
        ("A", "timing", "changed", "2020-2023 -> 2020-2025"),
        ("A", "activities", "changed", "1 -> 2"),
        ("A", "activity text", "added", "The 19th GSR."),
        ("A", "activity text", "added", "A new toolkit."),
        ("A", "activity text", "removed", "The 18th GSR."),
    }
    text = render_diff(diff, "table")
    assert text.splitlines()[-1].startswith("C2: ")
    assert "| C2 | A | timing | changed | 2020-2023 -> 2020-2025 |" in render_diff(diff, "markdown")


@pytest.fixture(scope="module")
def store() -> EmbeddedStore:
    return open_embedded(Layout(ROOT))


def test_diff_draft_zero_to_2019(store: EmbeddedStore) -> None:
    """Verify differences read in both documents: the GSR edition in C2 A's activities,
    target 11.5 dropped from C5 B4, C6 m re-timed 2018 -> 2019, the WTDC resolutions of
    C5 wsis10-c printed in full in 2019."""
    changes = {
        (c.action_line, c.outcome, c.aspect, c.kind, c.detail)
        for c in edition_diff(store, "2019-draft-zero", "2019").changes
    }
    gsr = {(c[3], c[4][:30]) for c in changes if c[:3] == ("C2", "A", "activity text")}
    assert gsr == {
        ("added", "The 19th edition of the Global"),
        ("removed", "The 18th edition of the Global"),
    }
    assert ("C5", "B4", "SDG targets", "removed", "11.5") in changes
    assert ("C6", "m", "timing", "changed", "2018 -> 2019") in changes
    assert ("C5", "wsis10-c", "resolutions", "added", "WTDC Resolution 45") in changes
    assert not [c for c in changes if c[2] == "outcome"]  # the same 61 outcomes


def test_cli_diff_action_line_and_errors() -> None:
    """Verify `wsiskg diff` with --action-line, JSON, and its usage errors."""
    result = CliRunner().invoke(
        main, ["diff", "2019", "2024-draft", "--action-line", "C4", "-f", "json"]
    )
    assert result.exit_code == 0
    assert '"outcome"' in result.stdout and '"C4"' in result.stdout
    assert CliRunner().invoke(main, ["diff", "2019", "1999"]).exit_code == 2
    assert CliRunner().invoke(main, ["diff", "2019", "2010", "--action-line", "C99"]).exit_code == 2


def test_matrix_data_matches_the_document(store: EmbeddedStore) -> None:
    """Verify a matrix cell against the 2019 edition read by hand: C5 entries linked to
    SDG 9, whole or through a target."""
    expected = sum(
        1
        for o in load_expectations("roadmaps-2019")["outcomes"]
        if o["action_line"] == "C5"
        and (
            9 in o.get("sdg_goals", [])
            or any(str(t).startswith("9.") for t in o.get("sdg_targets", []))
        )
    )
    matrix = matrix_data(store, load_queries(ROOT / "queries"), "2019")
    assert matrix.counts[("C5", 9)] == expected == 20


@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf"])
@pytest.mark.parametrize(
    ("kind", "extra"),
    [
        ("matrix", ["--edition", "2024-draft"]),
        ("targets", ["--edition", "2019"]),
        ("trend", ["--action-line", "C6"]),
    ],
)
def test_plots_are_written(tmp_path: Path, kind: str, suffix: str, extra: list[str]) -> None:
    """Verify that each picture is produced in each format, complete, and that drawing
    it again gives the same bytes."""
    out, again = tmp_path / f"{kind}{suffix}", tmp_path / f"again{suffix}"
    for path in (out, again):
        result = CliRunner().invoke(main, ["plot", kind, *extra, "-o", str(path)])
        assert result.exit_code == 0, result.output
    assert out.stat().st_size > 15_000
    assert out.read_bytes() == again.read_bytes()
    magic = {".png": b"\x89PNG", ".svg": b"<?xml", ".pdf": b"%PDF"}[suffix]
    assert out.read_bytes().startswith(magic)
    if suffix == ".svg":
        assert "reached" in out.read_text(encoding="utf-8") or kind != "targets"
    assert not list(tmp_path.glob(".*"))  # no temporary file left


@pytest.mark.parametrize(
    "args", [["-o", "m.gif"], ["--lang", "de", "-o", "m.png"], ["--edition", "2010", "-o", "m.png"]]
)
def test_plot_usage_errors(tmp_path: Path, args: list[str]) -> None:
    """Verify exit code 2 and no file for a format other than PNG, SVG or PDF, a language
    that is not a UN language, and an edition without SDG links (2010, said why)."""
    args = [str(tmp_path / a) if a.startswith("m.") else a for a in args]
    result = CliRunner().invoke(main, ["plot", "matrix", *args])
    assert result.exit_code == 2, result.output
    assert not list(tmp_path.iterdir())
    if "2010" in args:
        assert "without an SDG column" in result.output


def test_target_codes_sort_in_numeric_order() -> None:
    """Verify the order of the 169 targets: numbered ones by number, then a, b, c."""
    from wsiskg.ingest.cells import SDG_TARGETS

    ordered = sorted(SDG_TARGETS, key=goal_order)
    assert ordered[:8] == ["1.1", "1.2", "1.3", "1.4", "1.5", "1.a", "1.b", "2.1"]
    assert ordered.index("8.10") == ordered.index("8.9") + 1
    assert ordered.index("11.1") > ordered.index("10.c")
    assert ordered[-1] == "17.19" and len(ordered) == 169


def test_trend_shows_what_diff_finds(store: EmbeddedStore) -> None:
    """Verify that the trend of C5 holds the target-level changes `wsiskg diff` lists
    (11.5 dropped from B4 between the draft zero and 2019), and that 2010 is left out
    as an edition without SDG links."""
    trend = trend_data(store, load_queries(ROOT / "queries"), "C5")
    assert trend.editions == ["2019-draft-zero", "2019", "2024-draft"]
    assert trend.left_out == ["2010"]
    for older, newer in trend.changes:
        listed = {
            (kind, item)
            for goal in trend.changes[(older, newer)].values()
            for kind, items in goal.items()
            for item in items
        }
        diffed = {
            (
                c.kind,
                f"{c.outcome} {c.detail}" if c.aspect == "SDG targets" else f"{c.outcome} (goal)",
            )
            for c in edition_diff(store, older, newer, "C5").changes
            if c.aspect in ("SDG targets", "SDG goals")
        }
        assert listed == diffed
    assert trend.changes[("2019-draft-zero", "2019")] == {11: {"removed": ["B4 11.5"]}}


def test_plot_matrix_in_french(tmp_path: Path) -> None:
    """Verify `plot matrix --lang fr` on the shipped graph (which holds French goal
    names): a complete PNG, not the English picture."""
    pictures = {}
    for lang in ("fr", "en"):
        out = tmp_path / f"m-{lang}.png"
        result = CliRunner().invoke(main, ["plot", "matrix", "--lang", lang, "-o", str(out)])
        assert result.exit_code == 0, result.output
        pictures[lang] = out.read_bytes()
    assert pictures["fr"].startswith(b"\x89PNG") and len(pictures["fr"]) > 15_000
    assert pictures["fr"] != pictures["en"]
