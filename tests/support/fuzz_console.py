"""A console to fuzz: Testvik's 2027 plan year on a migrated SQLite file, its accounts, the checks after each post."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from sqlmodel import Session, col, func, select

from arshjul.bootstrap import bootstrap
from config.settings import Settings
from domain.aarshjul.workdays import OSLO
from domain.clock import ManualClock
from domain.identity import AccountRole
from domain.models import Assignment, AssignmentState, Event, OrgUnit, OutboxMessage, Person, Phase, PlanVersion, Role
from domain.plan.comment_diff import comment_rows
from domain.plan.content import plan_content
from tasks.cycle.phases import open_phase
from tasks.identity.reset import request_reset
from tasks.runtime import Runtime, install_runtime
from tasks.store.db import migrate
from tests.support.accounts import HR_EMAIL, make_user, sign_in
from tests.support.fuzz import ErrorLog, check_no_partial_write, check_response
from tests.support.org import build_small_org
from tests.support.plan_year import YEAR, consultation, phase, spring_input
from web.app import create_app

LEADER = "leder1@testvik.no"  # a unit leader with a console account of their own (/mine-oppgaver)
LEAVING = "ute@testvik.no"  # signs out again and again; nobody else's session ends with it
RESETTING = "glemt@testvik.no"  # sets new passwords by reset codes; nobody else's password changes
ACCOUNTS = (HR_EMAIL, LEADER, LEAVING, RESETTING)
DONE = (AssignmentState.ANSWERED, AssignmentState.EXCUSED)
RESET_LINK = re.compile(r"/nytt-passord\?kode=([A-Za-z0-9_\-]+)")


@dataclass
class Console:
    rt: Runtime
    app: FastAPI
    hr: TestClient  # HR, signed in
    csrf: str  # HR's session token
    errors: ErrorLog
    comments: list[str] = field(default_factory=list)  # the keys of the tillitsvalgt comments in versions 1 and 2
    tally: Counter[str] = field(default_factory=Counter)  # '<first path segment> <status>' -> responses
    routes: Counter[str] = field(default_factory=Counter)  # '<route> <status>' -> responses
    clients: dict[str, TestClient] = field(default_factory=dict)

    def client(self, address: str) -> TestClient:
        """A browser of its own at this address (sign-in limits count per address), without a session."""
        if address not in self.clients:
            self.clients[address] = TestClient(self.app, client=(address, 50000), follow_redirects=False)
        return self.clients[address]

    def tasks(self, *phases: str) -> list[str]:
        """The ids of the tasks in these phases, those an action can still change first (Hypothesis draws the first
        of a list most)."""
        with Session(self.rt.engine) as session:
            query = select(Assignment).join(Phase, col(Phase.id) == col(Assignment.phase_id))
            tasks = session.exec(query.where(col(Phase.key).in_(phases))).all()
        return [str(t.id) for t in sorted(tasks, key=lambda t: (t.state in DONE, t.id or 0))]

    def post(
        self, client: TestClient, route: str, path: str, *, refusal_writes_nothing: bool = True, **sent: Any
    ) -> Response:
        """Post to `path` (an address of `route`), then check the answer and the database.

        A refused form (4xx) must have written no event, e-mail or organisation row, unless the refusal itself is
        recorded (a failed sign-in counts towards the limits).
        """
        before = written(self.rt)
        response = client.post(path, **sent)
        check_response(response, self.errors, self.tally)
        self.routes[f"{route} {response.status_code}"] += 1
        with Session(self.rt.engine) as session:
            check_no_partial_write(session)
        if refusal_writes_nothing and response.status_code >= 400:
            assert written(self.rt) == before, (path, response.status_code)
        return response


def written(rt: Runtime) -> tuple[int, ...]:
    """Rows that any action writes: events, e-mail, units, people and roles."""
    with Session(rt.engine) as session:
        models = (Event, OutboxMessage, OrgUnit, Person, Role)
        return tuple(session.exec(select(func.count()).select_from(model)).one() for model in models)


def reset_code(rt: Runtime) -> str:
    """A fresh one-time code for RESETTING, as the e-mailed link carries it."""
    with rt.session() as session:
        assert request_reset(session, rt, RESETTING, rt.now())
        query = select(OutboxMessage).where(OutboxMessage.kind == "password_reset")
        message = session.exec(query.order_by(col(OutboxMessage.id).desc())).first()
        assert message is not None
        found = RESET_LINK.search(message.body_text)
        assert found, message.body_text
        return found.group(1)


def _comment_keys(session: Session) -> list[str]:
    versions = session.exec(select(PlanVersion).order_by(col(PlanVersion.number))).all()
    return sorted({key for v in versions for key, _place, _row in comment_rows(plan_content(v.content))})


@contextmanager
def console_at(folder: Path, errors: ErrorLog, *, plan_year: bool = True) -> Iterator[Console]:
    """Testvik after the September draft's consultation (or only its organisation), HR signed in; torn down after."""
    settings = Settings(data_dir=folder, env="test", base_url="http://127.0.0.1:8000")
    rt = bootstrap(settings, clock=ManualClock(datetime(2027, 11, 2, 10, 0, tzinfo=OSLO)))
    migrate(rt.engine)
    install_runtime(rt)
    try:
        with rt.session() as session:
            if plan_year:
                spring_input(session, rt)
                consultation(session, rt)
                # four more open tasks, so fritak and the bulk actions still have tasks to change late in a run
                open_phase(session, rt, phase(session, "january-evaluation"), YEAR, rt.now())
            else:
                build_small_org(session)
        make_user(rt)
        for email in ACCOUNTS[1:]:
            make_user(rt, email, AccountRole.LEDER if email == LEADER else AccountRole.HR, name=email.split("@")[0])
        app = create_app(rt)
        with TestClient(app, follow_redirects=False) as hr:
            console = Console(rt, app, hr, sign_in(hr), errors)
            with rt.session() as session:
                console.comments = _comment_keys(session)
            try:
                yield console
            finally:
                for client in console.clients.values():
                    client.close()
    finally:
        install_runtime(None)
        rt.engine.dispose()
