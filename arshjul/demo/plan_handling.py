"""The plan's autumn: the tillitsvalgte's comments, HR's answers to them, and the meetings that handle the plan.

The handlings follow the seeds' trail: the consultation draft is discussed in Kompetanseforum in September, the
final draft (with the comments answered) in the medbestemmelsesmøte and AMU in November, and Kommunestyret adopts
it in December. HR records them after the vedtak, each dated on its meeting day.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

UNION_AREAS = {  # what each union's representatives comment on first
    "Utdanningsforbundet": {"Klasseledelse", "Spesialpedagogikk", "Lese- og skriveopplæring", "Språkutvikling"},
    "Sykepleierforbundet": {"Demens", "Legemiddelhåndtering", "Palliasjon", "Velferdsteknologi", "Rehabilitering"},
    "Fagforbundet": {"Fagbrev", "Arbeidsmiljø og HMS", "Demens", "Legemiddelhåndtering"},
    "Delta": {"Digitalisering", "Arbeidsmiljø og HMS", "Beredskap", "Saksbehandling"},
    "Fellesorganisasjonen": {"Barnevern", "Relasjonskompetanse", "Psykisk helse og rus", "Saksbehandling"},
    "Akademikerne": {"Ledelse", "Saksbehandling", "Digitalisering", "Klarspråk"},
}
COMMENTS = {
    "enig": (
        "Vi støtter tiltaket. Deltakerne må få frikjøpt tid, ikke ta det i tillegg til full turnus.",
        "Godt tiltak som medlemmene har etterspurt i flere år.",
    ),
    "uenig": (
        "Tiltaket bør finansieres sentralt; enhetens budsjett tåler ikke kostnaden uten å kutte i bemanningen.",
        "Tiltaket bør vente til vikarbudsjettet er avklart.",
    ),
    "kommentar": (
        "Vi ber om at også ansatte i deltidsstillinger får delta, og at vikarbehovet budsjetteres.",
        "Tidsrommet kolliderer med ferieavviklingen; vi foreslår oppstart etter høstferien.",
    ),
}
ANSWERS = {  # HR's answer to a comment of each position: verdict and reason
    "enig": ("accepted", "Tatt inn i planen: frikjøp er budsjettert for deltakerne."),
    "uenig": ("partly", "Sentral pott dekker halvparten i planåret; resten dekkes av enheten som før."),
    "kommentar": ("partly", "Deltidsansatte prioriteres ved neste opptak; vikarbehovet er lagt inn i kostnadene."),
}


@dataclass(frozen=True)
class Meeting:
    body: str
    held_on: date
    kind: str
    case_number: str
    outcome: str


def consultation_form(rng: random.Random, measures: list[dict[str, Any]], union: str) -> dict[str, str]:
    """A tillitsvalgt's comments on the measures their members are most concerned with, and a statement."""
    areas = UNION_AREAS.get(union, set())
    close = [m for m in measures if m.get("area") in areas] or measures
    fields = {"statement": _statement(union)}
    for i, measure in enumerate(rng.sample(close, min(len(close), rng.randint(1, 3)))):
        position = rng.choices(("enig", "uenig", "kommentar"), weights=(5, 2, 3))[0]
        fields |= {
            f"comments-{i}-target": str(measure["key"]),
            f"comments-{i}-position": position,
            f"comments-{i}-text": rng.choice(COMMENTS[position]),
        }
    return fields


def _statement(union: str) -> str:
    who = union or "De tillitsvalgte"
    return (
        f"{who} støtter hovedlinjene i planen, men ber om mer vekt på heltidskultur, frikjøp til videreutdanning og "
        "fagbrev for ansatte uten formell kompetanse."
    )


def comment_answer(position: str) -> tuple[str, str]:
    """HR's verdict and reason for a comment of this position."""
    return ANSWERS.get(position, ANSWERS["kommentar"])


def meetings(year: int, rng: random.Random) -> list[Meeting]:
    """The year's handlings of the plan for year + 1, on ordinary meeting days of each body."""
    yy, plan_year = year % 100, year + 1
    return [
        Meeting(
            "Kompetanseforum",
            _nth_weekday(year, 9, 2, 3),
            "drøfting",
            f"{yy}/{rng.randint(1200, 2400)}",
            "Utkastet er drøftet. Forumet ber om at fagbrev for assistenter prioriteres.",
        ),
        Meeting(
            "MBM",
            _nth_weekday(year, 11, 1, 1),
            "drøfting",
            f"{yy}/{rng.randint(2400, 3200)}",
            "Endelig utkast er drøftet med hovedtillitsvalgte; merknadene fra høringen er besvart.",
        ),
        Meeting("AMU", _nth_weekday(year, 11, 1, 3), "til etterretning", f"AMU-sak {rng.randint(30, 45)}/{yy}", ""),
        Meeting(
            "Kommunestyret",
            adoption_day(year),
            "vedtak",
            f"PS {rng.randint(90, 130)}/{yy}",
            f"Kompetanseplan {plan_year} vedtas som foreslått.",
        ),
    ]


def adoption_day(year: int) -> date:
    """Kommunestyret's December meeting: the second Thursday, before the adoption phase's deadline."""
    return _nth_weekday(year, 12, 3, 2)


def adoption_form(handled: list[Meeting]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for i, meeting in enumerate(handled):
        fields |= {
            f"handlings-{i}-body": meeting.body,
            f"handlings-{i}-held_on": meeting.held_on.isoformat(),
            f"handlings-{i}-kind": meeting.kind,
            f"handlings-{i}-case_number": meeting.case_number,
            f"handlings-{i}-outcome": meeting.outcome,
        }
    return fields


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The n-th given weekday (0 = Monday) of the month: a usual meeting day, never a public holiday here."""
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
