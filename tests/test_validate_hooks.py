"""The pre-commit hook and the CI workflow under docs/ci/ run their entry command on
a good and a broken file: exit 0 for the built edition graph, 1 when it is broken."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
WSISKG = [sys.executable, "-m", "wsiskg.cli"]


def _files(tmp_path: Path) -> tuple[Path, Path]:
    good = tmp_path / "2010.ttl"
    good.write_text((ROOT / "data/kg/2010.ttl").read_text(encoding="utf-8"), encoding="utf-8")
    broken = tmp_path / "broken.ttl"
    text = good.read_text(encoding="utf-8")
    broken.write_text(
        re.sub(r'wsis:editionId "2010"', 'wsis:editionId "x y"', text, count=1).replace(
            "wsis:edition ", "wsis:editionX ", 1
        ),
        encoding="utf-8",
    )
    return good, broken


def _run(entry: list[str], path: Path, tmp_path: Path) -> int:
    assert entry[0] == "wsiskg"
    command = [
        sys.executable,
        "-c",
        "import sys; from wsiskg.cli import main; sys.argv[0] = 'wsiskg'; main()",
        *entry[1:],
        str(path),
    ]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True).returncode


def test_pre_commit_hook(tmp_path: Path) -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "wsiskg-validate")
    assert re.search(hook["files"], "data/kg/2010.ttl")
    good, broken = _files(tmp_path)
    entry = shlex.split(hook["entry"])
    assert _run(entry, good, tmp_path) == 0
    assert _run(entry, broken, tmp_path) == 1


def test_ci_workflow(tmp_path: Path) -> None:
    workflow = yaml.safe_load(
        (ROOT / "docs/ci/github-actions-validate.yml").read_text(encoding="utf-8")
    )
    step = next(
        s for s in workflow["jobs"]["shacl"]["steps"] if s.get("name") == "SHACL validation"
    )
    entry = shlex.split(step["run"].split("$(")[0])
    good, broken = _files(tmp_path)
    assert _run(entry, good, tmp_path) == 0
    assert _run(entry, broken, tmp_path) == 1
