"""`wsiskg serve` as a SPARQL 1.1 Protocol endpoint and a linked-data server,
side by side with the real Oxigraph server (`oxigraph serve-read-only`) on the
same store, through SPARQLWrapper and raw HTTP; its IRIs dereferenced; the
YASGUI page in headless Chromium."""

from __future__ import annotations

import csv
import http.client
import io
import json
import re
import shutil
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pyoxigraph import QueryResultsFormat, QuerySolutions, RdfFormat, parse, parse_query_results
from SPARQLWrapper import JSON, TURTLE, XML, SPARQLWrapper

from wsiskg.store.server.w3id import htaccess

from .conftest import ROOT
from .serving import oxigraph_server, wsiskg_server

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
WSIS = "https://w3id.org/wsis-kg/"
ENTRY = WSIS + "id/entry/2019/C2/A"

SELECT = (
    "PREFIX wsis: <https://w3id.org/wsis-kg/ontology#> "
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
    "SELECT ?entry ?label ?start WHERE { ?entry a wsis:RoadmapEntry ; rdfs:label ?label ; "
    "wsis:sourceLineStart ?start ; wsis:entryActionLine "
    "<https://w3id.org/wsis-kg/id/action-line/C2> } ORDER BY ?entry"
)
ASK = "ASK { <https://w3id.org/wsis-kg/id/entry/2019/C2/A> ?p ?o }"
CONSTRUCT = (
    "PREFIX wsis: <https://w3id.org/wsis-kg/ontology#> CONSTRUCT { ?e wsis:x ?o } "
    "WHERE { ?e wsis:addressesOutcome ?o } "
)
DESCRIBE = f"DESCRIBE <{ENTRY}>"
RESULT_TYPES = {
    "application/sparql-results+json": QueryResultsFormat.JSON,
    "application/sparql-results+xml": QueryResultsFormat.XML,
    "text/csv": QueryResultsFormat.CSV,
    "text/tab-separated-values": QueryResultsFormat.TSV,
}
GRAPH_TYPES = {
    "text/turtle": RdfFormat.TURTLE,
    "application/n-triples": RdfFormat.N_TRIPLES,
    "application/ld+json": RdfFormat.JSON_LD,
    "application/rdf+xml": RdfFormat.RDF_XML,
}


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The SPARQL endpoints of wsiskg serve and of the Oxigraph server, both
    read-only over one store folder."""
    store = tmp_path_factory.mktemp("serve") / "store"
    with wsiskg_server(store) as (ours, _), oxigraph_server(store) as theirs:
        yield f"{ours}/sparql", f"{theirs}/query"


@pytest.fixture(scope="module")
def base(servers: tuple[str, str]) -> str:
    return servers[0].removesuffix("/sparql")


def request(
    url: str, *, data: bytes | None = None, method: str | None = None, **headers: str
) -> tuple[int, dict[str, str], bytes]:
    """Status, headers (lower-case names) and body of one HTTP request."""
    req = urllib.request.Request(
        url, data=data, method=method, headers={k.replace("_", "-"): v for k, v in headers.items()}
    )
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return (
                response.status,
                {k.lower(): v for k, v in response.headers.items()},
                response.read(),
            )
    except urllib.error.HTTPError as exc:
        return exc.code, {k.lower(): v for k, v in exc.headers.items()}, exc.read()


def ask_three_ways(
    endpoint: str, query: str, accept: str, extra: list[tuple[str, str]] | None = None
) -> list[tuple[int, str, bytes]]:
    """The query by GET, by POST form and by POST application/sparql-query."""
    pairs = [("query", query), *(extra or [])]
    answers = []
    status, headers, body = request(f"{endpoint}?{urllib.parse.urlencode(pairs)}", Accept=accept)
    answers.append((status, headers.get("content-type", ""), body))
    status, headers, body = request(
        endpoint,
        data=urllib.parse.urlencode(pairs).encode(),
        Accept=accept,
        Content_Type="application/x-www-form-urlencoded",
    )
    answers.append((status, headers.get("content-type", ""), body))
    rest = urllib.parse.urlencode(extra or [])
    status, headers, body = request(
        f"{endpoint}?{rest}" if rest else endpoint,
        data=query.encode(),
        Accept=accept,
        Content_Type="application/sparql-query",
    )
    answers.append((status, headers.get("content-type", ""), body))
    return answers


def solutions(body: bytes, accept: str) -> Any:
    if accept == "text/csv":  # lossy (no term kinds): pyoxigraph does not read it back
        head, *rows = csv.reader(io.StringIO(body.decode("utf-8")))
        return head, sorted(tuple(row) for row in rows)
    parsed = parse_query_results(body, format=RESULT_TYPES[accept])
    if isinstance(parsed, QuerySolutions):
        names = [v.value for v in parsed.variables]
        return names, sorted(
            tuple(str(s[n]) if s[n] is not None else "" for n in names) for s in parsed
        )
    return bool(parsed)


def triples(body: bytes, accept: str) -> set[str]:
    return {str(t) for t in parse(body, format=GRAPH_TYPES[accept])}


@pytest.mark.parametrize("accept", list(RESULT_TYPES))
@pytest.mark.parametrize("query", [SELECT, ASK], ids=["select", "ask"])
def test_results_match_the_oxigraph_server(
    servers: tuple[str, str], query: str, accept: str
) -> None:
    """Verify SELECT and ASK by GET, POST form and POST sparql-query, in each results
    format, give the media type asked for and the same answers as Oxigraph's server."""
    ours, theirs = servers
    expected = [
        solutions(body, accept) for status, _, body in ask_three_ways(theirs, query, accept)
    ]
    for status, media, body in ask_three_ways(ours, query, accept):
        assert status == 200, body
        assert media.split(";")[0] == accept
        assert solutions(body, accept) == expected[0]
    if query == SELECT:
        names, rows = expected[0]
        assert len(rows) > 20 and names == ["entry", "label", "start"]


