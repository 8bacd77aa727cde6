"""The same year on PostgreSQL (Debian's package, started by the test): migrations, flows, guards."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col, select

from arshjul.bootstrap import bootstrap
from config.settings import DbSettings, Settings
from domain.clock import ManualClock
from domain.models import Assignment, Phase, PlanStatus, PlanVersion
from tasks.org.people import ensure_hr
from tasks.runtime import Runtime, install_runtime
from tasks.store.db import migrate
from tasks.store.guards import ImmutableRecordError
from tests.e2e.test_year_flows import _run_year
from tests.support.org import build_small_org
from tests.support.postgres import running_postgres

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("prefect_harness")]


@pytest.fixture
def pg_rt(settings: Settings, clock: ManualClock, tmp_path: Path) -> Iterator[Runtime]:
    with running_postgres() as url:
        runtime = bootstrap(settings.model_copy(update={"db": DbSettings(url=url)}), clock=clock)
        migrate(runtime.engine)
        install_runtime(runtime)
        yield runtime
        install_runtime(None)
        runtime.engine.dispose()


def test_a_whole_year_runs_on_postgresql(pg_rt: Runtime, clock: ManualClock) -> None:
    assert pg_rt.engine.dialect.name == "postgresql"
    with pg_rt.session() as session:
        build_small_org(session)
        ensure_hr(session, pg_rt.settings)
    _run_year(pg_rt, clock)
    with pg_rt.session() as session:
        states = {(a.unit_id, p.key): a.state.value for a, p in session.exec(select(Assignment, Phase).join(Phase))}
        statuses = [v.status for v in session.exec(select(PlanVersion).order_by(col(PlanVersion.number)))]
    assert states[("V1", "january-evaluation")] == "answered"
    assert states[("V3", "spring-input")] == "escalated"
    assert statuses == [PlanStatus.CONSULTATION, PlanStatus.ADOPTED]
    with Session(pg_rt.engine) as session:
        adopted = session.exec(select(PlanVersion).where(PlanVersion.status == PlanStatus.ADOPTED)).one()
        adopted.rendered = "endret"
        with pytest.raises(ImmutableRecordError):
            session.commit()
    with pg_rt.engine.begin() as connection, pytest.raises(DBAPIError, match="cannot be changed"):
        connection.execute(text("UPDATE plan_version SET rendered = 'endret' WHERE status = 'ADOPTED'"))
    with pg_rt.engine.begin() as connection, pytest.raises(DBAPIError, match="cannot be changed"):
        connection.execute(text("DELETE FROM event"))
    with pg_rt.engine.begin() as connection:
        connection.execute(text("UPDATE plan_version SET status = status WHERE status = 'CONSULTATION'"))
