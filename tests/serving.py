"""Starting the real servers for the server tests: `wsiskg serve` (the CLI, in
its own process) and `oxigraph serve-read-only` on the same store folder, each
on 127.0.0.1 and a free port, stopped by PID."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .conftest import ROOT

WSISKG = str(Path(sys.executable).parent / "wsiskg")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def oxigraph_binary() -> str:
    candidate = Path(sys.executable).parent / "oxigraph"
    if candidate.is_file():
        return str(candidate)
    found = shutil.which("oxigraph")
    assert found, "the oxigraph server (PyPI package oxigraph) is part of the test extra"
    return found


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@contextmanager
def wsiskg_server(store: Path, *options: str) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`wsiskg serve --port 0` over the project's graph, loaded into ``store``."""
    process = subprocess.Popen(
        [WSISKG, "--root", str(ROOT), "serve", "--port", "0", "--store", str(store), *options],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=store.parent,
    )
    try:
        assert process.stderr is not None
        deadline = time.monotonic() + 120
        line = b""
        while time.monotonic() < deadline:
            line = process.stderr.readline()
            found = re.search(rb"serving (http://[0-9.]+:[0-9]+)/", line)
            if found:
                break
            if not line and process.poll() is not None:
                raise RuntimeError("wsiskg serve did not start")
        else:
            raise RuntimeError("wsiskg serve did not start in time")
        assert found is not None, line
        yield found.group(1).decode(), process
    finally:
        stop(process)


@contextmanager
def oxigraph_server(store: Path, *, writable: bool = False, union: bool = True) -> Iterator[str]:
    """The real Oxigraph server on a store folder: read-only by default (beside
    `wsiskg serve` on the same folder), or ``writable`` (`oxigraph serve`, loaded
    over the Graph Store protocol), with or without the union default graph."""
    port = free_port()
    command = [
        oxigraph_binary(),
        "serve" if writable else "serve-read-only",
        "--location",
        str(store),
        "--bind",
        f"127.0.0.1:{port}",
    ]
    if writable and union:
        command.append("--union-default-graph")
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=1).read()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("the oxigraph server did not start") from None
                time.sleep(0.2)
        yield base
    finally:
        stop(process)
