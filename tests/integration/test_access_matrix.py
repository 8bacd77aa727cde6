"""Every route × every role, from the app's own route table: a new route without a rule here fails (issue 13).

Roles: anonymous, hr, kommunalsjef of sector S1 (Helse og omsorg), leser, the leader of unit 1 (in S1). Then a
kommunalsjef of S1 tries the ids of sector S2 (Oppvekst): nothing is shown, exported or changed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlmodel import select

from domain.identity import AccountRole
from domain.models import Assignment, Event, OutboxMessage, Phase
from notifications.catcher import MailCatcher
from tasks.outbox.audit import HEADER, audit_rows
from tasks.runtime import Runtime
from tests.support.accounts import make_user, sign_in
from tests.support.plan_year import consultation, spring_input, task_of
from web.app import create_app

ANON, HR, SJEF, LESER, LEDER = "anonym", "hr", "kommunalsjef", "leser", "leder"
ROLES = (ANON, HR, SJEF, LESER, LEDER)
EVERYONE = frozenset(ROLES)
SIGNED_IN = frozenset({HR, SJEF, LESER, LEDER})
CONSOLE = frozenset({HR, SJEF, LESER})
ONLY_LEDER = frozenset({LEDER})
MANAGERS = frozenset({HR, SJEF})
READERS = frozenset({HR, LESER})
ONLY_HR = frozenset({HR})

RULES: dict[tuple[str, str], frozenset[str]] = {
    ("GET", "/helse"): EVERYONE,
    ("GET", "/svar/{token}"): EVERYONE,
    ("POST", "/svar/{token}"): EVERYONE,
    ("GET", "/svar/{token}/revisjon/{revision}"): EVERYONE,
    ("POST", "/svar/{token}/stedfortreder"): EVERYONE,
    ("POST", "/lenke/ny"): EVERYONE,
    ("GET", "/plan/{year}"): EVERYONE,
    ("GET", "/plan/{year}/{fmt}"): EVERYONE,
    ("GET", "/logg-inn"): EVERYONE,
    ("POST", "/logg-inn"): EVERYONE,
    ("GET", "/logg-inn/sso"): EVERYONE,  # 404 unless ARSHJUL_OIDC__ISSUER is set
    ("GET", "/logg-inn/sso/svar"): EVERYONE,
    ("GET", "/glemt-passord"): EVERYONE,
    ("POST", "/glemt-passord"): EVERYONE,
    ("GET", "/nytt-passord"): EVERYONE,
    ("POST", "/nytt-passord"): EVERYONE,
    ("GET", "/innboks"): EVERYONE,  # only when the development mail catcher runs, never in production
    ("GET", "/innboks/{number}"): EVERYONE,
    ("POST", "/logg-ut"): SIGNED_IN,
    ("GET", "/hr"): CONSOLE,  # a leader is sent on to /mine-oppgaver
    ("GET", "/hr/oppgave/{assignment_id}"): MANAGERS,
    ("POST", "/hr/oppgave/{assignment_id}/purring"): MANAGERS,
    ("POST", "/hr/oppgave/{assignment_id}/frist"): MANAGERS,
    ("POST", "/hr/oppgave/{assignment_id}/stedfortreder"): ONLY_HR,
    ("POST", "/hr/oppgave/{assignment_id}/ny-lenke"): ONLY_HR,
    ("GET", "/hr/hendelser"): ONLY_HR,
    ("GET", "/hr/purring"): ONLY_HR,
    ("POST", "/hr/purring"): ONLY_HR,
    ("GET", "/hr/oppgaver"): MANAGERS,
    ("POST", "/hr/oppgaver/forhandsvisning"): MANAGERS,
    ("POST", "/hr/oppgaver/utfor"): MANAGERS,
    ("GET", "/hr/sektor"): MANAGERS,
    ("GET", "/hr/sektor/{sector_id}"): CONSOLE,
    ("GET", "/hr/fase/{year}/{key}/eksport.{fmt}"): MANAGERS,
    ("POST", "/hr/oppgave/{assignment_id}/fritak"): ONLY_HR,
    ("GET", "/hr/hendelser/eksport.csv"): ONLY_HR,
    ("GET", "/tilgjengelighet"): EVERYONE,
    ("GET", "/hr/plan"): READERS,
    ("GET", "/hr/plan/{year}/versjon/{number}"): READERS,
    ("GET", "/hr/plan/{year}/sammenlign"): READERS,
    ("GET", "/hr/plan/{year}/versjon/{number}/eksport/{fmt}"): READERS,
    ("POST", "/hr/plan/{year}/sammenstill"): ONLY_HR,
    ("POST", "/hr/plan/{year}/versjon/{number}/behandling"): ONLY_HR,
    ("POST", "/hr/plan/{year}/versjon/{number}/merknad/{key}"): ONLY_HR,
    ("GET", "/hr/plan/{year}/prioritering/{sector_id}"): MANAGERS,
    ("POST", "/hr/plan/{year}/prioritering/{sector_id}"): MANAGERS,
    ("GET", "/mine-oppgaver"): ONLY_LEDER,
    ("GET", "/mine-oppgaver/{assignment_id}"): ONLY_LEDER,
    ("POST", "/mine-oppgaver/ny-lenke"): ONLY_LEDER,
    ("GET", "/hr/plan/tekst"): ONLY_HR,
    ("GET", "/hr/plan/tekst/{plan_year}/{key}"): ONLY_HR,
    ("POST", "/hr/plan/tekst/{plan_year}/{key}"): ONLY_HR,
    ("POST", "/hr/plan/tekst/{plan_year}/innsatsomrade"): ONLY_HR,
    ("POST", "/hr/plan/tekst/{plan_year}/periode"): ONLY_HR,
    ("GET", "/hr/plan/{year}/versjon/{number}/sektor/{sector_id}/eksport/{fmt}"): MANAGERS,
    ("GET", "/hr/utboks"): ONLY_HR,
    ("GET", "/hr/utboks/bekreft"): ONLY_HR,
    ("POST", "/hr/utboks/bekreft"): ONLY_HR,
    ("GET", "/hr/organisasjon"): ONLY_HR,
    ("POST", "/hr/organisasjon/forhandsvis"): ONLY_HR,
    ("POST", "/hr/organisasjon/bruk"): ONLY_HR,
    ("GET", "/hr/kalender.ics"): CONSOLE,
}
QUERIES = {"/hr/plan/{year}/sammenlign": "?fra=1&til=2"}


def api_routes(routes: Iterable[object]) -> Iterator[APIRoute]:
    """The app's routes, through FastAPI's included routers (none of which adds a prefix here)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif (included := getattr(route, "original_router", None)) is not None:
            assert not route.include_context.prefix  # type: ignore[attr-defined]
            yield from api_routes(included.routes)


