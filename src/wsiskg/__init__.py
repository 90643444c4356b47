"""wsiskg: the WSIS Roadmaps Knowledge Graph."""

from importlib import metadata

try:
    # the one place the version is written is pyproject.toml
    __version__ = metadata.version("wsiskg")
except metadata.PackageNotFoundError:  # pragma: no cover - run from sources not installed
    __version__ = "0+unknown"
