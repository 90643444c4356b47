"""Triple stores: the embedded Oxigraph store on disk and remote SPARQL 1.1
endpoints (Graph Store HTTP Protocol to load, Protocol to query); export is in
:mod:`wsiskg.publish.release`.

The embedded store holds the ontology, the reference data, every edition and
the action plan, each in its named graph (``…/graph/<name>``). It lives in
``.wsiskg/store`` under the project root unless ``$WSISKG_STORE`` or
``--store`` says otherwise, and records a fingerprint of the files it was
loaded from: ``wsiskg query`` reloads it only when they changed.

A load reads ``data/kg`` under its read lock and writes the store under the
store's write lock (:mod:`wsiskg.store.locks`): it fills a private staging folder
beside the store and swaps it in with one rename, so a reader sees the old
store or the new one, never a half-written one, and a kill leaves the old
one in place (the staging folder is swept by the next load). A store that
fails to open is rebuilt from ``data/kg`` once, else refused.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wsiskg import iris
from wsiskg.errors import DataError, UsageError, WsiskgError
from wsiskg.paths import Layout
from wsiskg.rdf import exchange_folders, load_into
from wsiskg.store.locks import holding, kg_lock_path, store_lock_path

FINGERPRINT = "wsiskg-fingerprint"
TRANSIENT = {408, 425, 429, 500, 502, 503, 504}


def default_store(layout: Layout) -> Path:
    env = os.environ.get("WSISKG_STORE")
    return Path(env) if env else layout.root / ".wsiskg" / "store"


def graph_files(layout: Layout) -> list[tuple[str, Path]]:
    """(named graph, file) for the ontology and every built file of data/kg."""
    files = [("ontology", layout.ontology / "wsis.ttl")]
    built = sorted(layout.kg.glob("*.ttl"))
    if not built:
        raise DataError("no built graph to load; run `wsiskg build` first", path=layout.kg)
    files += [(path.stem, path) for path in built]
    return files


def fingerprint(files: list[tuple[str, Path]]) -> str:
    digest = hashlib.sha256()
    for name, path in files:
        digest.update(name.encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@dataclass
class LoadResult:
    location: str
    graphs: list[tuple[str, int]]  # named graph, triples
    seconds: float


STAGING = ".staging-"


def load_embedded(
    layout: Layout,
    location: Path | None = None,
    progress: Callable[[list[tuple[str, Path]]], Iterator[tuple[str, Path]]] | None = None,
    *,
    only_if_stale: bool = False,
) -> LoadResult:
    """(Re)load the persistent store: staged privately, then swapped in whole."""
    started = time.perf_counter()
    target = location or default_store(layout)
    with holding(store_lock_path(target), f"the store {target}", write=True):
        if only_if_stale and is_current(layout, target) and _opens(target):
            return LoadResult(str(target), [], time.perf_counter() - started)
        _sweep(target)
        with holding(kg_lock_path(layout), "data/kg", write=False):
            staging, counts, files = _stage(layout, target, progress)
        try:
            if not target.exists():
                staging.rename(target)
            elif exchange_folders(staging, target):
                shutil.rmtree(staging, ignore_errors=True)
            else:
                old = staging.with_name(staging.name + ".old")
                target.rename(old)
                staging.rename(target)
                shutil.rmtree(old, ignore_errors=True)
        except OSError as exc:
            shutil.rmtree(staging, ignore_errors=True)
            raise WsiskgError(f"cannot replace the store: {exc.strerror}", path=target) from None
    return LoadResult(str(target), counts, time.perf_counter() - started)


def _sweep(target: Path) -> None:
    """Remove staging folders that interrupted loads left (the lock is held)."""
    parent = target.parent
    if not parent.is_dir():
        return
    prefix = target.name + STAGING
    for path in parent.iterdir():
        if path.name.startswith(prefix) or path.name in (
            target.name + ".loading",
            target.name + ".old",
        ):
            shutil.rmtree(path, ignore_errors=True)


def _stage(
    layout: Layout,
    target: Path,
    progress: Callable[[list[tuple[str, Path]]], Iterator[tuple[str, Path]]] | None,
) -> tuple[Path, list[tuple[str, int]], list[tuple[str, Path]]]:
    from pyoxigraph import NamedNode, Store

    files = graph_files(layout)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=target.name + STAGING, dir=target.parent))
        store = Store(str(staging))
    except (OSError, RuntimeError) as exc:
        raise WsiskgError(f"cannot create the store: {exc}", path=target) from None
    counts = []
    try:
        iterable = progress(files) if progress else iter(files)
        for name, path in iterable:
            graph = NamedNode(str(iris.named_graph(name)))
            load_into(store, path, graph=graph, bulk=True)
            # the union of the graphs, kept in the default graph: queries on disk run
            # several times faster on it than with a union default graph
            load_into(store, path, bulk=True)
            counts.append((name, sum(1 for _ in store.quads_for_pattern(None, None, None, graph))))
        store.flush()
        store.optimize()  # compacts the bulk-loaded files: queries on disk run about 2x faster
        del store
        (staging / FINGERPRINT).write_text(fingerprint(files), encoding="utf-8")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging, counts, files


def _opens(target: Path) -> bool:
    from pyoxigraph import Store

    try:
        Store.read_only(str(target))
    except (OSError, RuntimeError):  # pyoxigraph reports a corrupt store as RuntimeError
        return False
    return True


def is_current(layout: Layout, location: Path) -> bool:
    marker = location / FINGERPRINT
    try:
        return marker.read_text(encoding="utf-8") == fingerprint(graph_files(layout))
    except OSError:
        return False


class EmbeddedStore:
    """The persistent store, read-only. Its default graph holds the union of the
    named graphs, so queries run on it directly (a union default graph is not
    needed, whatever the caller asks)."""

    def __init__(self, store: Any) -> None:
        self.store = store

    def query(
        self, text: str, *, substitutions: Any = None, use_default_graph_as_union: bool = False
    ) -> Any:
        return self.store.query(text, substitutions=substitutions)

    def __len__(self) -> int:
        return len(self.store)


def open_embedded(layout: Layout, location: Path | None = None) -> EmbeddedStore:
    """The store, read-only, reloaded first when the built files changed."""
    from pyoxigraph import Store

    target = location or default_store(layout)
    if not is_current(layout, target):
        load_embedded(layout, target, only_if_stale=True)
    for attempt in (1, 2):
        try:
            with holding(store_lock_path(target), f"the store {target}", write=False):
                return EmbeddedStore(Store.read_only(str(target)))
        except (OSError, RuntimeError) as exc:  # a corrupt store is a RuntimeError
            if attempt == 2:
                raise DataError(
                    f"the store cannot be opened even after a rebuild: {exc}",
                    path=target,
                    hint="remove the folder and run `wsiskg load`; check free disk space",
                ) from None
            load_embedded(layout, target)
    raise AssertionError("unreachable")


# -- remote endpoints --------------------------------------------------------------------


def _auth_headers() -> dict[str, str]:
    """Credentials from the environment only (never the command line)."""
    token = os.environ.get("WSISKG_ENDPOINT_TOKEN")
    if token:
        return {"Authorization": f"Bearer {token}"}
    user = os.environ.get("WSISKG_ENDPOINT_USER")
    if user:
        secret = os.environ.get("WSISKG_ENDPOINT_PASSWORD", "")
        pair = base64.b64encode(f"{user}:{secret}".encode()).decode()
        return {"Authorization": f"Basic {pair}"}
    return {}


def _check_endpoint(url: str) -> None:
    parsed = urllib.parse.urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise UsageError(f"not an http(s) endpoint URL: {url!r}")


def http(
    method: str,
    url: str,
    body: bytes | None,
    headers: dict[str, str],
    *,
    retries: int = 3,
    timeout: float = 60.0,
) -> tuple[int, bytes]:
    """One request with retries on transient failure; a refusal raises with its body."""
    _check_endpoint(url)
    delay = 0.5
    for attempt in range(1, retries + 1):
        request = urllib.request.Request(
            url, data=body, method=method, headers={**headers, **_auth_headers()}
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            text = exc.read().decode("utf-8", "replace")[:500]
            if exc.code in TRANSIENT and attempt < retries:
                time.sleep(delay)
                delay *= 2
                continue
            raise WsiskgError(
                f"{method} {url} was refused: HTTP {exc.code} {exc.reason}: {text.strip()}"
            ) from None
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            if attempt < retries:
                time.sleep(delay)
                delay *= 2
                continue
            reason = getattr(exc, "reason", exc)
            raise WsiskgError(
                f"{method} {url} failed after {retries} attempts: {reason}",
                hint="is the endpoint running and reachable?",
            ) from None
    raise AssertionError("unreachable")


def load_remote(
    layout: Layout,
    endpoint: str,
    progress: Callable[[list[tuple[str, Path]]], Iterator[tuple[str, Path]]] | None = None,
) -> LoadResult:
    """Replace each named graph at a Graph Store HTTP Protocol endpoint (PUT per graph)."""
    started = time.perf_counter()
    files = graph_files(layout)
    counts = []
    separator = "&" if "?" in endpoint else "?"
    for name, path in progress(files) if progress else iter(files):
        graph = str(iris.named_graph(name))
        url = f"{endpoint}{separator}graph={urllib.parse.quote(graph, safe='')}"
        http("PUT", url, path.read_bytes(), {"Content-Type": "text/turtle; charset=utf-8"})
        counts.append((name, 0))
    return LoadResult(endpoint, counts, time.perf_counter() - started)


def query_remote(endpoint: str, text: str) -> dict[str, Any]:
    """Run a query through the SPARQL 1.1 Protocol; the SPARQL JSON results."""
    body = urllib.parse.urlencode({"query": text}).encode()
    _, data = http(
        "POST",
        endpoint,
        body,
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/sparql-results+json",
        },
    )
    try:
        return json.loads(data)  # type: ignore[no-any-return]  # a JSON results document
    except json.JSONDecodeError:
        raise WsiskgError(f"{endpoint} did not answer with SPARQL JSON results") from None
