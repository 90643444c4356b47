"""Outcome labels ("A:", "B1:", "a.", "0.") and the sequence they follow.

Roadmap tables label their outcome rows in alphabetical sequence within a
section: ``A B C …``, ``A1 A2 B1 …`` or ``a b c …``. A label at the start of
the outcome cell begins a new row only where the sequence allows it, so
sub-points printed at the start of a line ("D3:" inside outcome D, "ii."
inside outcome b) stay inside their outcome. Misprints that OCR makes of a
label ("0." for o, "I." for l, "C." for c) are accepted where the sequence
calls for the letter they resemble, and reported as corrections.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_LABEL = re.compile(r"^\s*(?:<[^>]{0,200}>\s*)*([A-Za-z0-9])(\d?)\s*([.:])(?:\s+|$)")
_CONFUSABLE = {"0": "o", "I": "l", "1": "l", "|": "l"}
MAX_SKIP = 2


@dataclass(frozen=True)
class Label:
    printed: str  # the label token as printed ("A", "B1", "0")
    printed_full: str  # with its punctuation ("A:", "0.")
    rest: str  # the outcome cell after the label


def find_label(cell: str) -> Label | None:
    m = _LABEL.match(cell)
    if not m:
        return None
    token = m.group(1) + m.group(2)
    rest = cell[m.end() :].strip()
    rest = re.sub(r"^(?:</?[^>]{0,200}>\s*)+", "", rest) if rest.startswith("</") else rest
    return Label(token, token + m.group(3), rest)


def _next_letter(letter: str, step: int = 1) -> str | None:
    code = ord(letter) + step
    if letter.islower() and code <= ord("z"):
        return chr(code)
    if letter.isupper() and code <= ord("Z"):
        return chr(code)
    return None


@dataclass
class LabelSequence:
    """The labels accepted so far in one section of one action line."""

    previous: str | None = None
    strict: bool = False  # no misprint reading (a clean print)
    skipped: list[str] = field(default_factory=list)
    skipped_from: str | None = None

    def expected(self) -> list[str]:
        """Labels that may follow, nearest first (then skips, then numbered forms)."""
        p = self.previous
        if p is None:
            return ["A", "a", "A1"]
        letter, digits = p[0], p[1:]
        options: list[str] = []
        if digits:
            options.append(f"{letter}{int(digits) + 1}")
        for step in range(1, MAX_SKIP + 2):
            nxt = _next_letter(letter, step)
            if nxt is None:
                break
            options.append(nxt)
            if letter.isupper():
                options.append(f"{nxt}1")
        return options

    def accept(self, printed: str, section: str) -> tuple[str, bool] | None:
        """The outcome key for a printed label, and whether it was a misprint;
        None where the sequence does not allow a new row here."""
        options = self.expected()
        candidates = [printed]
        if len(printed) == 1 and not self.strict:
            if printed in _CONFUSABLE:
                candidates.append(_CONFUSABLE[printed])
            if self.previous is not None and self.previous[0].islower():
                candidates.append(printed.lower())
        for candidate in candidates:
            if candidate in options:
                self.skipped = self._skipped(candidate)
                self.skipped_from = self.previous
                self.previous = candidate
                key = f"wsis10-{candidate}" if section == "wsis10" else candidate
                return key, candidate != printed
        return None

    def _skipped(self, chosen: str) -> list[str]:
        if self.previous is None:
            return []
        gap = ord(chosen[0]) - ord(self.previous[0])
        return [chr(ord(self.previous[0]) + i) for i in range(1, gap)]
