"""Benchmark: loading an Oxigraph server over the Graph Store Protocol, and every
canned query over HTTP against the embedded store (medians, one run).

Starts `oxigraph serve` (PyPI package oxigraph) on 127.0.0.1 and a free port,
and stops it by its PID at the end.

    .venv/bin/python benchmarks/remote.py [--runs 5]
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from wsiskg.paths import Layout  # noqa: E402
from wsiskg.store.embedded import load_remote, open_embedded  # noqa: E402
from wsiskg.store.queries import bind, load_queries, run, run_remote  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    layout = Layout(ROOT)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    binary = Path(sys.executable).parent / "oxigraph"
    with tempfile.TemporaryDirectory() as location:
        server = subprocess.Popen(
            [
                str(binary),
                "serve",
                "--location",
                location,
                "--bind",
                f"127.0.0.1:{port}",
                "--union-default-graph",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=1)
                    break
                except OSError:
                    time.sleep(0.1)
            loads = []
            for _ in range(3):
                tick = time.perf_counter()
                load_remote(layout, f"{base}/store")
                loads.append(time.perf_counter() - tick)
            print(f"load 7 graphs over HTTP (PUT per graph): {statistics.median(loads):.2f} s")
            store = open_embedded(layout)
            print(f"{'query':40} {'embedded ms':>12} {'HTTP ms':>9} {'difference':>10}")
            for name, query in load_queries(layout.queries).items():
                bound = bind(query, {p.name: p.example for p in query.params})
                times = {}
                for where in ("embedded", "http"):
                    samples = []
                    for _ in range(args.runs):
                        tick = time.perf_counter()
                        if where == "embedded":
                            run("oxigraph", store, query.text, bound)
                        else:
                            run_remote(f"{base}/query", query.text, bound)
                        samples.append(time.perf_counter() - tick)
                    times[where] = statistics.median(samples) * 1000
                print(
                    f"{name:40} {times['embedded']:>12.1f} {times['http']:>9.1f} "
                    f"{times['http'] - times['embedded']:>+10.1f}"
                )
        finally:
            subprocess.run(["kill", str(server.pid)], check=False)
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
