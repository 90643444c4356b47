"""Benchmarks of wsiskg, measured in one run (medians of several runs; ratios
against plain rdflib where both paths exist). Not a test: numbers, not verdicts.

    .venv/bin/python benchmarks/run.py                 # the real graph
    .venv/bin/python benchmarks/run.py --scale 10 100  # plus synthetic 10x, 100x graphs
    .venv/bin/python benchmarks/run.py --quick         # fewer runs, no owlrl

Scale run: the real edition graphs are multiplied into synthetic editions (every
IRI of an edition's entries rewritten to a new edition id), which keeps the real
link distributions; the reference data and the action plan stay single.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from wsiskg.paths import Layout  # noqa: E402

EDITION_FILES = ("2010", "2019-draft-zero", "2019", "2024-draft")


def median(fn: Callable[[], Any], runs: int) -> float:
    samples = []
    for _ in range(runs):
        tick = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - tick)
    return statistics.median(samples)


def row(label: str, seconds: float, extra: str = "") -> None:
    print(f"  {label:<52} {seconds * 1000:>10.1f} ms  {extra}")


def bench_real(runs: int, quick: bool) -> None:
    from pyoxigraph import RdfFormat, Store
    from rdflib import Dataset, Graph

    from wsiskg.check.reason import reason
    from wsiskg.check.validate import validate
    from wsiskg.graph.build import build
    from wsiskg.store.embedded import load_embedded
    from wsiskg.store.queries import bind, load_queries, open_engine, run

    layout = Layout(ROOT)
    print("real graph")
    row(
        "wsiskg --help (process start-up)",
        median(
            lambda: subprocess.run(
                [str(ROOT / ".venv" / "bin" / "wsiskg"), "--help"], capture_output=True
            ),
            runs,
        ),
    )
    row(
        "build: all sources to Turtle (in memory)", median(lambda: build(layout, write=False), runs)
    )
    with tempfile.TemporaryDirectory() as folder:
        row(
            "load the embedded store (7 named graphs)",
            median(lambda: load_embedded(layout, Path(folder) / "store"), runs),
        )
    trig = layout.kg / "wsis.trig"
    oxi = median(lambda: Store().load(path=str(trig), format=RdfFormat.TRIG), runs)
    rdf = median(lambda: Dataset().parse(trig, format="trig"), max(1, runs // 2))
    row("parse wsis.trig: pyoxigraph", oxi)
    row("parse wsis.trig: rdflib", rdf, f"ratio {rdf / oxi:.0f}x")
    graph = Graph()
    for path in sorted(layout.kg.glob("*.ttl")):
        graph.parse(path)
    from wsiskg.graph.serialize import to_turtle
    from wsiskg.rdf import PREFIXES

    ours = median(lambda: to_turtle(graph, PREFIXES), runs)
    theirs = median(lambda: graph.serialize(format="turtle"), max(1, runs // 2))
    row("serialise Turtle: wsiskg's writer", ours)
    row("serialise Turtle: rdflib", theirs, f"ratio {theirs / ours:.1f}x")
    modes = ["none"] if quick else ["none", "rdfs", "owlrl"]
    for mode in modes:
        row(
            f"validate, inference {mode}",
            median(lambda m=mode: validate(layout, inference=m), 1 if mode != "none" else runs),
        )
    files = sorted(layout.kg.glob("*.ttl"))
    row(
        "reason: fast rules on Oxigraph",
        median(lambda: reason(files, layout.ontology / "wsis.ttl"), runs),
    )
    if not quick:
        one = [layout.kg / "2019-draft-zero.ttl", layout.kg / "reference.ttl"]
        fast = median(lambda: reason(one, layout.ontology / "wsis.ttl"), runs)
        slow = median(lambda: reason(one, layout.ontology / "wsis.ttl", engine="owlrl"), 1)
        row("reason one edition: fast", fast)
        row("reason one edition: owlrl OWL RL", slow, f"ratio {slow / fast:.0f}x")
    store = open_engine("oxigraph", trig)
    dataset = open_engine("rdflib", trig)
    print("  canned queries (oxigraph ms / rdflib ms / ratio)")
    for name, query in load_queries(layout.queries).items():
        bound = bind(query, {p.name: p.example for p in query.params})
        fast = median(lambda q=query, b=bound: run("oxigraph", store, q.text, b), runs)
        slow = median(lambda q=query, b=bound: run("rdflib", dataset, q.text, b), max(1, runs // 2))
        print(f"    {name:<40} {fast * 1000:>8.1f} {slow * 1000:>10.1f} {slow / fast:>7.0f}x")


def synthetic(layout: Layout, factor: int, folder: Path) -> list[Path]:
    """The real graph with every edition copied factor times under new edition ids."""
    files = [layout.kg / "reference.ttl", layout.kg / "baap-2018-2021.ttl"]
    for edition in EDITION_FILES:
        text = (layout.kg / f"{edition}.ttl").read_text(encoding="utf-8")
        files.append(layout.kg / f"{edition}.ttl")
        for copy in range(2, factor + 1):
            new = f"{edition}-s{copy}"
            rewritten = re.sub(
                rf"/(entry|edition)/{re.escape(edition)}(?=[/>])", rf"/\1/{new}", text
            )
            rewritten = rewritten.replace(f'wsis:editionId "{edition}"', f'wsis:editionId "{new}"')
            path = folder / f"{new}.ttl"
            path.write_text(rewritten, encoding="utf-8")
            files.append(path)
    return files


def bench_scale(factors: list[int], runs: int) -> None:
    from pyoxigraph import RdfFormat, Store

    from wsiskg.check.validate import load_shapes, validate_store
    from wsiskg.rdf import load_store
    from wsiskg.store.queries import bind, load_queries, run

    layout = Layout(ROOT)
    queries = load_queries(layout.queries)
    for factor in factors:
        with tempfile.TemporaryDirectory() as tmp:
            files = synthetic(layout, factor, Path(tmp))
            print(f"scale {factor}x ({len(files)} files)")
            store = Store()
            tick = time.perf_counter()
            for path in files:
                store.bulk_load(path=str(path), format=RdfFormat.TURTLE)
            row(f"load into Oxigraph ({len(store)} triples)", time.perf_counter() - tick)
            if factor <= 10:
                shapes = load_shapes(layout)
                data = load_store(files + [layout.ontology / "wsis.ttl"])
                tick = time.perf_counter()
                validate_store(data, shapes)
                row("validate (whole graph)", time.perf_counter() - tick)
            tick = time.perf_counter()
            shapes = load_shapes(layout)
            one = load_store([files[0], files[2], layout.ontology / "wsis.ttl"])
            validate_store(one, shapes)
            row("validate one named graph (+ reference)", time.perf_counter() - tick)
            print("  canned queries on Oxigraph (median ms)")
            for name, query in queries.items():
                bound = bind(query, {p.name: p.example for p in query.params})
                took = median(lambda q=query, b=bound, s=store: run("oxigraph", s, q.text, b), runs)
                flag = "  > 1 s" if took > 1 else ""
                print(f"    {name:<40} {took * 1000:>10.1f}{flag}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--scale", type=int, nargs="*", default=[])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    bench_real(args.runs if not args.quick else 3, args.quick)
    if args.scale:
        bench_scale(args.scale, 3)


if __name__ == "__main__":
    main()
