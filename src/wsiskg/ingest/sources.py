"""The source registry: which documents the graph is built from.

Each source is checked against the SHA-256 recorded in
``data/sources/registry.yaml`` before it is read; a changed, missing or
undecodable file is refused with a message naming it. Each source also
declares what a build must read from it (``yields``: per action line of an
edition, or for the whole action plan, the number of outcomes, results,
activities, links …); a build that reads more or less is refused. Both are
recorded by ``wsiskg sources accept ID`` (:func:`record_source`), never by
hand.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from wsiskg.errors import SourceError

LAYOUTS = ("tab-table", "pdf-flow", "action-plan")
# how a roadmap's results column is written: "Expected Results:" / "ITU
# Activities:" headings (or all results), or expected results followed by
# numbered activities "A1*: ..." with ITU's role (the 2010 edition)
RESULTS_NOTATIONS = ("headed", "numbered-activities")
# the reader options a registry entry may declare (``reader:``), by layout
READER_OPTIONS: dict[str, tuple[str, ...]] = {
    "tab-table": ("results",),
    "pdf-flow": ("results",),
    "action-plan": (),
}

# what a source yields: per part (an action line, or the plan) a count per kind
Yields = dict[str, dict[str, int]]


@dataclass(frozen=True)
class EditionInfo:
    """The roadmap edition that a source carries."""

    id: str
    title: str
    draft: bool
    action_lines: tuple[str, ...]
    strategic_plan: str
    revision_of: str | None


@dataclass(frozen=True)
class ReaderOptions:
    """What a source's registry entry tells its reader (``reader:``); what an
    edition does differently is declared here, never tested by edition id."""

    results: str = "headed"  # the notation of the results column: RESULTS_NOTATIONS


@dataclass(frozen=True)
class Source:
    """One registered source document."""

    id: str
    path: Path
    title: str
    date: str
    layout: str
    sha256: str
    edition: EditionInfo | None
    plan: str | None = None  # the action plan a source of layout action-plan carries
    yields: Yields | None = None  # what a build must read from it
    reader: ReaderOptions = ReaderOptions()  # what its reader is told

    def digest(self) -> str:
        return hashlib.sha256(self.path.read_bytes()).hexdigest()

    def verify(self) -> None:
        """Refuse a missing or changed file."""
        if not self.path.is_file():
            raise SourceError(
                f"source {self.id!r} is missing",
                path=self.path,
                hint="restore the file from the repository (git checkout -- data/sources)",
            )
        actual = self.digest()
        if actual != self.sha256:
            raise SourceError(
                f"source {self.id!r} has changed: SHA-256 {actual} "
                f"differs from the registry's {self.sha256}",
                path=self.path,
                hint=f"if the change is deliberate, run `wsiskg sources accept {self.id}` "
                "(it records the new digest and shows what changed) and review "
                "data/curation/",
            )

    def read_lines(self) -> list[str]:
        """The document's lines (1-based line n is element n-1), verified first."""
        self.verify()
        return decode_lines(self.path.read_bytes(), self.path)


