"""HR selects two tasks, previews a reminder, confirms, in a real browser without JavaScript; axe-core on every step."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from sqlmodel import Session

from domain.aarshjul.workdays import OSLO
from tasks.cycle.phases import ensure_cycle, open_phase
from tasks.org.people import ensure_hr
from tasks.runtime import Runtime
from tests.e2e.browser import DESKTOP, PHONE, Violation, axe_violations, hr_login, overflowing, page_width
from tests.e2e.site import MARKS, chromium, fresh_runtime, hr_site
from tests.support.plan_year import INPUTS, answer, at, build_two_sectors, phase

pytestmark = MARKS
LIST = "/hr/oppgaver?ar=2027&fase=spring-input"


def _spring_input_half_answered(session: Session, rt: Runtime) -> None:
    build_two_sectors(session)
    ensure_hr(session, rt.settings)
    ensure_cycle(session, rt, 2027, at(1, 1))
    open_phase(session, rt, phase(session, "spring-input"), 2027, at(3, 1, 8))
    content = {"requirements": "Krav", "holdings": "Har", **INPUTS["leder1@testvik.no"]}
    answer(session, rt, "leder1@testvik.no", "spring-input", content, at(3, 10))


@pytest.fixture
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Spring input 2027 open in two sectors; Enhet 1 has answered, Enhet 2, Enhet 3 and Solsiden have not."""
    now = datetime(2027, 3, 15, 10, 0, tzinfo=OSLO)
    with (
        fresh_runtime(tmp_path_factory.mktemp("bulk"), now) as (rt, port),
        hr_site(rt, _spring_input_half_answered, port) as url,
    ):
        yield url


def test_hr_selects_two_tasks_previews_and_confirms_a_reminder(site: str) -> None:
    from playwright.sync_api import Page, expect

    found: dict[str, list[Violation]] = {}

    def check(page: Page, name: str) -> None:
        """axe-core and the page width, at the desktop and at 320 px, on the page as it is now."""
        for size in (DESKTOP, PHONE):
            page.set_viewport_size(size)  # type: ignore[arg-type]
            found[f"{name} ved {size['width']} px"] = axe_violations(page)
            assert page_width(page) <= size["width"], (name, size, overflowing(page, size["width"]))
        page.set_viewport_size(DESKTOP)  # type: ignore[arg-type]

    with chromium() as browser:
        page = browser.new_context(viewport=DESKTOP, bypass_csp=True).new_page()  # type: ignore[arg-type]
        hr_login(page, site)
        page.get_by_role("link", name="Oppgaver").click()
        page.goto(site + LIST)
        expect(page.get_by_role("heading", level=1)).to_have_text("Oppgaver 2027: kompetanseinnspill")
        page.get_by_role("button", name="Forhåndsvis for de valgte").click()  # nothing chosen yet
        expect(page.get_by_role("alert")).to_contain_text("Velg minst én oppgave")
        check(page, "oppgavelisten med feil")
        page.goto(site + LIST)
        expect(page.get_by_role("alert")).to_have_count(0)
        page.get_by_role("checkbox", name="Enhet 2 (Leder 2)").check()
        page.get_by_role("checkbox", name="Solsiden barnehage (Leder 4)").check()
        page.get_by_role("radio", name="Send påminnelse").check()
        check(page, "oppgavelisten")
        page.get_by_role("button", name="Forhåndsvis for de valgte").click()

        expect(page.get_by_role("heading", level=1)).to_have_text("Forhåndsvisning: send påminnelse")
        expect(page.get_by_role("heading", name="Dette blir gjort (2)")).to_be_visible()
        done = page.get_by_role("region", name="Dette blir gjort")
        expect(done.get_by_role("row")).to_have_count(3)  # the header and two tasks
        expect(done).to_contain_text("Påminnelse sendes til Leder 4 (leder4@testvik.no).")
        check(page, "forhåndsvisningen")
        page.get_by_role("button", name="Bekreft for 2 oppgaver").click()

        expect(page.get_by_role("heading", level=1)).to_have_text("Utført: send påminnelse")
        expect(page.get_by_role("status")).to_contain_text("2 oppgaver endret, 0 hoppet over.")
        check(page, "resultatet")
    report = {name: sum(len(v.targets) for v in violations) for name, violations in found.items()}
    print("axe-core:", report)
    assert not any(found.values()), "\n".join(f"{name}:\n  {v}" for name, vs in found.items() for v in vs)
