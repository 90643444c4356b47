"""Where the project's files live.

The project root is the folder holding ``data/sources/registry.yaml``. It is
taken from ``$WSISKG_ROOT`` when set, else found by walking up from the
current directory, else the checkout this package was installed from.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REGISTRY = Path("data/sources/registry.yaml")


@dataclass(frozen=True)
class Layout:
    """The project's folders, relative to one root."""

    root: Path

    @property
    def sources(self) -> Path:
        return self.root / "data" / "sources"

    @property
    def registry(self) -> Path:
        return self.root / REGISTRY

    @property
    def reference(self) -> Path:
        return self.root / "data" / "reference"

    @property
    def curation(self) -> Path:
        return self.root / "data" / "curation"

    @property
    def kg(self) -> Path:
        return self.root / "data" / "kg"

    @property
    def ontology(self) -> Path:
        return self.root / "ontology"

    @property
    def shapes(self) -> Path:
        return self.root / "shapes"

    @property
    def queries(self) -> Path:
        return self.root / "queries"


def find_root(start: Path | None = None) -> Path:
    env = os.environ.get("WSISKG_ROOT")
    if env:
        return Path(env)
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / REGISTRY).is_file():
            return folder
    package_checkout = Path(__file__).resolve().parents[2]
    return package_checkout


def default_layout() -> Layout:
    return Layout(find_root())
