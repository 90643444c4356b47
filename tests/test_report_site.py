"""The static report site: counts that open the entries behind them, a page per
entity with its JSON-LD description, navigation, search in headless Chromium,
goal names by language, determinism."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import deque
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyoxigraph import RdfFormat, Store
from rdflib import RDF, Dataset, Graph, URIRef
from rdflib.term import Node

from wsiskg.cli import main
from wsiskg.paths import Layout
from wsiskg.store.embedded import EmbeddedStore, graph_files, open_embedded
from wsiskg.store.queries import load_queries
from wsiskg.views.plots import GOAL_COLOURS, goal_names, matrix_data
from wsiskg.views.report import build_site, page_name

from .conftest import ROOT, load_expectations

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
NO_CHROMIUM = "Chromium is not installed here; .ci/run installs it (Debian package chromium)"
ID = "https://w3id.org/wsis-kg/id/"
W = "https://w3id.org/wsis-kg/ontology#"


class _Page(HTMLParser):
    """Links, ids, the JSON-LD scripts and the entry rows of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.sources: list[str] = []
        self.ids: set[str] = set()
        self.jsonld: list[str] = []
        self._in_jsonld = False
        self.link_texts: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if "href" in values:
            self.links.append(values["href"])
        if tag in ("script", "img", "link") and (values.get("src") or values.get("href")):
            self.sources.append(values.get("src") or values.get("href", ""))
        if "id" in values:
            self.ids.add(values["id"])
        if tag == "script" and values.get("type") == "application/ld+json":
            self._in_jsonld = True
            self.jsonld.append("")
        if tag == "a" and "href" in values:
            self._href, self._text = values["href"], ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_jsonld = False
        if tag == "a" and self._href is not None:
            self.link_texts.append((self._href, self._text.strip()))
            self._href = None

    def handle_data(self, data: str) -> None:
        if self._in_jsonld:
            self.jsonld[-1] += data
        if self._href is not None:
            self._text += data


def parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def local(link: str) -> bool:
    return not (re.match(r"^[a-z]+:", link) or link.startswith("//"))


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, cache: Path) -> Path:
    out = tmp_path_factory.mktemp("report") / "site"
    result = CliRunner().invoke(main, ["report", "-o", str(out)], env={"WSISKG_CACHE": str(cache)})
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def store() -> EmbeddedStore:
    return open_embedded(Layout(ROOT))


def test_every_internal_link_resolves(site: Path) -> None:
    """Verify that no internal link or anchor of any page is broken, and that no page
    loads anything from another host (scripts, styles and pictures are local)."""
    pages = sorted(site.glob("*.html"))
    assert len(pages) > 500
    ids = {page.name: parse(page).ids for page in pages}
    for page in pages:
        parsed = parse(page)
        for source in parsed.sources:
            assert local(source) or source.startswith("data:"), (
                f"{page.name} loads {source} from elsewhere"
            )
        for link in parsed.links:
            if not local(link):
                continue
            target, _, anchor = link.partition("#")
            target = target.partition("?")[0] or page.name
            assert (site / target).is_file(), f"{page.name}: broken link {link}"
            if anchor and target.endswith(".html"):
                assert anchor in ids[target], f"{page.name}: broken anchor {link}"
    assert "http" not in (site / "search.js").read_text(encoding="utf-8")


def test_navigation_reaches_every_page_from_every_page(site: Path) -> None:
    """Verify that every page (the ontology page too) links to the index and that the
    index reaches every page, so that each page reaches each other one."""
    pages = {p.name for p in site.glob("*.html")}
    links = {
        name: {
            link.partition("#")[0]
            for link in parse(site / name).links
            if local(link) and link.partition("#")[0].endswith(".html")
        }
        for name in pages
    }
    for name in pages:
        assert "index.html" in links[name], f"{name} has no way back to the index"
    assert {"search.html", "queries.html", "ontology.html", "matrix.html"} <= links["ontology.html"]
    seen, todo = {"index.html"}, deque(["index.html"])
    while todo:
        for target in links[todo.popleft()] - seen:
            seen.add(target)
            todo.append(target)
    assert seen == pages, f"not reached from the index: {sorted(pages - seen)[:5]}"


def _count_entry_links(page: _Page) -> set[str]:
    return {href for href, _ in page.link_texts if href.startswith("entry-")}


