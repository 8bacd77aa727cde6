"""A unit leader fills in and submits the spring input with the keyboard alone: Tab, typing, arrow keys, Enter."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from sqlmodel import select

from arshjul.bootstrap import bootstrap
from config.settings import Settings
from domain.aarshjul.workdays import OSLO
from domain.clock import ManualClock
from domain.models import Answer, Assignment, Person, Phase
from tasks.outbox.mail import answer_link
from tasks.runtime import Runtime, install_runtime
from tasks.store.db import migrate
from tests.e2e.browser import ARGS, CHROMIUM, PHONE, free_port, serving
from tests.support.plan_year import spring_input

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's Chromium is not installed at /usr/bin/chromium"),
]
TYPED = {
    "requirements": "Alle skal kunne journalsystemet.",
    "holdings": "To superbrukere.",
    "needs-0-area": "Digital kompetanse",
    "measures-0-area": "Digital kompetanse",
    "measures-0-goal": "Alle bruker systemet.",
    "measures-0-title": "Kurs i journalsystem",
    "measures-0-cost": "12000",
}
FOCUSED = """() => { const e = document.activeElement; const s = getComputedStyle(e);
  return [e.tagName, e.getAttribute('name') || '', (e.textContent || '').trim(), s.outlineStyle]; }"""


@pytest.fixture
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Runtime, str]]:
    port = free_port()
    settings = Settings(data_dir=tmp_path_factory.mktemp("kb"), env="test", base_url=f"http://127.0.0.1:{port}")
    rt = bootstrap(settings, clock=ManualClock(datetime(2027, 4, 1, 10, 0, tzinfo=OSLO)))
    migrate(rt.engine)
    install_runtime(rt)
    with rt.session() as session:
        spring_input(session, rt)
        assignment, phase = session.exec(
            select(Assignment, Phase)
            .join(Phase, Phase.id == Assignment.phase_id)  # type: ignore[arg-type]
            .join(Person, Person.id == Assignment.assignee_id)  # type: ignore[arg-type]
            .where(Person.email == "leder3@testvik.no")
        ).one()
        link = answer_link(rt, assignment, phase)
    try:
        with serving(rt, port) as base_url:
            assert link.startswith(base_url)
            yield rt, link
    finally:
        install_runtime(None)
        rt.engine.dispose()


def test_the_answer_form_by_keyboard_alone_on_a_phone(site: tuple[Runtime, str]) -> None:
    from playwright.sync_api import expect, sync_playwright

    rt, link = site
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_context(viewport=PHONE).new_page()  # type: ignore[arg-type]
            page.goto(link)
            for _ in range(120):
                page.keyboard.press("Tab")
                tag, name, text, outline = page.evaluate(FOCUSED)
                assert outline != "none", f"fokus synes ikke på {tag} {name or text}"
                if name in TYPED:
                    page.keyboard.type(TYPED[name])
                elif tag == "SELECT":
                    page.keyboard.press("ArrowDown")
                elif tag == "BUTTON" and text == "Send inn":
                    page.keyboard.press("Enter")
                    break
            else:
                pytest.fail("fant ikke «Send inn» med tabulatortasten")
            expect(page.get_by_role("status")).to_contain_text("Svaret er sendt inn")
        finally:
            browser.close()
    with rt.session() as session:
        answers = session.exec(
            select(Answer)
            .join(Assignment)
            .join(Person, Person.id == Assignment.assignee_id)  # type: ignore[arg-type]
            .where(Person.email == "leder3@testvik.no")
        ).all()
        assert [a.content["measures"][0]["title"] for a in answers] == ["Kurs i journalsystem"]
        assert answers[0].content["measures"][0]["cost"] == 12000


def test_adding_a_row_keeps_the_place_and_each_remove_button_names_its_row(site: tuple[Runtime, str]) -> None:
    from playwright.sync_api import expect, sync_playwright

    _rt, link = site
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_context(viewport=PHONE).new_page()  # type: ignore[arg-type]
            page.goto(link)
            rows = page.locator("#measures > fieldset.row").count()
            page.get_by_role("button", name="Legg til et tiltak").click()
            page.wait_for_url(f"**#measures-{rows}")
            new_row = page.locator(f"#measures-{rows}")
            expect(new_row).to_be_in_viewport()
            expect(page.get_by_role("button", name=f"Fjern «Tiltak {rows + 1}»")).to_have_count(1)
            expect(page.get_by_role("button", name="Fjern «Tiltak 1»")).to_have_count(1)
            assert page.evaluate("window.scrollY") > 0
        finally:
            browser.close()
