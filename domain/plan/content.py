"""What a plan version holds, typed: built by the roll-up, stored as JSON, read by every writer and page.

The models dump to exactly the JSON the version table has always held (field names, nesting, values), so rows
written before these models load unchanged and a version's content hash, taken over that JSON, stays the same.
Every model has defaults, so an older or partial row still loads; unknown keys are ignored on reading. Fields added
later are listed in a model's `ADDED` and left out of the JSON while empty, so older rows keep their hash.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer

from domain.plan.frame import PlanFrame
from domain.plan.narrative import NarrativeSection


class Stored(BaseModel):
    model_config = ConfigDict(extra="ignore", validate_by_name=True, validate_by_alias=True, serialize_by_alias=True)
    ADDED: ClassVar[frozenset[str]] = frozenset()  # fields newer than the first stored rows

    @model_serializer(mode="wrap")
    def _without_empty_additions(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        return {k: v for k, v in data.items() if k not in self.ADDED or v not in (None, "", 0, [], {}, False)}


class UnitRequest(Stored):
    """One unit asking for a measure: its own text, participants, cost, priority and funding, as it wrote them."""

    ADDED = frozenset(
        [
            "goal",
            "target_group",
            "arena",
            "period",
            "responsible",
            "participants",
            "cost_type",
            "sessions",
            "funding_shares",
        ]
    )
    unit: str = ""
    unit_name: str = ""
    sector: str = ""
    cost: int = 0
    priority: int = 2
    funding: str = ""
    goal: str = ""
    target_group: str = ""
    arena: str = ""
    period: str = ""
    responsible: str = ""
    participants: int = 0
    cost_type: str = ""
    sessions: str = ""
    funding_shares: dict[str, int] = Field(default_factory=dict)  # source -> amount


class PlannedMeasure(Stored):
    """A measure of the plan (the row every writer prints): the form's fields, merged over the units that asked."""

    area: str = ""
    goal: str = ""
    title: str = ""
    target_group: str = ""
    arena: str = ""
    period: str = ""
    responsible: str = ""
    cost: int = 0  # the sum of the requests
    priority: int = 2  # the kommunalsjef's if one chose, else the most urgent unit's
    funding: str = ""  # every funding source the units named, joined
    substitutes: bool = False
    key: str = ""
    requests: list[UnitRequest] = Field(default_factory=list)
    sector_priorities: dict[str, int] = Field(default_factory=dict)
    units: list[str] = Field(default_factory=list)
    unit_names: list[str] = Field(default_factory=list)
    sectors: list[str] = Field(default_factory=list)
    unit_priority: int = 2
    prioritised_by: str = "enhet"  # "enhet" or "kommunalsjef"
    focus_area: str = ""  # the innsatsområde
    participants: int = 0  # planned, over every request
    funding_totals: dict[str, int] = Field(default_factory=dict)  # source -> amount, over every request

    ADDED = frozenset({"focus_area", "participants", "funding_totals"})

    @property
    def substitutes_text(self) -> str:
        return "Ja" if self.substitutes else "Nei"

    @property
    def asked_by(self) -> str:
        """The units that asked, as one line."""
        return ", ".join(self.unit_names)


class SectorMeasure(PlannedMeasure):
    """A measure as one sector sees it: its own units and cost, and its kommunalsjef's choice so far (not stored)."""

    own_units: list[str] = Field(default_factory=list)
    own_cost: int = 0
    chosen: int | None = None


class PlanNeed(Stored):
    """A competence area, counted over the units that named it."""

    area: str = ""
    units: list[str] = Field(default_factory=list)
    sectors: list[str] = Field(default_factory=list)
    criticality: dict[str, int] = Field(default_factory=dict)
    horizon: dict[str, int] = Field(default_factory=dict)
    strategy: dict[str, int] = Field(default_factory=dict)


class EducationWish(Stored):
    """One unit's employees who want formal education next year: how many, which, when."""

    unit_name: str = ""
    count: int = 0
    kind: str = ""
    start: str = ""


class NeedsSummary(Stored):
    total: int = 0
    by_criticality: dict[str, int] = Field(default_factory=dict)
    by_horizon: dict[str, int] = Field(default_factory=dict)


class Costs(Stored):
    by_funding: dict[str, int] = Field(default_factory=dict)
    by_sector: dict[str, int] = Field(default_factory=dict)
    total: int = 0


class SectorSummary(Stored):
    name: str = ""
    units: int = 0
    needs: int = 0
    measures: int = 0
    cost: int = 0


class UnionInput(Stored):
    """A tillitsvalgt's spring input: kept beside the units' input, never counted as a unit's."""

    name: str = ""
    scope: str = ""  # the part of the organisation the tillitsvalgt speaks for
    requirements: str = ""
    holdings: str = ""
    needs: list[str] = Field(default_factory=list)  # competence areas named
    measures: list[str] = Field(default_factory=list)  # measures proposed