@dataclass
class World:
    rt: Runtime
    clients: dict[str, TestClient]
    own_task: int  # a task in S1, the kommunalsjef's sector
    other_task: int  # a task in S2
    app_routes: list[tuple[str, str]]


@pytest.fixture
def world(rt: Runtime, catcher: MailCatcher) -> Iterator[World]:
    with rt.session() as session:
        spring_input(session, rt)
        consultation(session, rt)
    make_user(rt, "hanne@testvik.no", AccountRole.HR, name="Hanne Personal")
    make_user(rt, "siri.sjef@testvik.no", AccountRole.KOMMUNALSJEF, "S1", name="Siri Kommunalsjef")
    make_user(rt, "dir@testvik.no", AccountRole.LESER, name="Dina Direktør")
    make_user(rt, "leder1@testvik.no", AccountRole.LEDER, name="Leder 1")
    app = create_app(rt, catcher=catcher)
    clients = {role: TestClient(app, follow_redirects=False) for role in ROLES}
    signed = ((HR, "hanne@testvik.no"), (SJEF, "siri.sjef@testvik.no"), (LESER, "dir@testvik.no"))
    for role, email in (*signed, (LEDER, "leder1@testvik.no")):
        sign_in(clients[role], email)
    routes = [(method, route.path) for route in api_routes(app.routes) for method in sorted(route.methods or ())]
    yield World(rt, clients, task_of(rt, "leder1@testvik.no"), task_of(rt, "leder4@testvik.no"), routes)


