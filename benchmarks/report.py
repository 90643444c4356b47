"""Time `wsiskg report` (the whole command, a fresh process each run), side by side
with the report code of an earlier git revision, in one run. Not a test.

    .venv/bin/python benchmarks/report.py                 # 5 runs, against 9ffa78a
    .venv/bin/python benchmarks/report.py --runs 7 --baseline main

Both versions read the same built graph and store. The current code is timed twice:
with an empty cache (the ontology page and the trend pictures are rendered) and
with the cache a previous run filled (the usual case: they change only with the
ontology, the data or the drawing code). Each run writes a new site into a
temporary folder.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# the revision before the report site was rewritten (jinja2 templates, caches)
BEFORE = "9ffa78a"


def timed(args: list[str], env: dict[str, str]) -> float:
    tick = time.perf_counter()
    done = subprocess.run(args, env=env, capture_output=True, cwd=ROOT)
    seconds = time.perf_counter() - tick
    if done.returncode != 0:
        sys.exit(f"failed: {' '.join(args)}\n{done.stderr.decode(errors='replace')}")
    return seconds


def baseline_source(revision: str, folder: Path) -> Path:
    """The package source of ``revision``, extracted from git into ``folder``."""
    archive = subprocess.run(
        ["git", "archive", revision, "src"], cwd=ROOT, capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    return folder / "src"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--baseline", default=BEFORE, help="git revision to compare with")
    options = parser.parse_args()
    python = sys.executable
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        old_src = baseline_source(options.baseline, work / "baseline")
        base_env = {**os.environ, "WSISKG_ROOT": str(ROOT)}
        samples: dict[str, list[float]] = {"baseline": [], "cold cache": [], "warm cache": []}
        warm = work / "warm-cache"
        # fill the warm cache once
        timed(
            [python, "-m", "wsiskg.cli", "report", "-o", str(work / "site")],
            {**base_env, "WSISKG_CACHE": str(warm)},
        )
        for run in range(options.runs):
            samples["baseline"].append(
                timed(
                    [python, "-m", "wsiskg.cli", "report", "-o", str(work / f"old-{run}")],
                    {**base_env, "PYTHONPATH": str(old_src)},
                )
            )
            samples["cold cache"].append(
                timed(
                    [python, "-m", "wsiskg.cli", "report", "-o", str(work / f"cold-{run}")],
                    {**base_env, "WSISKG_CACHE": str(work / f"cache-{run}")},
                )
            )
            samples["warm cache"].append(
                timed(
                    [python, "-m", "wsiskg.cli", "report", "-o", str(work / f"warm-{run}")],
                    {**base_env, "WSISKG_CACHE": str(warm)},
                )
            )
        pages = {
            name: len(list((work / f"{prefix}-0").glob("*.html")))
            for name, prefix in (
                ("baseline", "old"),
                ("cold cache", "cold"),
                ("warm cache", "warm"),
            )
        }
    before = statistics.median(samples["baseline"])
    print(f"wsiskg report, median of {options.runs} runs (whole command)")
    for name, values in samples.items():
        middle = statistics.median(values)
        ratio = "" if name == "baseline" else f"  {before / middle:.2f}x faster"
        print(
            f"  {name:<28} {middle:6.2f} s  ({pages[name]} pages; "
            f"min {min(values):.2f}, max {max(values):.2f}){ratio}"
        )
    print(f"  (baseline: the report code of {options.baseline})")


if __name__ == "__main__":
    main()
