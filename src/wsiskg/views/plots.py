"""Pictures of the linkage (matplotlib): the action line x SDG goal matrix of an
edition, the SDG target coverage of an edition (a goal x target grid) and an
action line's SDG links across editions with the target links added and
removed between consecutive editions (the changes ``wsiskg diff`` finds).

Data come from the canned queries and the edition diff; goals carry the UN's
official SDG colours and their short names in a chosen UN language (falling
back to English, then to an untagged label). Files are written atomically, in
PNG, SVG or PDF by the file's suffix, with fixed metadata so that the same
graph gives the same bytes.
"""

from __future__ import annotations

import os
import tempfile
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wsiskg.errors import UsageError, WsiskgError
from wsiskg.sparql import query_text
from wsiskg.store.queries import CannedQuery, bind, editions, held, load_queries, run

if TYPE_CHECKING:
    from wsiskg.paths import Layout


# the six official languages of the United Nations, as BCP 47 tags
LANGUAGES = ("ar", "zh-Hans", "en", "es", "fr", "ru")

# the UN's official SDG colours (UN Department of Global Communications, SDG
# communications guidelines), goal 1 to 17
GOAL_COLOURS = {
    1: "#E5243B",
    2: "#DDA63A",
    3: "#4C9F38",
    4: "#C5192D",
    5: "#FF3A21",
    6: "#26BDE2",
    7: "#FCC30B",
    8: "#A21942",
    9: "#FD6925",
    10: "#DD1367",
    11: "#FD9D24",
    12: "#BF8B2E",
    13: "#3F7E44",
    14: "#0A97D9",
    15: "#56C02B",
    16: "#00689D",
    17: "#19486A",
}
FORMATS = (".png", ".svg", ".pdf")

GOAL_LABELS = query_text("goal-labels")


def check_language(lang: str) -> str:
    """The language tag as given, if it is one of the six UN languages."""
    if lang not in LANGUAGES:
        raise UsageError(
            f"--lang {lang!r}: expected one of {', '.join(LANGUAGES)} (the six UN languages)"
        )
    return lang


def pick_label(labels: list[tuple[str, str]], lang: str) -> tuple[str, str] | None:
    """From (text, language tag) pairs, the label in ``lang``, else in English, else
    untagged; the smallest text of its language when there are several. Tags
    compare without case (stores lower-case them)."""
    for wanted in (lang.lower(), "en", ""):
        found = sorted(text for text, tag in labels if tag.lower() == wanted)
        if found:
            return found[0], wanted
    return None


def goal_names(store: Any, lang: str = "en") -> dict[int, tuple[str, str]]:
    """Goal number -> (short name, its language tag): the ``skos:altLabel`` in
    ``lang`` with the fallbacks of :func:`pick_label`, else the title."""
    found: dict[int, dict[str, list[tuple[str, str]]]] = {}
    for row in store.query(GOAL_LABELS, use_default_graph_as_union=True):
        literal = row["label"]
        found.setdefault(int(row["notation"].value), {}).setdefault(row["kind"].value, []).append(
            (literal.value, literal.language or "")
        )
    names = {}
    for goal, kinds in found.items():
        chosen = pick_label(kinds.get("short", []), lang) or pick_label(
            kinds.get("title", []), lang
        )
        if chosen:
            names[goal] = chosen
    return names


def goal_order(code: str) -> tuple[int, int, str]:
    """Sort key of an SDG target code in numeric order: 1.1 < 1.10 < 1.a < 2.1."""
    goal, _, part = code.partition(".")
    return (int(goal), int(part) if part.isdigit() else 100, part)


@dataclass
class Matrix:
    edition: str
    rows: list[str]  # action lines
    columns: list[int]  # SDG goals 1..17
    counts: dict[tuple[str, int], int]
    names: dict[int, tuple[str, str]] = field(default_factory=dict)
    without_sdg: list[str] = field(default_factory=list)  # editions with no SDG link


def matrix_data(
    store: Any, queries: dict[str, CannedQuery], edition: str, lang: str = "en"
) -> Matrix:
    query = queries["sdg-coverage-matrix"]
    results = run("oxigraph", store, query.text, bind(query, {"edition": edition}))
    counts = {
        (r["actionLine"][1], int(r["goalNumber"][1])): int(r["entries"][1]) for r in results.rows
    }
    lines = sorted({line for line, _ in counts}, key=lambda c: int(c[1:]))
    known = editions("oxigraph", store)
    if not lines:
        why = " (it was printed without an SDG column)" if edition in known.without_sdg else ""
        raise UsageError(f"edition {edition!r} has no SDG links to draw{why}")
    without = [e for e in known.order if e in known.without_sdg]
    return Matrix(edition, lines, list(range(1, 18)), counts, goal_names(store, lang), without)