@pytest.mark.parametrize("accept", list(GRAPH_TYPES))
@pytest.mark.parametrize("query", [CONSTRUCT, DESCRIBE], ids=["construct", "describe"])
def test_graphs_match_the_oxigraph_server(
    servers: tuple[str, str], query: str, accept: str
) -> None:
    """Verify CONSTRUCT and DESCRIBE in each graph format give the same triples as
    Oxigraph's server, by each of the three request forms."""
    ours, theirs = servers
    status, _, body = ask_three_ways(theirs, query, accept)[0]
    expected = triples(body, accept)
    assert len(expected) > 10
    for status, media, body in ask_three_ways(ours, query, accept):
        assert status == 200, body
        assert media.split(";")[0] == accept
        assert triples(body, accept) == expected


def test_sparqlwrapper_gets_the_same_answers(servers: tuple[str, str]) -> None:
    """Verify that SPARQLWrapper's SELECT (JSON, XML), ASK, CONSTRUCT and DESCRIBE
    work against the server and agree with Oxigraph's server."""
    answers: dict[str, list[Any]] = {}
    for endpoint in servers:
        found: list[Any] = []
        for method in ("GET", "POST"):
            client = SPARQLWrapper(endpoint)
            client.setMethod(method)
            client.setQuery(SELECT)
            client.setReturnFormat(JSON)
            # convert() is typed as the union of what every return format gives
            data: Any = client.query().convert()
            found.append(sorted(json.dumps(b, sort_keys=True) for b in data["results"]["bindings"]))
            client.setReturnFormat(XML)
            document: Any = client.query().convert()
            found.append(len(document.getElementsByTagName("result")))
            client.setQuery(ASK)
            client.setReturnFormat(JSON)
            answer: Any = client.query().convert()
            found.append(answer["boolean"])
            for query in (CONSTRUCT, DESCRIBE):
                client.setQuery(query)
                client.setReturnFormat(TURTLE)
                graph: Any = client.queryAndConvert()
                found.append(len(triples(graph, "text/turtle")))
        answers[endpoint] = found
    ours, theirs = answers.values()
    assert ours == theirs
    assert ours[2] is True and ours[3] > 10


