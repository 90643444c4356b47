"""Pictures of the linkage (matplotlib): the action line x SDG goal matrix of an
edition, the SDG target coverage of an edition, and an action line's SDG
coverage across editions. Data come from the canned queries; files are written
atomically (PNG or SVG by the file's suffix)."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import UsageError, WsiskgError
from .queries import CannedQuery, bind, run

EDITION_ORDER = ("2010", "2019-draft-zero", "2019", "2024-draft")


@dataclass
class Matrix:
    rows: list[str]                  # action lines
    columns: list[int]               # SDG goals 1..17
    counts: dict[tuple[str, int], int]


def matrix_data(store: Any, queries: dict[str, CannedQuery], edition: str) -> Matrix:
    query = queries["sdg-coverage-matrix"]
    results = run("oxigraph", store, query.text, bind(query, {"edition": edition}))
    counts = {(r["actionLine"][1], int(r["goalNumber"][1])): int(r["entries"][1])
              for r in results.rows}
    lines = sorted({line for line, _ in counts}, key=lambda c: int(c[1:]))
    if not lines:
        raise UsageError(f"edition {edition!r} has no SDG links to draw")
    return Matrix(lines, list(range(1, 18)), counts)


def target_data(store: Any, queries: dict[str, CannedQuery], edition: str
                ) -> dict[str, int]:
    query = queries["most-cited-sdg-targets"]
    results = run("oxigraph", store, query.text, bind(query, {"edition": edition}))
    return {r["target"][1]: int(r["entries"][1]) for r in results.rows}


def trend_data(store: Any, queries: dict[str, CannedQuery], action_line: str
               ) -> dict[str, dict[int, int]]:
    query = queries["sdg-coverage-matrix"]
    results = run("oxigraph", store, query.text, bind(query, {}))
    found: dict[str, dict[int, int]] = {}
    for r in results.rows:
        if r["actionLine"][1] == action_line:
            found.setdefault(r["editionId"][1], {})[int(r["goalNumber"][1])] = \
                int(r["entries"][1])
    return found


def _figure(width: float, height: float) -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt.subplots(figsize=(width, height), dpi=110)


def draw_matrix(matrix: Matrix, edition: str) -> Any:
    fig, ax = _figure(11, 1.2 + 0.6 * len(matrix.rows))
    values = [[matrix.counts.get((row, col), 0) for col in matrix.columns]
              for row in matrix.rows]
    image = ax.imshow(values, cmap="Blues", aspect="auto")
    ax.set_xticks(range(len(matrix.columns)), [f"SDG {c}" for c in matrix.columns],
                  rotation=45, ha="right")
    ax.set_yticks(range(len(matrix.rows)), matrix.rows)
    top = max(max(row) for row in values) or 1
    for i, row in enumerate(values):
        for j, value in enumerate(row):
            if value:
                ax.text(j, i, str(value), ha="center", va="center",
                        color="white" if value > top / 2 else "black", fontsize=9)
    ax.set_title(f"Roadmap entries linked to each SDG goal, edition {edition}")
    fig.colorbar(image, ax=ax, label="entries")
    fig.tight_layout()
    return fig


def draw_targets(counts: dict[str, int], edition: str) -> Any:
    from .cells import SDG_TARGETS

    def order(code: str) -> tuple[int, int, str]:
        goal, part = code.split(".")
        return (int(goal), int(part) if part.isdigit() else 100, part)

    targets = sorted(SDG_TARGETS, key=order)
    fig, ax = _figure(16, 4.5)
    ax.bar(range(len(targets)), [counts.get(t, 0) for t in targets],
           color=["#1f77b4" if counts.get(t) else "#dddddd" for t in targets])
    reached = sum(1 for t in targets if counts.get(t))
    ax.set_xticks(range(len(targets)), targets, rotation=90, fontsize=5)
    ax.set_ylabel("entries citing the target")
    ax.set_title(f"SDG target coverage, edition {edition}: {reached} of 169 targets reached")
    fig.tight_layout()
    return fig


def draw_trend(data: dict[str, dict[int, int]], action_line: str) -> Any:
    editions = [e for e in EDITION_ORDER if e in data] + sorted(set(data) - set(EDITION_ORDER))
    if not editions:
        raise UsageError(f"action line {action_line!r} has no SDG links in any edition")
    fig, ax = _figure(11, 4.5)
    width = 0.8 / len(editions)
    for i, edition in enumerate(editions):
        ax.bar([g + (i - (len(editions) - 1) / 2) * width for g in range(1, 18)],
               [data[edition].get(g, 0) for g in range(1, 18)], width, label=edition)
    ax.set_xticks(range(1, 18), [f"SDG {g}" for g in range(1, 18)], rotation=45, ha="right")
    ax.set_ylabel("entries linked")
    ax.set_title(f"SDG coverage of action line {action_line} across editions")
    ax.legend()
    fig.tight_layout()
    return fig


def save(fig: Any, path: Path) -> Path:
    """Write PNG or SVG (by suffix) through a temporary file and a rename."""
    suffix = path.suffix.lower()
    if suffix not in (".png", ".svg"):
        raise UsageError(f"{path.name}: the picture must be .png or .svg")
    folder = path.parent if str(path.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=folder)
        os.close(handle)
        fig.savefig(tmp, format=suffix[1:])
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        raise WsiskgError(f"cannot write the picture: {exc.strerror}", path=path) from None
    finally:
        import matplotlib.pyplot as plt

        plt.close(fig)
    return path
