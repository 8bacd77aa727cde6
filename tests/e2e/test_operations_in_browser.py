"""The console's operations pages in Chromium: the outbox and the organisation import, with axe-core at two widths.

Each page type (the outbox, filtered, a confirmation with the duplicate warning, a refused confirmation, the
upload form, the preview, the list of problems, the done banner with the bodies' members) is reached by clicking as
HR would, and must have no axe-core violation and no horizontal scrolling on a desktop and at 320 px.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from arshjul.demo.bodies import write_demo_bodies
from arshjul.demo.municipality import write_demo_organisation
from domain.aarshjul.bodies import DEFAULT_BODIES
from domain.clock import ManualClock
from notifications.catcher import MailCatcher
from tasks.runtime import Runtime
from tests.e2e.browser import DESKTOP, PHONE, Violation, axe_violations, hr_login, overflowing, page_width
from tests.e2e.site import MARKS, chromium, hr_site
from tests.support.outbox_states import every_state

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = MARKS


@pytest.fixture
def base_url(rt: Runtime, clock: ManualClock, catcher: MailCatcher, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    every_state(rt, clock, catcher, monkeypatch)
    with hr_site(rt) as url:
        yield url


class Checks:
    """axe-core and the page width of every page looked at, by name."""

    def __init__(self, width: int) -> None:
        self.width = width
        self.found: dict[str, list[Violation]] = {}
        self.widths: dict[str, int] = {}

    def look(self, page: Page, name: str) -> None:
        page.wait_for_selector("h1")
        self.found[name], self.widths[name] = axe_violations(page), page_width(page)
        if self.widths[name] > self.width:
            print(name, overflowing(page, self.width))

    def assert_clean(self) -> None:
        counts = {name: sum(len(v.targets) for v in found) for name, found in self.found.items()}
        print(f"axe-core ved {self.width} px:", counts)
        assert not any(self.found.values()), "\n".join(f"{n}: {v}" for n, f in self.found.items() for v in f)
        too_wide = {name: width for name, width in self.widths.items() if width > self.width}
        assert not too_wide, f"vannrett rulling ved {self.width} px: {too_wide}"


def outbox_pages(page: Page, base_url: str, checks: Checks) -> None:
    page.goto(f"{base_url}/hr/utboks")
    checks.look(page, "utboks")
    page.get_by_role("link", name="Usikker levering").first.click()
    checks.look(page, "utboks, usikker levering")
    page.get_by_role("checkbox").first.check()
    page.get_by_role("button", name="Send valgte på nytt …").click()
    checks.look(page, "bekreft, med advarsel om duplikat")
    page.get_by_role("button", name="Send 1 på nytt").click()  # without the acknowledgement
    assert "Kryss av for at du forstår" in page.content()
    checks.look(page, "bekreft, avvist")
    page.get_by_label("Jeg forstår at mottakeren kan få e-posten to ganger").check()
    page.get_by_role("button", name="Send 1 på nytt").click()
    assert "Én melding legges i kø" in page.content()
    checks.look(page, "utboks, utført")
    page.goto(f"{base_url}/hr/utboks?sok=venter")
    page.get_by_role("checkbox").first.check()
    page.get_by_role("button", name="Avbryt valgte …").click()
    checks.look(page, "bekreft avbrudd")


def import_pages(page: Page, base_url: str, checks: Checks, demo: list[Path], bad: Path) -> None:
    page.goto(f"{base_url}/hr/organisasjon")
    checks.look(page, "import, last opp")
    page.get_by_role("button", name="Vis hva som vil endre seg").click()  # no file chosen
    assert "Velg en fil å importere" in page.content()
    page.set_input_files("#filer", [str(bad)])
    page.get_by_role("button", name="Vis hva som vil endre seg").click()
    assert "Importen ble avvist" in page.content()
    checks.look(page, "import, feil")
    page.set_input_files("#filer", [str(path) for path in demo])
    page.get_by_role("button", name="Vis hva som vil endre seg").click()
    assert "Forhåndsvisning av import" in page.content()
    checks.look(page, "import, forhåndsvisning")
    page.get_by_role("button", name="Lagre endringene").click()
    assert "Organisasjonen er oppdatert" in page.content()
    assert "Kompetanseforum (3 medlemmer)" in page.content()  # the bodies' members, read-only, from «organer»
    checks.look(page, "import, utført")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1366", "320"])
def test_the_operations_pages_have_no_axe_violations(base_url: str, tmp_path: Path, viewport: dict[str, int]) -> None:
    demo = list(write_demo_organisation(tmp_path / "demo"))
    demo.append(write_demo_bodies(tmp_path / "demo", demo[0], demo[1], DEFAULT_BODIES))
    bad = tmp_path / "enheter.csv"
    bad.write_text("unit_id,name,parent_id,level,leader_name,leader_email\n1,Testvik,,bydel,Kari,kari(at)x\n")
    checks = Checks(viewport["width"])
    with chromium() as browser:
        page = browser.new_context(viewport=viewport, bypass_csp=True).new_page()  # type: ignore[arg-type]
        hr_login(page, base_url)
        outbox_pages(page, base_url, checks)
        import_pages(page, base_url, checks, demo, bad)
    checks.assert_clean()
