"""`wsiskg serve` under abuse: SERVICE and other ways to make it connect out,
malformed and oversized requests, foreign Host headers, runaway queries, idle
and slow connections, excess load, and memory over many requests."""

from __future__ import annotations

import socket
import threading
import time
import urllib.parse
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil
import pytest

from .serving import wsiskg_server

HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("abuse") / "store"


@pytest.fixture(scope="module")
def server(store: Path) -> Iterator[tuple[str, psutil.Process]]:
    """A server with tight limits: 1 s query timeout, 5 rows, 2 workers, 2 waiting,
    2 s to send a request."""
    with wsiskg_server(
        store,
        "--timeout",
        "1",
        "--max-rows",
        "5",
        "--workers",
        "2",
        "--queue",
        "2",
        "--connection-timeout",
        "2",
        "--max-connections",
        "40",
    ) as (base, process):
        yield base, psutil.Process(process.pid)


def raw(base: str, data: bytes, wait: float = 10.0) -> bytes:
    """Send bytes as they are; everything the server answers until it closes."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=wait) as sock:
        sock.sendall(data)  # no half-close: the server would take it for a hang-up
        answer = b""
        try:
            while chunk := sock.recv(65536):
                answer += chunk
        except (TimeoutError, ConnectionResetError):
            pass
    return answer


def status_of(answer: bytes) -> int:
    assert answer.startswith(b"HTTP/1.1 "), answer[:200]
    return int(answer.split(b" ", 2)[1])


def http(
    base: str, method: str, target: str, body: bytes = b"", headers: dict[str, str] | None = None
) -> tuple[int, bytes]:
    host = base.removeprefix("http://")
    lines = [f"{method} {target} HTTP/1.1", f"Host: {host}", "Connection: close"]
    given = {"Content-Length": str(len(body))} if body or method == "POST" else {}
    given.update(headers or {})
    lines += [f"{k}: {v}" for k, v in given.items()]
    answer = raw(base, ("\r\n".join(lines) + "\r\n\r\n").encode() + body)
    return status_of(answer), answer.partition(b"\r\n\r\n")[2]


class Listener:
    """A local TCP listener that records every connection made to it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.running = True
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while self.running:
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self.running = False
        self.thread.join(2)
        self.sock.close()


def test_nothing_a_client_sends_makes_the_server_connect_out(
    server: tuple[str, psutil.Process],
) -> None:
    """Verify that SERVICE in every form and place, checked on the parsed query, is
    refused (400), and that no query (SERVICE, FROM, DESCRIBE of a URL) makes the
    server open a connection: a local listener receives nothing."""
    base, _ = server
    listener = Listener()
    target = f"http://127.0.0.1:{listener.port}/internal-admin"
    try:
        refused = [
            f"SELECT * {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
            f"SELECT * {{ SERVICE SILENT <{target}> {{ ?s ?p ?o }} }}",
            f"PREFIX x: <http://127.0.0.1:{listener.port}/> "
            "SELECT * { SERVICE x:a { ?s ?p ?o } }",
            f"SELECT * {{ VALUES ?e {{ <{target}> }} SERVICE ?e {{ ?s ?p ?o }} }}",
            f"ASK {{ FILTER EXISTS {{ SERVICE <{target}> {{ ?s ?p ?o }} }} }}",
            "CONSTRUCT { ?s ?p ?o } WHERE { { SELECT * "
            f"{{ SERVICE <{target}> {{ ?s ?p ?o }} }} }} }}",
            f"DESCRIBE ?s WHERE {{ OPTIONAL {{ SERVICE <{target}> {{ ?s ?p ?o }} }} }}",
            f"SELECT * {{ \\u0053ERVICE <{target}> {{ ?s ?p ?o }} }}",
            f"select * {{ service <{target}> {{ ?s ?p ?o }} }}",
        ]
        for query in refused:
            encoded = urllib.parse.urlencode({"query": query})
            assert http(base, "GET", f"/sparql?{encoded}")[0] == 400, query
            status, body = http(
                base,
                "POST",
                "/sparql",
                encoded.encode(),
                {"Content-Type": "application/x-www-form-urlencoded"},
            )
            assert status == 400 and b"SERVICE" in body, query
            assert (
                http(
                    base,
                    "POST",
                    "/sparql",
                    query.encode(),
                    {"Content-Type": "application/sparql-query"},
                )[0]
                == 400
            )
        # the form a browser may send cross-site without a preflight
        assert (
            http(base, "POST", "/sparql", refused[0].encode(), {"Content-Type": "text/plain"})[0]
            == 415
        )
        for query in (
            f"SELECT * FROM <{target}> {{ ?s ?p ?o }}",
            f"SELECT * FROM NAMED <{target}> {{ GRAPH ?g {{ ?s ?p ?o }} }}",
            f"DESCRIBE <{target}>",
            f'SELECT * {{ BIND(IRI("{target}") AS ?x) ?x ?p ?o }}',
        ):
            status, _ = http(base, "GET", "/sparql?" + urllib.parse.urlencode({"query": query}))
            assert status == 200, query
        status, _ = http(
            base,
            "GET",
            "/sparql?"
            + urllib.parse.urlencode(
                {"query": "SELECT * { ?s ?p ?o } LIMIT 1", "default-graph-uri": target}
            ),
        )
        assert status == 200
        time.sleep(0.5)
        assert listener.connections == 0
    finally:
        listener.close()


