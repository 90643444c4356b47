"""A static HTML report of the graph (no server needed).

Pages: an index of editions and action lines; one page per action line with
its entries across editions (outcome text, timing, SDG links, resolutions,
results, activities, source lines); the matrix pictures; the diffs of
consecutive editions; the query catalogue; the ontology documentation
(pyLODE). Every entity is marked with its IRI (``resource`` and ``data-iri``
attributes, and a link), so a reader can go from the page to the graph. The
site is written to a temporary folder and moved into place at the end.
"""

from __future__ import annotations

import html
import shutil
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import iris
from .errors import WsiskgError
from .paths import Layout

STYLE = """body{font-family:system-ui,sans-serif;margin:1.5em auto;max-width:72em;
line-height:1.4;padding:0 1em}table{border-collapse:collapse}td,th{border:1px solid #ccc;
padding:.2em .5em;vertical-align:top;text-align:left}th{background:#eee}
.entry{border-left:4px solid #4a7;padding:.3em .8em;margin:.6em 0;background:#f8fbf8}
.iri{font-family:monospace;font-size:.8em;color:#555}nav a{margin-right:1em}
img{max-width:100%}"""

Q = """PREFIX wsis: <https://w3id.org/wsis-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""

ENTRIES = Q + """
SELECT DISTINCT ?entry ?edition ?actionLine ?outcome ?text ?timing ?start ?end ?source WHERE {
  ?entry a wsis:RoadmapEntry ; wsis:edition/wsis:editionId ?edition ;
         wsis:entryActionLine/skos:notation ?actionLine ;
         wsis:addressesOutcome/wsis:outcomeKey ?outcome ; wsis:outcomeText ?text ;
         wsis:sourceLineStart ?start ; wsis:sourceLineEnd ?end ; prov:wasDerivedFrom ?src .
  BIND(STRAFTER(STR(?src), "/id/source/") AS ?source)
  OPTIONAL { ?entry wsis:timing/wsis:printedTiming ?timing }
}"""

LINKED = Q + """
SELECT DISTINCT ?entry ?kind ?value WHERE {
  ?entry a wsis:RoadmapEntry .
  { ?entry wsis:linkedSDGGoal|wsis:linkedSDGTarget ?n . ?n skos:notation ?value .
    BIND("sdg" AS ?kind) }
  UNION { ?entry wsis:citesResolution/rdfs:label ?value . BIND("resolution" AS ?kind) }
}"""

ITEMS = Q + """
SELECT DISTINCT ?entry ?kind ?position ?text WHERE {
  { ?entry wsis:hasExpectedResult ?item . BIND("result" AS ?kind) }
  UNION { ?entry wsis:hasActivity ?item . BIND("activity" AS ?kind) }
  ?item wsis:position ?position ; wsis:text ?text .
}"""

EDITIONS = ("2010", "2019-draft-zero", "2019", "2024-draft")


@dataclass
class Site:
    folder: Path
    pages: list[str]


def _rows(store: Any, query: str) -> list[dict[str, str]]:
    solutions = store.query(query, use_default_graph_as_union=True)
    names = [v.value for v in solutions.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in solutions]


def _page(title: str, body: str) -> str:
    return (f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>"
            f'<nav><a href="index.html">Index</a><a href="queries.html">Queries</a>'
            f'<a href="ontology.html">Ontology</a></nav>\n<h1>{html.escape(title)}</h1>\n'
            f"{body}\n</body></html>\n")


def _e(text: str) -> str:
    return html.escape(text)


def _order(key: str) -> tuple[int, str]:
    return (1 if key.startswith("wsis10-") else 0, key)


def build_site(layout: Layout, store: Any, output: Path) -> Site:
    from . import plots
    from .diff import edition_diff, render_diff
    from .queries import load_queries

    queries = load_queries(layout.queries)
    entries = _rows(store, ENTRIES)
    linked: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in _rows(store, LINKED):
        linked[row["entry"]][row["kind"]].add(row["value"])
    items: dict[str, dict[str, list[tuple[int, str]]]] = defaultdict(lambda: defaultdict(list))
    for row in _rows(store, ITEMS):
        items[row["entry"]][row["kind"]].append((int(row["position"]), row["text"]))
    editions = [e for e in EDITIONS if any(r["edition"] == e for r in entries)]
    lines = sorted({r["actionLine"] for r in entries}, key=lambda c: int(c[1:]))

    parent = output.parent if str(output.parent) else Path(".")
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.", dir=parent))
    except OSError as exc:
        raise WsiskgError(f"cannot write the report: {exc.strerror}", path=output) from None
    pages = []

    def write(name: str, text: str) -> None:
        (staging / name).write_text(text, encoding="utf-8")
        pages.append(name)

    try:
        # pictures
        for edition in editions:
            if edition == "2010":
                continue       # no SDG column
            plots.save(plots.draw_matrix(plots.matrix_data(store, queries, edition), edition),
                       staging / f"matrix-{edition}.png")
            plots.save(plots.draw_targets(plots.target_data(store, queries, edition),
                                          edition), staging / f"targets-{edition}.png")
        for line in lines:
            plots.save(plots.draw_trend(plots.trend_data(store, queries, line), line),
                       staging / f"trend-{line}.png")
        # action-line pages
        for line in lines:
            body = [f'<p><img src="trend-{line}.png" alt="SDG coverage of {line} across '
                    f'editions"></p>']
            by_outcome: dict[str, list[dict[str, str]]] = defaultdict(list)
            for row in entries:
                if row["actionLine"] == line:
                    by_outcome[row["outcome"]].append(row)
            for outcome in sorted(by_outcome, key=_order):
                outcome_iri = str(iris.outcome(line, outcome))
                body.append(f'<section id="outcome-{_e(outcome)}" resource="{outcome_iri}" '
                            f'data-iri="{outcome_iri}"><h2>{line} {_e(outcome)}</h2>'
                            f'<p class="iri"><a href="{outcome_iri}">{outcome_iri}</a></p>')
                for row in sorted(by_outcome[outcome],
                                  key=lambda r: EDITIONS.index(r["edition"])):
                    entry = row["entry"]
                    sdgs = ", ".join(sorted(linked[entry]["sdg"])) or "none"
                    resolutions = "; ".join(sorted(linked[entry]["resolution"])) or "none"
                    body.append(
                        f'<div class="entry" id="{_e(row["edition"])}-{_e(outcome)}" '
                        f'resource="{entry}" data-iri="{entry}">'
                        f'<h3>Edition {_e(row["edition"])}</h3>'
                        f'<p class="iri"><a href="{entry}">{entry}</a></p>'
                        f'<p class="outcome-text">{_e(row["text"])}</p>'
                        f'<p><b>Timing</b>: {_e(row.get("timing", "not printed"))}<br>'
                        f"<b>SDG links</b>: {_e(sdgs)}<br><b>Resolutions</b>: "
                        f"{_e(resolutions)}<br><b>Source</b>: {_e(row['source'])}, lines "
                        f"{row['start']}-{row['end']}</p>")
                    for kind, label in (("result", "Expected results"),
                                        ("activity", "ITU activities")):
                        listed = sorted(items[entry][kind])
                        if listed:
                            body.append(f"<p><b>{label}</b></p><ol>" + "".join(
                                f"<li>{_e(t)}</li>" for _, t in listed) + "</ol>")
                    body.append("</div>")
                body.append("</section>")
            write(f"action-line-{line}.html",
                  _page(f"Action line {line} across the editions", "\n".join(body)))
        # diffs
        diff_links = []
        for older, newer in zip(editions, editions[1:], strict=False):
            result = edition_diff(store, older, newer)
            name = f"diff-{older}-{newer}.html"
            rows = "".join(f"<tr><td>{_e(c.action_line)}</td><td>{_e(c.outcome)}</td>"
                           f"<td>{_e(c.aspect)}</td><td>{_e(c.kind)}</td>"
                           f"<td>{_e(c.detail)}</td></tr>" for c in result.changes)
            summary = render_diff(result, "table").splitlines()[-len(result.summary()):] \
                if result.summary() else []
            write(name, _page(f"Changes from {older} to {newer}",
                              "<ul>" + "".join(f"<li>{_e(s)}</li>" for s in summary) +
                              "</ul><table><tr><th>action line</th><th>outcome</th>"
                              "<th>aspect</th><th>change</th><th>detail</th></tr>" + rows +
                              "</table>"))
            diff_links.append((name, older, newer))
        # queries
        catalogue = "".join(
            f'<h2 id="{_e(q.name)}">{_e(q.name)}</h2><p>{_e(q.summary)}</p>'
            f"<p>{_e(q.description)}</p><pre>{_e(q.text)}</pre>" for q in queries.values())
        write("queries.html", _page("Canned SPARQL queries", catalogue))
        # ontology documentation
        write("ontology.html", _ontology_html(layout))
        # index
        body = ["<h2>Editions</h2><ul>"]
        for edition in editions:
            iri = str(iris.edition(edition))
            count = sum(1 for r in entries if r["edition"] == edition)
            picture = "" if edition == "2010" else (
                f' &middot; <a href="matrix-{edition}.png">SDG matrix</a>'
                f' &middot; <a href="targets-{edition}.png">SDG targets</a>')
            body.append(f'<li resource="{iri}" data-iri="{iri}">{_e(edition)}: {count} entries'
                        f"{picture}</li>")
        body.append("</ul><h2>Changes between editions</h2><ul>")
        body += [f'<li><a href="{n}">{_e(a)} to {_e(b)}</a></li>' for n, a, b in diff_links]
        body.append("</ul><h2>Action lines</h2><ul>")
        for line in lines:
            iri = str(iris.action_line(line))
            body.append(f'<li resource="{iri}" data-iri="{iri}"><a href="action-line-{line}'
                        f'.html">{line}</a></li>')
        body.append("</ul>")
        if "2019" in editions:
            body.append('<h2>SDG matrix, 2019</h2><p><img src="matrix-2019.png" '
                        'alt="action line by SDG goal, 2019"></p>')
        write("index.html", _page("WSIS Roadmaps Knowledge Graph", "\n".join(body)))
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    old = parent / f".{output.name}.old"
    shutil.rmtree(old, ignore_errors=True)
    if output.exists():
        output.rename(old)
    staging.rename(output)
    output.chmod(0o755)
    shutil.rmtree(old, ignore_errors=True)
    return Site(output, sorted(pages))


def _ontology_html(layout: Layout) -> str:
    import logging

    from pylode import OntPub

    logging.getLogger().setLevel(logging.WARNING)   # pyLODE sets the root logger to INFO

    try:
        return str(OntPub(str(layout.ontology / "wsis.ttl")).make_html())
    except Exception as exc:  # pyLODE raises several kinds
        raise WsiskgError(f"pyLODE could not document the ontology: {exc}",
                          path=layout.ontology / "wsis.ttl") from None
