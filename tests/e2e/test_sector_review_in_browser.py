"""A kommunalsjef signs in, prioritises the sector's measures, and sees them in the next compile, in a real browser."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn

from domain.identity import AccountRole
from tasks.runtime import Runtime
from tests.e2e.test_answer_in_browser import ARGS, CHROMIUM, free_port
from tests.support.accounts import PASSWORD, make_user
from tests.support.plan_year import spring_input
from web.app import create_app

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's Chromium is not installed at /usr/bin/chromium"),
]


@pytest.fixture
def served(rt: Runtime) -> Iterator[str]:
    """Spring input from two sectors, a kommunalsjef for Helse og omsorg and an HR account; the app on uvicorn."""
    with rt.session() as session:
        spring_input(session, rt)
    make_user(rt, "siri.sjef@testvik.no", AccountRole.KOMMUNALSJEF, "S1", name="Siri Kommunalsjef")
    make_user(rt, "hanne@testvik.no", AccountRole.HR, name="Hanne Personal")
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(rt), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_a_kommunalsjef_prioritises_the_sector_and_sees_it_in_the_next_compile(served: str) -> None:
    from playwright.sync_api import Page, expect, sync_playwright

    def sign_in(page: Page, email: str) -> None:
        page.goto(f"{served}/hr")  # not signed in: the sign-in page, which brings the person back after
        expect(page.get_by_role("heading", level=1)).to_have_text("Logg inn")
        page.get_by_label("E-postadresse").fill(email)
        page.get_by_label("Passord").fill(PASSWORD)
        page.get_by_role("button", name="Logg inn").click()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            sjef = browser.new_context(java_script_enabled=False).new_page()  # the console needs no JavaScript
            sign_in(sjef, "siri.sjef@testvik.no")
            expect(sjef.get_by_text("Logget inn som Siri Kommunalsjef")).to_be_visible()
            expect(sjef.get_by_text("Solsiden barnehage")).to_have_count(0)  # another sector's unit
            sjef.get_by_role("link", name="Sektorgjennomgang").click()
            expect(sjef.get_by_role("heading", level=1)).to_have_text("Prioritering av tiltak – Helse og omsorg")
            expect(sjef.get_by_text("Planen for 2027 er ikke sammenstilt ennå.")).to_be_visible()
            sjef.get_by_label("Prioritet for Kurs i journalsystem").select_option("1")
            sjef.get_by_label("Prioritet for Demensomsorgens ABC").select_option("3")
            sjef.get_by_role("button", name="Lagre prioriteringen").click()
            expect(sjef.get_by_role("status")).to_contain_text("Prioriteringen er lagret")

            hr = browser.new_context().new_page()
            sign_in(hr, "hanne@testvik.no")
            hr.goto(f"{served}/hr/plan?ar=2027")
            hr.get_by_role("button", name="Sammenstill nå").click()
            expect(hr.get_by_role("status")).to_contain_text("En ny versjon er sammenstilt.")

            sjef.reload()
            part = sjef.get_by_role("region", name="Helse og omsorg i planen", exact=True)
            expect(part).to_contain_text("Versjon 1 (utkast)")
            course = part.get_by_role("row", name="Kurs i journalsystem")
            expect(course.get_by_role("cell").nth(2)).to_have_text("1")
            expect(course.get_by_role("cell").nth(3)).to_have_text("kommunalsjef")
            dementia = part.get_by_role("row", name="Demensomsorgens ABC")
            expect(dementia.get_by_role("cell").nth(2)).to_have_text("3")  # the units said 1 and 2; the sector's 3 wins
        finally:
            browser.close()
