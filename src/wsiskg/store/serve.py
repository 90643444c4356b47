"""`wsiskg serve`: the linked-data server on uvicorn.

The application (``wsiskg.store.server.app``) answers the SPARQL 1.1 Protocol at
``/sparql``, every ``…/id/…`` IRI and the ontology with content negotiation,
and the YASGUI page at ``/``. Queries run in a bounded pool of worker
processes (``wsiskg.store.server.pool``), killed and replaced on timeout. uvicorn
(with h11) parses HTTP: a malformed request (``Content-Length: -1``) is
answered 400; connections are bounded (503 beyond), idle keep-alive
connections close after a few seconds, and a request head that has not
arrived within ``HEAD_TIMEOUT`` seconds closes its connection.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wsiskg.errors import WsiskgError
from wsiskg.paths import Layout
from wsiskg.store.server.app import AppConfig, create_app

HEAD_TIMEOUT = 10.0
KEEP_ALIVE = 5
MAX_CONNECTIONS = 256


@dataclass
class ServerOptions:
    host: str = "127.0.0.1"
    port: int = 8000
    connections: int = MAX_CONNECTIONS
    head_timeout: float = HEAD_TIMEOUT


def _protocol(head_timeout: float) -> type[asyncio.Protocol]:
    """uvicorn's h11 protocol, closing a connection whose request head (or, after a
    response, next request) has not fully arrived within ``head_timeout`` seconds."""
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class GuardedH11Protocol(H11Protocol):
        head_timer: asyncio.TimerHandle | None = None

        def _arm(self) -> None:
            if self.head_timer is not None:
                self.head_timer.cancel()
            self.head_timer = self.loop.call_later(head_timeout, self._expire)

        def _expire(self) -> None:
            waiting = self.cycle is None or self.cycle.response_complete
            if waiting and not self.transport.is_closing():
                self.transport.close()

        def connection_made(self, transport: Any) -> None:
            super().connection_made(transport)
            sock = transport.get_extra_info("socket")
            if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
                # headers and body go out as separate writes: without this, Nagle's
                # algorithm and a client's delayed ACK add 40 ms to kept-alive requests
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self._arm()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            self._arm()

        def connection_lost(self, exc: Exception | None) -> None:
            if self.head_timer is not None:
                self.head_timer.cancel()
            super().connection_lost(exc)

    return GuardedH11Protocol


def bind_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise WsiskgError(
            f"cannot listen on {host}:{port}: {exc.strerror}", hint="choose another --port"
        ) from None
    sock.listen(2048)  # at once: clients queue while the workers start
    sock.set_inheritable(True)
    return sock


def serve(config: AppConfig, options: ServerOptions, sock: socket.socket) -> None:
    """Run the server on the bound socket until interrupted."""
    import uvicorn

    uvicorn_config = uvicorn.Config(
        create_app(config),
        http=_protocol(options.head_timeout),
        lifespan="on",
        limit_concurrency=options.connections,
        timeout_keep_alive=KEEP_ALIVE,
        h11_max_incomplete_event_size=16_384,
        access_log=False,
        log_level="warning",
        server_header=False,
        timeout_graceful_shutdown=2,
    )
    uvicorn.Server(uvicorn_config).run(sockets=[sock])


def app_config(
    layout: Layout,
    store_dir: Path | None,
    *,
    timeout: float,
    max_rows: int,
    workers: int,
    queue: int,
    host: str,
    server_names: tuple[str, ...] = (),
    allowed_services: tuple[str, ...] = (),
    on_ready: Callable[[], None] | None = None,
    body_timeout: float = HEAD_TIMEOUT,
) -> AppConfig:
    """The application's configuration: the store (reloaded first when the built
    files changed), the canned queries and the names the server answers to."""
    from wsiskg.ingest.sources import load_registry
    from wsiskg.store.embedded import default_store, open_embedded
    from wsiskg.store.queries import load_queries

    open_embedded(layout, store_dir)  # (re)loads the store when needed
    try:
        sources = {s.id: s.path for s in load_registry(layout.registry)}
    except (WsiskgError, OSError):
        sources = {}  # an installed package has no sources
    names = {"127.0.0.1", "localhost", "::1", host.strip("[]"), *server_names}
    return AppConfig(
        store_path=str(store_dir or default_store(layout)),
        queries=load_queries(layout.queries),
        ontology=layout.ontology / "wsis.ttl",
        sources=sources,
        timeout=timeout,
        max_rows=max_rows,
        workers=workers,
        queue=queue,
        allowed_hosts=tuple(sorted(names)),
        allowed_services=frozenset(allowed_services),
        on_ready=on_ready,
        body_timeout=body_timeout,
    )