def decode_lines(data: bytes, path: Path) -> list[str]:
    """Decode UTF-8 text into lines, naming the line of the first bad byte."""
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise SourceError("binary content (NUL byte): not a text document", path=path, line=line)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            path=path,
            line=line,
            hint="sources are UTF-8; convert the file (e.g. iconv -t UTF-8)",
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def load_registry(registry: Path) -> list[Source]:
    if not registry.is_file():
        raise SourceError("source registry is missing", path=registry)
    try:
        raw = yaml.safe_load(registry.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise SourceError(
            f"registry is not valid YAML: {exc}",
            path=registry,
            line=mark.line + 1 if mark else None,
        ) from None
    if not isinstance(raw, dict) or not isinstance(raw.get("sources"), list):
        raise SourceError("registry must have a list 'sources'", path=registry)
    folder = registry.parent
    sources = [_source(item, folder, registry) for item in raw["sources"]]
    ids = [s.id for s in sources]
    if len(set(ids)) != len(ids):
        raise SourceError("registry lists a source id twice", path=registry)
    return sources


def _source(item: Any, folder: Path, registry: Path) -> Source:
    try:
        layout = str(item["layout"])
        if layout not in LAYOUTS:
            raise SourceError(
                f"unknown layout {layout!r} (known: {', '.join(LAYOUTS)})", path=registry
            )
        edition = None
        if item.get("edition"):
            e = item["edition"]
            edition = EditionInfo(
                id=str(e["id"]),
                title=str(e["title"]),
                draft=bool(e["draft"]),
                action_lines=tuple(str(a) for a in e["action_lines"]),
                strategic_plan=str(e["strategic_plan"]),
                revision_of=str(e["revision_of"]) if e.get("revision_of") else None,
            )
        return Source(
            id=str(item["id"]),
            path=folder / str(item["file"]),
            title=str(item["title"]),
            date=str(item["date"]),
            layout=layout,
            sha256=str(item["sha256"]).lower(),
            edition=edition,
            plan=str(item["plan"]) if item.get("plan") else None,
            yields=_yields(item.get("yields"), registry),
            reader=_reader_options(item, layout, registry),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise SourceError(
            f"registry entry is incomplete ({exc}): {item!r}", path=registry
        ) from None


def _yields(raw: Any, registry: Path) -> Yields | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or not all(isinstance(v, dict) for v in raw.values()):
        raise SourceError("'yields' must map each part to its counts", path=registry)
    return {str(part): {str(k): int(v) for k, v in counts.items()} for part, counts in raw.items()}


def _reader_options(item: dict[str, Any], layout: str, registry: Path) -> ReaderOptions:
    raw = item.get("reader")
    if raw is None:
        return ReaderOptions()
    source_id = str(item.get("id"))
    line = registry_line(registry, source_id, "reader")
    if not isinstance(raw, dict):
        raise SourceError(
            f"source {source_id!r}: 'reader' must map option names to values",
            path=registry,
            line=line,
        )
    known = READER_OPTIONS[layout]
    unknown = sorted(str(k) for k in raw if k not in known)
    if unknown:
        raise SourceError(
            f"source {source_id!r}: unknown reader option(s) {', '.join(unknown)} "
            f"for layout {layout} (known: {', '.join(known) or 'none'})",
            path=registry,
            line=line,
        )
    results = str(raw.get("results", ReaderOptions.results))
    if results not in RESULTS_NOTATIONS:
        raise SourceError(
            f"source {source_id!r}: unknown results notation {results!r} "
            f"(known: {', '.join(RESULTS_NOTATIONS)})",
            path=registry,
            line=line,
        )
    return ReaderOptions(results=results)


def registry_line(registry: Path, source_id: str, key: str = "id") -> int | None:
    """The registry line of a source's entry (``key: id``) or of one of its keys."""
    lines = registry.read_text(encoding="utf-8").split("\n")
    start, end = _entry_span(lines, source_id)
    if start is None:
        return None
    if key == "id":
        return start + 1
    for index in range(start, end):
        if re.match(rf"\s+{re.escape(key)}:", lines[index]):
            return index + 1
    return start + 1


def _entry_span(lines: list[str], source_id: str) -> tuple[int | None, int]:
    start = None
    for index, line in enumerate(lines):
        found = re.match(r"  - id: *\"?([^\"\s]+)\"?\s*$", line)
        if found and start is not None:
            return start, index
        if found and found.group(1) == source_id:
            start = index
    return start, len(lines)


def render_yields(yields: Yields) -> list[str]:
    """The registry lines of a ``yields`` block (one flow mapping per part)."""
    out = ["    yields:    # what a build must read; recorded by `wsiskg sources accept`"]
    for part, counts in yields.items():
        inner = ", ".join(f"{kind}: {number}" for kind, number in counts.items())
        out.append(f"      {part}: {{{inner}}}")
    return out


def record_source(registry: Path, source_id: str, digest: str, yields: Yields) -> str:
    """The registry's text with a source's digest and yields replaced (comments and
    every other entry kept as written)."""
    lines = registry.read_text(encoding="utf-8").split("\n")
    start, end = _entry_span(lines, source_id)
    if start is None:
        raise SourceError(f"unknown source {source_id!r}", path=registry)
    entry = lines[start:end]
    kept: list[str] = []
    skipping = False
    for line in entry:
        if skipping and (line.startswith("      ") or not line.strip()):
            continue
        skipping = False
        if re.match(r"    yields:", line):
            skipping = True
            continue
        if re.match(r"    sha256:", line):
            line = f"    sha256: {digest}"
        kept.append(line)
    trailing: list[str] = []
    while kept and not kept[-1].strip():
        trailing.append(kept.pop())
    new_entry = kept + render_yields(yields) + trailing
    return "\n".join(lines[:start] + new_entry + lines[end:])
