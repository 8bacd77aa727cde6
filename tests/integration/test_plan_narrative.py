"""The plan's text as HR edits it: the next version takes it, earlier ones keep theirs, it carries from year to year,
the diff names changed sections, Markdown stays inert, preview saves nothing, and bad input gets Norwegian sentences."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from domain.models import Event, PlanStatus
from domain.plan.content import plan_content
from domain.plan.diff import diff_plans, summary_lines
from domain.plan.prose import narrative_of
from domain.plan_period import PlanPeriod
from tasks.plan.narrative import draft_for, save_section
from tasks.plan.versions import compile_version, version_of
from tasks.runtime import Runtime
from tests.support.accounts import sign_in_as_hr
from tests.support.plan_year import YEAR, at, consultation, spring_input
from web.answer.view import frame_lists
from web.app import create_app

CSRF = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')
FOREWORD = "Kompetanse er vår viktigste ressurs.\n\n## Kommunen skal\n\n- lære hele livet\n- dele kunnskap"
PLAN_YEAR = YEAR + 1


@pytest.fixture
def year(rt: Runtime) -> Runtime:
    with rt.session() as session:
        spring_input(session, rt)
        consultation(session, rt)  # versions 1 and 2 of Kompetanseplan 2028
    return rt


@pytest.fixture
def client(year: Runtime) -> Iterator[TestClient]:
    with TestClient(create_app(year), follow_redirects=False) as test_client:
        sign_in_as_hr(test_client, year)
        yield test_client


def _csrf(client: TestClient) -> str:
    token = CSRF.search(client.get(f"/hr/plan/tekst?planar={PLAN_YEAR}").text)
    assert token
    return token.group(1)


def _save(rt: Runtime, plan_year: int, key: str, markdown: str, title: str = "") -> None:
    with rt.session() as session:
        draft = draft_for(session, rt, plan_year)
        section = draft.section(key)
        assert section is not None
        save_section(session, rt, plan_year, key, title=title or section.title, markdown=markdown,
                     revision=draft.revisions.get(key, 0), now=at(11, 5), actor="HR")  # fmt: skip


def test_an_edit_reaches_the_next_version_only(year: Runtime) -> None:
    _save(year, PLAN_YEAR, "forord", FOREWORD)
    with year.session() as session:
        new = compile_version(session, year, year=YEAR, now=at(11, 6), reason="ny tekst", status=PlanStatus.DRAFT)
        old = version_of(session, YEAR, 2)
        old_content, new_content = plan_content(old.content), plan_content(new.content)
    assert "Kompetanse er vår viktigste ressurs." in new.rendered and "Forord fra kommunedirektøren" in new.rendered
    assert "### Kommunen skal" in new.rendered and "- lære hele livet" in new.rendered
    assert "viktigste ressurs" not in old.rendered and old.content["narrative"][0] == {
        "key": "forord", "title": "Forord fra kommunedirektøren", "markdown": ""
    }  # fmt: skip
    assert new_content.period == "2028–2031" and new.content["narrative"][0]["markdown"] == FOREWORD
    assert [s.markdown for s in narrative_of(old_content) if s.key == "forankring"] == [
        s.markdown for s in narrative_of(new_content) if s.key == "forankring"
    ]
    diff = diff_plans(old_content, new_content)
    assert [(c.key, c.change) for c in diff.sections] == [("forord", "changed")]
    assert "+Kompetanse er vår viktigste ressurs." in diff.sections[0].lines
    assert "Endret kapittel: Forord fra kommunedirektøren" in summary_lines(diff)


def test_the_text_carries_through_the_period_and_into_the_next(year: Runtime) -> None:
    _save(year, PLAN_YEAR, "utfordringsbilde", "Vi blir flere eldre og færre i arbeid.")
    with year.session() as session:
        period = session.exec(select(PlanPeriod)).one()
        assert (period.first_year, period.last_year) == (2028, 2031)
        same = draft_for(session, year, 2030)
        after = draft_for(session, year, 2032)  # no period yet: carried from 2028–2031
    assert same.stored and same.label == "2028–2031"
    assert not after.stored and after.label == "2032–2035"
    for draft in (same, after):
        section = draft.section("utfordringsbilde")
        assert section is not None and section.markdown == "Vi blir flere eldre og færre i arbeid."
    _save(year, 2032, "utfordringsbilde", "Ny periode, nytt bilde.")
    with year.session() as session:
        old_period, new_period = draft_for(session, year, 2031), draft_for(session, year, 2032)
    assert old_period.section("utfordringsbilde").markdown == "Vi blir flere eldre og færre i arbeid."  # type: ignore[union-attr]
    assert new_period.stored and new_period.section("utfordringsbilde").markdown == "Ny periode, nytt bilde."  # type: ignore[union-attr]


def test_hr_edits_previews_and_saves_in_the_console(client: TestClient, year: Runtime) -> None:
    csrf = _csrf(client)
    listing = client.get(f"/hr/plan/tekst?planar={PLAN_YEAR}")
    assert "Planperiode 2028–2031" in listing.text and "neste versjon" in listing.text
    page = client.get(f"/hr/plan/tekst/{PLAN_YEAR}/forankring")
    assert page.status_code == 200 and "Hovedtariffavtalen kapittel 3.3" in page.text  # the frame's text, not lost
    typed = {"csrf_token": csrf, "tittel": "Forankring", "tekst": "Hei <script>alert(1)</script> **fet**",
             "revisjon": "0", "handling": "forhandsvis"}  # fmt: skip
    preview = client.post(f"/hr/plan/tekst/{PLAN_YEAR}/forankring", data=typed)
    assert preview.status_code == 200 and "Forhåndsvisning" in preview.text
    assert "<p>Hei &lt;script&gt;alert(1)&lt;/script&gt; <strong>fet</strong></p>" in preview.text
    assert "<script>alert" not in preview.text
    with year.session() as session:
        assert not session.exec(select(PlanPeriod)).all()  # the preview saved nothing
        assert not session.exec(select(Event).where(Event.kind == "plan.text.edited")).all()
    saved = client.post(f"/hr/plan/tekst/{PLAN_YEAR}/forankring", data={**typed, "handling": "lagre"})
    assert saved.status_code == 303 and saved.headers["location"] == f"/hr/plan/tekst?planar={PLAN_YEAR}&ok=saved"
    assert "Teksten er lagret." in client.get(saved.headers["location"]).text
    stale = client.post(f"/hr/plan/tekst/{PLAN_YEAR}/forankring", data={**typed, "handling": "lagre"})
    assert stale.status_code == 400 and "lagret kapittelet" in stale.text and "&lt;script&gt;" in stale.text
    assert client.post("/hr/plan/2027/sammenstill", data={"csrf_token": csrf}).status_code == 303
    version = client.get("/hr/plan/2027/versjon/3").text
    assert '-tittel">Forankring</h2>' in version and "&lt;script&gt;alert(1)&lt;/script&gt;" in version
    compared = client.get("/hr/plan/2027/sammenlign?fra=2&til=3").text
    assert "Endret kapittel: Forankring (før: «Forankring og ambisjoner»)</h3>" in compared
    assert "+Hei &lt;script&gt;" in compared


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"tittel": "  "}, "Overskriften mangler."),
        ({"tekst": "x" * 20_001}, "Teksten er 20 001 tegn; den kan være høyst 20 000 tegn."),
    ],
)
def test_bad_input_gets_a_norwegian_summary_and_nothing_is_saved(
    client: TestClient, year: Runtime, fields: dict[str, str], message: str
) -> None:
    data = {"csrf_token": _csrf(client), "tittel": "Forord", "tekst": "Tekst", "revisjon": "0", "handling": "lagre"}
    refused = client.post(f"/hr/plan/tekst/{PLAN_YEAR}/forord", data={**data, **fields})
    assert refused.status_code == 400 and "Teksten er ikke lagret" in refused.text and message in refused.text
    assert 'aria-invalid="true"' in refused.text
    with year.session() as session:
        assert not session.exec(select(PlanPeriod)).all()


def test_input_the_form_cannot_hold_is_refused_without_a_server_error(client: TestClient) -> None:
    csrf = _csrf(client)
    base = {"csrf_token": csrf, "tittel": "Forord", "tekst": "x", "revisjon": "0", "handling": "lagre"}
    for path, data in (
        (f"/hr/plan/tekst/{PLAN_YEAR}/forord", {**base, "revisjon": "mange"}),
        (f"/hr/plan/tekst/{PLAN_YEAR}/forord", {**base, "tekst": "x" * 120_000}),
        (f"/hr/plan/tekst/{PLAN_YEAR}/finnes-ikke", base),
        (f"/hr/plan/tekst/{PLAN_YEAR}/Ugyldig nøkkel", base),
        ("/hr/plan/tekst/99999/forord", base),
    ):
        response = client.post(path, data=data)
        assert 400 <= response.status_code < 500, (path, response.status_code)
    assert client.get(f"/hr/plan/tekst/{PLAN_YEAR}/finnes-ikke").status_code == 404


def test_hr_adds_an_innsatsomrade_the_forms_and_the_next_version_offer(client: TestClient, year: Runtime) -> None:
    csrf = _csrf(client)
    added = client.post(f"/hr/plan/tekst/{PLAN_YEAR}/innsatsomrade", data={"csrf_token": csrf, "tittel": "Heltid"})
    assert added.status_code == 303 and added.headers["location"].startswith(
        f"/hr/plan/tekst/{PLAN_YEAR}/innsatsomrade-"
    )
    twice = client.post(f"/hr/plan/tekst/{PLAN_YEAR}/innsatsomrade", data={"csrf_token": csrf, "tittel": "heltid"})
    assert twice.status_code == 400 and "Innsatsområdet «heltid» finnes allerede." in twice.text
    empty = client.post(f"/hr/plan/tekst/{PLAN_YEAR}/innsatsomrade", data={"csrf_token": csrf, "tittel": ""})
    assert empty.status_code == 400 and "Overskriften mangler." in empty.text
    edit = client.get(added.headers["location"])
    assert "Innsatsområdet er lagt til." in edit.text and "Kommunen skal:" in edit.text
    with year.session() as session:
        lists = frame_lists(year, session, YEAR)
        version = compile_version(session, year, year=YEAR, now=at(11, 6), reason="ny", status=PlanStatus.DRAFT)
    assert lists["focus_areas"][-1] == "Heltid" and "Digital kompetanse" in lists["focus_areas"]
    assert [a["title"] for a in version.content["frame"]["focus_areas"]][-1] == "Heltid"
    assert "### Heltid" in version.rendered


def test_hr_sets_the_period_and_overlaps_are_refused(client: TestClient, year: Runtime) -> None:
    csrf = _csrf(client)
    period = {"csrf_token": csrf, "forste": "2028", "siste": "2030"}
    changed = client.post(f"/hr/plan/tekst/{PLAN_YEAR}/periode", data=period)
    assert changed.headers["location"] == f"/hr/plan/tekst?planar={PLAN_YEAR}&ok=period"
    assert "Planperiode 2028–2030." in client.get(changed.headers["location"]).text
    for plan_year, data, message in (
        (2031, {"forste": "2030", "siste": "2033"}, "Årene overlapper planperioden 2028–2030."),
        (2031, {"forste": "2032", "siste": "2035"}, "Planperioden må omfatte planåret 2031"),
        (2031, {"forste": "2031", "siste": "2045"}, "En planperiode kan være høyst 12 år; 2031–2045 er 15."),
    ):
        refused = client.post(f"/hr/plan/tekst/{plan_year}/periode", data={"csrf_token": csrf, **data})
        assert refused.status_code == 400 and "Planperioden er ikke endret" in refused.text and message in refused.text
    assert client.post(f"/hr/plan/tekst/{PLAN_YEAR}/periode", data={**period, "forste": "neste"}).status_code == 400
    with year.session() as session:
        periods = [(p.first_year, p.last_year) for p in session.exec(select(PlanPeriod))]
        later = draft_for(session, year, 2031)
    assert periods == [(2028, 2030)] and not later.stored and later.label == "2031–2034"
