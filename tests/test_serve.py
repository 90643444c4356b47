"""`wsiskg serve`: a read-only SPARQL endpoint with a query page, tested over HTTP
on 127.0.0.1 and in headless Chromium."""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from wsiskg.paths import Layout
from wsiskg.queries import load_queries
from wsiskg.serve import ServerConfig, make_server
from wsiskg.store import open_embedded

from .conftest import ROOT

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def start(**limits: float) -> tuple[str, object]:
    layout = Layout(ROOT)
    config = ServerConfig(open_embedded(layout), load_queries(layout.queries), **limits)  # type: ignore[arg-type]
    server = make_server(config, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host, port = server.server_address[:2]
    return f"http://{host}:{port}", server


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    url, server = start()
    yield url
    server.shutdown()  # type: ignore[attr-defined]


def get(url: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    try:
        with urllib.request.urlopen(url, timeout=20) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def post(url: str, body: bytes, content_type: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_sparql_protocol_get_and_post(base: str) -> None:
    """Verify queries by GET and POST (form and sparql-query) with SPARQL JSON results."""
    query = ("PREFIX wsis: <https://w3id.org/wsis-kg/ontology#> "
             "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a wsis:RoadmapEntry }")
    status, data = get(f"{base}/sparql?{urllib.parse.urlencode({'query': query})}")
    assert status == 200 and data["results"]["bindings"][0]["n"]["value"] == "235"
    status, data = post(f"{base}/sparql", urllib.parse.urlencode({"query": query}).encode(),
                        "application/x-www-form-urlencoded")
    assert status == 200 and data["results"]["bindings"][0]["n"]["value"] == "235"
    status, data = post(f"{base}/sparql", query.encode(), "application/sparql-query")
    assert status == 200


def test_updates_are_refused(base: str) -> None:
    """Verify that every way of sending an update is refused."""
    assert post(f"{base}/sparql", b"DROP ALL", "application/sparql-update")[0] == 403
    assert post(f"{base}/sparql", b"update=DROP+ALL", "application/x-www-form-urlencoded")[0] \
        == 403
    assert get(f"{base}/sparql?update=DROP+ALL")[0] == 403
    status, data = post(f"{base}/sparql", b"DELETE WHERE { ?s ?p ?o }",
                        "application/sparql-query")
    assert status == 400
    request = urllib.request.Request(f"{base}/sparql", data=b"x", method="PUT")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 403


def test_canned_query_api(base: str) -> None:
    """Verify canned queries with bound parameters, and a refused hostile value."""
    status, listing = get(f"{base}/api/queries")
    assert status == 200 and len(listing) >= 20
    status, data = get(f"{base}/api/queries/entries-by-sdg-target?target=16.2"
                       "&edition=2019-draft-zero")
    assert status == 200
    outcomes = {b["outcome"]["value"] for b in data["results"]["bindings"]}
    assert "B1" in outcomes
    status, data = get(f"{base}/api/queries/entries-by-sdg-target?target="
                       + urllib.parse.quote('9.c"} ; DROP ALL'))
    assert status == 400 and "not valid" in data["error"]
    assert get(f"{base}/api/queries/no-such-query")[0] == 404


def test_result_limit_and_timeout() -> None:
    """Verify that results are cut at the row limit and a long query is answered 503."""
    url, server = start(max_rows=5)
    try:
        status, data = get(f"{url}/api/queries/sdg-targets-not-reached?edition=2010")
        assert status == 200 and len(data["results"]["bindings"]) == 5
        assert data["head"]["link"] == ["truncated"]
    finally:
        server.shutdown()  # type: ignore[attr-defined]
    url, server = start(timeout=0.2)
    try:
        heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
        status, data = get(f"{url}/sparql?{urllib.parse.urlencode({'query': heavy})}")
        assert status == 503 and "longer than" in data["error"]
    finally:
        server.shutdown()  # type: ignore[attr-defined]


def test_binds_to_loopback_by_default() -> None:
    """Verify that `wsiskg serve` listens on 127.0.0.1 unless told otherwise."""
    from click.testing import CliRunner

    from wsiskg.cli import main

    result = CliRunner().invoke(main, ["serve", "--help"])
    assert "--host TEXT" in result.stdout and "[default: 127.0.0.1]" in result.stdout


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed here; .ci/run "
                                             "installs it (Debian package chromium)")
def test_query_page_in_headless_chromium(base: str, tmp_path: Path) -> None:
    """Verify in headless Chromium that the page runs a canned query and shows its result."""
    assert CHROMIUM is not None
    url = f"{base}/?query=entries-by-sdg-target&target=16.2&edition=2019-draft-zero&run=1"
    flags = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
             "--no-first-run", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}",
             "--virtual-time-budget=15000"]
    dom = subprocess.run([*flags, "--dump-dom", url], capture_output=True, text=True,
                         timeout=120).stdout
    assert 'id="result-table"' in dom
    assert "https://w3id.org/wsis-kg/id/entry/2019-draft-zero/C5/B1" in dom
    shot = tmp_path / "page.png"
    subprocess.run([*flags, "--window-size=1280,900", f"--screenshot={shot}", url],
                   capture_output=True, timeout=120)
    assert shot.is_file() and shot.stat().st_size > 10_000