def test_matrix_counts_open_their_entries(site: Path, store: EmbeddedStore) -> None:
    """Verify, for each edition with SDG links, that each count of the canned matrix
    query is printed on the edition page as a link to a page listing exactly that many
    entries of the action line linked to the goal."""
    queries = load_queries(ROOT / "queries")
    checked = 0
    for edition in ("2019-draft-zero", "2019", "2024-draft"):
        matrix = matrix_data(store, queries, edition)
        links = dict(parse(site / f"edition-{edition}.html").link_texts)
        for (line, goal), count in matrix.counts.items():
            name = f"cell-{edition}-{line}-{goal}.html"
            assert links[name] == str(count)
            assert len(_count_entry_links(parse(site / name))) == count
            checked += 1
        cells = {
            p.name
            for p in site.glob("cell-*.html")
            if re.fullmatch(rf"cell-{edition}-C\d+-\d+\.html", p.name)
        }
        assert len(cells) == len(matrix.counts)  # no cell page for a zero
    assert checked > 50
    assert not list(site.glob("cell-2010-*.html"))  # no SDG column in 2010


ACROSS = """PREFIX wsis: <https://w3id.org/wsis-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?line ?goal (COUNT(DISTINCT ?outcome) AS ?n) WHERE {
  ?entry a wsis:RoadmapEntry ; wsis:addressesOutcome ?outcome ;
         wsis:entryActionLine/skos:notation ?line .
  { ?entry wsis:linkedSDGGoal ?g } UNION { ?entry wsis:linkedSDGTarget/skos:broader ?g }
  ?g skos:notation ?goal .
} GROUP BY ?line ?goal"""


def test_cross_edition_matrix(site: Path, store: EmbeddedStore) -> None:
    """Verify the cross-edition matrix: per action line and goal, the number of
    outcomes linked in any edition opens a page with one row per such outcome, and the
    per-edition counts open the per-edition cell pages."""
    page = parse(site / "matrix.html")
    links = dict(page.link_texts)
    expected = {
        (r["line"].value, r["goal"].value): int(r["n"].value)
        for r in store.query(ACROSS, use_default_graph_as_union=True)
    }
    assert expected
    for (line, goal), count in expected.items():
        name = f"cell-all-{line}-{goal}.html"
        assert links[name] == str(count)
        outcomes = {h for h, _ in parse(site / name).link_texts if h.startswith("outcome-")}
        assert len(outcomes) == count
    assert links["cell-2019-C5-9.html"] == "20"


def test_entry_page_shows_everything_printed(site: Path) -> None:
    """Verify the page of 2019 C5 B4 against the document read by hand: outcome text,
    timing, SDG targets in goal colours, resolutions, results, activities, source
    lines, the ARF3 correction, its history across editions and its IRI; and that the
    target 11.5 dropped since the draft zero shows on the draft-zero entry's history."""
    expected = next(
        o
        for o in load_expectations("roadmaps-2019")["outcomes"]
        if (o["action_line"], o["label"]) == ("C5", "B4")
    )
    text = (site / "entry-2019-C5-B4.html").read_text(encoding="utf-8")
    page = parse(site / "entry-2019-C5-B4.html")
    assert expected["text_starts"] in text
    assert expected["timing"]["printed"] in text
    assert f"lines {expected['first_line']}–{expected['last_line']}" in text
    section = text[text.index("<h2>SDG links</h2>") : text.index("<h2>Resolutions</h2>")]
    targets = set(re.findall(r'href="sdg-target-[^"]+"[^>]*>([^<]+)</a>', section))
    assert targets == set(expected["sdg_targets"])
    assert 'class="sdg g11" href="sdg-target-11.3.html"' in text
    style = (site / "style.css").read_text(encoding="utf-8")
    assert f".g11{{background:{GOAL_COLOURS[11]}}}" in style
    for mention in expected["activities_mention"]:
        assert mention in text
    for resolution in expected["resolutions"]:
        assert f"Resolution {resolution['number']}" in text
    assert "ARF3" in text and "AFR3" in text  # the correction
    history = {h for h, _ in page.link_texts if h.startswith("entry-")}
    assert {
        "entry-2010-C5-B4.html",
        "entry-2019-draft-zero-C5-B4.html",
        "entry-2024-draft-C5-B4.html",
    } <= history
    assert "SDG targets removed: 11.5" in text  # from the draft zero
    assert f"{ID}entry/2019/C5/B4" in text
    assert "outcome-C5-B4.html" in {h for h, _ in page.link_texts}