def test_not_acceptable_is_406(base: str) -> None:
    """Verify that a format the result cannot be given in is answered 406."""
    assert ask_three_ways(f"{base}/sparql", SELECT, "text/turtle")[0][0] == 406
    assert ask_three_ways(f"{base}/sparql", CONSTRUCT, "text/csv")[0][0] == 406
    status, headers, _ = request(f"{base}/id/entry/2019/C2/A", Accept="image/png")
    assert status == 406


def test_malformed_query_is_400_with_a_plain_message(base: str) -> None:
    """Verify that a syntax error is 400 text/plain, in the protocol's terms."""
    for status, media, body in ask_three_ways(
        f"{base}/sparql", "SELEC * WHERE { ?s ?p }", "application/sparql-results+json"
    ):
        assert status == 400 and media.startswith("text/plain")
        message = body.decode()
        assert "not valid SPARQL" in message
        assert "Traceback" not in message and "-p " not in message
    status, _, body = request(f"{base}/sparql")
    assert status == 400 and b"query" in body
    status, _, body = request(f"{base}/sparql?query=ASK%7B%7D&query=ASK%7B%7D")
    assert status == 400 and b"exactly one query" in body


def test_updates_are_refused(base: str) -> None:
    """Verify that every way of sending an update is refused."""
    endpoint = f"{base}/sparql"
    assert request(endpoint, data=b"DROP ALL", Content_Type="application/sparql-update")[0] == 403
    assert (
        request(
            endpoint, data=b"update=DROP+ALL", Content_Type="application/x-www-form-urlencoded"
        )[0]
        == 403
    )
    assert request(f"{endpoint}?update=DROP+ALL")[0] == 403
    status, _, body = request(
        endpoint, data=b"DELETE WHERE { ?s ?p ?o }", Content_Type="application/sparql-query"
    )
    assert status == 400
    assert request(endpoint, data=b"x", method="PUT")[0] == 403
    status, _, body = request(endpoint, data=b"ASK {}", Content_Type="text/plain")
    assert status == 415


@pytest.mark.parametrize(
    "dataset",
    [
        [("default-graph-uri", WSIS + "graph/2010")],
        [("default-graph-uri", WSIS + "graph/2010"), ("default-graph-uri", WSIS + "graph/2019")],
        [("named-graph-uri", WSIS + "graph/2019"), ("named-graph-uri", WSIS + "graph/reference")],
        [
            ("default-graph-uri", WSIS + "graph/reference"),
            ("named-graph-uri", WSIS + "graph/2024-draft"),
        ],
    ],
    ids=["one-default", "two-default", "named", "both"],
)
def test_dataset_parameters_are_honoured(
    servers: tuple[str, str], dataset: list[tuple[str, str]]
) -> None:
    """Verify default-graph-uri and named-graph-uri select the dataset, as in
    Oxigraph's server, by each request form."""
    query = (
        "SELECT ?g (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION "
        "{ GRAPH ?g { ?s ?p ?o } } } GROUP BY ?g"
    )
    accept = "application/sparql-results+json"
    ours, theirs = servers
    expected = solutions(ask_three_ways(theirs, query, accept, dataset)[0][2], accept)
    for status, _, body in ask_three_ways(ours, query, accept, dataset):
        assert status == 200, body
        assert solutions(body, accept) == expected
    whole = solutions(ask_three_ways(ours, query, accept)[0][2], accept)
    assert expected != whole


