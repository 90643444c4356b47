"""Build hook: the wheel carries the repository's read-only files as package data.

The ontology, shapes, canned queries, reference data and built graph live at
the top of the repository, where maintainers edit and build them; at wheel
build time they are copied into ``wsiskg/_data/`` (the same relative layout),
so they are not kept twice in git. Metadata is in pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
# keep in step with wsiskg.paths.SHIPPED
SHIPPED = ("ontology", "shapes", "queries", "data/reference", "data/kg")


class BuildWithData(build_py):
    """build_py, then the shipped folders into the package (not for editable
    installs, which read them from the checkout)."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "wsiskg" / "_data"
        shutil.rmtree(target, ignore_errors=True)
        for folder in SHIPPED:
            source = HERE / folder
            if not source.is_dir():
                raise SystemExit(f"cannot build the wheel: {folder}/ is missing")
            shutil.copytree(source, target / folder,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".*"))


setup(cmdclass={"build_py": BuildWithData})