def test_service_allow_list(store: Path) -> None:
    """Verify that --allow-service lets SERVICE reach the listed endpoint only."""
    listener = Listener()
    allowed = f"http://127.0.0.1:{listener.port}/sparql"
    try:
        with wsiskg_server(store, "--allow-service", allowed, "--timeout", "2") as (base, _):
            other = f"SELECT * {{ SERVICE <http://127.0.0.1:{listener.port}/x> {{ ?s ?p ?o }} }}"
            status, body = http(base, "GET", "/sparql?" + urllib.parse.urlencode({"query": other}))
            assert status == 400 and allowed.encode() in body
            assert listener.connections == 0
            query = f"SELECT * {{ SERVICE SILENT <{allowed}> {{ ?s ?p ?o }} }}"
            http(base, "GET", "/sparql?" + urllib.parse.urlencode({"query": query}))
            time.sleep(0.3)
            assert listener.connections >= 1
    finally:
        listener.close()


@pytest.mark.parametrize("length", ["-1", "abc", "1e6", "+5", "5, 7", " "])
def test_malformed_content_length_is_400(server: tuple[str, psutil.Process], length: str) -> None:
    """Verify a Content-Length that is not a number is answered 400, not dropped."""
    base, _ = server
    answer = raw(
        base,
        (
            f"POST /sparql HTTP/1.1\r\nHost: {base[7:]}\r\n"
            "Content-Type: application/sparql-query\r\n"
            f"Content-Length: {length}\r\n\r\nASK {{}}"
        ).encode(),
    )
    assert status_of(answer) == 400


def test_bodies_are_capped_whatever_the_framing(server: tuple[str, psutil.Process]) -> None:
    """Verify a declared oversized body is refused unread, and a chunked one is cut
    at the cap (413 both)."""
    base, _ = server
    started = time.monotonic()
    answer = raw(
        base,
        (
            f"POST /sparql HTTP/1.1\r\nHost: {base[7:]}\r\n"
            "Content-Type: application/sparql-query\r\nConnection: close\r\n"
            "Content-Length: 200000000\r\n\r\nASK {}"
        ).encode(),
    )
    assert status_of(answer) == 413 and time.monotonic() - started < 5
    chunk = b"#" * 65536
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(20)) + b"0\r\n\r\n"
    answer = raw(
        base,
        (
            f"POST /sparql HTTP/1.1\r\nHost: {base[7:]}\r\n"
            "Content-Type: application/sparql-query\r\nConnection: close\r\n"
            "Transfer-Encoding: chunked\r\n\r\n"
        ).encode()
        + chunked,
    )
    assert status_of(answer) == 413
    small = b"ASK {}"
    answer = raw(
        base,
        (
            f"POST /sparql HTTP/1.1\r\nHost: {base[7:]}\r\n"
            "Content-Type: application/sparql-query\r\nConnection: close\r\n"
            "Transfer-Encoding: chunked\r\n\r\n"
        ).encode()
        + b"%x\r\n%s\r\n0\r\n\r\n" % (len(small), small),
    )
    assert status_of(answer) == 200


