"""WCAG 2.1 AA as a test: axe-core on every page type, as a leader and as HR, on a desktop and at 320 px."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime

import pytest
from sqlmodel import Session, select

from domain.aarshjul.workdays import OSLO
from domain.identity import AccountRole
from domain.models import Assignment, Person, Phase
from tasks.outbox.mail import answer_link
from tasks.runtime import Runtime
from tests.e2e.browser import DESKTOP, PHONE, Violation, axe_violations, hr_login, overflowing, page_width
from tests.e2e.site import MARKS, chromium, fresh_runtime, hr_site
from tests.support.accounts import make_user
from tests.support.plan_year import consultation, spring_input

pytestmark = MARKS


@dataclass(frozen=True)
class Site:
    rt: Runtime
    base_url: str
    links: dict[str, str]  # leader e-mail -> answer link
    tasks: dict[str, int]  # leader e-mail -> spring input task id


def _consulted(session: Session, rt: Runtime) -> None:
    spring_input(session, rt)
    consultation(session, rt)


def _spring_links(rt: Runtime) -> tuple[dict[str, str], dict[str, int]]:
    """Each leader's answer link and spring input task, by e-mail."""
    links, tasks = {}, {}
    with rt.session() as session:
        rows = session.exec(
            select(Assignment, Phase, Person)
            .join(Phase, Phase.id == Assignment.phase_id)  # type: ignore[arg-type]
            .join(Person, Person.id == Assignment.assignee_id)  # type: ignore[arg-type]
            .where(Phase.key == "spring-input")
        ).all()
        for assignment, phase, person in rows:
            links[person.email] = answer_link(rt, assignment, phase)
            tasks[person.email] = assignment.id or 0
    return links, tasks


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """Testvik's 2027: spring input answered by three of four units (one late), the September draft consulted."""
    now = datetime(2027, 5, 10, 10, 0, tzinfo=OSLO)
    with fresh_runtime(tmp_path_factory.mktemp("a11y"), now) as (rt, port), hr_site(rt, _consulted, port) as url:
        make_user(rt, "leder1@testvik.no", AccountRole.LEDER, name="Leder 1")
        yield Site(rt, url, *_spring_links(rt))


def leader_pages(site: Site, width: int) -> list[tuple[str, Callable[[object], None]]]:
    """The leader's page types, each as a way to get there in a fresh page."""
    late, answered = site.links["leder3@testvik.no"], site.links["leder1@testvik.no"]

    def delegated(page: object) -> None:
        page.goto(late)  # type: ignore[attr-defined]
        page.get_by_text("Gi oppgaven til en stedfortreder").click()  # type: ignore[attr-defined]
        page.fill("#navn", "Vera Vikar")  # type: ignore[attr-defined]
        page.fill("#epost", f"vera{width}@testvik.no")  # type: ignore[attr-defined]
        page.get_by_role("button", name="Gi oppgaven videre").click()  # type: ignore[attr-defined]
        page.wait_for_selector("h1")  # type: ignore[attr-defined]

    return [
        ("svarskjema", lambda page: page.goto(late)),  # type: ignore[attr-defined]
        ("svarskjema, sendt inn", lambda page: page.goto(answered)),  # type: ignore[attr-defined]
        ("revisjon", lambda page: page.goto(f"{answered}/revisjon/1")),  # type: ignore[attr-defined]
        ("stedfortreder gitt", delegated),
        ("lenkeproblem", lambda page: page.goto(f"{site.base_url}/svar/ikke-en-lenke")),  # type: ignore[attr-defined]
        ("tilgjengelighet", lambda page: page.goto(f"{site.base_url}/tilgjengelighet")),  # type: ignore[attr-defined]
        ("hr-innlogging", lambda page: page.goto(f"{site.base_url}/hr/login")),  # type: ignore[attr-defined]
        ("feilside", lambda page: page.goto(f"{site.base_url}/finnes-ikke")),  # type: ignore[attr-defined]
    ]


def hr_paths(site: Site) -> list[tuple[str, str]]:
    answered, late = site.tasks["leder1@testvik.no"], site.tasks["leder3@testvik.no"]
    return [
        ("oversikt", "/hr"),
        ("oversikt, tidligere år", "/hr?ar=2026"),
        ("oversikt, valgt fase", "/hr?ar=2027&fase=september-draft"),
        ("sektor", "/hr/sektor/S1?ar=2027&fase=spring-input"),
        ("sektor, over fristen", "/hr/sektor/S1?ar=2027&fase=spring-input&status=sen"),
        ("oppgave, besvart", f"/hr/oppgave/{answered}"),
        ("oppgave, over fristen", f"/hr/oppgave/{late}"),
        ("purring", "/hr/purring"),
        ("oppgaver", "/hr/oppgaver?ar=2027&fase=spring-input"),
        ("hendelser", "/hr/hendelser"),
        ("hendelser, filtrert", "/hr/hendelser?type=reminder&fase=spring-input"),
        ("planer", "/hr/plan?ar=2027"),
        ("planversjon", "/hr/plan/2027/versjon/1"),
        ("sammenligning", "/hr/plan/2027/sammenlign?fra=1&til=2"),
        ("prioritering", "/hr/plan/2027/prioritering/S1"),
    ]


def signed_in_leader_paths(site: Site) -> list[tuple[str, str]]:
    """A unit leader signed in: their own tasks, and one of them with its answer and history."""
    return [("mine oppgaver", "/mine-oppgaver"), ("min oppgave", f"/mine-oppgaver/{site.tasks['leder1@testvik.no']}")]


def _report(found: dict[str, list[Violation]], viewport: dict[str, int]) -> str:
    lines = [f"axe-core ved {viewport['width']}×{viewport['height']}:"]
    lines += [f"  {name}: {sum(len(v.targets) for v in violations)}" for name, violations in found.items()]
    for name, violations in found.items():
        lines += [f"{name}:\n  {v}" for v in violations]
    return "\n".join(lines)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1366", "320"])
def test_every_page_type_has_no_axe_violations(site: Site, viewport: dict[str, int]) -> None:
    found: dict[str, list[Violation]] = {}
    widths: dict[str, int] = {}
    with chromium() as browser:
        leader = browser.new_context(viewport=viewport, bypass_csp=True)  # type: ignore[arg-type]
        for name, go in leader_pages(site, viewport["width"]):
            page = leader.new_page()
            go(page)
            found[name], widths[name] = axe_violations(page), page_width(page)
            if widths[name] > viewport["width"]:
                print(name, overflowing(page, viewport["width"]))
            page.close()
        hr = browser.new_context(viewport=viewport, bypass_csp=True)  # type: ignore[arg-type]
        page = hr.new_page()
        hr_login(page, site.base_url)
        for name, path in hr_paths(site):
            page.goto(site.base_url + path)
            found[name], widths[name] = axe_violations(page), page_width(page)
            if widths[name] > viewport["width"]:
                print(name, overflowing(page, viewport["width"]))
        signed_in_leader = browser.new_context(viewport=viewport, bypass_csp=True)  # type: ignore[arg-type]
        page = signed_in_leader.new_page()
        hr_login(page, site.base_url, "leder1@testvik.no", landing="/mine-oppgaver")
        for name, path in signed_in_leader_paths(site):
            page.goto(site.base_url + path)
            found[name], widths[name] = axe_violations(page), page_width(page)
    print(_report(found, viewport))
    assert not any(found.values()), _report(found, viewport)
    too_wide = {name: width for name, width in widths.items() if width > viewport["width"]}
    assert not too_wide, f"vannrett rulling ved {viewport['width']} px: {too_wide}"
