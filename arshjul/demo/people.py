"""Simulated leaders, tillitsvalgte and HR: when each answers, and what they write."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from domain.aarshjul.model import Aarshjul
from domain.aarshjul.schedule import Notice, NoticeKind
from domain.aarshjul.workdays import local_moment, to_local

AREAS = {
    "Helse": ["Demens", "Legemiddelhåndtering", "Velferdsteknologi", "Palliasjon", "Rehabilitering"],
    "Oppvekst": [
        "Lese- og skriveopplæring",
        "Klasseledelse",
        "Spesialpedagogikk",
        "Digital kompetanse",
        "Språkutvikling",
    ],
    "Felles": [
        "Ledelse",
        "Arbeidsmiljø og HMS",
        "Digitalisering",
        "Klarspråk",
        "Personvern og informasjonssikkerhet",
    ],
}
MEASURES = {
    "Demens": "Demensomsorgens ABC",
    "Legemiddelhåndtering": "E-læring i legemiddelhåndtering",
    "Velferdsteknologi": "Velferdsteknologiens ABC",
    "Palliasjon": "Kurs i lindrende behandling",
    "Rehabilitering": "Hverdagsrehabilitering i praksis",
    "Lese- og skriveopplæring": "Videreutdanning i norsk",
    "Klasseledelse": "Veiledningsgrupper i klasseledelse",
    "Spesialpedagogikk": "Videreutdanning i spesialpedagogikk",
    "Digital kompetanse": "Nettverk for digital praksis",
    "Språkutvikling": "Språkløyper for barnehage",
    "Ledelse": "Lederutviklingsprogram",
    "Arbeidsmiljø og HMS": "HMS-grunnkurs for verneombud",
    "Digitalisering": "Digitale arbeidsformer",
    "Klarspråk": "Klarspråkkurs",
    "Personvern og informasjonssikkerhet": "E-læring i personvern",
}
# The innsatsområde (of the packaged plan frame) each demo measure serves, so the plan groups its measures by them.
FOCUS_AREAS = {
    "Velferdsteknologi": "Digital kompetanse",
    "Digital kompetanse": "Digital kompetanse",
    "Digitalisering": "Digital kompetanse",
    "Personvern og informasjonssikkerhet": "Digital kompetanse",
    "Ledelse": "Ledelse",
    "Arbeidsmiljø og HMS": "Rekruttere og beholde",
    "Spesialpedagogikk": "Rekruttere og beholde",
}
FUNDING = ["eget budsjett", "statsforvalter", "sentral pott", "fond", "stipend"]


class Behaviour(StrEnum):
    EARLY = "early"
    AFTER_REMINDERS = "after_reminders"
    AFTER_ESCALATION = "after_escalation"
    NEVER = "never"


@dataclass(frozen=True)
class Plan:
    assignment_id: int
    token: str
    form: str
    behaviour: Behaviour
    at: datetime | None


def choose_behaviour(rng: random.Random, *, required: bool) -> Behaviour:
    """The response model: ~60 % early, ~25 % after reminders, ~10 % after escalation, ~5 % never."""
    if not required:
        return rng.choice([Behaviour.EARLY, Behaviour.NEVER])
    roll = rng.random()
    if roll < 0.60:
        return Behaviour.EARLY
    if roll < 0.85:
        return Behaviour.AFTER_REMINDERS
    return Behaviour.AFTER_ESCALATION if roll < 0.96 else Behaviour.NEVER


def answer_time(
    rng: random.Random,
    aarshjul: Aarshjul,
    behaviour: Behaviour,
    *,
    opens_at: datetime,
    due_at: datetime,
    closes_at: datetime,
    ladder: list[Notice],
) -> datetime | None:
    """A moment in office hours that fits the behaviour, on the ladder of this task's notices."""
    reminders = [n.at for n in ladder if n.kind == NoticeKind.REMINDER]
    escalations = [n.at for n in ladder if n.kind in (NoticeKind.ESCALATE_SECTOR, NoticeKind.ESCALATE_HR)]
    first_reminder = reminders[0] if reminders else due_at
    if behaviour == Behaviour.NEVER:
        return None
    if behaviour == Behaviour.EARLY:
        return _office_moment(rng, aarshjul, opens_at + timedelta(hours=2), first_reminder - timedelta(hours=20))
    if behaviour == Behaviour.AFTER_REMINDERS or not escalations:
        return _office_moment(rng, aarshjul, first_reminder + timedelta(hours=1), due_at - timedelta(hours=1))
    return _office_moment(
        rng,
        aarshjul,
        escalations[0] + timedelta(hours=1),
        min(escalations[0] + timedelta(days=10), closes_at - timedelta(days=1)),
    )


def _office_moment(rng: random.Random, aarshjul: Aarshjul, start: datetime, end: datetime) -> datetime:
    first, last = to_local(start).date(), to_local(max(end, start)).date()
    cal = aarshjul.calendar(first.year)
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    working = [d for d in days if cal.is_working_day(d)] or [cal.next_working_day(first)]
    for _ in range(20):
        moment = local_moment(rng.choice(working), time(rng.randint(8, 15), rng.randrange(0, 60, 5)))
        if start <= moment <= max(end, start + timedelta(minutes=1)):
            return moment
    return max(start, local_moment(working[0], aarshjul.hours.start))