@dataclass
class Targets:
    edition: str
    counts: dict[str, int]  # target code -> entries citing it
    whole_goal_entries: int  # entries linked to a whole goal (not drawn)
    names: dict[int, tuple[str, str]] = field(default_factory=dict)


WHOLE_GOAL_ENTRIES = query_text("whole-goal-entries")


def target_data(
    store: Any, queries: dict[str, CannedQuery], edition: str, lang: str = "en"
) -> Targets:
    query = queries["most-cited-sdg-targets"]
    results = run("oxigraph", store, query.text, bind(query, {"edition": edition}))
    counts = {r["target"][1]: int(r["entries"][1]) for r in results.rows}
    if not counts:
        without = editions("oxigraph", store).without_sdg
        why = " (it was printed without an SDG column)" if edition in without else ""
        raise UsageError(f"edition {edition!r} has no SDG target links to draw{why}")
    whole = {
        row["edition"].value: int(row["n"].value)
        for row in store.query(WHOLE_GOAL_ENTRIES, use_default_graph_as_union=True)
    }
    return Targets(edition, counts, whole.get(edition, 0), goal_names(store, lang))


@dataclass
class Trend:
    action_line: str
    editions: list[str]  # editions with an SDG column
    counts: dict[str, dict[int, int]]  # edition -> goal -> entries
    # (older, newer) -> goal -> kind (added | removed) -> ["B4 11.5", ...]
    changes: dict[tuple[str, str], dict[int, dict[str, list[str]]]]
    left_out: list[str]  # editions without SDG links
    names: dict[int, tuple[str, str]] = field(default_factory=dict)


def trend_data(
    store: Any,
    queries: dict[str, CannedQuery],
    action_line: str,
    lang: str = "en",
    diffs: dict[tuple[str, str], Any] | None = None,
) -> Trend:
    """Entries linked per goal in each edition, and the SDG target and goal links
    added and removed between consecutive editions, from :func:`edition_diff`
    (or from ``diffs``, the diffs of whole editions already computed). Whole editions
    are compared: the action line may be missing from one of two editions."""
    from wsiskg.views.diff import edition_diff

    query = queries["sdg-coverage-matrix"]
    results = run("oxigraph", store, query.text, bind(query, {}))
    counts: dict[str, dict[int, int]] = {}
    all_editions: set[str] = set()
    for r in results.rows:
        all_editions.add(r["editionId"][1])
        if r["actionLine"][1] == action_line:
            counts.setdefault(r["editionId"][1], {})[int(r["goalNumber"][1])] = int(r["entries"][1])
    if not counts:
        raise UsageError(f"action line {action_line!r} has no SDG links in any edition")
    order = editions("oxigraph", store).order
    drawn = [e for e in order if e in all_editions]
    left_out = [e for e in order if e not in all_editions]
    changes: dict[tuple[str, str], dict[int, dict[str, list[str]]]] = {}
    for older, newer in zip(drawn, drawn[1:], strict=False):
        per_goal: dict[int, dict[str, list[str]]] = {}
        found = (
            diffs[(older, newer)]
            if diffs and (older, newer) in diffs
            else edition_diff(store, older, newer)
        )
        for change in (c for c in found.changes if c.action_line == action_line):
            if change.aspect == "SDG targets":
                goal = int(change.detail.split(".")[0])
                what = f"{change.outcome} {change.detail}"
            elif change.aspect == "SDG goals":
                goal, what = int(change.detail), f"{change.outcome} (goal)"
            else:
                continue
            per_goal.setdefault(goal, {}).setdefault(change.kind, []).append(what)
        changes[(older, newer)] = per_goal
    return Trend(action_line, drawn, counts, changes, left_out, goal_names(store, lang))


# -- drawing ----------------------------------------------------------------------------


def _plt() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams["svg.hashsalt"] = "wsiskg"  # stable ids in SVG output
    plt.rcParams["font.family"] = "DejaVu Sans"
    return plt


def _goal_label(names: dict[int, tuple[str, str]], goal: int, width: int) -> str:
    # French puts a space inside « »: keep the marks with their word
    name = names.get(goal, ("", ""))[0].replace("« ", "«\u00a0").replace(" »", "\u00a0»")
    lines = textwrap.wrap(name, width, break_long_words=False, break_on_hyphens=False)
    return f"{goal}\n" + "\n".join(lines) if name else str(goal)


