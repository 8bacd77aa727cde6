"""The bulk form as it comes in: the selection, the action and its fields, checked into a request or errors."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Final

from pydantic import BaseModel, Field

from domain.bulk import BulkKind
from tasks.answers.delegation import clean_address
from tasks.cycle.assignment_actions import ActionRefused
from tasks.cycle.bulk import MAX_TASKS, BulkRequest
from tasks.cycle.excuse import clean_reason
from web.params import whole_number

NORWEGIAN_DATE: Final = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
KEY: Final = re.compile(r"[A-Za-z0-9_-]{16,64}")


class BulkForm(BaseModel):
    """Every field of the selection page, the preview and the confirmation (FastAPI reads it with `Form()`)."""

    csrf_token: str = Field("", max_length=200)
    handling: str = Field("", max_length=20)
    oppgave: list[str] = Field(default_factory=list, max_length=MAX_TASKS + 1)
    planlagt: list[str] = Field(default_factory=list, max_length=MAX_TASKS + 1)
    alle: str = Field("", max_length=5)
    nokkel: str = Field("", max_length=64)
    ar: str = Field("", max_length=4)
    fase: str = Field("", max_length=64)
    sektor: str = Field("", max_length=64)
    enhetstype: str = Field("", max_length=64)
    status: str = Field("", max_length=20)
    sok: str = Field("", max_length=200)
    sorter: str = Field("", max_length=20)
    frist: str = Field("", max_length=20)
    begrunnelse: str = Field("", max_length=2000)
    navn: str = Field("", max_length=200)
    epost: str = Field("", max_length=254)


@dataclass(frozen=True)
class Problem:
    """One error for the summary: the field it belongs to (its id on the page), its label, and what to do."""

    target: str
    label: str
    text: str


@dataclass
class Checked:
    kind: BulkKind | None = None
    day: date | None = None
    reason: str = ""
    problems: list[Problem] = field(default_factory=list)

    def error(self, target: str) -> str:
        return next((p.text for p in self.problems if p.target == target), "")


def parse_day(text: str) -> date | None:
    """A day as the date field sends it (2027-05-14) or as people type it (14.5.2027); None if it is no day."""
    text = text.strip()
    try:
        if found := NORWEGIAN_DATE.fullmatch(text):
            return date(int(found[3]), int(found[2]), int(found[1]))
        return date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


def parse_ids(values: list[str]) -> tuple[list[int], list[str]]:
    """The task ids in the order given, without repeats, and what was not an id at all."""
    ids: dict[int, None] = {}
    bad = []
    for value in values:
        number = whole_number(value.strip())
        if number is None:
            bad.append(value[:20])
        else:
            ids[number] = None
    return list(ids), bad


def check_action(form: BulkForm) -> Checked:
    """The action and the fields it needs; every problem at once, each naming its field."""
    checked = Checked()
    kind = next((k for k in BulkKind if k.value == form.handling), None)
    if kind is None:
        checked.problems.append(Problem("handling-purring", "Handling", "Velg hva som skal gjøres med oppgavene."))
        return checked
    checked.kind = kind
    if kind == BulkKind.EXTEND:
        checked.day = parse_day(form.frist)
        if checked.day is None:
            text = "Skriv den nye fristen som en gyldig dato, for eksempel 14.05.2027."
            checked.problems.append(Problem("frist", "Ny frist", text))
    elif kind == BulkKind.EXCUSE:
        try:
            checked.reason = clean_reason(form.begrunnelse)
        except ActionRefused as refused:
            checked.problems.append(Problem("begrunnelse", "Begrunnelse for fritak", str(refused)))
    elif kind == BulkKind.HAND_OVER:
        if not " ".join(form.navn.split()):
            checked.problems.append(Problem("navn", "Stedfortrederens navn", "Skriv navnet til stedfortrederen."))
        try:
            clean_address(form.epost)
        except ActionRefused as refused:
            checked.problems.append(Problem("epost", "Stedfortrederens e-postadresse", str(refused)))
    return checked


def bulk_request(checked: Checked, ids: list[int], form: BulkForm) -> BulkRequest:
    """The request for the service, once `check_action` found nothing wrong."""
    assert checked.kind is not None
    return BulkRequest(
        checked.kind, tuple(ids), day=checked.day, reason=checked.reason, name=form.navn, email=form.epost
    )
