"""Property-based fuzzing of the console's forms and the sign-in pages, against the real app on a migrated SQLite file.

The same properties as tests/integration/test_fuzz_forms.py (no 5xx, no Python in the page, no unexpected logged
error, no partial write), and one more: a console form that is refused (4xx) writes no event, no e-mail and no
organisation row. Mostly-valid forms (the real fields, the session's CSRF token most of the time, the hidden fields
of the page before) so examples get past the checks and reach the services; uploads of noisy CSV, formula cells,
damaged XLSX, random bytes, other encodings, empty and too big files. Derandomised by default, about 450 examples
in all; `make fuzz` runs each route with ARSHJUL_FUZZ_EXAMPLES fresh ones.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import col, select, update

from domain.models import OutboxMessage, OutboxStatus
from domain.plan.narrative import TEXT_KEYS
from tests.integration.test_fuzz_import import VALID_XLSX, csv_files, mutated_xlsx
from tests.support.accounts import PASSWORD, sign_in
from tests.support.fuzz import (
    CSRF_CHOICE,
    TEXT,
    collecting_errors,
    form,
    fuzz_settings,
    hidden_fields,
    mostly,
    with_csrf,
)
from tests.support.fuzz_console import ACCOUNTS, LEADER, LEAVING, Console, console_at, reset_code
from tests.support.fuzz_uploads import UPLOADS, upload_parts
from web.security import csrf_token

NUMBER = st.sampled_from(["9223372036854775808", "99999999999999999999999", "-1", "0", "²", "abc", "1e3"])
ADDRESSES = st.integers(1, 60).map(lambda n: f"192.0.2.{n}")  # sign-in limits count per address
T = TypeVar("T")
STRONG = "et langt og godt passord for fuzzing"


def usually(valid: st.SearchStrategy[T], other: st.SearchStrategy[T]) -> st.SearchStrategy[T]:
    """A path part: mostly one that exists, sometimes another."""
    return st.sampled_from([valid] * 5 + [other]).flatmap(lambda chosen: chosen)


@dataclass
class Signed:
    client: TestClient
    csrf: str


@pytest.fixture(scope="module")
def console(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Console]:
    with collecting_errors() as errors, console_at(tmp_path_factory.mktemp("console"), errors) as opened:
        with opened.rt.session() as session:  # two dead messages, so "send again" has something to act on
            dead = select(OutboxMessage.id).order_by(col(OutboxMessage.id)).limit(2)
            session.exec(update(OutboxMessage).where(col(OutboxMessage.id).in_(dead)).values(status=OutboxStatus.DEAD))
        yield opened
    print(f"\nfuzzed responses by route and status: {dict(sorted(opened.routes.items()))}")


@pytest.fixture(scope="module")
def leader(console: Console) -> Signed:
    client = console.client("198.51.100.1")
    return Signed(client, sign_in(client, LEADER))


def _csrf(data: st.DataObject, fields: dict[str, Any], valid: str) -> dict[str, Any]:
    return with_csrf(fields, data.draw(CSRF_CHOICE), valid, data.draw(TEXT))


YEARS = st.sampled_from(["2028", "2029", "2031", "2032", "2027"])
ODD_YEARS = st.sampled_from(["1999", "2201", "0", "²", "20288"])


@fuzz_settings(30)
@given(data=st.data())
def test_the_plan_period_and_a_new_focus_area(console: Console, data: st.DataObject) -> None:
    year = data.draw(usually(st.just("2028"), NUMBER | YEARS))
    if data.draw(st.booleans()):
        years = mostly({"forste": YEARS, "siste": YEARS}, {"forste": ODD_YEARS, "siste": ODD_YEARS})
        route, fields = "/hr/plan/tekst/{plan_year}/periode", data.draw(years)
    else:
        titles = st.sampled_from(["Rekruttering", "Heltidskultur", "<b>Fett</b>", "Læring og utvikling"])
        odd = st.sampled_from(["", " ", "x" * 200, "x" * 2000])
        route, fields = (
            "/hr/plan/tekst/{plan_year}/innsatsomrade",
            data.draw(mostly({"tittel": titles}, {"tittel": odd})),
        )
    path = route.replace("{plan_year}", year)
    console.post(console.hr, route, path, data=_csrf(data, fields, console.csrf))


MARKDOWN = st.sampled_from(
    ["Vi står sammen.\n\n## Mål\n\n- lære\n- dele", "# Toppnivå", "[lenke](javascript:alert(1))", "<script>x</script>",
     "![bilde](http://evil.example/x.png)", "| a | b |\n|---|---|\n| 1 | 2 |", "*" * 5000, "  "]
)  # fmt: skip
SECTION = {
    "tittel": st.sampled_from(["Forord", "Mål og strategier"]), "tekst": MARKDOWN,
    "revisjon": st.sampled_from(["0", "1", "2", "3"]), "handling": st.sampled_from(["lagre", "lagre", "forhandsvis"]),
}  # fmt: skip
ODD_SECTION = {
    "tittel": st.sampled_from(["", "x" * 300]), "tekst": st.sampled_from(["x" * 20_001, "x" * 100_001]),
    "revisjon": st.sampled_from(["-1", "1000001", "99"]), "handling": st.sampled_from(["slett", ""]),
}  # fmt: skip


@fuzz_settings(50)
@given(data=st.data())
def test_a_plan_text_section_previewed_and_saved(console: Console, data: st.DataObject) -> None:
    year = data.draw(usually(st.just("2028"), NUMBER | YEARS))
    key = data.draw(usually(st.sampled_from(sorted(TEXT_KEYS)), st.sampled_from(["ukjent", "A", "a" * 65]) | TEXT))
    path = f"/hr/plan/tekst/{year}/{quote(key, safe='')}"
    fields = _csrf(data, data.draw(mostly(SECTION, ODD_SECTION)), console.csrf)
    console.post(console.hr, "/hr/plan/tekst/{plan_year}/{key}", path, data=fields)


@fuzz_settings(40)
@given(data=st.data())
def test_hr_answers_a_comment_on_a_version(console: Console, data: st.DataObject) -> None:
    year = data.draw(usually(st.just("2027"), NUMBER))
    number = data.draw(usually(st.sampled_from(["1", "2"]), NUMBER | st.just("3")))
    key = data.draw(usually(st.sampled_from(console.comments), TEXT.map(lambda text: text[:40])))
    verdicts = st.sampled_from(["ja", "delvis", "nei", "accepted", "partly", "not", " JA "])
    reasons = st.sampled_from(["Tatt inn i kapittel 3.", "Enig."])
    odd = {"svar": st.sampled_from(["kanskje", "", "x" * 21]), "begrunnelse": st.sampled_from(["", " ", "x" * 4001])}
    fields = data.draw(mostly({"svar": verdicts, "begrunnelse": reasons}, odd))
    path = f"/hr/plan/{year}/versjon/{number}/merknad/{quote(key, safe='')}"
    route = "/hr/plan/{year}/versjon/{number}/merknad/{key}"
    console.post(console.hr, route, path, data=_csrf(data, fields, console.csrf))


@fuzz_settings(40)
@given(data=st.data())
def test_hr_excuses_a_task(console: Console, data: st.DataObject) -> None:
    task = data.draw(usually(st.sampled_from(console.tasks("spring-input", "september-draft")), NUMBER))
    reasons = st.sampled_from(["Permisjon hele året.", "Sluttet.", "Enheten er lagt ned.\nNy enhet fra mars."])
    odd = st.sampled_from(["", " ", "x" * 2001, "\x00"])
    fields = _csrf(data, data.draw(mostly({"begrunnelse": reasons}, {"begrunnelse": odd})), console.csrf)
    console.post(console.hr, "/hr/oppgave/{id}/fritak", f"/hr/oppgave/{task}/fritak", data=fields)


@fuzz_settings(40)
@given(data=st.data())
def test_hr_retries_or_cancels_outbox_messages(console: Console, data: st.DataObject) -> None:
    with console.rt.session() as session:
        ids = [str(n) for n in session.exec(select(OutboxMessage.id).order_by(col(OutboxMessage.id))).all()]
    action = data.draw(st.sampled_from(["retry", "cancel"]))
    chosen = data.draw(st.lists(usually(st.sampled_from(ids[:12]), NUMBER), min_size=1, max_size=4))
    shown = hidden_fields(console.hr.get("/hr/utboks/bekreft", params={"handling": action, "id": chosen}).text)
    page = {name: st.sampled_from(shown.get(name, [""])) for name in ("sett", "bekreftelse")}
    odd = {"handling": st.sampled_from(["slett", "RETRY"]), "duplikat": st.just("nei")}
    fields = data.draw(mostly({"handling": st.just(action), **page, "duplikat": st.sampled_from(["ja", ""])}, odd))
    fields["id"] = data.draw(st.sampled_from([chosen] * 4 + [chosen[:1], [*chosen, "x"], []]))
    console.post(console.hr, "/hr/utboks/bekreft", "/hr/utboks/bekreft", data=_csrf(data, fields, console.csrf))


BULK = {
    "handling": st.sampled_from(["purring", "frist", "fritak", "stedfortreder"]), "ar": st.just("2027"),
    "fase": st.just("spring-input"), "sektor": st.sampled_from(["", "S1", "S2"]),
    "status": st.sampled_from(["", "sen"]), "sok": st.sampled_from(["", "Enhet"]),
    "sorter": st.sampled_from(["", "frist"]),
    "frist": st.sampled_from(["2027-12-20", "20.12.2027"]), "begrunnelse": st.just("Sykmeldt."),
    "navn": st.just("Vera Vikar"), "epost": st.sampled_from(["vera@testvik.no", "leder1@testvik.no"]),
}  # fmt: skip
ODD_BULK = {
    "handling": st.sampled_from(["slett", "x" * 21]), "ar": st.sampled_from(["2026", "99999", "²"]),
    "fase": st.just("ukjent"), "sektor": st.just("ukjent"), "status": st.just("ukjent"), "sok": st.just("%"),
    "sorter": st.just("ukjent"), "frist": st.sampled_from(["31.02.2027", "2026-01-01", "i morgen"]),
    "begrunnelse": st.sampled_from(["", "x" * 2001]), "navn": st.just(""), "epost": st.just("ikke en adresse"),
}  # fmt: skip


def _bulk_form(console: Console, data: st.DataObject) -> dict[str, Any]:
    fields: dict[str, Any] = data.draw(mostly(BULK, ODD_BULK))
    tasks = console.tasks("january-evaluation", "spring-input")  # fritak's test changes the spring tasks too
    ids = st.lists(usually(st.sampled_from(tasks), NUMBER), min_size=1, max_size=5)
    fields["oppgave"] = data.draw(usually(ids, st.sampled_from([[], ["1"] * 5002])))
    if data.draw(st.sampled_from([False] * 5 + [True])):
        fields["alle"] = data.draw(st.sampled_from(["ja", "nei", ""]))
    return fields


@fuzz_settings(40)
@given(data=st.data())
def test_the_bulk_preview(console: Console, data: st.DataObject) -> None:
    fields = _csrf(data, _bulk_form(console, data), console.csrf)
    console.post(console.hr, "/hr/oppgaver/forhandsvisning", "/hr/oppgaver/forhandsvisning", data=fields)


@fuzz_settings(40)
@given(data=st.data())
def test_the_bulk_confirmation_after_its_preview(console: Console, data: st.DataObject) -> None:
    fields = _bulk_form(console, data)
    preview = console.hr.post("/hr/oppgaver/forhandsvisning", data={**fields, "csrf_token": console.csrf})
    shown = {
        name: values if name in ("oppgave", "planlagt") else values[-1]
        for name, values in hidden_fields(preview.text).items()
    }
    confirmed: dict[str, Any] = {**fields, **shown}
    edited = st.lists(st.sampled_from(["nokkel", "planlagt", "oppgave", "frist", "handling"]), min_size=1, max_size=2)
    for name in data.draw(usually(st.just(list[str]()), edited)):
        confirmed[name] = data.draw(st.one_of(TEXT, st.lists(TEXT, max_size=3)))  # the page edited by hand
    console.post(console.hr, "/hr/oppgaver/utfor", "/hr/oppgaver/utfor", data=_csrf(data, confirmed, console.csrf))


@fuzz_settings(20)
@given(data=st.data())
def test_a_leader_asks_for_new_links(console: Console, leader: Signed, data: st.DataObject) -> None:
    fields = _csrf(data, data.draw(form({})), leader.csrf)
    console.post(leader.client, "/mine-oppgaver/ny-lenke", "/mine-oppgaver/ny-lenke", data=fields)


EMAILS = st.sampled_from(["inn@testvik.no", "INN@TESTVIK.NO ", "", "a@b"]) | st.integers(0, 500).map(
    lambda n: f"person{n}@testvik.no"
)


@fuzz_settings(30)
@given(data=st.data())
def test_the_sign_in_form(console: Console, data: st.DataObject) -> None:
    nexts = st.sampled_from(["/hr", "/mine-oppgaver", "//evil.example", "/hr\\..\\x", "https://evil.example"])
    passwords = st.sampled_from([PASSWORD, PASSWORD, "feil", "", "x" * 501])
    fields = data.draw(mostly({"epost": usually(st.just(ACCOUNTS[0]), EMAILS), "passord": passwords, "neste": nexts}))
    client = console.client(data.draw(ADDRESSES))
    client.cookies.clear()  # a fresh browser each time, signed in or not by this example alone
    sent = _csrf(data, fields, csrf_token(console.rt, "hr-login"))
    console.post(client, "/logg-inn", "/logg-inn", data=sent, refusal_writes_nothing=False)  # failures are counted


@fuzz_settings(12)
@given(data=st.data())
def test_signing_out(console: Console, data: st.DataObject) -> None:
    client = console.client("198.51.100.2")
    client.cookies.clear()
    csrf = sign_in(client, LEAVING) if data.draw(st.sampled_from([True] * 4 + [False])) else ""
    console.post(client, "/logg-ut", "/logg-ut", data=_csrf(data, data.draw(form({})), csrf))


@fuzz_settings(30)
@given(data=st.data())
def test_forgotten_password(console: Console, data: st.DataObject) -> None:
    fields = data.draw(mostly({"epost": st.sampled_from(ACCOUNTS) | EMAILS}))
    client = console.client(data.draw(ADDRESSES))
    sent = _csrf(data, fields, csrf_token(console.rt, "forgot-password"))
    console.post(client, "/glemt-passord", "/glemt-passord", data=sent)


@fuzz_settings(20)
@given(data=st.data())
def test_a_new_password_by_its_code(console: Console, data: st.DataObject) -> None:
    code = reset_code(console.rt) if data.draw(st.sampled_from([True] * 4 + [False])) else data.draw(TEXT)[:190]
    password = data.draw(st.sampled_from([STRONG, STRONG, STRONG, "123", "", "x" * 501]))
    repeat = data.draw(st.sampled_from([password, password, password, password + "!"]))
    fields = data.draw(mostly({"kode": st.just(code), "passord": st.just(password), "gjenta": st.just(repeat)}))
    client = console.client(data.draw(ADDRESSES))
    sent = _csrf(data, fields, csrf_token(console.rt, "new-password" + code))
    console.post(client, "/nytt-passord", "/nytt-passord", data=sent)


@pytest.fixture(scope="module")
def importing(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Console]:
    """A console of its own: an applied import changes the organisation the other tests rely on."""
    with collecting_errors() as errors, console_at(tmp_path_factory.mktemp("org"), errors, plan_year=False) as opened:
        yield opened
    print(f"\nfuzzed responses by route and status: {dict(sorted(opened.routes.items()))}")


@fuzz_settings(60)
@given(data=st.data())
def test_the_organisation_upload_and_apply(importing: Console, data: st.DataObject) -> None:
    parts = data.draw(upload_parts(csv_files(), VALID_XLSX, mutated_xlsx()))
    sent = _csrf(data, data.draw(form({})), importing.csrf)
    page = importing.post(importing.hr, UPLOADS, UPLOADS, data=sent, files=parts)
    token = hidden_fields(page.text).get("token", [""])[0]
    if data.draw(st.sampled_from([True, True, False])):
        token = data.draw(usually(st.just(token), st.sampled_from([token[:-1], "x" * 32, ""]) | TEXT))
        applied = _csrf(data, data.draw(mostly({"token": st.just(token)})), importing.csrf)
        importing.post(importing.hr, "/hr/organisasjon/bruk", "/hr/organisasjon/bruk", data=applied)
