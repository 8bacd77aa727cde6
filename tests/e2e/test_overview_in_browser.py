"""The HR overview at 150 units in a real browser: at most two screens, counts on the first, usable by keyboard."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from arshjul.bootstrap import bootstrap
from config.settings import Settings
from domain.aarshjul.workdays import OSLO
from domain.clock import ManualClock
from tasks.runtime import Runtime, install_runtime
from tasks.store.db import migrate
from tests.e2e.browser import ARGS, CHROMIUM, DESKTOP, free_port, hr_login, serving
from tests.support.accounts import make_user
from tests.support.municipality import spring_under_way

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's Chromium is not installed at /usr/bin/chromium"),
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Runtime, str]]:
    port = free_port()
    folder = tmp_path_factory.mktemp("overview")
    settings = Settings(data_dir=folder, env="test", base_url=f"http://127.0.0.1:{port}")
    clock = ManualClock(datetime(2027, 1, 1, tzinfo=OSLO))
    rt = bootstrap(settings, clock=clock)
    migrate(rt.engine)
    install_runtime(rt)
    spring_under_way(rt, folder / "org")
    make_user(rt)
    clock.set(datetime(2027, 5, 20, 12, 0, tzinfo=OSLO))
    try:
        with serving(rt, port) as base_url:
            yield rt, base_url
    finally:
        install_runtime(None)
        rt.engine.dispose()


def test_at_150_units_the_overview_is_at_most_two_screens_with_the_counts_on_the_first(
    site: tuple[Runtime, str], tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    _, base_url = site
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_context(viewport=DESKTOP).new_page()  # type: ignore[arg-type]
            hr_login(page, base_url)
            height = int(page.evaluate("document.documentElement.scrollHeight"))
            tables = page.locator("table.tally")
            assert tables.count() == 2
            bottoms = [int(box["y"] + box["height"]) for box in (tables.nth(i).bounding_box() for i in range(2)) if box]
            page.screenshot(path=str(tmp_path / "oversikt-150.png"), full_page=True)
        finally:
            browser.close()
    print(f"oversikten ved 150 enheter: {height} px høy ved 1366×900; tabellene slutter ved {bottoms} px")
    assert height <= 2 * DESKTOP["height"]
    assert max(bottoms) <= DESKTOP["height"], "tallene per fase og sektor skal stå på første skjermbilde"


def test_the_overview_by_keyboard_alone(site: tuple[Runtime, str]) -> None:
    from playwright.sync_api import sync_playwright

    _, base_url = site
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_context(viewport=DESKTOP).new_page()  # type: ignore[arg-type]
            hr_login(page, base_url)
            reached: list[str] = []
            for _ in range(60):
                page.keyboard.press("Tab")
                focused = page.evaluate(
                    "() => { const e = document.activeElement; const s = getComputedStyle(e);"
                    " return [e.tagName, e.textContent.trim().slice(0, 60), s.outlineStyle]; }"
                )
                assert focused[2] != "none", f"fokus synes ikke på {focused}"
                reached.append(str(focused[1]))
                if "over fristen i" in focused[1]:
                    break
            assert reached[0] == "Hopp til innholdet"
            assert "over fristen i" in reached[-1], reached
            page.keyboard.press("Enter")
            page.wait_for_url("**/hr/sektor/**status=sen")
            for _ in range(40):
                page.keyboard.press("Tab")
                if page.evaluate("document.activeElement.getAttribute('href') || ''").startswith("/hr/oppgave/"):
                    break
            page.keyboard.press("Enter")
            page.wait_for_url("**/hr/oppgave/*")
            assert page.get_by_role("heading", level=1).count() == 1
        finally:
            browser.close()
