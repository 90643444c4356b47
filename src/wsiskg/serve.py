"""A local, read-only SPARQL endpoint over the embedded store, with a query page.

``/sparql`` speaks the SPARQL 1.1 Protocol for queries (GET ``?query=`` or
POST, form-encoded or ``application/sparql-query``) and answers SPARQL JSON
results; updates are refused (403). ``/api/queries`` lists the canned queries
and ``/api/queries/NAME?param=value`` runs one with typed, bound parameters.
``/`` is a self-contained query page (no assets fetched from elsewhere)
offering the canned queries. A query that runs past the timeout is answered
503; results are cut at the row limit (flagged in the JSON).
"""

from __future__ import annotations

import html
import json
import threading
import urllib.parse
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .errors import WsiskgError
from .queries import CannedQuery, Results, bind, run
from .queries import results_json as sparql_json

MAX_BODY = 1_000_000


@dataclass
class ServerConfig:
    store: Any
    queries: dict[str, CannedQuery]
    timeout: float = 10.0
    max_rows: int = 10_000


class QueryTimeoutError(Exception):
    pass


def _run_limited(config: ServerConfig, text: str, bound: dict[str, tuple[str, str]]
                 ) -> tuple[Results, bool]:
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            outcome["results"] = run("oxigraph", config.store, text, bound)
        except Exception as exc:  # reported to the client below
            outcome["error"] = exc

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    worker.join(config.timeout)
    if worker.is_alive():
        raise QueryTimeoutError(f"the query ran longer than {config.timeout:g} s")
    if "error" in outcome:
        raise outcome["error"]
    results: Results = outcome["results"]
    truncated = len(results.rows) > config.max_rows
    if truncated:
        results = Results(results.variables, results.rows[: config.max_rows])
    return results, truncated


def results_json(results: Results, truncated: bool) -> dict[str, Any]:
    data = sparql_json(results)
    if truncated:
        data["head"]["link"] = ["truncated"]
    return data


def make_handler(config: ServerConfig) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "wsiskg"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass    # quiet; errors are answered to the client

        def _send(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
            self.wfile.write(body)

        def _error(self, status: HTTPStatus, message: str) -> None:
            self._send(status, json.dumps({"error": message}).encode(), "application/json")

        def _answer(self, text: str, bound: dict[str, tuple[str, str]]) -> None:
            try:
                results, truncated = _run_limited(config, text, bound)
            except QueryTimeoutError as exc:
                self._error(HTTPStatus.SERVICE_UNAVAILABLE, str(exc))
                return
            except WsiskgError as exc:
                self._error(HTTPStatus.BAD_REQUEST, exc.message)
                return
            except Exception as exc:  # a query the engine refuses (syntax, update ...)
                self._error(HTTPStatus.BAD_REQUEST, str(exc).splitlines()[0][:300])
                return
            self._send(HTTPStatus.OK, json.dumps(results_json(results, truncated)).encode(),
                       "application/sparql-results+json")

        def do_GET(self) -> None:  # noqa: N802
            url = urllib.parse.urlsplit(self.path)
            params = dict(urllib.parse.parse_qsl(url.query))
            if url.path == "/":
                self._send(HTTPStatus.OK, page(config).encode(), "text/html; charset=utf-8")
            elif url.path == "/sparql":
                if "update" in params:
                    self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only")
                elif "query" not in params:
                    self._error(HTTPStatus.BAD_REQUEST, "give the query in ?query=")
                else:
                    self._answer(params["query"], {})
            elif url.path == "/api/queries":
                listing = [{"name": q.name, "summary": q.summary,
                            "params": [{"name": p.name, "type": p.type,
                                        "default": p.default, "example": p.example}
                                       for p in q.params]}
                           for q in config.queries.values()]
                self._send(HTTPStatus.OK, json.dumps(listing).encode(), "application/json")
            elif url.path.startswith("/api/queries/"):
                name = url.path.removeprefix("/api/queries/")
                if name not in config.queries:
                    self._error(HTTPStatus.NOT_FOUND, f"no canned query {name!r}")
                    return
                query = config.queries[name]
                try:
                    bound = bind(query, {k: v for k, v in params.items() if v != ""})
                except WsiskgError as exc:
                    self._error(HTTPStatus.BAD_REQUEST, exc.message)
                    return
                self._answer(query.text, bound)
            else:
                self._error(HTTPStatus.NOT_FOUND, "not found")

        def do_POST(self) -> None:  # noqa: N802
            url = urllib.parse.urlsplit(self.path)
            if url.path != "/sparql":
                self._error(HTTPStatus.METHOD_NOT_ALLOWED, "only /sparql takes POST")
                return
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                self._error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "request too large")
                return
            body = self.rfile.read(length).decode("utf-8", "replace")
            kind = (self.headers.get("Content-Type") or "").split(";")[0].strip()
            if kind == "application/sparql-update":
                self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only")
                return
            if kind == "application/sparql-query":
                text = body
            else:
                form = dict(urllib.parse.parse_qsl(body))
                if "update" in form:
                    self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only")
                    return
                text = form.get("query", "")
            if not text:
                self._error(HTTPStatus.BAD_REQUEST, "no query given")
                return
            self._answer(text, {})

        def _refuse(self) -> None:
            self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only")

        do_PUT = do_DELETE = do_PATCH = _refuse  # noqa: N815

    return Handler