def _description(dataset: Dataset, entity: str) -> set[tuple[Node, Node, Node]]:
    found: set[tuple[Node, Node, Node]] = set()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        if str(s) == entity or str(s).startswith(entity + "/"):
            found.add((s, p, o))
    return found


def test_entity_pages_embed_their_description_as_jsonld(site: Path, dataset: Dataset) -> None:
    """Verify that each entity page embeds JSON-LD that rdflib parses back to exactly
    the graph's triples about the entity and the parts minted under its IRI."""
    by_subject: dict[str, set[tuple[object, object, object]]] = {}
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        by_subject.setdefault(str(s), set()).add((s, p, o))
    classes = {
        URIRef(W + c)
        for c in (
            "RoadmapEntry",
            "WSISOutcome",
            "ActionLine",
            "RoadmapEdition",
            "SDGGoal",
            "SDGTarget",
        )
    }
    entities = sorted(
        {str(s) for s, _, o, _ in dataset.quads((None, RDF.type, None, None)) if o in classes}
    )
    kinds = {page_name(s).split("-")[0] for s in entities}
    assert {"entry", "outcome", "edition", "action", "sdg"} <= kinds
    assert len(entities) > 490
    for entity in entities:
        assert (site / page_name(entity)).is_file(), entity
        scripts = parse(site / page_name(entity)).jsonld
        assert len(scripts) == 1, page_name(entity)
        parsed = Graph().parse(data=scripts[0], format="json-ld")
        expected = set().union(
            *(
                triples
                for s, triples in by_subject.items()
                if s == entity or s.startswith(entity + "/")
            )
        )
        got = set(parsed)
        assert got == expected, (page_name(entity), sorted(got ^ expected)[:3])
        assert (URIRef(entity), None, None) in parsed


def test_report_is_deterministic(site: Path, cache: Path, tmp_path: Path) -> None:
    """Verify that a second build, from the cache the first one filled, gives the same
    files with the same bytes, and that a build with an empty cache does too."""
    for name, folder in (("warm", cache), ("cold", tmp_path / "empty-cache")):
        again = tmp_path / name
        result = CliRunner().invoke(
            main, ["report", "-o", str(again)], env={"WSISKG_CACHE": str(folder)}
        )
        assert result.exit_code == 0, result.output
        first = {p.name: p.read_bytes() for p in site.iterdir()}
        second = {p.name: p.read_bytes() for p in again.iterdir()}
        assert first.keys() == second.keys()
        assert [n for n in first if first[n] != second[n]] == []
    assert list((tmp_path / "empty-cache").glob("ontology-*.html"))


def test_report_lang_is_validated(tmp_path: Path) -> None:
    """Verify exit code 2 and no output for a language that is not a UN language."""
    result = CliRunner().invoke(main, ["report", "--lang", "de", "-o", str(tmp_path / "s")])
    assert result.exit_code == 2
    assert "ar, zh-Hans, en, es, fr, ru" in result.output
    assert not (tmp_path / "s").exists()


# the graph holds goal and target names in the six UN languages; German is not one
GOAL_9_DE = (
    "Eine widerstandsfähige Infrastruktur aufbauen, breitenwirksame und nachhaltige "
    "Industrialisierung fördern und Innovationen unterstützen"
)
TARGET_9C_DE = "Den Zugang zur Informations- und Kommunikationstechnologie erheblich erweitern"
GERMAN = f"""
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://w3id.org/wsis-kg/id/sdg/goal/9>
    skos:altLabel "Industrie, Innovation und Infrastruktur"@de ;
    skos:prefLabel "{GOAL_9_DE}"@de .
<https://w3id.org/wsis-kg/id/sdg/target/9.c> skos:prefLabel "{TARGET_9C_DE}"@de .
"""


@pytest.fixture(scope="module")
def german_store() -> Store:
    """The real graph plus German labels for goal 9 and target 9.c."""
    store = Store()
    for _, path in graph_files(Layout(ROOT)):
        store.load(path=str(path), format=RdfFormat.TURTLE)
    store.load(GERMAN.encode("utf-8"), format=RdfFormat.TURTLE)
    return store


