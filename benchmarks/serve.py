"""Benchmark: `wsiskg serve` against the real Oxigraph server
(`oxigraph serve-read-only`) on the same store folder, under concurrent load.

Each of C clients (threads, one kept-alive connection each) sends N requests
from one mix: every canned query that needs no parameter, plus ASK, CONSTRUCT,
DESCRIBE and a counting SELECT, in JSON, XML, CSV, Turtle and N-Triples.
Prints the error count and the p50/p95/p99 latency of each server; the servers
run one after the other, with the same mix in the same order.

    .venv/bin/python benchmarks/serve.py [--clients 20] [--requests 50] [--rounds 3]
"""

from __future__ import annotations

import argparse
import http.client
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from wsiskg.paths import Layout  # noqa: E402
from wsiskg.store.embedded import load_embedded  # noqa: E402
from wsiskg.store.queries import load_queries  # noqa: E402

BIN = Path(sys.executable).parent
EXTRA = [
    (
        "ASK { <https://w3id.org/wsis-kg/id/entry/2019/C2/A> ?p ?o }",
        "application/sparql-results+json",
    ),
    (
        "CONSTRUCT { ?e <https://w3id.org/wsis-kg/ontology#x> ?o } WHERE "
        "{ ?e <https://w3id.org/wsis-kg/ontology#addressesOutcome> ?o }",
        "text/turtle",
    ),
    ("DESCRIBE <https://w3id.org/wsis-kg/id/entry/2019/C2/A>", "application/n-triples"),
    ("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "application/sparql-results+xml"),
]
RESULT_FORMATS = ["application/sparql-results+json", "application/sparql-results+xml", "text/csv"]


def mix() -> list[tuple[str, str]]:
    queries = [
        q
        for q in load_queries(Layout(ROOT).queries).values()
        if not any(p.required for p in q.params)
    ]
    requests = [(q.text, RESULT_FORMATS[i % len(RESULT_FORMATS)]) for i, q in enumerate(queries)]
    return requests + EXTRA


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, process: subprocess.Popen[bytes]) -> None:
    for _ in range(600):
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(f"the server for {url} did not start") from None
            time.sleep(0.1)
    raise RuntimeError(f"the server for {url} did not start in time")


def load(
    endpoint: str, requests: list[tuple[str, str]], clients: int, count: int
) -> tuple[list[float], int, float]:
    """Latencies (s), error count and wall time of clients x count requests."""
    parsed = urllib.parse.urlsplit(endpoint)
    host, port = parsed.hostname or "127.0.0.1", parsed.port or 80
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def client(number: int) -> None:
        connection = http.client.HTTPConnection(host, port, timeout=60)
        for index in range(count):
            text, accept = requests[(number * 7 + index) % len(requests)]
            body = urllib.parse.urlencode({"query": text})
            started = time.perf_counter()
            try:
                connection.request(
                    "POST",
                    parsed.path,
                    body=body,
                    headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
                )
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                connection.close()
                connection = http.client.HTTPConnection(host, port, timeout=60)
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                errors[0] += 0 if ok else 1
        connection.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors[0], time.perf_counter() - started


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    requests = mix()
    with tempfile.TemporaryDirectory() as folder:
        store = Path(folder) / "store"
        load_embedded(Layout(ROOT), store)
        ours = subprocess.Popen(
            [
                str(BIN / "wsiskg"),
                "--root",
                str(ROOT),
                "serve",
                "--port",
                "0",
                "--store",
                str(store),
                "--workers",
                str(args.workers),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        assert ours.stderr is not None
        line = ours.stderr.readline().decode()
        found = re.search(r"serving (http://\S+)/ ", line)
        if not found:
            raise RuntimeError(f"wsiskg serve did not start: {line}")
        port = free_port()
        theirs = subprocess.Popen(
            [
                str(BIN / "oxigraph"),
                "serve-read-only",
                "--location",
                str(store),
                "--bind",
                f"127.0.0.1:{port}",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        endpoints = {
            "wsiskg serve": f"{found.group(1)}/sparql",
            "oxigraph serve-read-only": f"http://127.0.0.1:{port}/query",
        }
        try:
            wait_for(f"{endpoints['wsiskg serve']}?query=ASK%7B%7D", ours)
            wait_for(f"{endpoints['oxigraph serve-read-only']}?query=ASK%7B%7D", theirs)
            print(
                f"{len(requests)} kinds of request; {args.clients} clients x "
                f"{args.requests} requests, {args.rounds} rounds each"
            )
            results: dict[str, list[tuple[list[float], int, float]]] = {n: [] for n in endpoints}
            for endpoint in endpoints.values():
                load(endpoint, requests, 4, 10)  # warm up caches
            for _ in range(args.rounds):
                for name, endpoint in endpoints.items():  # interleaved: same conditions
                    results[name].append(load(endpoint, requests, args.clients, args.requests))
            print("| server | errors | p50 ms | p95 ms | p99 ms | wall s |")
            print("|---|---|---|---|---|---|")
            summary = {}
            for name, rounds in results.items():
                p50 = statistics.median(percentile(r[0], 0.50) for r in rounds) * 1000
                p95 = statistics.median(percentile(r[0], 0.95) for r in rounds) * 1000
                p99 = statistics.median(percentile(r[0], 0.99) for r in rounds) * 1000
                wall = statistics.median(r[2] for r in rounds)
                errors = sum(r[1] for r in rounds)
                summary[name] = p95
                print(f"| {name} | {errors} | {p50:.1f} | {p95:.1f} | {p99:.1f} | {wall:.2f} |")
            ratio = summary["wsiskg serve"] / summary["oxigraph serve-read-only"]
            print(f"p95 ratio wsiskg/oxigraph: {ratio:.2f} (medians over the rounds)")
        finally:
            for process in (ours, theirs):
                process.terminate()
                process.wait(timeout=10)


if __name__ == "__main__":
    main()
