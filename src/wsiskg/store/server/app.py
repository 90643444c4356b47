"""The ASGI application: the SPARQL 1.1 Protocol at ``/sparql``, the canned
queries at ``/api/queries``, a page for every IRI under ``/id/`` and for the
ontology, and the YASGUI query page at ``/``.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import re
import urllib.parse
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from starlette.applications import Starlette
from starlette.datastructures import MultiDict
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from wsiskg import iris
from wsiskg.store.queries import TYPES, CannedQuery, Param, parse_header
from wsiskg.store.server.checks import RefusedQueryError, check_query
from wsiskg.store.server.pool import BusyError, QueryTimeoutError, WorkerPool
from wsiskg.store.server.worker import GRAPH_TYPES, PREFIXES, Job, Reply, accepted

TRUNCATED_HEADER = "Wsiskg-Truncated"
MAX_BODY = 1_000_000
DESCRIBE_LIMIT = 2_000
PAGE_TYPES = ["text/html", *(m for m in GRAPH_TYPES if m != "text/plain")]
SOURCE = "http://www.w3.org/ns/prov#wasDerivedFrom"
LINE_START = iris.BASE + "ontology#sourceLineStart"
LINE_END = iris.BASE + "ontology#sourceLineEnd"
NOT_IN_IRIS = re.compile(r'[\x00-\x20<>"{}|\\^`]')


@dataclass
class AppConfig:
    """What the application serves and its limits."""

    store_path: str
    queries: dict[str, CannedQuery]
    ontology: Path
    sources: dict[str, Path]  # source id -> its text file, for source lines
    timeout: float = 10.0
    max_rows: int = 10_000
    workers: int = 2
    queue: int = 64
    allowed_hosts: tuple[str, ...] = ("127.0.0.1", "localhost", "::1")
    allowed_services: frozenset[str] = frozenset()
    on_ready: Callable[[], None] | None = None
    body_timeout: float = 10.0


class HTTPProblemError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _problem(status: int, message: str, **headers: str) -> PlainTextResponse:
    return PlainTextResponse(message + "\n", status_code=status, headers=headers)


@functools.cache
def _templates() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("wsiskg.store.server", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )


async def read_body(request: Request, timeout: float) -> bytes:
    """The request body, refused past MAX_BODY bytes whatever the framing, and
    past ``timeout`` seconds (a slow sender does not hold the server)."""
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY):
        raise HTTPProblemError(
            413 if declared.isdigit() else 400, f"the request body is limited to {MAX_BODY} bytes"
        )
    chunks: list[bytes] = []
    total = 0
    try:
        async with asyncio.timeout(timeout):
            async for chunk in request.stream():
                total += len(chunk)
                if total > MAX_BODY:
                    raise HTTPProblemError(413, f"the request body is limited to {MAX_BODY} bytes")
                chunks.append(chunk)
    except TimeoutError:
        raise HTTPProblemError(
            408, f"the request body did not arrive within {timeout:g} s"
        ) from None
    return b"".join(chunks)


def _header_params(text: str) -> tuple[Param, ...]:
    """The parameters a query declares in its grlc header, if it has one."""
    try:
        header = parse_header(text, Path("query"))
    except Exception as exc:  # noqa: BLE001 - DataError and friends, told to the client
        raise HTTPProblemError(400, f"the query's '#+' header is not valid: {exc}") from None
    params = []
    for item in header.get("params") or []:
        if not isinstance(item, dict) or not {"name", "type"} <= set(item):
            raise HTTPProblemError(400, f"a '#+ params' item needs a name and a type: {item!r}")
        if str(item["type"]) not in TYPES:
            raise HTTPProblemError(400, f"unknown parameter type {item['type']!r}")
        default = item.get("default")
        params.append(
            Param(
                str(item["name"]),
                str(item["type"]),
                None if default is None else str(default),
                str(item.get("example", "")),
            )
        )
    return tuple(params)


def bind_values(params: tuple[Param, ...], given: dict[str, str]) -> dict[str, tuple[str, str]]:
    """Typed terms for the given parameter values, with errors in HTTP terms."""
    known = {p.name: p for p in params}
    unknown = sorted(set(given) - set(known))
    if unknown:
        raise HTTPProblemError(
            400,
            f"unknown parameter {', '.join(unknown)}; this query declares "
            f"{', '.join(known) or 'no parameters'}",
        )
    bound = {}
    for param in params:
        value = given.get(param.name, "")
        if value == "":
            if param.required:
                raise HTTPProblemError(
                    400,
                    f"parameter {param.name} is required "
                    f"(for example {param.name}={param.example})",
                )
            continue
        try:
            bound[param.name] = TYPES[param.type](value)
        except ValueError as exc:
            raise HTTPProblemError(
                400, f"parameter {param.name}={value!r} is not valid: expected {exc}"
            ) from None
    return bound


def _reply(reply: Reply, max_rows: int) -> Response:
    headers = {TRUNCATED_HEADER: str(max_rows)} if reply.truncated else {}
    return Response(
        reply.body,
        status_code=reply.status,
        media_type=reply.media_type,
        headers={**headers, "Vary": "Accept"},
    )


def create_app(config: AppConfig) -> Starlette:
    """The application over the store, with its worker pool started on startup."""
    pool = WorkerPool(config.store_path, config.workers, config.queue, config.timeout)
    state: dict[str, Any] = {}

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await pool.start()
        if config.on_ready is not None:
            config.on_ready()
        try:
            yield
        finally:
            await pool.close()

    async def run_job(kind: str, payload: Any) -> Any:
        try:
            return await pool.run(kind, payload)
        except QueryTimeoutError as exc:
            raise HTTPProblemError(503, str(exc)) from None
        except BusyError as exc:
            raise HTTPProblemError(503, str(exc)) from None

    async def answer(
        text: str,
        accept: str,
        bound: dict[str, tuple[str, str]],
        default_graphs: list[str],
        named_graphs: list[str],
    ) -> Response:
        try:
            check_query(text, config.allowed_services)
        except RefusedQueryError as exc:
            raise HTTPProblemError(400, str(exc)) from None
        dataset = bool(default_graphs or named_graphs)
        job = Job(
            text,
            accept,
            config.max_rows,
            bound,
            tuple(default_graphs) if dataset else None,
            tuple(named_graphs) if dataset else None,
        )
        reply = await run_job("query", job)
        return _reply(reply, config.max_rows)

    async def sparql(request: Request) -> Response:
        params: MultiDict
        if request.method == "GET":
            params = MultiDict(request.query_params.multi_items())
        else:
            kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
            body = await read_body(request, config.body_timeout)
            if kind == "application/sparql-update":
                raise HTTPProblemError(403, "this endpoint is read-only: updates are refused")
            if kind == "application/sparql-query":
                try:
                    text = body.decode("utf-8")
                except UnicodeDecodeError:
                    raise HTTPProblemError(400, "the query is not UTF-8 text") from None
                params = MultiDict([*request.query_params.multi_items(), ("query", text)])
            elif kind == "application/x-www-form-urlencoded":
                try:
                    pairs = urllib.parse.parse_qsl(
                        body.decode("utf-8"),
                        keep_blank_values=True,
                        max_num_fields=200,
                        strict_parsing=False,
                    )
                except (UnicodeDecodeError, ValueError) as exc:
                    raise HTTPProblemError(400, f"the form cannot be read: {exc}") from None
                params = MultiDict(pairs)
            else:
                raise HTTPProblemError(
                    415,
                    "send the query as application/sparql-query or as the "
                    "form field 'query' (application/x-www-form-urlencoded)",
                )
        if "update" in params:
            raise HTTPProblemError(403, "this endpoint is read-only: updates are refused")
        texts = params.getlist("query")
        if len(texts) != 1 or not texts[0].strip():
            raise HTTPProblemError(
                400,
                "give exactly one query, in the 'query' parameter or as an "
                "application/sparql-query body",
            )
        given = {k[1:]: v for k, v in params.multi_items() if k.startswith("$")}
        bound = bind_values(_header_params(texts[0]), given) if given else {}
        return await answer(
            texts[0],
            request.headers.get("accept", "*/*"),
            bound,
            params.getlist("default-graph-uri"),
            params.getlist("named-graph-uri"),
        )

    def catalogue() -> list[dict[str, Any]]:
        return [
            {
                "name": q.name,
                "summary": q.summary,
                "description": q.description,
                "text": q.text,
                "params": [
                    {
                        "name": p.name,
                        "type": p.type,
                        "default": p.default,
                        "example": p.example,
                        "required": p.required,
                    }
                    for p in q.params
                ],
            }
            for q in config.queries.values()
        ]

    async def list_queries(request: Request) -> Response:
        return JSONResponse(catalogue())

    async def canned(request: Request) -> Response:
        name = request.path_params["name"]
        query = config.queries.get(name)
        if query is None:
            raise HTTPProblemError(404, f"no canned query {name!r}; /api/queries lists them")
        bound = bind_values(query.params, dict(request.query_params))
        return await answer(query.text, request.headers.get("accept", "*/*"), bound, [], [])

    async def index(request: Request) -> Response:
        items = catalogue()
        page = (
            _templates()
            .get_template("index.html")
            .render(catalogue=json.dumps(items).replace("</", "<\\/"), catalogue_items=items)
        )
        return HTMLResponse(page)

    async def prefixes(request: Request) -> Response:
        return JSONResponse(PREFIXES)

    def source_lines(data: dict[str, Any]) -> dict[str, Any] | None:
        values: dict[str, list[str]] = {}
        for predicate, obj in data["outgoing"]:
            values.setdefault(predicate, []).append(obj["value"])
        derived = [v for v in values.get(SOURCE, []) if v.startswith(iris.ID + "source/")]
        if not derived or LINE_START not in values:
            return None
        source_id = derived[0].removeprefix(iris.ID + "source/")
        start = int(values[LINE_START][0])
        end = int(values.get(LINE_END, [str(start)])[0])
        lines: list[tuple[int, str]] = []
        path = config.sources.get(source_id)
        if path is not None and path.is_file():
            text = path.read_text(encoding="utf-8").splitlines()
            lines = [
                (n, text[n - 1])
                for n in range(start, min(end, start + 200) + 1)
                if 0 < n <= len(text)
            ]
        return {
            "source": derived[0],
            "source_id": source_id,
            "start": start,
            "end": end,
            "lines": lines,
        }

    def local(iri: str) -> str:
        """Where the page of an IRI is on this server (other IRIs stay as they are)."""
        if iri.startswith(iris.ID) or iri == str(iris.ONTOLOGY):
            return "/" + iri.removeprefix(iris.BASE)
        if iri.startswith(str(iris.ONTOLOGY) + "#"):
            return "/ontology" + iri.removeprefix(str(iris.ONTOLOGY))
        return iri

    def short(iri: str) -> str:
        for prefix, namespace in PREFIXES.items():
            if iri.startswith(namespace) and len(iri) > len(namespace):
                return f"{prefix}:{iri.removeprefix(namespace)}"
        return iri

    async def resource(request: Request) -> Response:
        iri = iris.ID + request.path_params["path"]
        if NOT_IN_IRIS.search(iri):
            raise HTTPProblemError(404, "no such resource: not an IRI of this graph")
        media = accepted(request.headers.get("accept", "*/*"), PAGE_TYPES)
        if media is None:
            raise HTTPProblemError(406, f"this resource is given as {', '.join(PAGE_TYPES)}")
        if media != "text/html":
            answer = await run_job("triples", (iri, DESCRIBE_LIMIT, media))
            if isinstance(answer, Reply):
                return _reply(answer, config.max_rows)
            count, body = answer
            if count == 0:
                raise HTTPProblemError(404, f"no resource <{iri}> in this graph")
            return Response(body, media_type=media, headers={"Vary": "Accept"})
        data = await run_job("describe", (iri, DESCRIBE_LIMIT))
        if isinstance(data, Reply):
            return _reply(data, config.max_rows)
        if not data["outgoing"] and not data["incoming"]:
            page = _templates().get_template("missing.html").render(iri=iri)
            return HTMLResponse(page, status_code=404, headers={"Vary": "Accept"})
        labels = data["labels"]
        page = (
            _templates()
            .get_template("resource.html")
            .render(
                iri=iri,
                label=labels.get(iri, short(iri)),
                outgoing=data["outgoing"],
                incoming=data["incoming"],
                labels=labels,
                local=local,
                short=short,
                source=source_lines(data),
                formats=PAGE_TYPES[1:],
            )
        )
        return HTMLResponse(page, headers={"Vary": "Accept"})

    async def ontology(request: Request) -> Response:
        media = accepted(request.headers.get("accept", "*/*"), ["text/html", "text/turtle"])
        if media is None:
            raise HTTPProblemError(406, "the ontology is given as text/html or text/turtle")
        headers = {"Vary": "Accept"}
        if media == "text/turtle":
            return Response(
                config.ontology.read_bytes(),
                media_type="text/turtle; charset=utf-8",
                headers=headers,
            )
        if "ontology_html" not in state:
            from wsiskg.paths import Layout
            from wsiskg.views.report import ontology_html

            layout = Layout(config.ontology.parent.parent)
            state["ontology_html"] = await asyncio.to_thread(ontology_html, layout)
        return HTMLResponse(state["ontology_html"], headers=headers)

    async def problem(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPProblemError)
        headers = {"Retry-After": "1"} if exc.status == 503 else {}
        return _problem(exc.status, exc.message, **headers)

    async def refuse(request: Request) -> Response:
        raise HTTPProblemError(403, "this endpoint is read-only")

    routes = [
        Route("/", index),
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/sparql", refuse, methods=["PUT", "DELETE", "PATCH"]),
        Route("/api/queries", list_queries),
        Route("/api/queries/{name}", canned),
        Route("/prefixes.json", prefixes),
        Route("/id/{path:path}", resource),
        Route("/ontology", ontology),
        Mount("/static", StaticFiles(packages=[("wsiskg.store.server", "static")]), name="static"),
    ]
    middleware = [
        Middleware(TrustedHostMiddleware, allowed_hosts=list(config.allowed_hosts)),
        Middleware(
            CORSMiddleware,
            allow_origins=["*"],
            allow_methods=["GET", "POST"],
            allow_headers=["Accept", "Content-Type"],
            expose_headers=[TRUNCATED_HEADER],
            max_age=86400,
        ),
    ]
    app = Starlette(
        routes=routes,
        middleware=middleware,
        lifespan=lifespan,
        exception_handlers={HTTPProblemError: problem},
    )
    app.state.pool = pool
    return app
