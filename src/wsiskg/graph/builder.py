"""The graph builder: parsed records become RDF triples.

This module knows the ontology; it is the only place that turns records
into triples, and every IRI comes from :mod:`wsiskg.iris`.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD, Namespace

from wsiskg import iris
from wsiskg.errors import SourceError
from wsiskg.ingest.records import Citation, Correction, Entry, Item, PlanRead, PlanRef, Timing
from wsiskg.ingest.sources import EditionInfo, Source
from wsiskg.iris import WSIS
from wsiskg.rdf import PREFIXES

TIME = Namespace("http://www.w3.org/2006/time#")


SECTION_DOCUMENTS = {
    "geneva-tunis": ("geneva-plan-of-action", "tunis-agenda"),
    "wsis10": ("wsis10-statement", "wsis10-vision"),
}
BODY_NAMES = {"pp": "PP", "wtdc": "WTDC", "wtsa": "WTSA", "council": "Council", "unga": "UNGA"}
ROLES = {"F": WSIS.RoleFacilitator, "P": WSIS.RolePartner, "I": WSIS.RoleImplementer}


def _date_literal(value: str) -> Literal:
    if len(value) == 4:
        return Literal(value, datatype=XSD.gYear)
    return Literal(value, datatype=XSD.date)


def new_graph() -> Graph:
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph


class GraphBuilder:
    """Adds the triples of records to one graph."""

    def __init__(self, graph: Graph | None = None) -> None:
        self.graph = graph if graph is not None else new_graph()

    def add(self, s: URIRef, p: URIRef, o: URIRef | Literal) -> None:
        self.graph.add((s, p, o))

    def text(self, s: URIRef, p: URIRef, value: str | None) -> None:
        if value:
            self.add(s, p, Literal(value))

    # -- sources and editions ------------------------------------------------

    def source(self, source: Source) -> URIRef:
        node = iris.source(source.id)
        self.add(node, RDF.type, WSIS.SourceDocument)
        self.add(node, DCTERMS.title, Literal(source.title, lang="en"))
        self.add(node, DCTERMS.date, _date_literal(source.date))
        self.add(node, WSIS.sha256, Literal(source.sha256))
        self.add(node, WSIS.layout, Literal(source.layout))
        self.add(node, RDFS.label, Literal(f"source document {source.id}", lang="en"))
        return node

    def edition(self, info: EditionInfo, source: Source) -> URIRef:
        node = iris.edition(info.id)
        self.add(node, RDF.type, WSIS.RoadmapEdition)
        self.add(node, DCTERMS.title, Literal(info.title, lang="en"))
        self.add(node, RDFS.label, Literal(f"roadmap edition {info.id}", lang="en"))
        self.add(node, WSIS.editionId, Literal(info.id))
        self.add(node, WSIS.isDraft, Literal(info.draft))
        self.add(node, DCTERMS.issued, _date_literal(source.date))
        self.add(node, PROV.wasDerivedFrom, self.source(source))
        self.add(node, WSIS.strategicPlanInForce, iris.strategic_plan(info.strategic_plan))
        if info.revision_of:
            self.add(node, PROV.wasRevisionOf, iris.edition(info.revision_of))
        for code in info.action_lines:
            self.add(node, WSIS.coversActionLine, iris.action_line(code))
        return node

    # -- shared individuals --------------------------------------------------

    def outcome(self, action_line: str, key: str, section: str) -> URIRef:
        node = iris.outcome(action_line, key)
        self.add(node, RDF.type, WSIS.WSISOutcome)
        self.add(node, WSIS.actionLine, iris.action_line(action_line))
        self.add(node, WSIS.outcomeKey, Literal(key))
        self.add(node, RDFS.label, Literal(f"WSIS outcome {action_line} {key}", lang="en"))
        for document in SECTION_DOCUMENTS[section]:
            self.add(node, WSIS.outcomeDocument, iris.outcome_document(document))
        return node

    def year(self, value: int) -> URIRef:
        node = iris.year(value)
        self.add(node, RDF.type, WSIS.Year)
        self.add(node, TIME.inXSDgYear, Literal(f"{value:04d}", datatype=XSD.gYear))
        return node

    def resolution(self, body: str, number: str, kind: str = "resolution") -> URIRef:
        node = iris.resolution(body, number, kind)
        printed_number = number.replace("-", "/") if body == "unga" else number
        self.add(node, RDF.type, WSIS.Resolution)
        self.add(node, WSIS.issuingBody, iris.issuing_body(body))
        self.add(node, WSIS.resolutionNumber, Literal(printed_number))
        self.add(node, WSIS.resolutionKind, Literal(kind))
        self.add(
            node,
            RDFS.label,
            Literal(f"{BODY_NAMES[body]} {kind.title()} {printed_number}", lang="en"),
        )
        return node

    def _plan_node(
        self,
        node: URIRef,
        cls: URIRef,
        parent: tuple[URIRef, URIRef],
        plan: str,
        word: str,
        number: object,
    ) -> URIRef:
        """A numbered part of an action plan: typed, linked to its parent, labelled."""
        self.add(node, RDF.type, cls)
        self.add(node, *parent)
        self.add(node, WSIS.number, Literal(str(number)))
        self.add(node, RDFS.label, Literal(f"{plan.upper()} {word} {number}", lang="en"))
        return node

    def plan_ref(self, ref: PlanRef) -> list[tuple[URIRef, URIRef]]:
        """Nodes of an action-plan reference, with the entry property for each."""
        plan = (WSIS.actionPlan, iris.action_plan(ref.plan))
        if ref.programme is not None:
            node = self._plan_node(
                iris.plan_programme(ref.plan, ref.programme),
                WSIS.Programme,
                plan,
                ref.plan,
                "Programme",
                ref.programme,
            )
            return [(WSIS.citesProgramme, node)]
        assert ref.objective is not None
        objective = self._plan_node(
            iris.plan_objective(ref.plan, ref.objective),
            WSIS.Objective,
            plan,
            ref.plan,
            "Objective",
            ref.objective,
        )
        parent = (WSIS.objective, objective)
        if ref.output is not None:
            node = self._plan_node(
                iris.plan_output(ref.plan, ref.output),
                WSIS.Output,
                parent,
                ref.plan,
                "Output",
                ref.output,
            )
            return [(WSIS.citesPlanOutput, node)]
        if ref.outcome is not None:
            node = self._plan_node(
                iris.plan_outcome(ref.plan, ref.outcome),
                WSIS.PlanOutcome,
                parent,
                ref.plan,
                "Outcome",
                ref.outcome,
            )
            return [(WSIS.citesPlanOutcome, node)]
        return [(WSIS.citesPlanObjective, objective)]

    def regional_initiative(self, code: str) -> URIRef:
        node = iris.regional_initiative(code)
        self.add(node, RDF.type, WSIS.RegionalInitiative)
        self.add(node, SKOS.notation, Literal(code))
        self.add(node, RDFS.label, Literal(f"regional initiative {code}", lang="en"))
        return node

    # -- entries -------------------------------------------------------------

    def entry(self, entry: Entry, strategic_plan: str) -> URIRef:
        node = iris.entry(entry.edition, entry.action_line, entry.key)
        add = self.add
        add(node, RDF.type, WSIS.RoadmapEntry)
        add(
            node, RDFS.label, Literal(f"{entry.edition} {entry.action_line} {entry.key}", lang="en")
        )
        add(node, WSIS.edition, iris.edition(entry.edition))
        add(
            node,
            WSIS.addressesOutcome,
            self.outcome(entry.action_line, entry.outcome_key, entry.section),
        )
        add(node, WSIS.entryActionLine, iris.action_line(entry.action_line))
        add(node, WSIS.printedLabel, Literal(entry.printed_label))
        add(node, WSIS.outcomeText, Literal(entry.text))
        add(node, PROV.wasDerivedFrom, iris.source(entry.source_id))
        add(node, WSIS.sourceLineStart, Literal(entry.first_line))
        add(node, WSIS.sourceLineEnd, Literal(entry.last_line))
        if entry.timing is not None:
            self._timing(node, entry.timing)
        goals = entry.goals
        for number in goals.strategic_goals:
            add(node, WSIS.citesStrategicGoal, iris.strategic_goal(strategic_plan, number))
        for code in goals.strategic_targets:
            add(node, WSIS.citesStrategicTarget, iris.strategic_target(strategic_plan, code))
        self._citations(node, goals.citations)
        for mention in entry.mentions:
            if mention.body and mention.number:
                add(
                    node,
                    WSIS.mentionsResolution,
                    self.resolution(mention.body, mention.number, mention.kind),
                )
        for ref in goals.plan_refs:
            for prop, target in self.plan_ref(ref):
                add(node, prop, target)
        for code in goals.regional_initiatives:
            add(node, WSIS.regionalInitiative, self.regional_initiative(code))
        for pillar in goals.gca_pillars:
            add(node, WSIS.gcaPillar, iris.gca_pillar(pillar))
        for goal in entry.sdgs.goals:
            add(node, WSIS.linkedSDGGoal, iris.sdg_goal(goal))
        for code in entry.sdgs.targets:
            add(node, WSIS.linkedSDGTarget, iris.sdg_target(code))
        for cited in entry.sdgs.cited_texts:
            add(node, WSIS.sdgCitedText, Literal(cited))
        for statement in entry.sdgs.statements:
            add(node, WSIS.sdgStatement, Literal(statement))
        self._items(node, "result", WSIS.hasExpectedResult, WSIS.ExpectedResult, entry.results)
        self._items(node, "activity", WSIS.hasActivity, WSIS.Activity, entry.activities)
        self.text(node, WSIS.evidenceAnalysis, entry.evidence)
        self.text(node, WSIS.covidResponse, entry.covid)
        self.text(node, WSIS.resourceImpact, entry.resource_impact)
        self.text(node, WSIS.otherPartners, entry.partners)
        self.corrections(node, entry.corrections)
        return node

    def _timing(self, entry_node: URIRef, timing: Timing) -> None:
        node = iris.timing(entry_node)
        self.add(entry_node, WSIS.timing, node)
        self.add(node, RDF.type, WSIS.Timing)
        self.add(node, WSIS.printedTiming, Literal(timing.printed))
        self.add(node, WSIS.isContinuous, Literal(timing.continuous))
        if timing.begin is not None:
            self.add(node, TIME.hasBeginning, self.year(timing.begin))
        if timing.end is not None:
            self.add(node, TIME.hasEnd, self.year(timing.end))
        if timing.month is not None:
            self.add(node, WSIS.month, Literal(timing.month))

    def _citations(self, entry_node: URIRef, citations: Iterable[Citation]) -> None:
        for index, citation in enumerate(citations, 1):
            node = iris.entry_part(entry_node, "citation", index)
            self.add(entry_node, WSIS.hasCitation, node)
            self.add(node, RDF.type, WSIS.ResolutionCitation)
            self.add(node, WSIS.citedText, Literal(citation.printed))
            self.add(node, WSIS.position, Literal(index))
            if citation.body and citation.number:
                resolution = self.resolution(citation.body, citation.number, citation.kind)
                self.add(node, WSIS.citedResolution, resolution)
                self.add(entry_node, WSIS.citesResolution, resolution)
                if citation.revision:
                    self.add(node, WSIS.revisionCited, Literal(citation.revision))

    def _items(
        self, entry_node: URIRef, kind: str, prop: URIRef, cls: URIRef, items: list[Item]
    ) -> None:
        for index, item in enumerate(items, 1):
            node = iris.entry_part(entry_node, kind, index)
            self.add(entry_node, prop, node)
            self.add(node, RDF.type, cls)
            self.add(node, WSIS.text, Literal(item.text))
            self.add(node, WSIS.position, Literal(index))
            if item.code:
                self.add(node, WSIS.activityCode, Literal(item.code))
                self.add(node, WSIS.directAssistance, Literal(item.starred))
            if item.role:
                self.add(node, WSIS.ituRole, ROLES[item.role])
            for code in item.project_codes:
                self.add(node, WSIS.projectCode, Literal(code))

    def corrections(self, entry_node: URIRef, corrections: Iterable[Correction]) -> None:
        for index, fix in enumerate(corrections, 1):
            node = iris.entry_part(entry_node, "correction", index)
            self.add(entry_node, WSIS.hasCorrection, node)
            self.add(node, RDF.type, WSIS.Correction)
            self.add(node, WSIS.correctionRule, Literal(fix.rule))
            self.add(node, WSIS.correctedField, Literal(fix.field))
            self.add(node, WSIS.printedText, Literal(fix.printed))
            self.add(node, WSIS.correctedText, Literal(fix.corrected))
            self.add(node, WSIS.reason, Literal(fix.reason))
            if fix.line is not None:
                self.add(node, WSIS.sourceLineStart, Literal(fix.line))

    # -- action plans ----------------------------------------------------------

    def action_plan(self, plan: str, read: PlanRead, source: Source) -> None:
        """The objectives, outcomes, indicators, outputs and amendment proposals."""
        add = self.add
        plan_node = iris.action_plan(plan)
        source_node = self.source(source)
        add(plan_node, PROV.wasDerivedFrom, source_node)
        outcome_nodes: dict[str, URIRef] = {}
        for number, (title, description, line) in sorted(read.objectives.items()):
            node = iris.plan_objective(plan, number)
            add(node, RDF.type, WSIS.Objective)
            add(node, WSIS.actionPlan, plan_node)
            add(node, WSIS.number, Literal(str(number)))
            add(node, RDFS.label, Literal(f"{plan.upper()} Objective {number}", lang="en"))
            add(node, DCTERMS.title, Literal(title, lang="en"))
            add(node, DCTERMS.description, Literal(description, lang="en"))
            add(node, WSIS.sourceLineStart, Literal(line))
            add(node, PROV.wasDerivedFrom, source_node)
        for outcome in read.outcomes:
            node = iris.plan_outcome(plan, outcome.number)
            outcome_nodes[outcome.number] = node
            add(node, RDF.type, WSIS.PlanOutcome)
            add(node, WSIS.objective, iris.plan_objective(plan, outcome.objective))
            add(node, WSIS.number, Literal(outcome.number))
            add(node, RDFS.label, Literal(f"{plan.upper()} Outcome {outcome.number}", lang="en"))
            add(node, DCTERMS.title, Literal(outcome.title, lang="en"))
            add(node, WSIS.sourceLineStart, Literal(outcome.first_line))
            for index, text in enumerate(outcome.indicators, 1):
                indicator = iris.entry_part(node, "indicator", index)
                add(node, WSIS.hasIndicator, indicator)
                add(indicator, RDF.type, WSIS.PerformanceIndicator)
                add(indicator, WSIS.text, Literal(text))
                add(indicator, WSIS.position, Literal(index))
        for output in read.outputs:
            node = iris.plan_output(plan, output.number)
            objective = iris.plan_objective(plan, output.objective)
            add(node, RDF.type, WSIS.Output)
            add(node, WSIS.objective, objective)
            add(objective, WSIS.hasOutput, node)
            add(node, WSIS.number, Literal(output.number))
            add(node, RDFS.label, Literal(f"{plan.upper()} Output {output.number}", lang="en"))
            add(node, DCTERMS.title, Literal(output.title, lang="en"))
            if output.heading:
                add(node, SKOS.altLabel, Literal(output.heading, lang="en"))
            add(node, PROV.wasDerivedFrom, source_node)
            add(node, WSIS.sourceLineStart, Literal(output.first_line))
            add(node, WSIS.sourceLineEnd, Literal(output.last_line))
            if output.outcome:
                if output.outcome not in outcome_nodes:
                    known = ", ".join(sorted(outcome_nodes)) or "none"
                    raise SourceError(
                        f"Output {output.number} contributes to Outcome {output.outcome}, "
                        f"which the plan does not define (outcomes read: {known})",
                        path=source.path,
                        line=output.first_line,
                        hint="check the output's row and the outcome table above it",
                    )
                add(node, WSIS.contributesTo, outcome_nodes[output.outcome])
            for name in output.programmes:
                programme = iris.plan_programme(plan, name)
                add(programme, RDF.type, WSIS.Programme)
                add(programme, WSIS.actionPlan, plan_node)
                add(programme, RDFS.label, Literal(name, lang="en"))
                add(node, WSIS.programme, programme)
            self._citations(node, output.citations)
            for statement in output.resolution_statements:
                add(node, WSIS.resolutionStatement, Literal(statement))
            for code in output.action_lines:
                add(node, WSIS.supportsActionLine, iris.action_line(code))
            for statement in output.action_line_statements:
                add(node, WSIS.actionLineStatement, Literal(statement))
            for goal in output.sdgs.goals:
                add(node, WSIS.linkedSDGGoal, iris.sdg_goal(goal))
            for code in output.sdgs.targets:
                add(node, WSIS.linkedSDGTarget, iris.sdg_target(code))
            for statement in output.sdgs.statements:
                add(node, WSIS.sdgStatement, Literal(statement))
        for proposal in read.proposals:
            node = iris.plan_proposal(plan, proposal.number)
            add(node, RDF.type, WSIS.AmendmentProposal)
            add(
                node,
                RDFS.label,
                Literal(
                    f"amendment proposal {proposal.number} to Output {proposal.output}", lang="en"
                ),
            )
            add(node, WSIS.amendsOutput, iris.plan_output(plan, proposal.output))
            add(node, WSIS.amendedHeading, Literal(proposal.heading))
            add(node, WSIS.text, Literal(proposal.summary))
            add(node, WSIS.number, Literal(str(proposal.number)))
            add(node, WSIS.sourceLineStart, Literal(proposal.line))
            add(node, PROV.wasDerivedFrom, source_node)
            if proposal.text:
                add(node, WSIS.proposedText, Literal("\n".join(t for _, t in proposal.text)))
                add(node, WSIS.proposedTextLineStart, Literal(proposal.text[0][0]))
                add(node, WSIS.proposedTextLineEnd, Literal(proposal.text[-1][0]))
        self.corrections(plan_node, read.corrections)
