"""Errors that reach the user, each with the exit code the CLI returns.

Exit codes (documented in the README and in ``wsiskg --help``):

* 0: success (for ``validate``: the data conforms; warnings may be shown)
* 1: the data does not conform (SHACL violations, failed checks)
* 2: usage error (bad option or parameter value)
* 3: cannot run: missing, unreadable, changed or malformed input
"""

from __future__ import annotations

from pathlib import Path

EXIT_OK = 0
EXIT_VIOLATIONS = 1
EXIT_USAGE = 2
EXIT_CANNOT_RUN = 3


class WsiskgError(Exception):
    """An error with a message for the user and an exit code."""

    exit_code = EXIT_CANNOT_RUN

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line
        self.hint = hint
        super().__init__(self.render())

    def render(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}"
            if self.line is not None:
                where += f":{self.line}"
            where += ": "
        text = f"{where}{self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class SourceError(WsiskgError):
    """A source document is missing, changed, undecodable or malformed."""


class CurationError(WsiskgError):
    """A curation entry is malformed or no longer matches the printed text."""


class CellParseError(WsiskgError):
    """A cell's text does not follow the notation its parser knows."""


class DataError(WsiskgError):
    """Graph data (Turtle, TriG) cannot be read."""


class UsageError(WsiskgError):
    """A parameter value is not acceptable."""

    exit_code = EXIT_USAGE