def _caption(fig: Any, text: str) -> None:
    fig.text(
        0.01,
        0.01,
        "\n".join(textwrap.wrap(text, 170)),
        ha="left",
        va="bottom",
        fontsize=8.5,
        color="#333333",
    )


def _integer_axis(axis: Any) -> None:
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True))


def _goal_header(
    ax: Any, names: dict[int, tuple[str, str]], goals: list[int], y: float, height: float
) -> None:
    """Coloured boxes above the columns, one per goal, with its number and name."""
    from matplotlib.patches import Rectangle

    for j, goal in enumerate(goals):
        ax.add_patch(
            Rectangle(
                (j - 0.5, y),
                1,
                height,
                color=GOAL_COLOURS[goal],
                clip_on=False,
                transform=ax.transData,
            )
        )
        ax.text(
            j,
            y + height / 2,
            _goal_label(names, goal, 11),
            ha="center",
            va="center",
            color="white",
            fontsize=7,
            fontweight="bold",
            clip_on=False,
        )


def draw_matrix(matrix: Matrix) -> Any:
    plt = _plt()
    fig, ax = plt.subplots(figsize=(14, 3.2 + 0.55 * len(matrix.rows)), dpi=110)
    values = [[matrix.counts.get((row, col), 0) for col in matrix.columns] for row in matrix.rows]
    top = max(max(row) for row in values) or 1
    image = ax.imshow(values, cmap="Blues", aspect="auto", vmin=0, vmax=top)
    ax.set_xticks(range(len(matrix.columns)), [""] * len(matrix.columns))
    ax.tick_params(axis="x", length=0)
    ax.set_yticks(range(len(matrix.rows)), [f"Action line {r}" for r in matrix.rows])
    for i, row in enumerate(values):
        for j, value in enumerate(row):
            ax.text(
                j,
                i,
                str(value) if value else "·",
                ha="center",
                va="center",
                color="white" if value > top / 2 else "black",
                fontsize=10,
            )
    rows = len(matrix.rows)
    _goal_header(
        ax, matrix.names, matrix.columns, -0.5 - 1.3 * max(1.0, rows / 4), 1.25 * max(1.0, rows / 4)
    )
    ax.set_ylim(rows - 0.5, -0.5)
    ax.set_title(f"Roadmap entries linked to each SDG, edition {matrix.edition}", pad=95)
    bar = fig.colorbar(image, ax=ax, label="entries", fraction=0.025, pad=0.01)
    _integer_axis(bar.ax.yaxis)
    _caption(
        fig,
        "Each cell counts the entries of the action line linked to the goal, "
        "whole or through one of its targets; an entry linked to several targets of a "
        "goal counts once; · = none. Action lines with no SDG link in this edition are "
        "not drawn"
        + (
            f", nor is the {', '.join(matrix.without_sdg)} edition: it was printed without "
            "an SDG column."
            if matrix.without_sdg
            else "."
        ),
    )
    fig.subplots_adjust(left=0.09, right=0.97, top=0.62 if rows < 4 else 0.7, bottom=0.2)
    return fig


