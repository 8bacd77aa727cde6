"""Every kind of email, made by the code that sends it with long real-world content, fits a 320 px phone.

Issue 14 found the escalation and HR digest emails 462–485 px wide on a 390 px phone. Here each kind is produced
by its own service into the outbox (invitation, reminder, overdue, escalation to the kommunalsjef and to HR, the
weekly digest to a kommunalsjef and to HR, a substitute's invitation, a receipt, the adopted plan, the dead-letter
summary), and its HTML part is laid out by Debian's Chromium at 320 px: the document may not be wider.
"""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from sqlmodel import col, select

from domain.aarshjul.workdays import OSLO
from domain.models import Assignment, OutboxMessage, OutboxStatus, Person, Phase
from domain.plan.content import PlanContent
from tasks.answers.delegation import delegate
from tasks.answers.submission import load_context, save_answer
from tasks.cycle.phases import ensure_cycle, open_phase, phases_of
from tasks.notices.digest import queue_digests
from tasks.notices.ladder import queue_due_notices
from tasks.org.importer import import_organisation
from tasks.org.people import ensure_hr
from tasks.outbox.summary import queue_dead_letter_summary
from tasks.plan.announce import announce_adoption
from tasks.runtime import Runtime
from tests.e2e.browser import ARGS, CHROMIUM, overflowing
from tests.support.municipality import SPRING

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's Chromium is not installed at /usr/bin/chromium"),
]
YEAR = 2027
SHOTS = Path(os.environ["ARSHJUL_EMAIL_SHOTS"]) if os.environ.get("ARSHJUL_EMAIL_SHOTS") else None  # for a person
LONG_UNIT = "Tjenesten for psykisk helse, rus og avhengighetsbehandling for barn og unge i Nordre Fjordvikdalen"
LONG_SECTOR = "Helse, omsorg, velferd og folkehelsearbeid (inkludert NAV-samarbeidet)"
UNITS = (
    "unit_id,name,parent_id,level,leader_name,leader_email,employees\n"
    "K,Fjordvik kommune,,kommune,Randi Ruud,randi.ruud@fjordvik.kommune.no,5\n"
    f'S1,"{LONG_SECTOR}",K,sektor,Karoline Marie Johannessen-Haugland,'
    "karoline.marie.johannessen-haugland.kommunalsjef@fjordvik.kommune.no,5\n"
    f'V1,"{LONG_UNIT}",S1,virksomhet,Bjørn-Inge Kristoffersen Aasheim,'
    "bjorn-inge.kristoffersen.aasheim.virksomhetsleder@fjordvik.kommune.no,40\n"
    "V2,Barnehabiliteringstjenesteavdelingskontoret,S1,virksomhet,Marianne Solberg,"
    "marianne.solberg@fjordvik.kommune.no,12\n"
    "V3,Kvalitetsutviklingsnettverkssekretariatet,S1,virksomhet,Per Olav Nilsen,per.olav.nilsen@fjordvik.kommune.no,9\n"
)
# Cells of content tables (not the layout tables, role=presentation) squeezed narrower than 80 px whose text then
# runs over more than one line: the page fits, but a word per line cannot be read.
SQUEEZED = """Array.from(document.querySelectorAll('table:not([role=presentation]) :is(td, th)'))
  .filter(cell => cell.getBoundingClientRect().width < 80)
  .filter(cell => { const range = document.createRange(); range.selectNodeContents(cell);
    return new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top))).size > 1; })
  .map(cell => cell.textContent.trim().slice(0, 40))"""
KINDS = (
    "invitation", "reminder", "overdue", "escalate_sector", "escalate_hr", "digest", "hr_summary", "delegated",
    "receipt", "plan_adopted", "dead_letters",
)  # fmt: skip


def at(month: int, day: int, hour: int = 9) -> datetime:
    return datetime(YEAR, month, day, hour, 0, tzinfo=OSLO)


def _import_and_open(rt: Runtime, folder: Path, language: str) -> None:
    units = folder / "enheter.csv"
    units.write_text(UNITS, encoding="utf-8")
    with rt.session() as session:
        report = import_organisation(session, [units], at=at(1, 2))
        assert report.ok, report.problems
        ensure_hr(session, rt.settings)
        for person in session.exec(select(Person)).all():
            person.language = language
        ensure_cycle(session, rt, YEAR, at(1, 2))
        spring = next(p for p in phases_of(session, YEAR) if p.key == "spring-input")
        open_phase(session, rt, spring, YEAR, at(3, 1, 8))