def test_garbage_requests_are_400(server: tuple[str, psutil.Process]) -> None:
    """Verify that requests that are not HTTP get 400 and the server lives on."""
    base, _ = server
    for garbage in (
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n",
        b"GET /sparql HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
        b"GET / HTTP/1.1\r\n" + b"X-Long: " + b"a" * 70_000 + b"\r\n\r\n",
    ):
        assert status_of(raw(base, garbage)) == 400
    assert http(base, "GET", "/sparql?query=ASK%7B%7D")[0] == 200


def test_host_header_is_checked(server: tuple[str, psutil.Process]) -> None:
    """Verify a request for another host name (DNS rebinding) is refused."""
    base, _ = server
    port = base.rsplit(":", 1)[1]
    for host in ("evil.example", f"evil.example:{port}", "127.0.0.2"):
        answer = raw(
            base,
            f"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: {host}\r\n"
            "Connection: close\r\n\r\n".encode(),
        )
        assert status_of(answer) == 400, host
    for host in (f"localhost:{port}", f"127.0.0.1:{port}"):
        answer = raw(
            base,
            f"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: {host}\r\n"
            "Connection: close\r\n\r\n".encode(),
        )
        assert status_of(answer) == 200, host


def test_truncation_is_signalled_by_a_header(server: tuple[str, psutil.Process]) -> None:
    """Verify a result cut at --max-rows carries the Wsiskg-Truncated header."""
    base, _ = server
    answer = raw(
        base,
        f"GET /sparql?query=SELECT%20*%20%7B%3Fs%20%3Fp%20%3Fo%7D HTTP/1.1\r\n"
        f"Host: {base[7:]}\r\nAccept: text/csv\r\nConnection: close\r\n\r\n".encode(),
    )
    head, _, body = answer.partition(b"\r\n\r\n")
    assert status_of(answer) == 200 and b"wsiskg-truncated: 5" in head.lower()
    assert len(body.decode().strip().splitlines()) == 1 + 5
    answer = raw(
        base,
        f"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: {base[7:]}\r\n"
        "Connection: close\r\n\r\n".encode(),
    )
    assert b"wsiskg-truncated" not in answer.lower()


def _tree_cpu(process: psutil.Process) -> float:
    total = 0.0
    for each in [process, *process.children(recursive=True)]:
        try:
            times = each.cpu_times()
            total += times.user + times.system
        except psutil.NoSuchProcess:
            pass
    return total


def test_a_timed_out_query_stops_using_cpu(server: tuple[str, psutil.Process]) -> None:
    """Verify two runaway queries are answered 503 and, a second later, the server
    and its workers use (almost) no CPU; the next query is answered."""
    base, process = server
    encoded = urllib.parse.urlencode({"query": HEAVY})
    started = time.monotonic()
    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda _: http(base, "GET", f"/sparql?{encoded}"), range(2)))
    assert [status for status, _ in answers] == [503, 503]
    assert b"longer than 1 s" in answers[0][1]
    assert time.monotonic() - started < 4
    time.sleep(1.0)
    before = _tree_cpu(process)
    time.sleep(1.0)
    assert _tree_cpu(process) - before < 0.15
    assert http(base, "GET", "/sparql?query=ASK%7B%7D")[0] == 200


def test_excess_load_is_answered_503(server: tuple[str, psutil.Process]) -> None:
    """Verify that beyond the workers and the queue, requests are refused at once
    (503, Retry-After) rather than piled up; then the server recovers."""
    base, _ = server
    encoded = urllib.parse.urlencode({"query": HEAVY})
    with ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(lambda _: http(base, "GET", f"/sparql?{encoded}"), range(16)))
    statuses = [status for status, _ in answers]
    assert statuses.count(503) == 16, answers
    # 2 run and 2 wait (then time out); the rest find the queue full
    busy = sum(b"busy" in body for _, body in answers)
    assert busy >= 4, answers
    time.sleep(0.5)
    assert http(base, "GET", "/sparql?query=ASK%7B%7D")[0] == 200


