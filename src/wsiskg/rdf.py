"""RDF input and output, in one place.

Every command reads RDF through :func:`load_store` (Oxigraph's strict
parsers, errors named by file and line) and, where it needs rdflib (SHACL,
OWL RL, the graph builder), converts with :func:`to_rdflib` /
:func:`parse_graph`; :func:`to_oxigraph` and :func:`quads` go the other way.
The prefixes of every file the project writes are :data:`PREFIXES`. Files
are written whole or not at all (:func:`write_atomically`,
:func:`write_text_atomically`).
"""

from __future__ import annotations

import ctypes
import os
import re
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from pyoxigraph import BlankNode as OxBlankNode
from pyoxigraph import DefaultGraph, NamedNode, Quad, RdfFormat, Store
from pyoxigraph import Literal as OxLiteral
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from wsiskg.errors import DataError, WsiskgError
from wsiskg.iris import WSIS
from wsiskg.paths import Layout
from wsiskg.sparql import query_text

TIME = "http://www.w3.org/2006/time#"

# the prefixes of every Turtle and TriG file the project writes
PREFIXES = {
    "wsis": str(WSIS),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "time": TIME,
    "owl": str(OWL),
}

_XSD_STRING = str(XSD.string)
FORMATS = {
    ".ttl": RdfFormat.TURTLE,
    ".trig": RdfFormat.TRIG,
    ".nt": RdfFormat.N_TRIPLES,
    ".nq": RdfFormat.N_QUADS,
    ".rdf": RdfFormat.RDF_XML,
    ".owl": RdfFormat.RDF_XML,
}


# -- reading ----------------------------------------------------------------------------


def data_files(layout: Layout, paths: Iterable[Path] | None = None) -> list[Path]:
    """The given files, or the built graph's Turtle files."""
    files = list(paths or [])
    if not files:
        files = sorted(layout.kg.glob("*.ttl"))
        if not files:
            raise DataError("no built graph to read; run `wsiskg build` first", path=layout.kg)
    return files


def rdf_format(path: Path) -> RdfFormat:
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise DataError(
            f"unknown RDF file type {suffix!r} (use .ttl, .trig, .nt, .nq, .rdf)", path=path
        )
    return FORMATS[suffix]


def check_readable(path: Path) -> None:
    """Refuse what is not a regular file, each kind with its own message."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise DataError("file not found", path=path) from None
    except OSError as exc:
        raise DataError(f"cannot read: {exc.strerror}", path=path) from None
    if stat.S_ISDIR(mode):
        raise DataError(
            "is a directory, not an RDF file",
            path=path,
            hint="name the files inside it (e.g. DIR/*.ttl)",
        )
    if stat.S_ISFIFO(mode):
        raise DataError(
            "is a named pipe (FIFO), not an RDF file",
            path=path,
            hint="write the data to a file first",
        )
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        raise DataError("is a device, not an RDF file", path=path)
    if stat.S_ISSOCK(mode):
        raise DataError("is a socket, not an RDF file", path=path)
    if not stat.S_ISREG(mode):
        raise DataError("is not a regular file", path=path)


def syntax_line(exc: SyntaxError) -> int | None:
    """The line a parser error names (Oxigraph gives it in the exception or the text)."""
    if exc.lineno:
        return int(exc.lineno)
    found = re.search(r"line (\d+)", str(exc))
    return int(found.group(1)) if found else None


def load_into(
    store: Store,
    path: Path,
    *,
    graph: NamedNode | None = None,
    bulk: bool = False,
    resolve_relative: bool = False,
) -> None:
    """Parse one file into a store (its default graph, or ``graph``), strictly;
    ``resolve_relative`` resolves relative IRIs against the file's URI (as rdflib
    does), for data that is not the project's own."""
    check_readable(path)
    fmt = rdf_format(path)
    kwargs: dict[str, object] = {"path": str(path), "format": fmt}
    if graph is not None:
        kwargs["to_graph"] = graph
    if resolve_relative:
        kwargs["base_iri"] = path.resolve().as_uri()
    try:
        if bulk:
            store.bulk_load(**kwargs)  # type: ignore[arg-type]  # keywords built above
        else:
            store.load(**kwargs)  # type: ignore[arg-type]  # keywords built above
    except SyntaxError as exc:
        raise DataError(f"cannot parse: {exc}", path=path, line=syntax_line(exc)) from None
    except UnicodeDecodeError as exc:
        raise DataError(f"not UTF-8 text: {exc.reason}", path=path) from None
    except OSError as exc:
        raise DataError(f"cannot read: {exc.strerror or exc}", path=path) from None


def load_store(files: list[Path]) -> Store:
    """All files in one in-memory Oxigraph store (default graph), errors named by file
    and line."""
    store = Store()
    for path in files:
        load_into(store, path)
    return store


def parse_graph(path: Path) -> Graph:
    """One RDF file as a plain rdflib graph, parsed by Oxigraph's strict parser."""
    return to_rdflib(load_store([path]))


