"""Locks for the writers (and readers) of data/kg and of the embedded store.

Each is a reader/writer lock (filelock's, kept in a small SQLite file beside
what it guards), so it is released when its holder dies, even by kill -9:
a build or ``sources accept`` writes ``data/kg`` and the registry under the
write lock of ``.wsiskg/kg.lock`` (or one in ``$WSISKG_LOCKS``), a load reads
``data/kg`` under its read lock; a load writes the store under the write lock
of ``<store>.lock`` and a reader opens the store under its read lock.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

from filelock import ReadWriteLock, Timeout

from wsiskg.errors import WsiskgError
from wsiskg.paths import Layout

WAIT_SECONDS = 120.0


def kg_lock_path(layout: Layout) -> Path:
    """``.wsiskg/kg.lock`` under the root; or, when ``$WSISKG_LOCKS`` names a folder,
    a lock there named after the root (two roots never share one)."""
    env = os.environ.get("WSISKG_LOCKS")
    if env:
        key = hashlib.sha256(str(layout.root.resolve()).encode("utf-8")).hexdigest()[:16]
        return Path(env) / f"kg-{key}.lock"
    return layout.root / ".wsiskg" / "kg.lock"


def store_lock_path(store: Path) -> Path:
    return store.with_name(store.name + ".lock")


def _lock(path: Path) -> ReadWriteLock:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WsiskgError(
            f"cannot create the lock's folder: {exc.strerror}", path=path.parent
        ) from None
    return ReadWriteLock(str(path), is_singleton=False)


@contextlib.contextmanager
def holding(path: Path, what: str, *, write: bool, wait: float = WAIT_SECONDS) -> Iterator[None]:
    """Hold the lock at ``path`` (write: exclusively) or refuse after ``wait`` seconds."""
    lock = _lock(path)
    try:
        hold = lock.write_lock(timeout=wait) if write else lock.read_lock(timeout=wait)
        with hold:
            yield
    except Timeout:
        raise WsiskgError(
            f"{what} is busy: another wsiskg command held its lock for more than {wait:.0f} s",
            path=path,
            hint="wait for the other command (a running `wsiskg serve` "
            "or build) to finish, then retry",
        ) from None
    finally:
        lock.close()
