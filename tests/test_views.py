"""Seeing the linkage: edition diff (fixture graphs and the real editions), the
SDG pictures, and the static HTML report (links, headless Chromium)."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyoxigraph import RdfFormat, Store

from wsiskg.cli import main
from wsiskg.diff import edition_diff, render_diff
from wsiskg.paths import Layout
from wsiskg.plots import matrix_data
from wsiskg.queries import load_queries
from wsiskg.store import open_embedded

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
    assert "| C2 | A | timing | changed | 2020-2023 -> 2020-2025 |" in render_diff(diff,
                                                                             "markdown")


@pytest.fixture(scope="module")
def store() -> Store:
    return open_embedded(Layout(ROOT))


def test_diff_draft_zero_to_2019(store: Store) -> None:
    """Verify differences read in both documents: the GSR edition in C2 A's activities,
    target 11.5 dropped from C5 B4, C6 m re-timed 2018 -> 2019, the WTDC resolutions of
    C5 wsis10-c printed in full in 2019."""
    changes = {(c.action_line, c.outcome, c.aspect, c.kind, c.detail)
               for c in edition_diff(store, "2019-draft-zero", "2019").changes}
    gsr = {(c[3], c[4][:30]) for c in changes if c[:3] == ("C2", "A", "activity text")}
    assert gsr == {("added", "The 19th edition of the Global"),
                   ("removed", "The 18th edition of the Global")}
    assert ("C5", "B4", "SDG targets", "removed", "11.5") in changes
    assert ("C6", "m", "timing", "changed", "2018 -> 2019") in changes
    assert ("C5", "wsis10-c", "resolutions", "added", "WTDC Resolution 45") in changes
    assert not [c for c in changes if c[2] == "outcome"]       # the same 61 outcomes


def test_cli_diff_action_line_and_errors() -> None:
    """Verify `wsiskg diff` with --action-line, JSON, and its usage errors."""
    result = CliRunner().invoke(main, ["diff", "2019", "2024-draft", "--action-line", "C4",
                                       "-f", "json"])
    assert result.exit_code == 0
    assert '"outcome"' in result.stdout and '"C4"' in result.stdout
    assert CliRunner().invoke(main, ["diff", "2019", "1999"]).exit_code == 2
    assert CliRunner().invoke(main, ["diff", "2019", "2010", "--action-line", "C99"]) \
        .exit_code == 2


def test_matrix_data_matches_the_document(store: Store) -> None:
    """Verify a matrix cell against the 2019 edition read by hand: C5 entries linked to
    SDG 9, whole or through a target."""
    expected = sum(1 for o in load_expectations("roadmaps-2019")["outcomes"]
                   if o["action_line"] == "C5" and (
                       9 in o.get("sdg_goals", []) or any(
                           str(t).startswith("9.") for t in o.get("sdg_targets", []))))
    matrix = matrix_data(store, load_queries(ROOT / "queries"), "2019")
    assert matrix.counts[("C5", 9)] == expected == 20


@pytest.mark.parametrize(("kind", "suffix", "extra"), [
    ("matrix", ".png", ["--edition", "2024-draft"]), ("targets", ".svg", ["--edition", "2019"]),
    ("trend", ".png", ["--action-line", "C6"])])
def test_plots_are_written(tmp_path: Path, kind: str, suffix: str, extra: list[str]) -> None:
    """Verify that each picture is produced, non-trivial and complete."""
    out = tmp_path / f"{kind}{suffix}"
    result = CliRunner().invoke(main, ["plot", kind, *extra, "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert out.stat().st_size > 15_000
    if suffix == ".svg":
        assert "reached" in out.read_text(encoding="utf-8")
    assert not list(tmp_path.glob(".*"))           # no temporary file left


def test_plot_refuses_other_formats(tmp_path: Path) -> None:
    """Verify exit code 2 for a picture that is neither PNG nor SVG."""
    result = CliRunner().invoke(main, ["plot", "matrix", "-o", str(tmp_path / "m.gif")])
    assert result.exit_code == 2


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("href", "src"):
            if values.get(name):
                self.links.append(values[name] or "")
        if values.get("id"):
            self.ids.add(values["id"] or "")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "site"
    result = CliRunner().invoke(main, ["report", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    return out


def test_report_pages_and_internal_links(site: Path) -> None:
    """Verify the site's pages and that no internal link is broken."""
    names = {p.name for p in site.iterdir()}
    assert {"index.html", "queries.html", "ontology.html", "action-line-C2.html",
            "action-line-C5.html", "diff-2019-draft-zero-2019.html",
            "matrix-2019.png"} <= names
    for page in site.glob("*.html"):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for link in parser.links:
            if re.match(r"^[a-z]+:", link) or link.startswith("//"):
                continue                            # IRIs of the graph, external pages
            target, _, anchor = link.partition("#")
            if target:
                assert (site / target).is_file(), f"{page.name}: broken link {link}"
            if anchor and not target:
                assert anchor in parser.ids, f"{page.name}: broken anchor {link}"


def test_report_entities_carry_their_iris(site: Path) -> None:
    """Verify that entries and outcomes are marked with their IRIs."""
    text = (site / "action-line-C2.html").read_text(encoding="utf-8")
    assert 'resource="https://w3id.org/wsis-kg/id/entry/2019/C2/A"' in text
    assert 'data-iri="https://w3id.org/wsis-kg/id/outcome/C2/A"' in text
    assert "Source</b>: roadmaps-2019, lines" in text


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed here; .ci/run "
                                             "installs it (Debian package chromium)")
def test_report_renders_in_headless_chromium(site: Path, tmp_path: Path) -> None:
    """Verify in headless Chromium: screenshots of the index and an action-line page, and
    a known outcome text (C6 l of the Geneva Plan of Action) in the rendered DOM."""
    assert CHROMIUM is not None
    flags = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-component-update",
             "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}"]
    for page in ("index.html", "action-line-C6.html"):
        shot = tmp_path / f"{page}.png"
        subprocess.run([*flags, "--window-size=1280,900", f"--screenshot={shot}",
                        (site / page).as_uri()], capture_output=True, timeout=120)
        assert shot.stat().st_size > 10_000
    dom = subprocess.run([*flags, "--dump-dom", (site / "action-line-C6.html").as_uri()],
                         capture_output=True, text=True, timeout=120).stdout
    assert "Governments, in collaboration with stakeholders, are encouraged to formulate" \
        in dom
