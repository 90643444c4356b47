"""Human renderings of results (build summaries, statistics)."""

from __future__ import annotations

from .build import BuildResult
from .stats import FileStats


def render_build(result: BuildResult, *, quiet: bool = False, corrections: bool = True) -> str:
    lines: list[str] = []
    total = sum(r.counts()["outcomes"] for r in result.editions)
    if not quiet:
        lines.append(f"reference data: {result.reference_triples} triples")
        header = (f"{'edition':<18}{'outcomes':>9}{'sdg links':>10}{'citations':>10}"
                  f"{'results':>9}{'activities':>11}{'corrections':>12}{'triples':>9}"
                  f"{'seconds':>9}")
        lines.append(header)
        for report in result.editions:
            c = report.counts()
            lines.append(f"{report.edition:<18}{c['outcomes']:>9}{c['sdg_links']:>10}"
                         f"{c['citations']:>10}{c['results']:>9}{c['activities']:>11}"
                         f"{c['corrections']:>12}{report.triples:>9}{report.seconds:>9.3f}")
        for report in result.editions:
            roles = ", ".join(f"{k} {v}" for k, v in sorted(report.line_roles.items()))
            lines.append(f"{report.source}: lines: {roles}")
            for note in report.notes:
                lines.append(f"{report.source}: note: {note}")
        if corrections:
            for report in result.editions:
                by_entry = [(None, c) for c in report.edition_corrections] + [
                    (f"{e.action_line} {e.key}", c) for e in report.entries for c in e.corrections]
                for where, fix in by_entry:
                    place = f"line {fix.line}" if fix.line else "?"
                    target = f" {where}" if where else ""
                    lines.append(f"{report.source}:{place}: correction [{fix.rule}]{target} "
                                 f"{fix.field}: {fix.printed!r} -> {fix.corrected!r}")
        for plan in result.plans:
            counts = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in plan.counts().items())
            lines.append(f"{plan.source}: {counts}, {plan.triples} triples, "
                         f"{plan.seconds:.3f} s")
        for line in result.identity:
            lines.append(f"outcome identity: {line}")
        for source, why in result.skipped:
            lines.append(f"{source}: not read: {why}")
        for path in result.written:
            lines.append(f"wrote {path}")
    plans = f", {len(result.plans)} action plan" if result.plans else ""
    lines.append(f"built {len(result.editions)} editions, {total} entries{plans} in "
                 f"{result.seconds:.2f} s")
    return "\n".join(lines)


def render_stats(files: list[FileStats]) -> str:
    lines = []
    for item in files:
        lines.append(f"{item.path}: {item.triples} triples")
        for name, count in sorted(item.entities.items()):
            lines.append(f"  {name:<24}{count:>7}")
    lines.append(f"total: {sum(f.triples for f in files)} triples in {len(files)} files")
    return "\n".join(lines)