def _answer_and_hand_over(rt: Runtime) -> None:
    with rt.session() as session:
        rows = session.exec(
            select(Assignment, Person)
            .join(Person, col(Person.id) == col(Assignment.assignee_id))
            .join(Phase, col(Phase.id) == col(Assignment.phase_id))
            .where(Phase.key == "spring-input")
            .order_by(col(Assignment.id))
        ).all()
        by_email = {person.email: (assignment, person) for assignment, person in rows}
        assignment, person = by_email["marianne.solberg@fjordvik.kommune.no"]
        content = {**SPRING, "requirements": "Veiledning i traumebevisst omsorg " * 8}
        save_answer(session, rt, load_context(session, rt, assignment, person), content, submit=True,
                    base_revision=0, now=at(4, 10))  # fmt: skip
        assignment, person = by_email["bjorn-inge.kristoffersen.aasheim.virksomhetsleder@fjordvik.kommune.no"]
        assert assignment.id is not None
        delegate(session, rt, assignment.id, name="Vibeke Stedfortreder-Kristiansen",
                 email="vibeke.stedfortreder-kristiansen.konstituert@fjordvik.kommune.no",
                 actor=person.email, now=at(4, 12))  # fmt: skip


def _notices_digests_and_plan(rt: Runtime) -> None:
    day = at(4, 26)
    while day <= at(6, 4):
        with rt.session() as session:
            queue_due_notices(session, rt, YEAR, day)
            queue_digests(session, rt, day)
        day += timedelta(days=1)
    content = PlanContent().model_dump(mode="json")
    version: Any = SimpleNamespace(id=1, title=f"Kompetanseplan for Fjordvik kommune 2028–2031: {LONG_UNIT}",
                                   content=content)  # fmt: skip
    decision: Any = SimpleNamespace(held_on=date(2027, 12, 16), body="Kommunestyret i Fjordvik kommune",
                                    case_number="2027/123456-78")  # fmt: skip
    with rt.session() as session:
        announce_adoption(session, rt, version, year=YEAR + 1, decision=decision, now=at(12, 17))


def _dead_letters(rt: Runtime) -> None:
    reply = "550 5.1.1 <" + "x" * 60 + "@fjordvik.kommune.no>: Recipient address rejected: User unknown in virtual"
    with rt.session() as session:
        dead = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "reminder")).all()[:3]
        for message in dead:
            message.status, message.last_error = OutboxStatus.DEAD, reply
        session.flush()
        queue_dead_letter_summary(session, rt.settings, [m.id for m in dead if m.id is not None], at(6, 4, 10))


@pytest.fixture(params=["nb", "nn", "en"])
def mails(rt: Runtime, tmp_path: Path, request: pytest.FixtureRequest) -> dict[str, str]:
    """The HTML part of the longest email of each kind the year produced (kind -> html), in each language."""
    _import_and_open(rt, tmp_path, request.param)
    _answer_and_hand_over(rt)
    _notices_digests_and_plan(rt)
    _dead_letters(rt)
    found: dict[str, str] = {}
    with rt.session() as session:
        for message in session.exec(select(OutboxMessage)).all():
            prefix = message.idempotency_key.split(":")[0]
            kind = prefix if prefix in ("delegated", "escalate_sector", "escalate_hr") else message.kind
            if len(message.body_html) > len(found.get(kind, "")):
                found[kind] = message.body_html
    return found


def test_every_kind_of_email_fits_a_320_px_phone(mails: dict[str, str]) -> None:
    from playwright.sync_api import sync_playwright

    assert sorted(mails) == sorted(KINDS), "every kind of email was produced"
    widths: dict[str, int] = {}
    culprits: dict[str, list[str]] = {}
    narrow: dict[str, list[str]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 320, "height": 640})
            for kind, html in sorted(mails.items()):
                page.set_content(html)
                widths[kind] = int(page.evaluate("document.documentElement.scrollWidth"))
                narrow[kind] = list(page.evaluate(SQUEEZED))
                culprits[kind] = overflowing(page, 320) if widths[kind] > 320 else []
                if SHOTS:
                    page.screenshot(path=str(SHOTS / f"{kind}.png"), full_page=True)
        finally:
            browser.close()
    print("scrollWidth at 320 px:", widths, "squeezed cells:", narrow)
    too_wide = {kind: (width, culprits[kind]) for kind, width in widths.items() if width > 320}
    assert not too_wide, too_wide
    squeezed = {kind: cells for kind, cells in narrow.items() if cells}
    assert not squeezed, f"table cells squeezed to a word per line at 320 px: {squeezed}"


def test_the_substitutes_email_says_who_handed_it_over_for_which_unit_and_why_it_is_safe(
    mails: dict[str, str],
) -> None:
    html = mails["delegated"]
    assert "Bjørn-Inge Kristoffersen Aasheim" in html  # who
    assert "Tjenesten for psykisk helse, rus og avhengighetsbehandling" in html  # for which unit
    assert "passord" in html  # never asks for a password: why it is safe
