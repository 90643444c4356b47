"""Consistency: ontology + reference data + built editions, checked by a DL reasoner.

SHACL checks the shape of each node; it does not reason. The ontology states
more than shapes can: its main classes are pairwise disjoint
(``owl:AllDisjointClasses``, and ``wsis:RoadmapEntry`` is disjoint with
``wsis:Output``), many properties are functional, ``wsis:ITURole`` has a
set of three distinct individuals, and domains and ranges type every node a property touches. So a
typing error in the data (a roadmap entry also typed as an SDG target, a
resolution used where an action line is expected, two different values of a
functional data property such as ``wsis:position``) makes the whole graph
*inconsistent*, and a modelling error in the ontology makes a class
*unsatisfiable* (it can have no member). Only a complete OWL 2 DL reasoner
finds both; this module runs HermiT.

How: the given Turtle files are parsed with rdflib and merged into one graph
(``owl:imports`` dropped: every part is already in it, and nothing is fetched
from the network), written as N-Triples to a temporary folder, loaded into a
fresh owlready2 ``World`` (never owlready2's default world) and handed to
HermiT with ``owlready2.sync_reasoner_hermit``. HermiT runs on the JVM, so Java
must be installed. owlready2 reports an inconsistent ontology by raising
``OwlReadyInconsistentOntologyError``; unsatisfiable classes are the classes
it finds equivalent to ``owl:Nothing``.

HermiT accepts only the datatypes of the OWL 2 datatype map; the graph also
uses ``xsd:gYear`` and ``xsd:date`` (ranges of ``wsis:periodStart`` /
``wsis:periodEnd``, values of ``time:inXSDgYear``, ``dcterms:issued``,
``dcterms:date``). Those are not in the map, so the check runs HermiT with
``--ignoreUnsupportedDatatypes``: literals of those types are not checked
against their lexical space, everything else is reasoned over.

owlready2 prints the reasoner's command line and its results; that output is
swallowed here, nothing is written to stdout or stderr.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import tempfile
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Graph
from rdflib.namespace import OWL

from wsiskg.errors import DataError, WsiskgError
from wsiskg.rdf import load_store, to_rdflib

JAVA_MISSING = (
    "the consistency check needs Java (HermiT runs on the JVM); install a Java "
    "runtime (e.g. Debian package default-jre-headless) or run it where Java is "
    "present"
)
OWLREADY_MISSING = "the consistency check needs owlready2, which bundles HermiT"
OWL_NOTHING = str(OWL.Nothing)
EXPLANATION_LIMIT = 2000


@dataclass
class ConsistencyResult:
    """What HermiT made of the merged graph.

    ``seconds`` is the wall-clock time of the whole check (parse, load,
    reason); ``triples`` the size of the merged graph. ``unsatisfiable`` lists
    the IRIs of the classes that can have no member (empty when the graph is
    inconsistent: HermiT then classifies nothing). ``explanation`` is
    owlready2's error text when the graph is inconsistent, else "".
    """

    consistent: bool
    reasoner: str
    seconds: float
    triples: int
    unsatisfiable: list[str]
    explanation: str


def check_consistency(files: list[Path], *, java: str | None = None) -> ConsistencyResult:
    """Merge the Turtle ``files`` (ontology, reference data, editions) and run HermiT.

    ``java`` is the Java executable (a path or a name on PATH); default: the
    ``java`` on PATH. Raises ``WsiskgError`` when Java (or owlready2) is
    missing or HermiT fails, ``DataError`` naming the file when a file cannot
    be read or parsed.
    """
    started = time.perf_counter()
    owlready2 = _import_owlready2()
    java_exe = _find_java(java)
    graph = _merge(files)
    with tempfile.TemporaryDirectory(prefix="wsiskg-consistency-") as folder:
        merged = Path(folder) / "merged.nt"
        graph.serialize(destination=merged, format="nt", encoding="utf-8")
        world = owlready2.World()
        try:
            _load(owlready2, world, merged)
            consistent, explanation = _reason(owlready2, world, java_exe, folder)
            unsatisfiable = _unsatisfiable(world) if consistent else []
        finally:
            world.close()
    return ConsistencyResult(
        consistent=consistent,
        reasoner=f"HermiT (owlready2 {owlready2.VERSION})",
        seconds=time.perf_counter() - started,
        triples=len(graph),
        unsatisfiable=unsatisfiable,
        explanation=explanation,
    )


def _import_owlready2() -> Any:
    try:
        import owlready2
    except ImportError:
        raise WsiskgError(OWLREADY_MISSING, hint="pip install owlready2") from None
    return owlready2


def _find_java(java: str | None) -> str:
    found = shutil.which(java) if java else shutil.which("java")
    if found is None:
        hint = f"no Java executable at {java!r}" if java else "no `java` on PATH"
        raise WsiskgError(JAVA_MISSING, hint=hint)
    return found


def _merge(files: list[Path]) -> Graph:
    if not files:
        raise DataError("no files given to the consistency check")
    graph = to_rdflib(load_store(files))
    graph.remove((None, OWL.imports, None))
    return graph


def _load(owlready2: Any, world: Any, merged: Path) -> None:
    try:
        with _quiet(owlready2):
            world.get_ontology(merged.as_uri()).load()
    except Exception as exc:  # owlready2's parser errors share no base class
        raise DataError(f"owlready2 cannot load the merged graph: {_trim(str(exc))}") from None


def _reason(owlready2: Any, world: Any, java_exe: str, folder: str) -> tuple[bool, str]:
    """Run HermiT on ``world``: (consistent, explanation)."""
    saved_java, saved_tempdir = owlready2.JAVA_EXE, tempfile.tempdir
    # sync_reasoner_hermit writes the world to a temporary file that it does not
    # remove when HermiT fails; keep that file in our folder, which is removed.
    owlready2.JAVA_EXE, tempfile.tempdir = java_exe, folder
    try:
        with _quiet(owlready2):
            owlready2.sync_reasoner_hermit(
                world, infer_property_values=False, debug=0, ignore_unsupported_datatypes=True
            )
    except owlready2.OwlReadyInconsistentOntologyError as exc:
        text = _trim(str(exc)) or (
            "HermiT: the ontology is inconsistent (owlready2 names no axiom or individual)"
        )
        return False, text
    except owlready2.OwlReadyJavaError as exc:
        raise WsiskgError(f"HermiT failed: {_trim(str(exc))}") from None
    except OSError as exc:  # the Java executable could not be started
        raise WsiskgError(JAVA_MISSING, hint=f"{java_exe}: {exc.strerror}") from None
    finally:
        owlready2.JAVA_EXE, tempfile.tempdir = saved_java, saved_tempdir
    return True, ""


@contextlib.contextmanager
def _quiet(owlready2: Any) -> Iterator[None]:
    """Swallow what owlready2 prints and warns."""
    sink = io.StringIO()
    with (
        warnings.catch_warnings(),
        contextlib.redirect_stdout(sink),
        contextlib.redirect_stderr(sink),
    ):
        warnings.simplefilter("ignore", owlready2.OwlReadyWarning)
        yield


def _unsatisfiable(world: Any) -> list[str]:
    found = {str(c.iri) for c in world.inconsistent_classes()}
    return sorted(found - {OWL_NOTHING})


def _trim(text: str) -> str:
    """Java's message without its stack trace, cut to a readable length."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    kept = [line for line in lines if line and not line.lstrip().startswith("at ")]
    trimmed = "\n".join(kept)
    if len(trimmed) > EXPLANATION_LIMIT:
        trimmed = trimmed[:EXPLANATION_LIMIT].rstrip() + " …"
    return trimmed
