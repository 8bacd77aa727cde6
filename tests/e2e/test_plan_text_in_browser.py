"""HR writes the plan's text in a real browser: preview (a form post, no script on the page), save, and axe-core finds
nothing on the text pages with the preview and the error summary, on a desktop and at 320 px without sideways
scrolling."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlmodel import select

from domain.plan_period import PlanText
from tasks.runtime import Runtime
from tests.e2e.browser import DESKTOP, PHONE, axe_violations, hr_login, overflowing, page_width
from tests.e2e.site import MARKS, chromium, hr_site
from tests.support.plan_year import spring_input

pytestmark = MARKS
TEXT = "Vi står sammen om kompetansen.\n\n## Kommunen skal\n\n- lære hele livet\n- dele <b>kunnskap</b>"


@pytest.fixture
def site(rt: Runtime) -> Iterator[str]:
    with hr_site(rt, spring_input) as base_url:
        yield base_url


def test_hr_previews_and_saves_the_foreword_and_the_page_passes_axe(site: str, rt: Runtime) -> None:
    from playwright.sync_api import expect

    with chromium() as browser:
        for viewport in (DESKTOP, PHONE):
            context = browser.new_context(viewport=viewport, bypass_csp=True)  # type: ignore[arg-type]
            page = context.new_page()  # the pages run no script; axe is injected past the CSP
            hr_login(page, site)
            page.goto(f"{site}/hr/plan?ar=2027")
            page.get_by_role("link", name="Endre planteksten for Kompetanseplan 2028").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Planteksten – Kompetanseplan 2028")
            problems = axe_violations(page)
            assert not problems, f"{viewport} (oversikt):\n" + "\n".join(map(str, problems))
            page.get_by_role("link", name="Forord fra kommunedirektøren").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Forord fra kommunedirektøren")
            page.get_by_label("Tekst (Markdown)").fill(TEXT)
            page.get_by_role("button", name="Forhåndsvis").click()
            preview = page.get_by_role("region", name="Forhåndsvisning")
            expect(preview.get_by_role("heading", name="Kommunen skal", level=4)).to_be_visible()
            expect(preview).to_contain_text("dele <b>kunnskap</b>")  # typed HTML shows as text
            expect(page.get_by_label("Tekst (Markdown)")).to_have_value(TEXT)  # what was typed stays
            problems = axe_violations(page)
            assert not problems, f"{viewport}:\n" + "\n".join(map(str, problems))
            assert page_width(page) <= viewport["width"], overflowing(page, viewport["width"])
            page.get_by_label("Overskrift").fill("")
            page.get_by_role("button", name="Lagre").click()
            expect(page.get_by_role("alert")).to_contain_text("Overskriften mangler.")
            problems = axe_violations(page)
            assert not problems, f"{viewport} (feil):\n" + "\n".join(map(str, problems))
            page.get_by_label("Overskrift").fill("Forord fra kommunedirektøren")
            page.get_by_role("button", name="Lagre").click()
            expect(page.get_by_role("status")).to_contain_text("Teksten er lagret.")
            page.context.close()
    with rt.session() as session:
        saved = session.exec(select(PlanText).where(PlanText.key == "forord")).all()
    assert len(saved) == 1 and saved[0].markdown == TEXT and saved[0].revision == 3  # made, then saved twice