# -- terms --------------------------------------------------------------------------------


def language_tag(tag: str) -> str:
    """A language tag in the case BCP 47 recommends (``zh-Hans``, ``en-GB``): Oxigraph
    keeps tags in lower case, and tags compare case-insensitively, so the graph's
    files are written in the recommended case."""
    parts = tag.split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            out.append(part.title())
        elif len(part) == 2 and part.isalpha():
            out.append(part.upper())
        else:
            out.append(part.lower())
    return "-".join(out)


def to_rdflib_term(node: object) -> URIRef | Literal | BNode:
    """An Oxigraph term as the equal rdflib term."""
    if isinstance(node, NamedNode):
        return URIRef(node.value)
    if isinstance(node, OxLiteral):
        if node.language:
            return Literal(node.value, lang=language_tag(node.language))
        if node.datatype.value == _XSD_STRING:
            return Literal(node.value)
        return Literal(node.value, datatype=URIRef(node.datatype.value))
    assert isinstance(node, OxBlankNode)
    return BNode(node.value)


def to_oxigraph(term: object) -> NamedNode | OxLiteral | OxBlankNode:
    """An rdflib term as the equal Oxigraph term."""
    if isinstance(term, URIRef):
        return NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return OxLiteral(str(term), language=term.language)
        if term.datatype:
            return OxLiteral(str(term), datatype=NamedNode(str(term.datatype)))
        return OxLiteral(str(term))
    return OxBlankNode(str(term))


def to_rdflib(store: Store, predicates: set[str] | None = None) -> Graph:
    """The union of the store's graphs as a plain rdflib graph (pySHACL's input),
    only the given predicates where a set is given."""
    graph = Graph()
    add = graph.add
    for quad in store:
        if predicates is None or quad.predicate.value in predicates:
            add(
                (
                    to_rdflib_term(quad.subject),
                    to_rdflib_term(quad.predicate),
                    to_rdflib_term(quad.object),
                )
            )
    return graph


def quads(graph: Graph) -> Iterator[Quad]:
    """An rdflib graph's triples as quads of the default graph (generalized triples
    with a literal subject, as the RDFS closure makes, are left out)."""
    for s, p, o in graph:
        if isinstance(s, Literal) or not isinstance(p, URIRef):
            continue
        subject, predicate = to_oxigraph(s), to_oxigraph(p)
        assert not isinstance(subject, OxLiteral) and isinstance(predicate, NamedNode)
        yield Quad(subject, predicate, to_oxigraph(o), DefaultGraph())


def source_lines(store: Store, focus_nodes: set[str]) -> dict[str, tuple[int, int, str]]:
    """The source line span of each focus node, or of the entry or output it belongs to."""
    spans: dict[str, tuple[int, int, str]] = {}
    query = query_text("source-lines")
    known = {}
    for row in store.query(query, use_default_graph_as_union=True):  # type: ignore[union-attr]  # a SELECT
        end = row["end"]
        source = row["source"]
        known[row["node"].value] = (
            int(row["start"].value),
            int(end.value) if end else int(row["start"].value),
            source.value.rsplit("/", 1)[-1] if source else "",
        )
    for node in focus_nodes:
        owner = node
        while owner and owner not in known and "/" in owner:
            owner = owner.rsplit("/", 1)[0]
        if owner in known:
            spans[node] = known[owner]
    return spans


# -- writing ------------------------------------------------------------------------------


def _write_temporary(folder: Path, name: str, text: str) -> Path:
    handle, tmp_name = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(tmp_name, 0o644)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return Path(tmp_name)


def write_atomically(folder: Path, outputs: dict[str, str]) -> list[Path]:
    """Write each file whole or not at all (a temporary file, then a rename). For a set
    of files that must change together, see :func:`wsiskg.graph.build.swap_folder`."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WsiskgError(f"cannot create the output folder: {exc.strerror}", path=folder) from None
    temporaries: list[tuple[Path, Path]] = []
    try:
        for name, text in sorted(outputs.items()):
            temporaries.append((_write_temporary(folder, name, text), folder / name))
    except OSError as exc:
        for tmp_path, _ in temporaries:
            tmp_path.unlink(missing_ok=True)
        raise WsiskgError(
            f"cannot write the output folder: {exc.strerror}",
            path=folder,
            hint="check that the folder is writable",
        ) from None
    for tmp, final in temporaries:
        os.replace(tmp, final)
    return [final for _, final in temporaries]


def write_text_atomically(path: Path, text: str) -> Path:
    """One text file, written whole or not at all."""
    folder = path.parent if str(path.parent) else Path(".")
    return write_atomically(folder, {path.name: text})[0]


RENAME_EXCHANGE = 2


def exchange_folders(first: Path, second: Path) -> bool:
    """Swap two folders in one atomic rename (Linux renameat2); False where unsupported."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), RENAME_EXCHANGE)
    if result != 0:
        errno = ctypes.get_errno()
        if errno in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: not on this system
            return False
        raise OSError(errno, os.strerror(errno), str(second))
    return True
