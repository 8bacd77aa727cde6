"""The spring input a simulated leader writes: needs and measures that fit the kind of unit, figures that agree."""

from __future__ import annotations

import random
from datetime import date, timedelta

from arshjul.demo.catalogue import MeasureIdea, NeedIdea, UnitProfile, common_measures
from domain.forms import Criticality

PRIORITY = {Criticality.HIGH: 1, Criticality.MEDIUM: 2, Criticality.LOW: 3}
MONTHS = {  # the months a measure of each period has its sessions in, as (year offset, month)
    "spring": ((0, 2), (0, 3), (0, 4), (0, 5)),
    "autumn": ((0, 9), (0, 10), (0, 11)),
    "year": ((0, 2), (0, 3), (0, 4), (0, 5), (0, 9), (0, 10), (0, 11)),
    "school_year": ((0, 9), (0, 10), (0, 11), (1, 1), (1, 2), (1, 3), (1, 4)),
}


def input_form(rng: random.Random, profile: UnitProfile, plan_year: int) -> dict[str, str]:
    """A unit's input for the plan for `plan_year`: 1–3 of its kind's measures, the needs they answer."""
    ideas = rng.sample(profile.measures, min(len(profile.measures), rng.choice((1, 2, 2, 3))))
    if rng.random() < 0.2:
        ideas.append(rng.choice(common_measures()))
    needs = _needs(rng, profile, ideas)
    first = profile.profiles[0]
    fields = {
        "requirements": " ".join(p.requirements for p in profile.profiles),
        "holdings": first.holdings.format(pct=rng.randint(*first.pct), few=rng.choice(("To", "Tre", "Fire"))),
    }
    for i, need in enumerate(needs):
        fields |= {
            f"needs-{i}-area": need.area,
            f"needs-{i}-description": need.text,
            f"needs-{i}-criticality": need.criticality.value,
            f"needs-{i}-horizon": need.horizon.value,
            f"needs-{i}-strategy": need.strategy.value,
        }
    urgency = {need.area: PRIORITY[need.criticality] for need in needs}
    for i, idea in enumerate(ideas):
        fields |= measure_fields(rng, i, idea, plan_year, priority=urgency.get(idea.area, 2))
    return fields | _education(rng, first.education.kind, first.education.start, first.education.count, plan_year)


def _needs(rng: random.Random, profile: UnitProfile, ideas: list[MeasureIdea]) -> list[NeedIdea]:
    """The needs the chosen measures answer, and now and then one more the unit has no measure for yet."""
    areas = {idea.area for idea in ideas}
    answered = [n for n in profile.needs if n.area in areas]
    others = [n for n in profile.needs if n.area not in areas]
    chosen = list({n.area: n for n in answered}.values())
    if others and rng.random() < 0.4:
        chosen.append(rng.choice(others))
    return chosen


def measure_fields(rng: random.Random, i: int, idea: MeasureIdea, plan_year: int, *, priority: int) -> dict[str, str]:
    """One measure row: Sørum's columns, planned participants, cost by type and who pays how much."""
    cost = kroner(rng.randint(*idea.cost))
    fields = {
        f"measures-{i}-area": idea.area,
        f"measures-{i}-focus_area": idea.focus,
        f"measures-{i}-goal": idea.goal,
        f"measures-{i}-title": idea.title,
        f"measures-{i}-target_group": idea.target,
        f"measures-{i}-arena": idea.arena,
        f"measures-{i}-period": period_text(idea.period, plan_year),
        f"measures-{i}-responsible": idea.responsible,
        f"measures-{i}-participants": str(rng.randint(*idea.participants)),
        f"measures-{i}-sessions": "\n".join(d.strftime("%d.%m.%Y") for d in sessions(idea, plan_year)),
        f"measures-{i}-cost": str(cost),
        f"measures-{i}-cost_type": idea.cost_type.value,
        f"measures-{i}-priority": str(priority),
        f"measures-{i}-funding": idea.funding[0].value,
    }
    if len(idea.funding) == 3:
        share = kroner(cost * idea.funding[2])
        fields |= {
            f"measures-{i}-funding_amount": str(share),
            f"measures-{i}-funding_other": idea.funding[1].value,
            f"measures-{i}-funding_other_amount": str(cost - share),
        }
    if idea.substitutes:
        fields[f"measures-{i}-substitutes"] = "on"
    return fields


def _education(rng: random.Random, kind: str, start: str, count: tuple[int, int], plan_year: int) -> dict[str, str]:
    wanted = rng.randint(*count)
    if not wanted:
        return {"education_count": "0"}
    return {"education_count": str(wanted), "education_kind": kind, "education_start": f"{start} {plan_year}"}


def period_text(period: str, plan_year: int) -> str:
    return {
        "spring": f"Vår {plan_year}",
        "autumn": f"Høst {plan_year}",
        "year": f"Hele {plan_year}",
        "school_year": f"Høst {plan_year}–vår {plan_year + 1}",
    }[period]


def sessions(idea: MeasureIdea, plan_year: int) -> list[date]:
    """The measure's sessions, spread over the months of its period, on the month's second Tuesday (no holiday)."""
    months = MONTHS[idea.period]
    step = len(months) / idea.sessions
    picked = [months[min(int(n * step), len(months) - 1)] for n in range(idea.sessions)]
    days = []
    for n, (offset, month) in enumerate(picked):
        first = date(plan_year + offset, month, 1)
        tuesday = first + timedelta(days=(1 - first.weekday()) % 7 + 7)
        # Two sessions in one month: the second falls a fortnight later (the fourth Tuesday, still no holiday).
        days.append(tuesday + timedelta(days=14) if n and picked[n - 1] == (offset, month) else tuesday)
    return days


def kroner(amount: float) -> int:
    """A planned amount as people write it: whole thousands, or hundreds below ten thousand."""
    step = 1000 if amount >= 10_000 else 100
    return int(round(amount / step) * step)


def representative_input(rng: random.Random, scope: str, plan_year: int) -> dict[str, str]:
    """A tillitsvalgt's spring input: what the members need, no measures of the units' own."""
    needs = [
        ("Fagbrev", "Mange assistenter og ufaglærte ønsker fagbrev, men får ikke frikjøp til teorien.", "utvikle"),
        ("Arbeidsmiljø og HMS", "Verneombudene må få opplæringen de har krav på før de trer inn i vervet.", "utvikle"),
        ("Ledelse", "Medarbeidersamtalene må fange opp ønsker om etter- og videreutdanning.", "mobilisere"),
    ]
    fields = {
        "requirements": f"Kravene til formell kompetanse øker i tjenestene i {scope}; medlemmene må få opplæringen "
        f"i arbeidstiden i {plan_year}.",
        "holdings": "Mange medlemmer i deltidsstillinger har lang erfaring og realkompetanse, men mangler formell "
        "kompetanse.",
    }
    for i, (area, text, strategy) in enumerate(rng.sample(needs, 2)):
        fields |= {
            f"needs-{i}-area": area,
            f"needs-{i}-description": text,
            f"needs-{i}-criticality": rng.choice(("høy", "middels")),
            f"needs-{i}-horizon": "lang",
            f"needs-{i}-strategy": strategy,
        }
    return fields