class RolledInput(Stored):
    """The spring input rolled up: the analysis, strategies, merged measures and costs."""

    ADDED = frozenset({"union_input", "education"})

    needs: list[PlanNeed] = Field(default_factory=list)
    needs_summary: NeedsSummary = Field(default_factory=NeedsSummary)
    strategies: dict[str, int] = Field(default_factory=dict)
    strategy_shares: dict[str, float] = Field(default_factory=dict)
    measures: list[PlannedMeasure] = Field(default_factory=list)
    costs: Costs = Field(default_factory=Costs)
    sectors: list[SectorSummary] = Field(default_factory=list)
    union_input: list[UnionInput] = Field(default_factory=list)
    education: list[EducationWish] = Field(default_factory=list)


class EvaluatedItem(Stored):
    """One unit's evaluation of one of last year's measures."""

    ADDED = frozenset(
        {"why_not", "planned_participants", "levels", "assessed_how", "goal_attainment", "deviation", "consequence"}
    )
    measure_key: str = ""
    title: str = ""
    carried_out: str = ""
    participants: int = 0
    cost: int = 0
    level: str = ""  # the one level asked before several could be ticked
    next_step: str = ""
    notes: str = ""
    unit: str = ""
    why_not: str = ""
    planned_participants: int = 0
    levels: list[str] = Field(default_factory=list)
    assessed_how: str = ""
    goal_attainment: str = ""
    deviation: str = ""
    consequence: str = ""

    @property
    def levels_text(self) -> str:
        return ", ".join(self.levels) if self.levels else self.level


class EvaluationNote(Stored):
    ADDED = frozenset({"no_items_reason"})
    unit: str = ""
    deviations: str = ""
    lessons: str = ""
    no_items_reason: str = ""


class PlanEvaluation(Stored):
    """January's answers rolled up: what was carried out, and what continues, changes or stops."""

    carried_out: dict[str, int] = Field(default_factory=dict)
    next_steps: dict[str, int] = Field(default_factory=dict)
    continue_: list[str] = Field(default_factory=list, alias="continue")
    change: list[str] = Field(default_factory=list)
    stop: list[str] = Field(default_factory=list)
    participants: int = 0
    cost: int = 0
    items: list[EvaluatedItem] = Field(default_factory=list)
    notes: list[EvaluationNote] = Field(default_factory=list)
    planned_participants: int = 0
    goal_attainment: dict[str, int] = Field(default_factory=dict)
    levels: dict[str, int] = Field(default_factory=dict)  # items that reached each Lai/Kirkpatrick level

    ADDED = frozenset({"planned_participants", "goal_attainment", "levels"})


class PlacedComment(Stored):
    """A tillitsvalgt's comment with its place: a measure (by key) or else a section."""

    target: str = ""
    position: str = ""
    text: str = ""
    measure: str | None = None
    section: str | None = None

    @model_serializer(mode="wrap")
    def _only_its_place(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        return {k: v for k, v in data.items() if v is not None or k not in ("measure", "section")}


class ConsultationEntry(Stored):
    """One tillitsvalgt's newest statement and comments, with the version they were made on."""

    name: str = ""
    union: str = ""
    version: int | None = None
    comments: list[PlacedComment] = Field(default_factory=list)
    statement: str = ""


class PlanContent(RolledInput):
    """A plan version's whole content, as stored in `PlanVersion.content`."""

    municipality: str = ""
    plan_year: int | None = None
    title: str = "Kompetanseplan"
    frame: PlanFrame | None = None
    evaluation: PlanEvaluation = Field(default_factory=PlanEvaluation)
    consultation: list[ConsultationEntry] = Field(default_factory=list)
    reason: str = ""
    # The text HR wrote for the plan period, as it was when this version was compiled (domain/plan/narrative.py);
    # versions made before it have none and read their frame's text instead (domain/plan/prose.py narrative_of).
    narrative: list[NarrativeSection] = Field(default_factory=list)
    period: str = ""  # the plan period the narrative belongs to, "2028–2031"; the measures are for plan_year

    ADDED = frozenset({"union_input", "education", "narrative", "period"})

    def stored(self) -> dict[str, Any]:
        """The JSON for the version table."""
        return self.model_dump(mode="json")

    def content_hash(self) -> str:
        """SHA-256 of the stored JSON with sorted keys: how every version's hash has been taken."""
        canonical = json.dumps(self.stored(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()


def plan_content(stored: dict[str, Any]) -> PlanContent:
    """A version's stored content as the typed model."""
    return PlanContent.model_validate(stored)
