"""The contributors' pre-commit configuration (``.pre-commit-config.yaml``): the
gates of CONTRIBUTING.md, run with the project's virtual environment, and the
project's own ``wsiskg-validate`` hook on the built graph."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from typing import Any

import yaml

from .conftest import ROOT


def _config() -> dict[str, Any]:
    loaded = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def _hooks() -> dict[str, dict[str, Any]]:
    return {hook["id"]: hook for repo in _config()["repos"] for hook in repo["hooks"]}


def test_names_the_gates() -> None:
    """Verify that the configuration parses and runs ruff check, ruff format, mypy on
    src and tests, and wsiskg-validate, each a local hook of the project's venv."""
    config = _config()
    assert [repo["repo"] for repo in config["repos"]] == ["local"]
    hooks = _hooks()
    assert set(hooks) == {"ruff-check", "ruff-format", "mypy", "wsiskg-validate"}
    entries = {name: shlex.split(hook["entry"]) for name, hook in hooks.items()}
    assert entries["ruff-check"][:2] == [".venv/bin/ruff", "check"]
    assert entries["ruff-format"][:2] == [".venv/bin/ruff", "format"]
    assert entries["mypy"] == [".venv/bin/mypy", "src", "tests"]
    assert all(hook["language"] == "system" for hook in hooks.values())


def test_validate_hook_is_the_projects_own() -> None:
    """Verify that wsiskg-validate runs the command of .pre-commit-hooks.yaml, on the
    whole built graph whenever a file of data/kg changes, and nothing else."""
    declared = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    own = next(h for h in declared if h["id"] == "wsiskg-validate")
    hook = _hooks()["wsiskg-validate"]
    assert shlex.split(hook["entry"]) == [
        ".venv/bin/" + own["entry"].split()[0],
        *own["entry"].split()[1:],
    ]
    assert hook["pass_filenames"] is False
    for path in ("data/kg/2019.ttl", "data/kg/wsis.trig"):
        assert re.search(hook["files"], path)
    for path in ("data/reference/sdg.ttl", "shapes/integrity.ttl", "data/kg/README.md"):
        assert not re.search(hook["files"], path)


def test_validate_hook_passes_the_built_graph() -> None:
    """Verify that the validate hook's command exits 0 on the committed graph."""
    entry = shlex.split(_hooks()["wsiskg-validate"]["entry"])
    command = [sys.executable, "-m", "wsiskg", *entry[1:]]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith(("conforms", "no violations"))
