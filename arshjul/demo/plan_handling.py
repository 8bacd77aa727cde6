"""The plan's autumn: the tillitsvalgte's comments, HR's answers to them, and the meetings that handle the plan.

The handlings follow the seeds' trail: the consultation draft is discussed in Kompetanseforum, the final draft (with
the comments answered) in the medbestemmelsesmøte and AMU, and the adopting body (Kommunestyret in the packaged
årshjul) adopts it. HR records them when the adoption task comes, each dated on a meeting day after the version it
handled was made, so another årshjul's dates and bodies work as well.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from domain.aarshjul.bodies import PlanBody, find_body
from domain.aarshjul.workdays import WorkCalendar

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
FORUM = "Utkastet er drøftet. Forumet ber om at fagbrev for assistenter prioriteres."
MBM = "Endelig utkast er drøftet med hovedtillitsvalgte; merknadene fra høringen er besvart."
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


def meetings(
    rng: random.Random, year: int, made: list[date], answered: date, cal: WorkCalendar, bodies: list[PlanBody]
) -> list[Meeting]:
    """The handlings of the plan for year + 1, on working days that fit the versions that existed (`made`: the
    day each version of the year was made, oldest first) and before HR records them (`answered`). The bodies are
    the årshjul's own: each of Kompetanseforum, MBM and AMU that it names, and its adopting body's vedtak."""
    yy, first, last = year % 100, made[0], made[-1]
    vedtak = max(last, cal.previous_working_day(answered, inclusive=False))
    before_final = max(first, made[1] - timedelta(days=1)) if len(made) > 1 else vedtak
    draft_day = _day(cal, first + timedelta(days=14), first, before_final)
    case = f"{yy}/{rng.randint(1200, 3200)}"
    planned = [
        Meeting("Kompetanseforum", draft_day, "drøfting", case, FORUM),
        Meeting(
            "MBM", _day(cal, last + timedelta(days=4), last, vedtak), "drøfting", f"{yy}/{rng.randint(3200, 4000)}", MBM
        ),
        Meeting(
            "AMU",
            _day(cal, last + timedelta(days=18), last, vedtak),
            "til etterretning",
            f"AMU-sak {rng.randint(30, 45)}/{yy}",
            "",
        ),
    ]
    found = [replace(m, body=name) for m in planned if (name := _named(bodies, m.body, adopting=False))]
    adopting = _named(bodies, "Kommunestyret", adopting=True) or next(b.name for b in bodies if b.adopts)
    case = f"PS {rng.randint(90, 130)}/{yy}"
    return [*found, Meeting(adopting, vedtak, "vedtak", case, f"Kompetanseplan {year + 1} vedtas som foreslått.")]


def _named(bodies: list[PlanBody], name: str, *, adopting: bool) -> str | None:
    """The årshjul's name for this body, if it has the body (and, when asked, the body adopts)."""
    body = find_body(bodies, name)
    return body.name if body is not None and (body.adopts or not adopting) else None


def _day(cal: WorkCalendar, wanted: date, earliest: date, latest: date) -> date:
    """A working day as near `wanted` as the window [earliest, latest] allows (the window's end if none is in it)."""
    day = cal.next_working_day(min(max(wanted, earliest), latest))
    return day if day <= latest else latest


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
