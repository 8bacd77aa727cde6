"""Property-based fuzzing of every form the app takes a POST on, against the real app on a migrated SQLite file.

Generated forms (any subset of the real fields, unknown keys, non-ASCII, huge numbers, NUL, very long text) must
never give a 5xx, never show Python in the page, never log an unexpected error, and never leave a partial write.
A few hundred examples in all by default (derandomised, so CI is repeatable, well under a minute);
`make fuzz` runs each route with ARSHJUL_FUZZ_EXAMPLES fresh examples.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import col, select

from domain.models import Answer, Assignment, Phase
from notifications.links import LinkClaims
from tasks.cycle.phases import open_phase
from tests.integration.test_web_answers import START, World, hr_csrf, login, world_at
from tests.support.accounts import HR_EMAIL
from tests.support.fuzz import (
    ANSWER_KEYS,
    CSRF_CHOICE,
    ROW_BUTTONS,
    TEXT,
    ErrorLog,
    check_no_partial_write,
    check_response,
    collecting_errors,
    form,
    fuzz_settings,
    with_csrf,
)
from web.security import csrf_token
from web.signin.auth import SIGN_IN

HUGE = st.sampled_from(["9223372036854775808", "99999999999999999999999", "-1", "0", "²", "2147483648", "abc"])


@dataclass
class Fuzz:
    world: World
    tokens: list[tuple[str, int]]  # answer links of Kari's tasks (input, evaluation), with the task's id
    spare_task: int  # a task HR may reissue and hand over (Ola's), so Kari's links keep working
    errors: ErrorLog
    tally: Counter[str] = field(default_factory=Counter)  # '<first path segment> <status>' -> responses

    def post(self, path: str, data: dict[str, str]) -> None:
        response = self.world.client.post(path, data=data)
        check_response(response, self.errors, self.tally)
        with self.world.session() as session:
            check_no_partial_write(session)


@pytest.fixture(scope="module")
def fuzz(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fuzz]:
    with collecting_errors() as errors, world_at(tmp_path_factory.mktemp("fuzz")) as world:
        with world.session() as session:
            evaluation = session.exec(select(Phase).where(Phase.key == "january-evaluation")).one()
            open_phase(session, world.rt, evaluation, 2027, START)
            session.commit()
            kari, ola = world.leaders["solsiden"], world.leaders["bakken"]
            tasks = session.exec(select(Assignment)).all()
            links = [(_sign(world, task, kari), task.id or 0) for task in tasks if task.owner_id == kari]
            spare = next(task.id for task in tasks if task.owner_id == ola)
        login(world)
        running = Fuzz(world, links, spare or 0, errors)
        yield running
    print(f"\nfuzzed responses by route and status: {dict(sorted(running.tally.items()))}")


def _sign(world: World, task: Assignment, person_id: int) -> str:
    claims = LinkClaims(task.id or 0, person_id, task.link_version, START + timedelta(days=200), "answer")
    return world.rt.links.sign(claims)


@fuzz_settings(250)
@given(data=st.data())
def test_the_answer_form_draft_submit_and_rows(fuzz: Fuzz, data: st.DataObject) -> None:
    token, task = data.draw(st.sampled_from(fuzz.tokens))
    fields = data.draw(st.dictionaries(ANSWER_KEYS, TEXT, max_size=14))
    with fuzz.world.session() as session:
        query = select(Answer.revision).where(Answer.assignment_id == task).order_by(col(Answer.revision).desc())
        newest = session.exec(query).first()
    current = data.draw(st.sampled_from([True] * 5 + [False]))  # mostly right, so posts get past the checks
    fields["base_revision"] = str(newest or 0) if current else data.draw(TEXT)
    action = data.draw(st.sampled_from(["save", "save", "submit", "submit", "other"]))
    fields["action"] = data.draw(TEXT) if action == "other" else action
    button = data.draw(st.sampled_from(["", "", "", "add_row", "remove_row"]))
    if button:
        fields[button] = data.draw(ROW_BUTTONS)
    else:
        fields.pop("add_row", None), fields.pop("remove_row", None)
    choice, other = data.draw(CSRF_CHOICE), data.draw(TEXT)
    fuzz.post(f"/svar/{token}", with_csrf(fields, choice, csrf_token(fuzz.world.rt, token), other))


@fuzz_settings(50)
@given(data=st.data())
def test_the_substitute_form_behind_a_link(fuzz: Fuzz, data: st.DataObject) -> None:
    token = fuzz.tokens[0][0]
    fields = data.draw(form({"navn": TEXT, "epost": st.sampled_from(["vikar@kommune.example", "a@b.no"])}))
    choice, other = data.draw(CSRF_CHOICE), data.draw(TEXT)
    fuzz.post(f"/svar/{token}/stedfortreder", with_csrf(fields, choice, csrf_token(fuzz.world.rt, token), other))


@fuzz_settings(50)
@given(data=st.data())
def test_the_new_link_form(fuzz: Fuzz, data: st.DataObject) -> None:
    page = fuzz.world.client.get("/svar/ikke-en-lenke")
    found = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page.text)
    fields = data.draw(form({"epost": st.sampled_from(["kari@kommune.example", "ukjent@example.org"])}))
    choice, other = data.draw(CSRF_CHOICE), data.draw(TEXT)
    fuzz.post("/lenke/ny", with_csrf(fields, choice, found.group(1) if found else "", other))


@fuzz_settings(30)
@given(data=st.data())
def test_the_hr_login(fuzz: Fuzz, data: st.DataObject) -> None:
    emails, nexts = st.sampled_from([HR_EMAIL, "ukjent@example.org"]), st.sampled_from(["/hr", "/hr/purring", "//x"])
    fields = data.draw(form({"epost": emails, "passord": TEXT, "neste": nexts}))
    login_csrf = csrf_token(fuzz.world.rt, "hr-login")
    choice, other = data.draw(CSRF_CHOICE), data.draw(TEXT)
    fuzz.post(SIGN_IN, with_csrf(fields, choice, login_csrf, other))  # the sign-in moved from /hr/login


HR_TASK_ACTIONS = st.sampled_from(["purring", "frist", "stedfortreder", "ny-lenke"])


@fuzz_settings(60)
@given(data=st.data())
def test_the_hr_task_actions(fuzz: Fuzz, data: st.DataObject) -> None:
    task = data.draw(st.one_of(st.just(str(fuzz.spare_task)), HUGE))
    action = data.draw(HR_TASK_ACTIONS)
    days = st.integers(-3, 200).map(lambda d: (START + timedelta(days=d)).date().isoformat())
    fields = data.draw(form({"frist": days, "navn": TEXT, "epost": st.sampled_from(["vikar2@kommune.example"])}))
    choice, other = data.draw(CSRF_CHOICE), data.draw(TEXT)
    fuzz.post(f"/hr/oppgave/{task}/{action}", with_csrf(fields, choice, hr_csrf(fuzz.world), other))


@fuzz_settings(40)
@given(data=st.data())
def test_the_hr_reminders_and_plan_forms(fuzz: Fuzz, data: st.DataObject) -> None:
    year = data.draw(st.one_of(st.just("2027"), HUGE))
    path = data.draw(
        st.sampled_from(
            ["/hr/purring", f"/hr/plan/{year}/sammenstill", f"/hr/plan/{year}/prioritering/oppvekst",
             f"/hr/plan/{year}/prioritering/ukjent", f"/hr/plan/{year}/versjon/1/behandling",
             f"/hr/plan/{year}/versjon/{year}/behandling"]
        )
    )  # fmt: skip
    fields = data.draw(
        form(
            {"fase": st.sampled_from(["spring-input", "january-evaluation", "ukjent"]), "aar": TEXT,
             "organ": st.sampled_from(["Kommunestyret", "AMU"]), "dato": TEXT, "type": st.sampled_from(["vedtak"]),
             "saksnummer": TEXT, "utfall": TEXT, "prioritet-0": st.sampled_from(["0", "1", "3"]), "nokkel-0": TEXT},
            extra_keys=st.sampled_from(["prioritet-1", "nokkel-1", "vedta", "prioritet-²"]),
        )
    )  # fmt: skip
    choice, other = data.draw(CSRF_CHOICE), data.draw(TEXT)
    fuzz.post(path, with_csrf(fields, choice, hr_csrf(fuzz.world), other))