def test_cors_and_preflight(base: str) -> None:
    """Verify that a page on another origin may query the endpoint: preflight
    answered, Access-Control-Allow-Origin on answers, the truncation header exposed."""
    status, headers, _ = request(
        f"{base}/sparql",
        method="OPTIONS",
        Origin="https://example.org",
        Access_Control_Request_Method="POST",
        Access_Control_Request_Headers="content-type",
    )
    assert status == 200
    assert headers["access-control-allow-origin"] == "*"
    assert "POST" in headers["access-control-allow-methods"]
    assert "content-type" in headers["access-control-allow-headers"].lower()
    status, headers, _ = request(f"{base}/sparql?query=ASK%7B%7D", Origin="https://example.org")
    assert status == 200 and headers["access-control-allow-origin"] == "*"
    assert "wsiskg-truncated" in headers["access-control-expose-headers"].lower()


def test_canned_queries_bind_their_parameters(base: str) -> None:
    """Verify canned queries by name, and the same query text sent to /sparql with
    its parameters as $name arguments, give the same rows; bad values are 400 in
    HTTP terms."""
    status, _, body = request(f"{base}/api/queries")
    listing = json.loads(body)
    assert status == 200 and len(listing) >= 20
    text = next(q["text"] for q in listing if q["name"] == "entries-by-sdg-target")
    status, _, canned = request(
        f"{base}/api/queries/entries-by-sdg-target?target=16.2&edition=2019-draft-zero"
    )
    assert status == 200
    rows = json.loads(canned)["results"]["bindings"]
    assert "B1" in {b["outcome"]["value"] for b in rows}
    edited = text.replace(" ?text\nWHERE", "\nWHERE")  # an edit: one column fewer
    status, _, free = request(
        f"{base}/sparql",
        data=urllib.parse.urlencode(
            {"query": edited, "$target": "16.2", "$edition": "2019-draft-zero"}
        ).encode(),
        Content_Type="application/x-www-form-urlencoded",
    )
    assert status == 200
    edited_rows = json.loads(free)["results"]["bindings"]
    assert len(edited_rows) == len(rows) and "text" not in edited_rows[0]
    status, _, body = request(
        f"{base}/api/queries/entries-by-sdg-target?target=" + urllib.parse.quote('9.c"} ; DROP ALL')
    )
    assert status == 400 and b"not valid" in body and b"-p " not in body
    status, _, body = request(f"{base}/api/queries/entries-by-sdg-target")
    assert status == 400 and b"parameter target is required" in body
    status, _, body = request(
        f"{base}/sparql?"
        + urllib.parse.urlencode({"query": "SELECT * { ?s ?p ?o } LIMIT 1", "$target": "9.c"})
    )
    assert status == 400 and b"unknown parameter target" in body
    assert request(f"{base}/api/queries/no-such-query")[0] == 404


def _id_iris(base: str) -> list[str]:
    query = (
        "SELECT DISTINCT ?x WHERE { { ?x ?p ?o } UNION { ?s ?p ?x } "
        f'FILTER(isIRI(?x) && STRSTARTS(STR(?x), "{WSIS}id/")) }}'
    )
    _, _, body = request(f"{base}/sparql?{urllib.parse.urlencode({'query': query})}")
    return sorted(b["x"]["value"] for b in json.loads(body)["results"]["bindings"])


def test_every_id_iri_resolves(base: str) -> None:
    """Verify that every …/id/… IRI in the graph resolves to its description
    (N-Triples, each about that IRI), on one kept-alive connection."""
    found = _id_iris(base)
    assert len(found) > 2000
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        for iri in found:
            connection.request(
                "GET", iri.removeprefix(WSIS[:-1]), headers={"Accept": "application/n-triples"}
            )
            response = connection.getresponse()
            body = response.read()
            assert response.status == 200, iri
            assert f"<{iri}>".encode() in body, iri
    finally:
        connection.close()


