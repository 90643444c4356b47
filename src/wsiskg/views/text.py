"""Human renderings of results (build summaries, statistics, validation and
consistency verdicts, the query list, where source lines went): the text the
commands print."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

from rdflib import Graph

from wsiskg import iris
from wsiskg.check.shacl import ValidationResult
from wsiskg.check.validate import ValidationReport
from wsiskg.graph.build import BuildResult
from wsiskg.views.stats import FileStats

if TYPE_CHECKING:
    from wsiskg.check.consistency import ConsistencyResult
    from wsiskg.store.queries import CannedQuery


def render_build(result: BuildResult, *, quiet: bool = False, corrections: bool = True) -> str:
    lines: list[str] = []
    total = sum(r.counts()["outcomes"] for r in result.editions)
    if not quiet:
        lines.append(f"reference data: {result.reference_triples} triples")
        header = (
            f"{'edition':<18}{'outcomes':>9}{'sdg links':>10}{'citations':>10}"
            f"{'results':>9}{'activities':>11}{'corrections':>12}{'triples':>9}"
            f"{'seconds':>9}"
        )
        lines.append(header)
        for report in result.editions:
            c = report.counts()
            lines.append(
                f"{report.edition:<18}{c['outcomes']:>9}{c['sdg_links']:>10}"
                f"{c['citations']:>10}{c['results']:>9}{c['activities']:>11}"
                f"{c['corrections']:>12}{report.triples:>9}{report.seconds:>9.3f}"
            )
        for report in result.editions:
            roles = ", ".join(f"{k} {v}" for k, v in sorted(report.line_roles.items()))
            lines.append(f"{report.source}: lines: {roles}")
            for note in report.notes:
                lines.append(f"{report.source}: note: {note}")
        if corrections:
            for report in result.editions:
                by_entry = [(None, c) for c in report.edition_corrections] + [
                    (f"{e.action_line} {e.key}", c) for e in report.entries for c in e.corrections
                ]
                for where, fix in by_entry:
                    place = f"line {fix.line}" if fix.line else "?"
                    target = f" {where}" if where else ""
                    lines.append(
                        f"{report.source}:{place}: correction [{fix.rule}]{target} "
                        f"{fix.field}: {fix.printed!r} -> {fix.corrected!r}"
                    )
        for plan in result.plans:
            counts = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in plan.counts().items())
            lines.append(f"{plan.source}: {counts}, {plan.triples} triples, {plan.seconds:.3f} s")
        for line in result.identity:
            lines.append(f"outcome identity: {line}")
        for source, why in result.skipped:
            lines.append(f"{source}: not read: {why}")
        for path in result.written:
            lines.append(f"wrote {path}")
    plans = f", {len(result.plans)} action plan" if result.plans else ""
    lines.append(
        f"built {len(result.editions)} editions, {total} entries{plans} in {result.seconds:.2f} s"
    )
    return "\n".join(lines)


def render_stats(files: list[FileStats]) -> str:
    lines = []
    for item in files:
        lines.append(f"{item.path}: {item.triples} triples")
        for name, count in sorted(item.entities.items()):
            lines.append(f"  {name:<24}{count:>7}")
    lines.append(f"total: {sum(f.triples for f in files)} triples in {len(files)} files")
    return "\n".join(lines)


@lru_cache(maxsize=65536)
def _short(iri: str) -> str:
    for prefix, namespace in (
        ("wsis:", str(iris.WSIS)),
        ("id:", iris.ID),
        ("shapes:", iris.SHAPES),
        ("skos:", "http://www.w3.org/2004/02/skos/core#"),
        ("sh:", "http://www.w3.org/ns/shacl#"),
    ):
        if iri.startswith(namespace):
            return prefix + iri[len(namespace) :]
    return iri


def render_validation(report: ValidationReport, fmt: str, *, quiet: bool = False) -> str:
    """The report as ``human`` text, ``json`` or ``turtle``; ``quiet`` keeps only the
    summary line and the violations of the human text."""
    if fmt == "json":
        return json.dumps(
            {
                "conforms": report.conforms,
                "passes": report.passes,
                "inference": report.inference,
                "triples": report.triples,
                "violations": report.count("Violation"),
                "warnings": report.count("Warning"),
                "results": [
                    {
                        "severity": r.severity,
                        "sourceShape": r.source_shape,
                        "focusNode": r.focus_node,
                        "resultPath": r.path or None,
                        "value": r.value or None,
                        "sourceConstraintComponent": r.component,
                        "message": r.message,
                        "sourceLines": _lines(report, r.focus_node),
                    }
                    for r in report.results
                ],
            },
            indent=2,
            ensure_ascii=False,
        )
    if fmt == "turtle":
        return _report_graph(report).serialize(format="turtle")
    verdict = (
        "conforms" if report.conforms else "no violations" if report.passes else "does not conform"
    )
    lines = [
        f"{verdict}: "
        f"{report.count('Violation')} violations, {report.count('Warning')} warnings, "
        f"{report.count('Info')} infos ({report.triples} triples, inference "
        f"{report.inference}, {report.seconds:.2f} s)"
    ]
    groups: dict[tuple[str, str], list[ValidationResult]] = {}
    for result in report.results:
        groups.setdefault((result.severity, result.source_shape), []).append(result)
    order = {"Violation": 0, "Warning": 1, "Info": 2}
    for (severity, shape), results in sorted(
        groups.items(), key=lambda kv: (order.get(kv[0][0], 3), kv[0][1])
    ):
        if quiet and severity != "Violation":
            continue
        lines.append(f"{severity} {_short(shape)} ({len(results)})")
        for r in results:
            where = _lines(report, r.focus_node)
            span = f" [{where}]" if where else ""
            path = f" path={_short(r.path)}" if r.path else ""
            value = f" value={_short(r.value)!r}" if r.value and r.value != r.focus_node else ""
            lines.append(f"  {severity} {_short(r.focus_node)}{path}{value}{span}: {r.message}")
    return "\n".join(lines)


def _lines(report: ValidationReport, node: str) -> str | None:
    span = report.lines.get(node)
    if span is None:
        return None
    start, end, source = span
    return f"{source} lines {start}-{end}" if source else f"lines {start}-{end}"


def _report_graph(report: ValidationReport) -> Graph:
    from wsiskg.check.shacl import report_graph

    return report_graph(report.results)


def render_consistency(result: ConsistencyResult) -> str:
    """HermiT's verdict, the unsatisfiable classes and its explanation."""
    verdict = (
        "consistent"
        if result.consistent and not result.unsatisfiable
        else "INCONSISTENT"
        if not result.consistent
        else "unsatisfiable classes"
    )
    lines = [
        f"{verdict}: {result.triples} triples checked by {result.reasoner} in "
        f"{result.seconds:.1f} s"
    ]
    lines += [f"  unsatisfiable: {cls}" for cls in result.unsatisfiable]
    if result.explanation:
        lines.append(f"  {result.explanation}")
    return "\n".join(lines)


def render_queries(queries: Iterable[CannedQuery]) -> str:
    """Each canned query with its summary and parameters."""
    lines = []
    for query in queries:
        lines.append(f"{query.name}: {query.summary}")
        for param in query.params:
            need = "required" if param.required else f"default {param.default}"
            lines.append(
                f"    -p {param.name}=<{param.type}>  ({need}; e.g. {param.name}={param.example})"
            )
    return "\n".join(lines)


def render_lines(rows: Iterable[tuple[int, str, str, str]], roles: Collection[str] = ()) -> str:
    """Source lines as number, role, outcome, text (only those of ``roles``, if any)."""
    return "\n".join(
        f"{number:>5} {role:<12} {outcome:<14} {text[:100]}"
        for number, role, outcome, text in rows
        if not roles or role in roles
    )
