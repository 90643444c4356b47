"""Outcome identity across editions.

The same WSIS outcome printed in several editions is one node,
``id/outcome/<action line>/<key>``. Where an outcome's wording changes
between consecutive editions beyond a similarity threshold, a person decides
from the text whether it is still the same outcome, and records the decision
in ``data/curation/outcomes.yaml``; the build stops on an undecided change,
and on a decision that no change calls for any more.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from wsiskg.errors import CurationError
from wsiskg.ingest.curation import IDENTITY_FILE as FILE
from wsiskg.ingest.records import Entry


@dataclass(frozen=True)
class Decision:
    id: str
    action_line: str
    label: str
    edition: str
    compared_with: str
    same: bool
    outcome_key: str
    reason: str


@dataclass
class Identity:
    threshold: float
    decisions: list[Decision]
    path: Path


def similarity(a: str, b: str) -> float:
    """Similarity of two wordings, ignoring case, punctuation and hyphenation."""

    def norm(text: str) -> str:
        text = re.sub(r"(\w)- (\w)", r"\1\2", text.lower())
        return re.sub(r"[^a-z0-9 ]", "", re.sub(r"\s+", " ", text))

    left, right = norm(a), norm(b)
    if left == right:
        return 1.0
    return difflib.SequenceMatcher(None, left, right, autojunk=False).ratio()


def load_identity(folder: Path) -> Identity:
    path = folder / FILE
    if not path.is_file():
        return Identity(0.75, [], path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise CurationError(
            f"not valid YAML: {exc}", path=path, line=mark.line + 1 if mark else None
        ) from None
    decisions = []
    for item in raw.get("decisions", []):
        try:
            same = {"same": True, "distinct": False}[item["decision"]]
            decisions.append(
                Decision(
                    id=str(item["id"]),
                    action_line=str(item["action_line"]),
                    label=str(item["label"]),
                    edition=str(item["edition"]),
                    compared_with=str(item["compared_with"]),
                    same=same,
                    outcome_key=str(item.get("outcome_key", item["label"])),
                    reason=str(item["reason"]),
                )
            )
        except KeyError as exc:
            raise CurationError(
                f"outcome decision {item.get('id', item)!r} lacks or misstates {exc}", path=path
            ) from None
        if not same and decisions[-1].outcome_key == decisions[-1].label:
            raise CurationError(
                f"outcome decision {item['id']!r}: a distinct outcome needs its own outcome_key",
                path=path,
            )
    return Identity(float(raw.get("threshold", 0.75)), decisions, path)


def apply_identity(editions: list[tuple[str, list[Entry]]], identity: Identity) -> list[str]:
    """Check consecutive editions (in revision order) for changed wordings and
    give each entry its outcome key. Returns a line per decision applied."""
    by_edition = {name: {(e.action_line, e.key): e for e in entries} for name, entries in editions}
    decided = {(d.edition, d.compared_with, d.action_line, d.label): d for d in identity.decisions}
    used: set[str] = set()
    applied: list[str] = []
    for (older, _), (newer, _) in zip(editions, editions[1:], strict=False):
        for key in sorted(set(by_edition[older]) & set(by_edition[newer])):
            score = similarity(by_edition[older][key].text, by_edition[newer][key].text)
            decision = decided.get((older, newer, *key)) or decided.get((newer, older, *key))
            if decision is not None:
                if score >= identity.threshold:
                    raise CurationError(
                        f"outcome decision {decision.id!r} is no longer needed: {key[0]} "
                        f"{key[1]} reads alike in {older} and {newer} ({score:.2f})",
                        path=identity.path,
                    )
                used.add(decision.id)
                entry = by_edition[decision.edition][key]
                entry.outcome_key = decision.outcome_key
                verdict = (
                    "same outcome"
                    if decision.same
                    else f"distinct outcome {key[0]}/{decision.outcome_key}"
                )
                applied.append(
                    f"{key[0]} {key[1]} in {decision.edition} vs "
                    f"{decision.compared_with} (similarity {score:.2f}): {verdict} "
                    f"[{decision.id}]"
                )
            elif score < identity.threshold:
                raise CurationError(
                    f"{key[0]} {key[1]} is worded differently in {older} and {newer} "
                    f"(similarity {score:.2f} < {identity.threshold}); decide from the text "
                    "whether it is the same outcome",
                    path=identity.path,
                    hint="add a decision (same or distinct, with a reason) to this file",
                )
    unused = [d.id for d in identity.decisions if d.id not in used]
    if unused:
        raise CurationError(
            f"outcome decisions that match no pair of editions: {', '.join(unused)}",
            path=identity.path,
        )
    return applied