def test_goal_names_fall_back_to_english(store: EmbeddedStore) -> None:
    """Verify on the shipped graph that English gives the UN's short names, French
    (one of the six UN languages the graph holds) gives all 17 in French, and a
    language without labels falls back to the English names, goal by goal."""
    english = goal_names(store, "en")
    assert english[9] == ("Industry, innovation and infrastructure", "en")
    assert len(english) == 17 and all(lang == "en" for _, lang in english.values())
    french = goal_names(store, "fr")
    assert french[9] == ("Industrie, innovation et infrastructure", "fr")
    assert sorted(french) == sorted(english)
    assert all(lang == "fr" and french[g][0] != english[g][0] for g, (_, lang) in french.items())
    assert goal_names(store, "de") == english


def test_report_in_german(
    german_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Verify a report in German from a graph holding @de labels for goal 9 and target
    9.c only: those in German and marked lang="de", the other goals in English."""
    monkeypatch.setenv("WSISKG_CACHE", str(tmp_path / "cache"))
    site = build_site(Layout(ROOT), german_store, tmp_path / "site", lang="de").folder
    goal = (site / "sdg-goal-9.html").read_text(encoding="utf-8")
    assert '<span lang="de">Industrie, Innovation und Infrastruktur</span>' in goal
    assert TARGET_9C_DE in goal
    matrix = (site / "matrix.html").read_text(encoding="utf-8")
    assert '<span lang="de">Industrie, Innovation und Infrastruktur</span>' in matrix
    assert "<span>Quality education</span>" in matrix  # no German label
    assert goal_names(german_store, "de")[9] == ("Industrie, Innovation und Infrastruktur", "de")


def _chromium(tmp_path: Path, *args: str) -> str:
    assert CHROMIUM is not None
    flags = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
    ]
    return subprocess.run([*flags, *args], capture_output=True, text=True, timeout=120).stdout


SEARCHED = """PREFIX wsis: <https://w3id.org/wsis-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?label WHERE {
  ?entry a wsis:RoadmapEntry ; rdfs:label ?label .
  { ?entry wsis:outcomeText ?text } UNION { ?entry wsis:hasExpectedResult/wsis:text ?text }
  UNION { ?entry wsis:hasActivity/wsis:text ?text }
  FILTER (CONTAINS(LCASE(?text), "cybersecurity"))
}"""


@pytest.mark.skipif(CHROMIUM is None, reason=NO_CHROMIUM)
def test_search_in_headless_chromium(site: Path, store: EmbeddedStore, tmp_path: Path) -> None:
    """Verify in headless Chromium that the word "cybersecurity" in the search box
    lists exactly the entries whose outcome text, results or activities hold it, and
    that a word found nowhere lists none."""
    expected = {r["label"].value for r in store.query(SEARCHED, use_default_graph_as_union=True)}
    assert len(expected) > 5
    url = (site / "search.html").as_uri()
    dom = _chromium(tmp_path, "--virtual-time-budget=10000", "--dump-dom", url + "?q=Cybersecurity")
    listed = re.search(r'<ol id="results">(.*?)</ol>', dom, re.S)
    assert listed, dom[:500]
    found = set(re.findall(r'<a href="entry-[^"]+">([^<]+)</a>', listed.group(1)))
    assert found == expected
    assert f"{len(expected)} matching entries" in dom
    dom = _chromium(tmp_path, "--virtual-time-budget=10000", "--dump-dom", url + "#q=zzzqqq")
    assert "0 matching entries" in dom


@pytest.mark.skipif(CHROMIUM is None, reason=NO_CHROMIUM)
def test_pages_render_in_headless_chromium(site: Path, tmp_path: Path) -> None:
    """Verify in headless Chromium: screenshots of the index, an edition, an entry and
    the ontology page, and a known outcome text (C6 l) in the rendered DOM."""
    for page in ("index.html", "edition-2019.html", "entry-2019-C5-B4.html", "ontology.html"):
        shot = tmp_path / f"{page}.png"
        _chromium(
            tmp_path, "--window-size=1280,900", f"--screenshot={shot}", (site / page).as_uri()
        )
        assert shot.stat().st_size > 10_000
    dom = _chromium(tmp_path, "--dump-dom", (site / "action-line-C6.html").as_uri())
    assert "action-line-C6.html" in dom
    dom = _chromium(tmp_path, "--dump-dom", (site / "entry-2019-C6-l.html").as_uri())
    assert "Governments, in collaboration with stakeholders, are encouraged to formulate" in dom
