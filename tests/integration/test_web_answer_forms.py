"""The forms ask what the seeds ask, over HTTP: the evaluation refused when empty or inconsistent, areas chosen from
the plan frame, amounts as people write them, and the receipt in the person's language under the form's labels."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from sqlmodel import col, select

from domain.models import OutboxMessage, Person
from domain.plan.frame import DEFAULT_FRAME
from tests.integration.test_web_answers import (
    World,
    answers,
    assignment_of,
    input_fields,
    link_for,
    post_form,
    world_at,
)


@pytest.fixture
def january(tmp_path: Path) -> Iterator[World]:
    with world_at(tmp_path, "january-evaluation") as opened:
        yield opened


def _error(text: str, name: str) -> str:
    found = re.search(rf'id="{name}-error">([^<]*)<', text)
    return found.group(1) if found else ""


def test_an_evaluation_with_every_item_blank_is_refused_with_a_clear_message(january: World) -> None:
    token = link_for(january, "ola@kommune.example")
    refused = post_form(january, token, {"items-0-title": "", "items-0-carried_out": "", "lessons": ""})
    assert refused.status_code == 422
    assert "Evalueringen er tom. Vurder hvert tiltak i listen, eller skriv hvorfor" in refused.text
    assert answers(january, assignment_of(january, january.leaders["bakken"]).id or 0) == []
    reason = {"no_items_reason": "Barnehagen hadde ingen tiltak i fjorårets plan."}
    assert post_form(january, token, reason).status_code == 303


def test_not_carried_out_with_33_participants_is_asked_about_beside_the_field(january: World) -> None:
    token = link_for(january, "ola@kommune.example")
    item = {
        "items-0-title": "Veiledningskurs",
        "items-0-carried_out": "ikke",
        "items-0-why_not": "Kursholder ble syk.",
        "items-0-participants": "33",
        "items-0-next_step": "fortsette",
    }
    asked = post_form(january, token, item)
    assert asked.status_code == 422
    assert _error(asked.text, "items-0-participants").startswith(
        "Tiltaket er merket «ikke gjennomført», men har 33 deltakere."
    )
    assert 'value="33"' in asked.text  # what was typed stays in the form
    partly = post_form(january, token, {**item, "items-0-carried_out": "delvis"})
    assert partly.status_code == 422
    assert _error(partly.text, "items-0-cost").startswith("Skriv hva tiltaket faktisk kostet")
    assert _error(partly.text, "items-0-goal_attainment") == "Velg om målet for tiltaket ble nådd."
    done = {
        **item,
        "items-0-carried_out": "delvis",
        "items-0-cost": "12\u202f000 kr",
        "items-0-goal_attainment": "nådd",
    }
    done |= {"items-0-reached_reaction": "on", "items-0-reached_application": "on", "items-0-assessed_how": "Samtaler"}
    assert post_form(january, token, done).status_code == 303
    (answer,) = answers(january, assignment_of(january, january.leaders["bakken"]).id or 0)
    (stored,) = answer.content["items"]
    assert (stored["cost"], stored["reached_reaction"], stored["reached_learning"]) == (12_000, True, False)


def test_areas_are_chosen_from_the_plan_frame_which_hr_can_extend(tmp_path: Path) -> None:
    with world_at(tmp_path) as world:
        token = link_for(world, "kari@kommune.example")
        page = world.client.get(f"/svar/{token}")
        assert '<select id="measures-0-area"' in page.text and '<option value="Spesialpedagogikk">' in page.text
        assert '<select id="measures-0-focus_area"' in page.text and '<option value="Ledelse">' in page.text
        assert "Hvor kritisk er behovet?" in page.text and "formalkompetanse og realkompetanse" in page.text
        typo = post_form(world, token, input_fields(token, world, action="submit", **{"measures-0-area": "Digitall"}))
        assert typo.status_code == 422
        assert _error(typo.text, "measures-0-area").startswith("Velg et av områdene i planrammen.")
        frame = {**DEFAULT_FRAME, "competence_areas": [*DEFAULT_FRAME["competence_areas"], "Digitall"]}
        (tmp_path / "planramme.yaml").write_text(yaml.safe_dump(frame, allow_unicode=True), encoding="utf-8")
        assert '<option value="Digitall">' in world.client.get(f"/svar/{token}").text
        extra = {
            "measures-0-area": "Digitall",
            "measures-0-cost": "25\u00a0000 kr",
            "measures-0-funding": "OU-midler",
            "measures-0-funding_other": "Kompetanse for kvalitet",
            "measures-0-funding_other_amount": "10 000",
            "measures-0-participants": "14",
            "measures-0-sessions": "3. februar\n10. mars",
            "education_count": "2",
            "education_kind": "Videreutdanning i spesialpedagogikk",
            "education_start": "Høsten 2028",
        }
        assert post_form(world, token, input_fields(token, world, action="submit", **extra)).status_code == 303
        (answer,) = answers(world, assignment_of(world, world.leaders["solsiden"]).id or 0)
    measure = answer.content["measures"][0]
    assert (measure["area"], measure["cost"], measure["funding_other_amount"], measure["participants"]) == (
        "Digitall",
        25_000,
        10_000,
        14,
    )
    assert (answer.content["education_count"], answer.content["education_start"]) == (2, "Høsten 2028")


@pytest.mark.parametrize(
    ("language", "labels"),
    [
        ("nb", ("Kompetansekrav: Alle lærere", "Hvor kritisk er behovet?: Høy", "Krever vikar: Ja", "\nSvar\n")),
        ("nn", ("Kompetansekrav: Alle lærere", "Kor kritisk er behovet?: Høg", "Krev vikar: Ja", "\nSvar\n")),
        ("en", ("Competence requirements: Alle lærere", "How critical is the need?: High", "Needs substitutes: Yes")),
    ],
)
def test_the_receipt_shows_the_answer_under_the_form_s_labels(
    tmp_path: Path, language: str, labels: tuple[str, ...]
) -> None:
    with world_at(tmp_path) as world:
        with world.session() as session:
            kari = session.exec(select(Person).where(Person.email == "kari@kommune.example")).one()
            kari.language = language
            session.add(kari)
            session.commit()
        token = link_for(world, "kari@kommune.example")
        assert post_form(world, token, input_fields(token, world, action="submit")).status_code == 303
        with world.session() as session:
            receipt = session.exec(
                select(OutboxMessage).where(OutboxMessage.kind == "receipt").order_by(col(OutboxMessage.id))
            ).one()
    for label in labels:
        assert label in receipt.body_text, label
    internal = re.compile(r"(?m)^(requirements|holdings|needs \d|measures \d|target_group|substitutes|measure_key)\b")
    assert not internal.search(receipt.body_text) and "False" not in receipt.body_text
    if language == "en":
        assert not re.search(r"(?m)^Svar$", receipt.body_text) and "\nAnswer\n" in receipt.body_text
