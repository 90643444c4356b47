"""Benchmark: every canned query on the embedded Oxigraph store and on plain
rdflib, side by side in one run (median of several runs, and the ratio).

Run from the project folder after `wsiskg build`:

    .venv/bin/python benchmarks/queries.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from wsiskg.store.queries import bind, load_queries, open_engine, run

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    trig = ROOT / "data" / "kg" / "wsis.trig"
    started = time.perf_counter()
    store = open_engine("oxigraph", trig)
    load_oxigraph = time.perf_counter() - started
    started = time.perf_counter()
    dataset = open_engine("rdflib", trig)
    load_rdflib = time.perf_counter() - started
    print(
        f"load wsis.trig: oxigraph {load_oxigraph * 1000:.0f} ms, rdflib "
        f"{load_rdflib * 1000:.0f} ms ({load_rdflib / load_oxigraph:.0f}x)"
    )
    print(f"{'query':40} {'rows':>6} {'oxigraph ms':>12} {'rdflib ms':>10} {'ratio':>7}")
    for name, query in load_queries(ROOT / "queries").items():
        bound = bind(query, {p.name: p.example for p in query.params})
        times = {}
        rows = 0
        for engine, handle in (("oxigraph", store), ("rdflib", dataset)):
            samples = []
            for _ in range(args.runs):
                tick = time.perf_counter()
                rows = len(run(engine, handle, query.text, bound).rows)
                samples.append(time.perf_counter() - tick)
            times[engine] = statistics.median(samples)
        print(
            f"{name:40} {rows:>6} {times['oxigraph'] * 1000:>12.1f} "
            f"{times['rdflib'] * 1000:>10.1f} {times['rdflib'] / times['oxigraph']:>7.0f}"
        )


if __name__ == "__main__":
    main()