def concrete(path: str, world: World, *, own: bool = True) -> str:
    values = {
        "assignment_id": str(world.own_task if own else world.other_task), "sector_id": "S1" if own else "S2",
        "year": "2027", "number": "1", "fmt": "pdf", "token": "ikke-en-lenke", "revision": "1",
        "plan_year": "2028", "key": "forord",
    }  # fmt: skip
    if path == "/hr/fase/{year}/{key}/eksport.{fmt}":  # a real phase and format, so an allowed role gets the file
        values = {**values, "key": "spring-input", "fmt": "csv"}
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), "1"), path) + QUERIES.get(path, "")


def denied(role: str, status: int, location: str) -> bool:
    """Anonymous: sent to sign in. Signed in: 403 (wrong role) or 404 (outside their sector); a leader's console
    is their own tasks."""
    if role == ANON:
        return status == 303 and location.startswith("/logg-inn")
    if role == LEDER and status == 303:
        return location == "/mine-oppgaver"
    return status in (403, 404)


def test_every_route_has_a_rule(world: World) -> None:
    missing = sorted(set(world.app_routes) - set(RULES))
    assert not missing, f"routes without an access rule in this test: {missing}"
    assert not set(RULES) - set(world.app_routes), "rules for routes that no longer exist"


def test_every_route_allows_and_denies_each_role_as_its_rule_says(world: World) -> None:
    results: dict[tuple[str, str, str], bool] = {}
    statuses: dict[tuple[str, str], int] = {}
    for method, path in world.app_routes:
        public = RULES.get((method, path)) == EVERYONE
        for role in ROLES:
            # POSTs without a CSRF token: an allowed one stops at the token (400), so nothing changes
            response = world.clients[role].request(method, concrete(path, world))
            status, location = response.status_code, response.headers.get("location", "")
            assert status < 500, (method, path, role)
            if public:  # a public page answers the same whoever asks (a made-up link is refused for all alike)
                anonymous = results.get((method, path, ANON), True)
                results[(method, path, role)] = anonymous and status == statuses.setdefault((method, path), status)
                results[(method, path, role)] &= not location.startswith("/logg-inn")
            else:
                results[(method, path, role)] = not denied(role, status, location)
    wrong = [key for key, allowed in results.items() if allowed != (key[2] in RULES[key[:2]])]
    assert not wrong, f"(method, path, role) against its rule: {wrong}"
    assert len(results) == len(world.app_routes) * len(ROLES)  # every route, every role


def _csrf(client: TestClient) -> str:
    match = re.search(r'name="csrf_token" value="([0-9a-f]+)"', client.get("/hr").text)
    assert match
    return match.group(1)


def test_a_kommunalsjef_cannot_read_export_or_change_another_sector_by_changing_an_id(world: World) -> None:
    sjef = world.clients[SJEF]
    csrf = _csrf(sjef)
    overview = sjef.get("/hr").text
    units = sjef.get("/hr/sektor/S1?ar=2027&fase=spring-input").text  # the overview's drill-down to units
    assert "Enhet 1" in units and "Leder 4" not in units
    assert "Solsiden barnehage" not in overview and "Leder 4" not in overview
    assert sjef.get("/hr/sektor/S2?ar=2027&fase=spring-input").status_code == 404
    with world.rt.session() as session:
        before = (len(session.exec(select(Event.id)).all()), len(session.exec(select(OutboxMessage.id)).all()))
    other = {"own": False}
    for method, path in (
        ("GET", "/hr/oppgave/{assignment_id}"),
        ("POST", "/hr/oppgave/{assignment_id}/purring"),
        ("POST", "/hr/oppgave/{assignment_id}/frist"),
        ("GET", "/hr/plan/{year}/prioritering/{sector_id}"),
        ("POST", "/hr/plan/{year}/prioritering/{sector_id}"),
        ("GET", "/hr/plan/{year}/versjon/{number}/sektor/{sector_id}/eksport/{fmt}"),
    ):
        data = {"csrf_token": csrf, "frist": "2027-05-05", "prioritet-0": "1", "nokkel-0": "språk::språkløyper"}
        response = sjef.request(method, concrete(path, world, **other), data=data if method == "POST" else None)
        assert response.status_code == 404, (method, path)
    assert sjef.get("/hr/plan/2027/versjon/1/eksport/xlsx").status_code == 403  # the whole plan: not theirs
    with world.rt.session() as session:
        after = (len(session.exec(select(Event.id)).all()), len(session.exec(select(OutboxMessage.id)).all()))
    assert after == before  # nothing was recorded or sent for the other sector


