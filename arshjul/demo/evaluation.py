"""The January evaluation a simulated leader writes: each item of last year's plan, fields that agree.

The leader evaluates the items the form shows (read from the page), and knows what the unit planned: its share of
the measure's cost and the participants it asked for. Whatever is marked «gjennomført» has participants, an actual
cost near the budget and an effect level with how it was assessed; «ikke» has none of these and says why.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from arshjul.demo.catalogue import idea_titled
from arshjul.demo.unit_input import kroner

WHY_NOT = (
    "Kursholder ble syk, og kurset ble ikke satt opp på nytt.",
    "For få vikarer i perioden til å frigjøre deltakerne.",
    "Tilbudet ble avlyst av arrangøren.",
    "Budsjettet ble strammet inn i løpet av året.",
)
PARTLY = (
    "Bare første del ble gjennomført; andre samling ble utsatt.",
    "Færre kunne delta enn planlagt på grunn av bemanningen.",
)
CONSEQUENCE = (
    "Tiltaket meldes inn på nytt i neste års plan.",
    "Resten av gruppen gjennomfører tiltaket i vår.",
)
ASSESSED = {
    "reached_reaction": "Evalueringsskjema til deltakerne etter siste samling.",
    "reached_learning": "Kunnskapstest og samtale med nærmeste leder.",
    "reached_application": "Observasjon i praksis og oppfølging i personalmøter.",
    "reached_benefit": "Færre avvik og bedre resultater i tjenesten enn året før.",
}


@dataclass(frozen=True)
class Planned:
    """What the unit planned for a measure: its share of the cost and its participants (0 when not recorded)."""

    cost: int
    participants: int


def evaluation_form(rng: random.Random, items: list[dict[str, str]], planned: dict[str, Planned]) -> dict[str, str]:
    """Every item the page showed, assessed; a unit with none says so."""
    if not items:
        return {"no_items_reason": "Enheten hadde ingen tiltak i fjorårets plan.", "lessons": ""}
    fields = {"lessons": rng.choice(("Tiltak i arbeidstiden gir best oppslutning.", "Frikjøp må avklares tidlig."))}
    for i, item in enumerate(items):
        plan = planned.get(item["measure_key"], Planned(0, 0))
        fields |= {
            f"items-{i}-measure_key": item["measure_key"],
            f"items-{i}-title": item["title"],
            **_assessed(rng, i, item["title"], plan, _whole(item.get("planned_participants", ""))),
        }
    return fields


def _assessed(rng: random.Random, i: int, title: str, plan: Planned, shown: int) -> dict[str, str]:
    idea = idea_titled(title)
    planned = shown or plan.participants or (rng.randint(*idea.participants) if idea else rng.randint(2, 10))
    budget = plan.cost or (kroner(rng.randint(*idea.cost)) if idea else 10_000)
    carried = rng.choices(("gjennomført", "delvis", "ikke"), weights=(70, 20, 10))[0]
    fields = {
        f"items-{i}-carried_out": carried,
        f"items-{i}-planned_participants": str(planned),
        f"items-{i}-next_step": rng.choice(("fortsette", "fortsette", "endre")),
    }
    if carried == "ikke":
        return fields | {
            f"items-{i}-why_not": rng.choice(WHY_NOT),
            f"items-{i}-participants": "0",
            f"items-{i}-cost": "0",
            f"items-{i}-deviation": "Tiltaket ble ikke gjennomført.",
            f"items-{i}-consequence": rng.choice(CONSEQUENCE),
            f"items-{i}-next_step": rng.choice(("fortsette", "endre", "avslutte")),
        }
    share = 1.0 if carried == "gjennomført" else rng.uniform(0.4, 0.7)
    levels = ["reached_reaction", "reached_learning"][: rng.randint(1, 2)]
    if carried == "gjennomført" and rng.random() < 0.4:
        levels.append("reached_application")
    fields |= {
        f"items-{i}-participants": str(max(1, round(planned * share * rng.uniform(0.8, 1.1)))),
        f"items-{i}-cost": str(kroner(budget * share * rng.uniform(0.85, 1.1))),
        f"items-{i}-goal_attainment": _attainment(rng, carried),
        f"items-{i}-assessed_how": " ".join(ASSESSED[level] for level in levels),
        **{f"items-{i}-{level}": "on" for level in levels},
    }
    if carried == "delvis":
        fields |= {
            f"items-{i}-why_not": rng.choice(PARTLY),
            f"items-{i}-deviation": "Tiltaket ble bare delvis gjennomført.",
            f"items-{i}-consequence": rng.choice(CONSEQUENCE),
        }
    return fields


def _attainment(rng: random.Random, carried: str) -> str:
    if carried == "delvis":
        return "delvis nådd"
    return rng.choices(("nådd", "delvis nådd", "for tidlig å si"), weights=(65, 20, 15))[0]


def _whole(text: str) -> int:
    return int(text) if text.strip().isdigit() else 0