def draw_targets(targets: Targets) -> Any:
    from matplotlib.patches import Rectangle

    from wsiskg.ingest.cells import SDG_TARGETS

    plt = _plt()
    by_goal: dict[int, list[str]] = {}
    for code in sorted(SDG_TARGETS, key=goal_order):
        by_goal.setdefault(int(code.split(".")[0]), []).append(code)
    width = max(len(codes) for codes in by_goal.values())
    fig, ax = plt.subplots(figsize=(15, 9.5), dpi=110)
    reached = 0
    for goal, codes in by_goal.items():
        y = goal - 1
        for x, code in enumerate(codes):
            count = targets.counts.get(code, 0)
            reached += bool(count)
            colour = GOAL_COLOURS[goal]
            ax.add_patch(
                Rectangle(
                    (x + 0.04, y + 0.06),
                    0.92,
                    0.88,
                    facecolor=colour if count else "white",
                    edgecolor=colour,
                    linewidth=1.2,
                )
            )
            ax.text(
                x + 0.5,
                y + 0.36,
                code,
                ha="center",
                va="center",
                fontsize=7.5,
                color="white" if count else "#666666",
                fontweight="bold" if count else "normal",
            )
            if count:
                ax.text(
                    x + 0.5,
                    y + 0.72,
                    str(count),
                    ha="center",
                    va="center",
                    fontsize=9,
                    color="white",
                    fontweight="bold",
                )
    ax.set_xlim(0, width)
    ax.set_ylim(17, 0)
    ax.set_yticks(
        [g - 0.5 for g in by_goal],
        [f"{g} {targets.names.get(g, ('', ''))[0]}" for g in by_goal],
        fontsize=9,
    )
    for label, goal in zip(ax.get_yticklabels(), by_goal, strict=True):
        label.set_color(GOAL_COLOURS[goal])
        label.set_fontweight("bold")
    ax.set_xticks([])
    for side in ("top", "right", "bottom", "left"):
        ax.spines[side].set_visible(False)
    ax.set_title(
        f"SDG targets cited by roadmap entries, edition {targets.edition}: "
        f"{reached} of {len(SDG_TARGETS)} targets reached",
        fontsize=13,
    )
    _caption(
        fig,
        "One box per target in the official order (numbered targets, then the "
        "means of implementation a, b, c); a filled box is a target cited by at least "
        "one entry, the number under the code the entries citing it. Left out: the "
        f"{targets.whole_goal_entries} entries of this edition linked to a whole goal "
        "(they cite no target; see the matrix) and the 2010 edition, printed without "
        "an SDG column.",
    )
    fig.subplots_adjust(left=0.24, right=0.99, top=0.95, bottom=0.08)
    return fig


def draw_trend(trend: Trend) -> Any:
    plt = _plt()
    transitions = list(trend.changes)
    ratios = [1.0 if trend.changes[t] else 0.35 for t in transitions]
    fig, axes = plt.subplots(
        1 + len(transitions),
        1,
        dpi=110,
        squeeze=False,
        figsize=(14, 4.6 + 2.9 * sum(ratios)),
        gridspec_kw={"height_ratios": [1.6, *ratios]},
    )
    goals = list(range(1, 18))
    top = axes[0][0]
    values = [[trend.counts.get(e, {}).get(g, 0) for g in goals] for e in trend.editions]
    peak = max(max(row) for row in values) or 1
    top.imshow(values, cmap="Blues", aspect="auto", vmin=0, vmax=peak)
    for i, row in enumerate(values):
        for j, value in enumerate(row):
            top.text(
                j,
                i,
                str(value) if value else "·",
                ha="center",
                va="center",
                color="white" if value > peak / 2 else "black",
                fontsize=10,
            )
    top.set_yticks(range(len(trend.editions)), trend.editions)
    top.set_xticks(range(17), [""] * 17)
    top.tick_params(axis="x", length=0)
    rows = len(trend.editions)
    _goal_header(
        top, trend.names, goals, -0.5 - 1.25 * max(1.0, rows / 4), 1.2 * max(1.0, rows / 4)
    )
    top.set_ylim(rows - 0.5, -0.5)
    top.set_title(
        f"Action line {trend.action_line}: entries linked to each SDG, per edition",
        loc="left",
        fontsize=12,
        pad=80,
    )
    for (older, newer), ax in zip(transitions, [row[0] for row in axes[1:]], strict=True):
        per_goal = trend.changes[(older, newer)]
        if not per_goal:
            ax.set_axis_off()
            ax.text(
                0,
                0.5,
                f"From {older} to {newer}: no SDG target or goal link added or removed.",
                fontsize=11,
                transform=ax.transAxes,
                va="center",
            )
            continue
        added = [len(per_goal.get(g, {}).get("added", [])) for g in goals]
        removed = [-len(per_goal.get(g, {}).get("removed", [])) for g in goals]
        ax.bar(
            goals,
            added,
            color=[GOAL_COLOURS[g] for g in goals],
            edgecolor="black",
            linewidth=0.5,
            label="added",
        )
        ax.bar(
            goals,
            removed,
            color=[GOAL_COLOURS[g] for g in goals],
            edgecolor="black",
            linewidth=0.5,
            hatch="///",
            label="removed",
        )
        ax.axhline(0, color="black", linewidth=0.8)
        span = max([*added, *(-r for r in removed), 1])
        ax.set_ylim(-span * 1.45 - 0.5, span * 1.45 + 0.5)
        _integer_axis(ax.yaxis)
        ax.set_yticks(
            [t for t in ax.get_yticks() if float(t).is_integer()],
            [str(abs(int(t))) for t in ax.get_yticks() if float(t).is_integer()],
        )
        ax.set_xticks(goals, [str(g) for g in goals])
        ax.set_xlim(0.4, 17.6)
        ax.set_ylabel("removed        added", fontsize=8)
        for goal in goals:
            for kind, sign in (("added", 1), ("removed", -1)):
                listed = per_goal.get(goal, {}).get(kind, [])
                if listed:
                    shown = ", ".join(listed) if len(listed) <= 2 else str(len(listed))
                    ax.text(
                        goal,
                        sign * (len(listed) + span * 0.06),
                        "\n".join(textwrap.wrap(shown, 12)),
                        ha="center",
                        va="bottom" if sign > 0 else "top",
                        fontsize=7.5,
                    )
        ax.set_title(
            f"SDG links added and removed from {older} to {newer} "
            f"({sum(added)} added, {-sum(removed)} removed)",
            loc="left",
            fontsize=11,
        )
        ax.set_xlabel("SDG goal", fontsize=8)
    left = (
        f"The {', '.join(trend.left_out)} edition is left out: it was printed without "
        "an SDG column. "
        if trend.left_out
        else ""
    )
    _caption(
        fig,
        left + "Top: entries linked to the goal, whole or through a target. "
        "Below: links to targets (and to whole goals) of outcomes printed in both "
        "editions, as `wsiskg diff` lists them, labelled with the outcome and the target "
        "((goal) for a whole goal), or with their number where there are more than two; "
        "hatched bars are removals. A target dropped leaves "
        "the count above unchanged while another target of the goal stays linked. "
        "Outcomes printed in only one edition are not counted as changes.",
    )
    fig.subplots_adjust(
        left=0.1,
        right=0.98,
        top=1 - 1.45 / fig.get_figheight(),
        bottom=1.15 / fig.get_figheight(),
        hspace=0.55,
    )
    return fig