@pytest.mark.parametrize(
    "path",
    [
        "id/entry/2019/C2/A",
        "id/sdg/target/9.c",
        "id/action-line/C5",
        "id/baap/output/2.1",
        "id/resolution/pp/130",
        "id/entry/2019/C2/A/activity/1",
    ],
)
def test_iri_content_negotiation(base: str, path: str) -> None:
    """Verify an IRI gives an HTML page (its label, its IRI, its links as links to
    their pages) to browsers and its concise description in Turtle, JSON-LD and
    N-Triples to machines."""
    iri = WSIS + path
    status, headers, body = request(
        f"{base}/{path}", Accept="text/html,application/xhtml+xml,*/*;q=0.8"
    )
    assert status == 200 and headers["content-type"].startswith("text/html")
    page = body.decode()
    assert f'<code id="iri">{iri}</code>' in page
    assert re.search(r'<h1 id="label">[^<]+</h1>', page)
    links = re.findall(r'href="(/id/[^"]+)"', page)
    assert links, "its links are links to their pages here"
    assert request(f"{base}{links[0]}")[0] == 200
    described: list[set[str]] = []
    for media in (
        "text/turtle",
        "application/ld+json",
        "application/n-triples",
        "application/rdf+xml",
    ):
        status, headers, body = request(f"{base}/{path}", Accept=media)
        assert status == 200 and headers["content-type"].split(";")[0] == media
        assert "Accept" in headers["vary"]
        described.append(triples(body, media))
    assert all(d == described[0] for d in described)
    assert any(t.startswith(f"<{iri}>") for t in described[0])


def test_entry_page_shows_its_source_lines(base: str) -> None:
    """Verify an entry's page quotes its lines of the source document."""
    _, _, body = request(f"{base}/id/entry/2019/C2/A", Accept="text/html")
    page = body.decode()
    assert 'id="source-lines"' in page and "roadmaps-2019" in page
    assert "Governments should take action" in page


def test_unknown_iris_are_404(base: str) -> None:
    """Verify that an IRI not in the graph is 404 for people and machines."""
    for media in ("text/html", "text/turtle", "application/ld+json"):
        assert request(f"{base}/id/entry/1999/C2/A", Accept=media)[0] == 404
    assert request(f"{base}/nothing-here")[0] == 404
    for odd in ("a%20b", "%3Cx%3E", "a%5Cb", "%00"):
        assert request(f"{base}/id/entry/{odd}", Accept="text/turtle")[0] == 404
        assert request(f"{base}/id/entry/{odd}", Accept="text/html")[0] == 404


def test_ontology_is_documented_and_given_as_turtle(base: str) -> None:
    """Verify /ontology gives the pyLODE documentation to browsers and the
    ontology's Turtle to machines."""
    status, headers, body = request(f"{base}/ontology", Accept="text/html")
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert b"RoadmapEntry" in body and b"pyLODE" in body
    status, headers, body = request(f"{base}/ontology", Accept="text/turtle")
    assert status == 200 and body == (ROOT / "ontology" / "wsis.ttl").read_bytes()


def test_w3id_rules_redirect_the_namespace(base: str) -> None:
    """Verify the w3id.org rules send every kind of IRI of the namespace to the
    deployment base, and that the server answers the redirected URL."""
    text = (ROOT / "w3id" / ".htaccess").read_text(encoding="utf-8")
    rules = re.findall(r"^RewriteRule\s+(\S+)\s+(\S+)\s+\[([^\]]*)\]", text, re.MULTILINE)
    assert rules and all("R=30" in flags for _, _, flags in rules)
    deployment = re.search(r"^# deployment base: (\S+)$", text, re.MULTILINE)
    assert deployment is not None
    assert text == htaccess(deployment.group(1)), (
        "regenerate it with python -m wsiskg.store.server.w3id"
    )

    def redirect(path: str) -> str:
        for pattern, target, _ in rules:
            matched = re.match(pattern, path)
            if matched:
                return matched.expand(re.sub(r"\$(\d)", r"\\\1", target))
        raise AssertionError(f"no rule for {path}")

    for path in ("id/entry/2019/C2/A", "ontology", "id/sdg/target/9.c", ""):
        target = redirect(path)
        assert target.startswith(deployment.group(1))
        local = base + target.removeprefix(deployment.group(1).rstrip("/"))
        assert request(local, Accept="text/turtle")[0] == 200, local