def test_a_kommunalsjef_moves_a_deadline_only_up_to_the_phase_closing_date(world: World) -> None:
    with world.rt.session() as session:
        assignment = session.get(Assignment, world.own_task)
        assert assignment is not None
        closes = session.get(Phase, assignment.phase_id).closes_at  # type: ignore[union-attr]
    late = f"{closes.year + 1}-01-15"
    refused = world.clients[SJEF].post(
        f"/hr/oppgave/{world.own_task}/frist", data={"csrf_token": _csrf(world.clients[SJEF]), "frist": late}
    )
    assert refused.status_code == 400 and "Som kommunalsjef kan du flytte fristen til senest" in refused.text
    by_hr = world.clients[HR].post(
        f"/hr/oppgave/{world.own_task}/frist", data={"csrf_token": _csrf(world.clients[HR]), "frist": late}
    )
    assert "Som kommunalsjef" not in by_hr.text


def test_the_kommunalsjef_prioritises_their_sector_and_the_event_names_them(world: World) -> None:
    sjef = world.clients[SJEF]
    assert sjef.get("/hr/sektor").headers["location"] == "/hr/plan/2027/prioritering/S1"
    page = sjef.get("/hr/plan/2027/prioritering/S1")
    assert page.status_code == 200 and "Kurs i journalsystem" in page.text
    keys = re.findall(r'name="(nokkel-\d+)" value="([^"]+)"', page.text)
    form = {"csrf_token": _csrf(sjef), **dict(keys), **{k.replace("nokkel", "prioritet"): "2" for k, _ in keys}}
    form["kommentar-0"] = "Viktig for hjemmetjenesten i vinter."
    saved = sjef.post("/hr/plan/2027/prioritering/S1", data=form)
    assert saved.headers["location"] == "/hr/plan/2027/prioritering/S1?ok=prioritised"
    with world.rt.session() as session:
        event = session.exec(select(Event).where(Event.kind == "plan.sector.prioritised")).one()
    assert event.actor == "Siri Kommunalsjef <siri.sjef@testvik.no> (kommunalsjef, på vegne av Helse og omsorg)"
    assert set(event.payload["priorities"].values()) == {2}
    assert event.payload["comments"] == {keys[0][1]: "Viktig for hjemmetjenesten i vinter."}
    assert "Viktig for hjemmetjenesten i vinter.</textarea>" in sjef.get("/hr/plan/2027/prioritering/S1").text
    unanswered = task_of(world.rt, "leder3@testvik.no")
    remind = sjef.post(f"/hr/oppgave/{unanswered}/purring", data={"csrf_token": _csrf(sjef)})
    assert remind.status_code == 303
    with world.rt.session() as session:
        rows = [dict(zip(HEADER, row, strict=True)) for row in audit_rows(session, world.rt, 2027)]
    people = [(r["hendelse"], r["utført av"], r["rolle"], r["på vegne av"]) for r in rows if r["rolle"]]
    siri = ("Siri Kommunalsjef <siri.sjef@testvik.no>", "kommunalsjef", "Helse og omsorg")
    assert ("plan.sector.prioritised", *siri) in people and ("reminder.queued", *siri) in people


def test_each_role_sees_only_the_menu_and_forms_it_may_use(world: World) -> None:
    hr, sjef, leser = (world.clients[role].get("/hr").text for role in (HR, SJEF, LESER))
    assert all(link in hr for link in ('href="/hr/purring"', 'href="/hr/plan"', 'href="/hr/hendelser"'))
    assert 'href="/hr/sektor"' in sjef and 'href="/hr/plan"' not in sjef and 'href="/hr/purring"' not in sjef
    assert 'href="/hr/plan"' in leser and 'href="/hr/hendelser"' not in leser and "/hr/oppgave/" not in leser
    plan = world.clients[LESER].get("/hr/plan?ar=2027").text
    assert "Versjon 1" in plan and "/sammenstill" not in plan
    assert "/behandling" not in world.clients[LESER].get("/hr/plan/2027/versjon/2").text
    task = world.clients[SJEF].get(f"/hr/oppgave/{world.own_task}").text
    # the task is answered: nothing to remind about, and a kommunalsjef never hands a task over
    assert "Logget inn som Siri Kommunalsjef" in task and "/purring" not in task and "/stedfortreder" not in task
