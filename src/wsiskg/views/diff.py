"""Edition diff, built on SPARQL queries over the graph (not on parsed records).

For two editions A and B: the outcomes only one of them prints; for outcomes
in both, the SDG goals and targets, resolutions and strategic goals added and
removed, timings that changed, and changes in the number of results and
activities; and a summary line per action line.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from wsiskg import iris
from wsiskg.errors import UsageError
from wsiskg.store.queries import internal_query

# the queries behind the diff, in wsiskg/sparql/ (tested like queries/)
OUTCOMES_ONLY_IN = "diff-outcomes-only-in"
LINKS_ADDED = "diff-links-added"  # links of one kind in B, absent in A
TIMING_CHANGED = "diff-timing-changed"
ITEM_TEXTS = "diff-item-texts"
COUNTS = "diff-item-counts"

LINKS = {
    "SDG goals": str(iris.WSIS.linkedSDGGoal),
    "SDG targets": str(iris.WSIS.linkedSDGTarget),
    "resolutions": str(iris.WSIS.citesResolution),
    "strategic goals": str(iris.WSIS.citesStrategicGoal),
}
COUNTED = {
    "results": str(iris.WSIS.hasExpectedResult),
    "activities": str(iris.WSIS.hasActivity),
}


@dataclass
class Change:
    action_line: str
    outcome: str
    aspect: str  # outcome | SDG goals | ... | timing | results | activities
    kind: str  # added | removed | changed
    detail: str


@dataclass
class EditionDiff:
    edition_a: str
    edition_b: str
    changes: list[Change] = field(default_factory=list)

    def summary(self) -> dict[str, Counter_t]:
        found: dict[str, Counter_t] = {}
        for change in self.changes:
            key = f"{change.aspect} {change.kind}"
            found.setdefault(change.action_line, {}).setdefault(key, 0)
            found[change.action_line][key] += 1
        return found


Counter_t = dict[str, int]


def _rows(store: Any, name: str, bindings: dict[str, Any]) -> list[dict[str, str]]:
    from pyoxigraph import Variable

    solutions = store.query(
        internal_query(name).text,
        substitutions={Variable(k): v for k, v in bindings.items()},
        use_default_graph_as_union=True,
    )
    names = [v.value for v in solutions.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in solutions]


def edition_diff(
    store: Any, edition_a: str, edition_b: str, action_line: str | None = None
) -> EditionDiff:
    from pyoxigraph import NamedNode

    if action_line is not None and not re.fullmatch(r"C([1-9]|1[01])", action_line):
        raise UsageError(f"--action-line {action_line!r}: expected C1 to C11")
    held: dict[str, set[str]] = {}
    for row in _rows(store, "editions", {}):
        held.setdefault(row["id"], set()).update([row["actionLine"]] if "actionLine" in row else [])
    for edition in (edition_a, edition_b):
        if edition not in held:
            raise UsageError(f"no edition {edition!r} (known: {', '.join(sorted(held))})")
    lines = held[edition_a] | held[edition_b]
    if action_line is not None and action_line not in lines:
        raise UsageError(
            f"no action line {action_line!r} in {edition_a} or {edition_b} "
            f"(known: {', '.join(sorted(lines, key=lambda a: int(a[1:])))})"
        )
    a, b = NamedNode(str(iris.edition(edition_a))), NamedNode(str(iris.edition(edition_b)))
    diff = EditionDiff(edition_a, edition_b)
    for this, that, kind in ((b, a, "added"), (a, b, "removed")):
        for row in _rows(store, OUTCOMES_ONLY_IN, {"this": this, "that": that}):
            diff.changes.append(
                Change(
                    row["actionLine"],
                    row["outcome"],
                    "outcome",
                    kind,
                    "printed only in " + (edition_b if kind == "added" else edition_a),
                )
            )
    for aspect, link in LINKS.items():
        for this, that, kind in ((a, b, "added"), (b, a, "removed")):
            for row in _rows(
                store, LINKS_ADDED, {"this": this, "that": that, "link": NamedNode(link)}
            ):
                diff.changes.append(
                    Change(row["actionLine"], row["outcome"], aspect, kind, row["value"])
                )
    for row in _rows(store, TIMING_CHANGED, {"this": a, "that": b}):
        diff.changes.append(
            Change(
                row["actionLine"],
                row["outcome"],
                "timing",
                "changed",
                f"{row['before']} -> {row['after']}",
            )
        )
    for aspect, link in COUNTED.items():
        texts: dict[str, dict[tuple[str, str], dict[str, str]]] = {}
        for side, edition_node in (("a", a), ("b", b)):
            found: dict[tuple[str, str], dict[str, str]] = {}
            for row in _rows(store, ITEM_TEXTS, {"this": edition_node, "link": NamedNode(link)}):
                norm = re.sub(r"[^a-z0-9]", "", row["value"].lower())
                found.setdefault((row["actionLine"], row["outcome"]), {})[norm] = row["value"]
            texts[side] = found
        label = {"results": "result text", "activities": "activity text"}[aspect]
        for pair in sorted(set(texts["a"]) & set(texts["b"])):
            before_texts, after_texts = texts["a"][pair], texts["b"][pair]
            for norm in sorted(set(after_texts) - set(before_texts)):
                diff.changes.append(Change(pair[0], pair[1], label, "added", after_texts[norm]))
            for norm in sorted(set(before_texts) - set(after_texts)):
                diff.changes.append(Change(pair[0], pair[1], label, "removed", before_texts[norm]))
        before = {
            (r["actionLine"], r["outcome"]): int(r["n"])
            for r in _rows(store, COUNTS, {"this": a, "link": NamedNode(link)})
        }
        after = {
            (r["actionLine"], r["outcome"]): int(r["n"])
            for r in _rows(store, COUNTS, {"this": b, "link": NamedNode(link)})
        }
        for key in sorted(set(before) & set(after)):
            if before[key] != after[key]:
                diff.changes.append(
                    Change(key[0], key[1], aspect, "changed", f"{before[key]} -> {after[key]}")
                )
    if action_line:
        diff.changes = [c for c in diff.changes if c.action_line == action_line]
    diff.changes.sort(
        key=lambda c: (c.action_line, _outcome_order(c.outcome), c.aspect, c.kind, c.detail)
    )
    return diff


def _outcome_order(key: str) -> tuple[int, str]:
    return (1 if key.startswith("wsis10-") else 0, key)


def render_diff(diff: EditionDiff, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(
            {
                "editionA": diff.edition_a,
                "editionB": diff.edition_b,
                "summary": diff.summary(),
                "changes": [c.__dict__ for c in diff.changes],
            },
            indent=2,
            ensure_ascii=False,
        )
    lines = []
    if fmt == "markdown":
        lines.append(f"# Changes from {diff.edition_a} to {diff.edition_b}\n")
        lines.append("| action line | outcome | aspect | change | detail |")
        lines.append("|---|---|---|---|---|")
        for c in diff.changes:
            detail = c.detail.replace("|", "\\|")
            lines.append(f"| {c.action_line} | {c.outcome} | {c.aspect} | {c.kind} | {detail} |")
        lines.append("")
    else:
        lines.append(f"changes from {diff.edition_a} to {diff.edition_b}")
        for c in diff.changes:
            lines.append(
                f"{c.action_line:<4} {c.outcome:<10} {c.aspect:<16} {c.kind:<8} {c.detail}"
            )
    for action_line, counts in sorted(diff.summary().items()):
        parts = ", ".join(f"{v} {k}" for k, v in sorted(counts.items()))
        prefix = "- " if fmt == "markdown" else ""
        lines.append(f"{prefix}{action_line}: {parts}")
    if not diff.changes:
        lines.append("no differences")
    return "\n".join(lines)