def test_query_page_is_vendored_yasgui(base: str) -> None:
    """Verify the query page loads YASGUI from this server (with its licence), and
    names no other host to load anything from."""
    status, _, body = request(f"{base}/")
    page = body.decode()
    assert status == 200
    assert re.findall(r'(?:src|href)="(https?:[^"]+)"', page) == []
    assert '<script src="/static/yasgui/yasgui.min.js">' in page
    status, headers, script = request(f"{base}/static/yasgui/yasgui.min.js")
    assert status == 200 and len(script) > 500_000
    status, _, licence = request(f"{base}/static/yasgui/LICENSE")
    assert status == 200 and b"MIT License" in licence
    prefixes = json.loads(request(f"{base}/prefixes.json")[2])
    assert prefixes["wsis"] == WSIS + "ontology#"


def _chromium(url: str, profile: Path, netlog: Path) -> str:
    assert CHROMIUM is not None
    flags = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        f"--user-data-dir={profile}",
        f"--log-net-log={netlog}",
        "--virtual-time-budget=20000",
    ]
    return subprocess.run(
        [*flags, "--dump-dom", url], capture_output=True, text=True, timeout=120
    ).stdout


@pytest.mark.skipif(
    CHROMIUM is None,
    reason="Chromium is not installed here; .ci/run installs it (Debian package chromium)",
)
def test_yasgui_runs_canned_and_free_queries_in_chromium(base: str, tmp_path: Path) -> None:
    """Verify in headless Chromium that YASGUI runs a canned query (with its
    parameters) and a free query, that their rows appear with result IRIs linked
    to their pages on this server, and that the page asked no other host."""
    canned = _chromium(
        f"{base}/?canned=entries-by-sdg-target&target=16.2&edition=2019-draft-zero&run=1",
        tmp_path / "a",
        tmp_path / "a.json",
    )
    assert 'id="param-target"' in canned
    assert "yasr" in canned
    rows = re.findall(r"href=\"(/id/entry/2019-draft-zero/C5/[^\"]+)\"", canned)
    assert "/id/entry/2019-draft-zero/C5/B1" in rows
    assert ">wsis10-c<" in canned or "wsis10-c" in canned
    free = (
        "PREFIX wsis: <https://w3id.org/wsis-kg/ontology#> SELECT ?line WHERE "
        "{ ?line a wsis:ActionLine } ORDER BY ?line"
    )
    dom = _chromium(
        f"{base}/?{urllib.parse.urlencode({'query': free, 'run': '1'})}",
        tmp_path / "b",
        tmp_path / "b.json",
    )
    lines = set(re.findall(r"href=\"/id/action-line/(C[0-9]+)\"", dom))
    assert lines == {f"C{n}" for n in range(1, 12)}
    for netlog in (tmp_path / "a.json", tmp_path / "b.json"):
        asked = _page_requests(netlog)
        assert f"{base}/sparql" in asked and f"{base}/static/yasgui/yasgui.min.js" in asked
        assert all(url.startswith(base + "/") for url in asked), asked


def _page_requests(netlog: Path) -> set[str]:
    """The URLs the page itself asked for (requests with the page as initiator;
    the browser's own background requests have none)."""
    log = json.loads(netlog.read_text(encoding="utf-8"))
    start = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    return {
        event["params"]["url"].split("?")[0]
        for event in log["events"]
        if event["type"] == start
        and "params" in event
        and str(event["params"].get("initiator", "")).startswith("http")
    }


def test_binds_to_loopback_by_default() -> None:
    """Verify that `wsiskg serve` listens on 127.0.0.1 unless told otherwise."""
    from click.testing import CliRunner

    from wsiskg.cli import main

    result = CliRunner().invoke(main, ["serve", "--help"])
    assert "--host TEXT" in result.stdout and "[default: 127.0.0.1]" in result.stdout
