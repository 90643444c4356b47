"""Where the project's files live, in either of the two modes.

*Maintainer's checkout*: the folder holding ``data/sources/registry.yaml``,
taken from ``$WSISKG_ROOT`` when set, else found by walking up from the
current directory, else the checkout this package runs from (an editable
install). Everything is read from and written to that folder.

*Installed package*: a wheel carries the read-only files (ontology, shapes,
canned queries, reference data and the built graph) as package data under
``wsiskg/_data/``, read through :mod:`importlib.resources`; the embedded
store goes to a per-user cache folder (``$XDG_CACHE_HOME/wsiskg/VERSION``,
by default ``~/.cache/wsiskg/VERSION``). Nothing depends on the current folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from wsiskg.errors import DataError

REGISTRY = Path("data/sources/registry.yaml")
# the folders a wheel carries, relative to the checkout and to the package data
PACKAGE_DATA = "_data"
SHIPPED = ("ontology", "shapes", "queries", "data/reference", "data/kg")


@dataclass(frozen=True)
class Layout:
    """The project's folders. ``root`` holds what a maintainer's checkout has
    (sources, curation) and where state goes (the embedded store); ``data_root``,
    when given, holds the read-only files instead (the installed package data)."""

    root: Path
    data_root: Path | None = None

    @property
    def installed(self) -> bool:
        """True when the read-only files come from the installed package."""
        return self.data_root is not None

    @property
    def _data(self) -> Path:
        return self.data_root if self.data_root is not None else self.root

    @property
    def sources(self) -> Path:
        return self.root / "data" / "sources"

    @property
    def registry(self) -> Path:
        return self.root / REGISTRY

    @property
    def curation(self) -> Path:
        return self.root / "data" / "curation"

    @property
    def reference(self) -> Path:
        return self._data / "data" / "reference"

    @property
    def kg(self) -> Path:
        return self._data / "data" / "kg"

    @property
    def ontology(self) -> Path:
        return self._data / "ontology"

    @property
    def shapes(self) -> Path:
        return self._data / "shapes"

    @property
    def queries(self) -> Path:
        return self._data / "queries"

    def describe(self) -> str:
        """Where the data comes from, for people."""
        if self.installed:
            return f"installed package data at {self._data}"
        return f"checkout at {self.root}"


def package_data() -> Path | None:
    """The folder of the installed package data, or None (a checkout has none)."""
    folder = resources.files("wsiskg").joinpath(PACKAGE_DATA)
    if not folder.is_dir():
        return None
    if not isinstance(folder, Path):  # pragma: no cover - only for zipped installs
        raise DataError(
            "the installed package data is not on the file system "
            "(install the wheel unzipped, as pip does)"
        )
    return folder


def cache_folder() -> Path:
    """Where an installed package keeps its state (the embedded store)."""
    from wsiskg import __version__

    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "wsiskg" / __version__


def _checkout_above(start: Path) -> Path | None:
    here = start.resolve()
    for folder in (here, *here.parents):
        if (folder / REGISTRY).is_file():
            return folder
    return None


def find_root(start: Path | None = None) -> Path:
    """The maintainer's checkout (see the module's description); raises when none."""
    env = os.environ.get("WSISKG_ROOT")
    if env:
        return Path(env)
    found = _checkout_above(start or Path.cwd())
    if found is None:
        found = _checkout_above(Path(__file__).resolve().parents[2])
    if found is None:
        raise DataError(
            "no maintainer's checkout found (no data/sources/registry.yaml here "
            "or above; set $WSISKG_ROOT or --root)"
        )
    return found


def default_layout(start: Path | None = None) -> Layout:
    """$WSISKG_ROOT, a checkout at or above the current folder, the installed
    package data, or the checkout this package runs from, in that order."""
    env = os.environ.get("WSISKG_ROOT")
    if env:
        return Layout(Path(env))
    found = _checkout_above(start or Path.cwd())
    if found is not None:
        return Layout(found)
    shipped = package_data()
    if shipped is not None:
        return Layout(cache_folder(), shipped)
    return Layout(find_root(start))
