"""The adoption answer form adopts only on a vedtak by an adopting body; anything else is refused with a sentence."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlmodel import select

from domain.aarshjul.workdays import OSLO
from domain.models import Assignment, AssignmentState, Handling, PlanStatus
from tasks.plan.versions import compile_version, versions_of
from tests.integration.test_web_answers import answers, events, link_for, post_form, world_at


def test_an_orientering_or_a_lederforum_vedtak_is_refused_and_a_kommunestyre_vedtak_adopts(tmp_path: Path) -> None:
    with world_at(tmp_path, phase_key="december-adoption") as world:
        world.clock.set(datetime(2027, 12, 6, 10, 0, tzinfo=OSLO))
        with world.rt.session() as session:
            compile_version(
                session, world.rt, year=2027, now=datetime(2027, 10, 29, 16, 0, tzinfo=OSLO), reason="frist"
            )
        token = link_for(world, world.rt.settings.hr_email)
        for body, kind in (("Lederforum", "orientering"), ("Lederforum", "vedtak"), ("AMU", "drøfting")):
            fields = {"handlings-0-body": body, "handlings-0-held_on": "05.12.2027", "handlings-0-kind": kind}
            refused = post_form(world, token, fields)
            assert refused.status_code == 409, (body, kind)
            assert "Planen er ikke vedtatt: bare et vedtak i Formannskapet, Kommunestyret eller" in refused.text
        with world.session() as session:
            task = session.exec(select(Assignment).where(Assignment.form == "adoption")).one()
            assert task.state == AssignmentState.OPEN and answers(world, task.id or 0) == []
            assert session.exec(select(Handling)).all() == []
            assert [v.status for v in versions_of(session, 2027)] == [PlanStatus.CONSULTATION]
        assert events(world, "answer.submitted") == [] and events(world, "plan.adopted") == []
        fields = {
            "handlings-0-body": "kommunestyret",
            "handlings-0-held_on": "05.12.2027",
            "handlings-0-kind": "vedtak",
        }
        assert post_form(world, token, fields).status_code == 303
        with world.session() as session:
            assert [v.status for v in versions_of(session, 2027)] == [PlanStatus.ADOPTED]
        assert len(events(world, "plan.adopted")) == 1