def test_idle_and_slow_connections_are_cut(server: tuple[str, psutil.Process]) -> None:
    """Verify a connection that sends nothing, one that sends its head byte by byte
    and one whose body stalls are all ended within a few seconds."""
    base, _ = server
    host, port = base.removeprefix("http://").split(":")

    def lifetime(send: bytes, trickle: bool) -> float:
        started = time.monotonic()
        with socket.create_connection((host, int(port)), timeout=15) as sock:
            try:
                if trickle:
                    for byte in send:
                        sock.send(bytes([byte]))
                        time.sleep(0.3)
                else:
                    sock.sendall(send)
                while sock.recv(65536):
                    pass
            except (OSError, TimeoutError):
                pass
        return time.monotonic() - started

    cases = [
        (b"", False),
        (b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\n", True),
        (
            f"POST /sparql HTTP/1.1\r\nHost: {base[7:]}\r\nContent-Type: "
            "application/sparql-query\r\nContent-Length: 100\r\n\r\nASK".encode(),
            False,
        ),
    ]
    with ThreadPoolExecutor(len(cases)) as pool:
        lifetimes = list(pool.map(lambda case: lifetime(*case), cases))
    assert all(seconds < 6 for seconds in lifetimes), lifetimes


def test_connections_are_bounded(server: tuple[str, psutil.Process]) -> None:
    """Verify that past --max-connections a request is answered 503, not by
    exhausting the server, and that it recovers when they close."""
    base, _ = server
    host, port = base.removeprefix("http://").split(":")
    held = [socket.create_connection((host, int(port))) for _ in range(45)]
    try:
        time.sleep(0.2)
        status, _ = http(base, "GET", "/sparql?query=ASK%7B%7D")
        assert status == 503
    finally:
        for sock in held:
            sock.close()
    time.sleep(0.3)
    assert http(base, "GET", "/sparql?query=ASK%7B%7D")[0] == 200


def _tree_rss(process: psutil.Process) -> int:
    return sum(p.memory_info().rss for p in [process, *process.children(recursive=True)])


def test_memory_stays_flat(server: tuple[str, psutil.Process]) -> None:
    """Verify the server's memory (with its workers) stays flat over 4,000 failed
    and successful requests of every kind."""
    import http.client

    base, process = server
    host, port = base.removeprefix("http://").split(":")
    construct = urllib.parse.quote("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 3")
    kinds = [
        ("GET", "/sparql?query=ASK%7B%7D", {}),
        ("GET", f"/sparql?query={construct}", {"Accept": "text/turtle"}),
        ("GET", f"/sparql?query={construct}", {"Accept": "text/csv"}),  # 406
        ("GET", "/sparql?query=SELEC", {}),  # 400
        ("GET", "/id/entry/2019/C2/A", {"Accept": "text/html"}),
        ("GET", "/id/entry/1999/C2/A", {"Accept": "text/turtle"}),  # 404
        ("GET", "/api/queries/entries-by-sdg-target?target=99", {}),  # 400
        (
            "GET",
            "/sparql?query="
            + urllib.parse.quote("SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"),
            {},
        ),
    ]  # 400

    def burst(count: int) -> set[int]:
        seen = set()
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        for index in range(count):
            method, path, headers = kinds[index % len(kinds)]
            connection.request(method, path, headers=headers)
            response = connection.getresponse()
            response.read()
            seen.add(response.status)
        connection.close()
        return seen

    burst(800)  # warm up: caches, allocator pools
    before = _tree_rss(process)
    seen = burst(4000)
    growth = _tree_rss(process) - before
    assert {200, 400, 404, 406} <= seen
    assert growth < 25 * 2**20, f"memory grew by {growth / 2**20:.1f} MiB"