def make_server(config: ServerConfig, host: str, port: int) -> ThreadingHTTPServer:
    try:
        return ThreadingHTTPServer((host, port), make_handler(config))
    except OSError as exc:
        raise WsiskgError(f"cannot listen on {host}:{port}: {exc.strerror}",
                          hint="choose another --port") from None


def page(config: ServerConfig) -> str:
    options = "\n".join(
        f'<option value="{html.escape(q.name)}">{html.escape(q.name)}: '
        f"{html.escape(q.summary)}</option>" for q in config.queries.values())
    catalogue = json.dumps({q.name: {"text": q.text, "params": [
        {"name": p.name, "type": p.type, "example": p.example, "required": p.required}
        for p in q.params]} for q in config.queries.values()})
    return PAGE.replace("__OPTIONS__", options).replace(
        "__CATALOGUE__", catalogue.replace("</", "<\\/"))


PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>WSIS Roadmaps KG - SPARQL</title>
<style>
body { font-family: system-ui, sans-serif; margin: 1.5em; max-width: 80em; }
textarea { width: 100%; height: 16em; font-family: monospace; font-size: 0.9em; }
table { border-collapse: collapse; margin-top: 1em; font-size: 0.9em; }
td, th { border: 1px solid #ccc; padding: 0.2em 0.5em; text-align: left; vertical-align: top; }
th { background: #eee; } #status { margin-top: 0.5em; color: #555; }
label { margin-right: 1em; }
</style></head>
<body>
<h1>WSIS Roadmaps Knowledge Graph</h1>
<p>A read-only SPARQL endpoint: <code>/sparql</code>. Pick a canned query, or write your own.</p>
<p><select id="canned"><option value="">(your own query)</option>
__OPTIONS__
</select></p>
<div id="params"></div>
<textarea id="query">PREFIX wsis: <https://w3id.org/wsis-kg/ontology#>
SELECT ?entry WHERE { ?entry a wsis:RoadmapEntry } LIMIT 10</textarea>
<p><button id="run">Run</button></p>
<div id="status"></div>
<div id="results"></div>
<script>
const CATALOGUE = __CATALOGUE__;
const canned = document.getElementById("canned");
const paramBox = document.getElementById("params");
const queryBox = document.getElementById("query");
const statusBox = document.getElementById("status");
const results = document.getElementById("results");
function showParams(name, given) {
  paramBox.textContent = "";
  if (!name) return;
  queryBox.value = CATALOGUE[name].text;
  for (const p of CATALOGUE[name].params) {
    const label = document.createElement("label");
    label.textContent = p.name + " (" + p.type + (p.required ? ", required" : "") + ") ";
    const input = document.createElement("input");
    input.id = "param-" + p.name;
    input.value = (given && given.get(p.name)) || (p.required ? p.example : "");
    input.placeholder = p.example;
    label.appendChild(input);
    paramBox.appendChild(label);
  }
}
function render(data) {
  results.textContent = "";
  const table = document.createElement("table");
  table.id = "result-table";
  const head = table.insertRow();
  for (const v of data.head.vars) {
    const th = document.createElement("th"); th.textContent = v; head.appendChild(th);
  }
  for (const b of data.results.bindings) {
    const row = table.insertRow();
    for (const v of data.head.vars) { row.insertCell().textContent = b[v] ? b[v].value : ""; }
  }
  results.appendChild(table);
  statusBox.textContent = data.results.bindings.length + " rows" +
    (data.head.link ? " (cut at the row limit)" : "");
}
async function runQuery() {
  statusBox.textContent = "running...";
  let response;
  if (canned.value && queryBox.value === CATALOGUE[canned.value].text) {
    const params = new URLSearchParams();
    for (const p of CATALOGUE[canned.value].params) {
      const value = document.getElementById("param-" + p.name).value;
      if (value) params.set(p.name, value);
    }
    response = await fetch("/api/queries/" + canned.value + "?" + params.toString());
  } else {
    response = await fetch("/sparql", {method: "POST",
      headers: {"Content-Type": "application/sparql-query",
                "Accept": "application/sparql-results+json"}, body: queryBox.value});
  }
  const data = await response.json();
  if (!response.ok) {
    statusBox.textContent = "error: " + data.error; results.textContent = ""; return;
  }
  render(data);
}
canned.addEventListener("change", () => showParams(canned.value));
document.getElementById("run").addEventListener("click", runQuery);
const start = new URLSearchParams(window.location.search);
if (start.get("query") && CATALOGUE[start.get("query")]) {
  canned.value = start.get("query");
  showParams(canned.value, start);
  if (start.get("run")) runQuery();
}
</script>
</body></html>
"""
