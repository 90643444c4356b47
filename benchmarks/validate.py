"""Whole-graph SHACL validation, side by side in one run: wsiskg (SHACL Core
compiled to SPARQL on Oxigraph), pySHACL and pyshacl-turbo, same shapes, same
data (the built graph + ontology, and a synthetic copy at 10x), same results.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python benchmarks/validate.py [--scale 1 10] [--runs 3] [--pyshacl-max 1]

Times are medians in seconds, in process, loading included (each engine
parses the Turtle itself)."""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pyoxigraph import RdfFormat
from rdflib import Graph
from rdflib.namespace import RDF, SH

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from run import synthetic  # noqa: E402

from wsiskg.check.shacl import ExactData, Source, rewritten_predicates  # noqa: E402
from wsiskg.check.validate import load_shapes, load_store, validate_store  # noqa: E402
from wsiskg.paths import Layout  # noqa: E402

Key = tuple[str, str, str]


def timed(fn: Callable[[], Any], runs: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        tick = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - tick)
    return statistics.median(times), result


def wsiskg(files: list[Path], shapes: Graph) -> set[Key]:
    """As `wsiskg validate` does: load, look for literals the store would rewrite,
    validate."""
    sources = [Source(f, RdfFormat.TURTLE) for f in files]
    exact = ExactData(sources, rewritten_predicates(sources))
    results = validate_store(load_store(files), shapes, exact)
    return {(r.focus_node, r.component, r.severity) for r in results}


def _rdflib(files: list[Path]) -> Graph:
    graph = Graph()
    for path in files:
        graph.parse(path, format="turtle")
    return graph


def _keys(report: Graph) -> set[Key]:
    names = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
    return {
        (
            str(report.value(r, SH.focusNode)),
            str(report.value(r, SH.sourceConstraintComponent)),
            names[report.value(r, SH.resultSeverity)],
        )  # type: ignore[index]
        for r in report.subjects(RDF.type, SH.ValidationResult)
    }


def pyshacl(files: list[Path], shapes: Graph) -> set[Key]:
    from pyshacl import validate

    _, report, _ = validate(
        _rdflib(files), shacl_graph=shapes, inference="none", allow_warnings=True
    )
    return _keys(report)


def turbo(files: list[Path], shapes: Graph) -> set[Key]:
    import pyshacl_turbo

    _, report, _ = pyshacl_turbo.validate(
        _rdflib(files), shacl_graph=shapes, inference="none", allow_warnings=True
    )
    return _keys(report)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, nargs="*", default=[1, 10])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--pyshacl-max",
        type=int,
        default=10,
        help="largest scale at which pySHACL runs (it is slow)",
    )
    args = parser.parse_args()
    layout = Layout(ROOT)
    shapes = load_shapes(layout)
    for factor in args.scale:
        with tempfile.TemporaryDirectory() as tmp:
            files = synthetic(layout, factor, Path(tmp)) + [layout.ontology / "wsis.ttl"]
            triples = len(load_store(files))
            print(f"scale {factor}x: {triples} triples")
            ours, reference = timed(lambda f=files: wsiskg(f, shapes), args.runs)
            print(f"  wsiskg         {ours:8.2f} s  {len(reference)} results")
            engines: list[tuple[str, Callable[[list[Path], Graph], set[Key]], int]] = [
                ("pyshacl-turbo", turbo, args.runs)
            ]
            if factor <= args.pyshacl_max:
                engines.append(("pySHACL", pyshacl, 1))
            for name, fn, runs in engines:
                took, found = timed(lambda f=files, fn=fn: fn(f, shapes), runs)
                same = (
                    "same results"
                    if found == reference
                    else f"DIFFERENT: {len(found - reference)} extra, "
                    f"{len(reference - found)} missing"
                )
                print(
                    f"  {name:<14} {took:8.2f} s  {len(found)} results, {same}; "
                    f"wsiskg {took / ours:.1f}x faster"
                )


if __name__ == "__main__":
    main()
