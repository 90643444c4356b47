"""The source registry: which documents the graph is built from.

Each source is checked against the SHA-256 recorded in
``data/sources/registry.yaml`` before it is read; a changed, missing or
undecodable file is refused with a message naming it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import SourceError

LAYOUTS = ("tab-table", "pdf-flow", "action-plan")


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
class Source:
    """One registered source document."""

    id: str
    path: Path
    title: str
    date: str
    layout: str
    sha256: str
    edition: EditionInfo | None
    plan: str | None = None     # the action plan a source of layout action-plan carries

    def digest(self) -> str:
        return hashlib.sha256(self.path.read_bytes()).hexdigest()

    def verify(self) -> None:
        """Refuse a missing or changed file."""
        if not self.path.is_file():
            raise SourceError(
                f"source {self.id!r} is missing", path=self.path,
                hint="restore the file from the repository (git checkout -- data/sources)")
        actual = self.digest()
        if actual != self.sha256:
            raise SourceError(
                f"source {self.id!r} has changed: SHA-256 {actual} "
                f"differs from the registry's {self.sha256}",
                path=self.path,
                hint="if the change is deliberate, record the new digest in "
                     "data/sources/registry.yaml and review data/curation/")

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
            path=path, line=line,
            hint="sources are UTF-8; convert the file (e.g. iconv -t UTF-8)") from None
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
        raise SourceError(f"registry is not valid YAML: {exc}", path=registry,
                          line=mark.line + 1 if mark else None) from None
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
            raise SourceError(f"unknown layout {layout!r} (known: {', '.join(LAYOUTS)})",
                              path=registry)
        edition = None
        if item.get("edition"):
            e = item["edition"]
            edition = EditionInfo(
                id=str(e["id"]), title=str(e["title"]), draft=bool(e["draft"]),
                action_lines=tuple(str(a) for a in e["action_lines"]),
                strategic_plan=str(e["strategic_plan"]),
                revision_of=str(e["revision_of"]) if e.get("revision_of") else None)
        return Source(id=str(item["id"]), path=folder / str(item["file"]),
                      title=str(item["title"]), date=str(item["date"]), layout=layout,
                      sha256=str(item["sha256"]).lower(), edition=edition,
                      plan=str(item["plan"]) if item.get("plan") else None)
    except (KeyError, TypeError) as exc:
        raise SourceError(f"registry entry is incomplete ({exc}): {item!r}",
                          path=registry) from None