def save(fig: Any, path: Path, into: dict[str, bytes] | None = None) -> Path:
    """Write PNG, SVG or PDF (by suffix) through a temporary file and a rename,
    without dates in the file, so the same picture gives the same bytes. With
    ``into``, keep the bytes there under the file's name instead of writing."""
    import io

    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise UsageError(f"{path.name}: the picture must be .png, .svg or .pdf")
    metadata: dict[str, Any] = {
        "png": {"Software": None},
        "svg": {"Date": None, "Creator": None},
        "pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None},
    }[suffix[1:]]
    try:
        if into is not None:
            buffer = io.BytesIO()
            fig.savefig(
                buffer,
                format=suffix[1:],
                metadata=metadata,
                **({"pil_kwargs": {"compress_level": 3}} if suffix == ".png" else {}),
            )
            into[path.name] = buffer.getvalue()
            return path
        folder = path.parent if str(path.parent) else Path(".")
        folder.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=folder)
        os.close(handle)
        try:
            fig.savefig(tmp, format=suffix[1:], metadata=metadata)
            os.chmod(tmp, 0o644)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise WsiskgError(f"cannot write the picture: {exc.strerror}", path=path) from None
    finally:
        import matplotlib.pyplot as plt

        plt.close(fig)
    return path


KINDS = ("matrix", "targets", "trend")


def plot(
    layout: Layout,
    kind: str,
    output: Path,
    *,
    edition: str = "2019",
    action_line: str = "C5",
    lang: str = "en",
    store_dir: Path | None = None,
) -> Path:
    """Draw ``kind`` (matrix or targets of an edition, the trend of an action line)
    from the embedded store into ``output`` (.png, .svg or .pdf). An edition or
    action line the graph does not hold is refused with the ones it holds."""
    from wsiskg.store.embedded import open_embedded

    check_language(lang)
    if kind not in KINDS:
        raise UsageError(f"unknown picture {kind!r} (choose {', '.join(KINDS)})")
    if output.suffix.lower() not in FORMATS:
        raise UsageError(f"{output.name}: the picture must be .png, .svg or .pdf")
    store = open_embedded(layout, store_dir)
    queries = load_queries(layout.queries)
    holds = held("oxigraph", store)
    if kind == "trend":
        holds.require("action-line", action_line, f"--action-line {action_line}")
        figure = draw_trend(trend_data(store, queries, action_line, lang))
    else:
        holds.require("edition", edition, f"--edition {edition}")
        figure = (
            draw_matrix(matrix_data(store, queries, edition, lang))
            if kind == "matrix"
            else draw_targets(target_data(store, queries, edition, lang))
        )
    return save(figure, output)