def input_form(rng: random.Random, unit_name: str) -> dict[str, str]:
    pool = AREAS["Helse"] if rng.random() < 0.45 else AREAS["Oppvekst"]
    areas = rng.sample(pool, 2) + rng.sample(AREAS["Felles"], 1)
    fields = {
        "requirements": f"{unit_name} trenger oppdatert fagkompetanse i {areas[0].lower()} og {areas[1].lower()}.",
        "holdings": f"{rng.randint(40, 90)} % av de ansatte har relevant formell kompetanse.",
    }
    for i, area in enumerate(areas[:2]):
        fields |= {
            f"needs-{i}-area": area,
            f"needs-{i}-description": f"Behov for mer kompetanse i {area.lower()}.",
            f"needs-{i}-criticality": rng.choice(["høy", "middels", "lav"]),
            f"needs-{i}-horizon": rng.choice(["kort", "lang"]),
            f"needs-{i}-strategy": rng.choice(["utvikle", "utvikle", "mobilisere", "rekruttere", "avvikle"]),
        }
    for i, area in enumerate(rng.sample(areas, rng.randint(1, 3))):
        fields |= _measure(rng, i, area)
    return fields


def _measure(rng: random.Random, i: int, area: str) -> dict[str, str]:
    fields = {
        f"measures-{i}-area": area,
        f"measures-{i}-goal": f"Styrke kompetansen i {area.lower()}",
        f"measures-{i}-title": MEASURES[area],
        f"measures-{i}-focus_area": FOCUS_AREAS.get(area, "Faglig kvalitet"),
        f"measures-{i}-target_group": rng.choice(
            ["Alle ansatte", "Fagarbeidere", "Ledere", "Pedagoger", "Sykepleiere"]
        ),
        f"measures-{i}-arena": rng.choice(["Kurs", "E-læring", "Nettverk", "Videreutdanning", "Hospitering"]),
        f"measures-{i}-period": rng.choice(["Vår 2028", "Høst 2028", "Hele 2028"]),
        f"measures-{i}-responsible": "Virksomhetsleder",
        f"measures-{i}-cost": str(rng.randrange(10_000, 250_000, 5_000)),
        f"measures-{i}-priority": str(rng.randint(1, 3)),
        f"measures-{i}-funding": rng.choice(FUNDING),
    }
    if rng.random() < 0.3:
        fields[f"measures-{i}-substitutes"] = "on"
    return fields


def evaluation_form(rng: random.Random, prefilled: list[dict[str, Any]]) -> dict[str, str]:
    items = prefilled or [{"title": MEASURES[rng.choice(list(MEASURES))], "measure_key": ""}]
    fields = {
        "deviations": rng.choice(["", "Kurset ble utsatt på grunn av sykdom.", "Færre deltakere enn planlagt."]),
        "lessons": "Tiltak i arbeidstiden gir best oppslutning.",
    }
    for i, item in enumerate(items):
        fields |= {
            f"items-{i}-title": item["title"],
            f"items-{i}-measure_key": item.get("measure_key", ""),
            f"items-{i}-next_step": rng.choice(["fortsette", "fortsette", "endre", "avslutte"]),
            **_carried_out(rng, i, int(item.get("planned_participants") or 0)),
        }
    return fields


def _carried_out(rng: random.Random, i: int, planned: int) -> dict[str, str]:
    """Fields that agree with each other: nothing done has no participants, cost or effect; the rest say why."""
    carried = rng.choice(["gjennomført", "gjennomført", "delvis", "ikke"])
    fields = {f"items-{i}-carried_out": carried, f"items-{i}-planned_participants": str(planned)}
    if carried != "gjennomført":
        fields[f"items-{i}-why_not"] = rng.choice(["Kursholder ble syk.", "For få vikarer i perioden."])
    if carried == "ikke":
        return fields | {f"items-{i}-participants": "0", f"items-{i}-cost": "0"}
    level = rng.choice(["reached_reaction", "reached_learning", "reached_application"])
    return fields | {
        f"items-{i}-participants": str(rng.randint(3, max(planned, 25))),
        f"items-{i}-cost": str(rng.randrange(5_000, 200_000, 5_000)),
        f"items-{i}-goal_attainment": "nådd" if carried == "gjennomført" else "delvis nådd",
        f"items-{i}-{level}": "on",
        f"items-{i}-assessed_how": "Spørsmål til deltakerne og samtale i personalmøtet.",
    }


def consultation_form(rng: random.Random, measure_titles: list[str]) -> dict[str, str]:
    fields = {"statement": "Vi støtter hovedlinjene i planen, men ber om mer vekt på heltidskultur og vikarbruk."}
    for i, title in enumerate(rng.sample(measure_titles, min(2, len(measure_titles)))):
        fields |= {
            f"comments-{i}-target": title,
            f"comments-{i}-position": rng.choice(["enig", "uenig", "kommentar"]),
            f"comments-{i}-text": "Tiltaket må ha frikjøp av tid for deltakerne.",
        }
    return fields


def adoption_form(year: int) -> dict[str, str]:
    handlings = [
        ("Kompetanseforum", date(year, 9, 20), "drøfting", f"{year}/211"),
        ("AMU", date(year, 11, 18), "orientering", f"{year}/388"),
        ("Kommunestyret", date(year, 12, 9), "vedtak", f"{year}/512"),
    ]
    fields: dict[str, str] = {}
    for i, (body, held_on, kind, case) in enumerate(handlings):
        fields |= {
            f"handlings-{i}-body": body,
            f"handlings-{i}-held_on": held_on.isoformat(),
            f"handlings-{i}-kind": kind,
            f"handlings-{i}-case_number": case,
            f"handlings-{i}-outcome": "Vedtatt som foreslått" if kind == "vedtak" else "Tatt til orientering",
        }
    return fields
