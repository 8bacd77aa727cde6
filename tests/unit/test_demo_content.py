"""The demo's content fits the kind of unit, and every answer it writes passes the form's own checks."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import pytest
import yaml

from arshjul.demo.catalogue import catalogue, unit_profile
from arshjul.demo.evaluation import Planned, evaluation_form
from arshjul.demo.frame import write_demo_frame
from arshjul.demo.names import SECTORS
from arshjul.demo.plan_handling import adoption_form, consultation_form, meetings
from arshjul.demo.unit_input import input_form, representative_input
from config.aarshjul import load_aarshjul
from config.settings import PACKAGED_AARSHJUL
from domain.aarshjul.bodies import PlanBody
from domain.form_checks import problems
from domain.forms import FORMS, AdoptionAnswer, Carried, ConsultationAnswer, EvaluationAnswer, InputAnswer
from domain.plan.frame import plan_frame
from domain.plan.measures import measure_key
from web.answer.form_specs import SPECS
from web.answer.formdata import parse, values_from_form

CARE = {"Demens", "Legemiddelhåndtering", "Palliasjon", "Velferdsteknologi", "Rehabilitering", "Helsefag"}
SCHOOL = {"Klasseledelse", "Spesialpedagogikk", "Lese- og skriveopplæring", "Språkutvikling"}
TECHNICAL = {"Beredskap", "Fagbrev"}
# Areas a unit of each sector must never ask for (a kindergarten asking for dementia care, a fire station for
# medication handling, a school for palliation).
NOT_IN = {
    "Oppvekst og utdanning": CARE | {"Beredskap", "Barnevern", "Saksbehandling"},
    "Helse og omsorg": SCHOOL | {"Beredskap", "Barnevern"},
    "Kultur, idrett og fritid": CARE | SCHOOL | {"Beredskap", "Barnevern"},
    "Teknikk og miljø": CARE | SCHOOL | {"Barnevern", "Relasjonskompetanse"},
    "Samfunnsutvikling": CARE | SCHOOL | {"Beredskap"},
    "Organisasjon og økonomi": CARE | SCHOOL | TECHNICAL | {"Barnevern", "Relasjonskompetanse"},
    "Velferd og inkludering": SCHOOL | {"Beredskap", "Barnevern"},
}
UNITS = [(sector.name, kind.template.format(place="Solbakken")) for sector in SECTORS for kind in sector.units]


def _validated(form: str, fields: dict[str, str]):  # type: ignore[no-untyped-def]
    """The posted fields as the web form reads them, validated by the form's model (raises if refused)."""
    parsed = parse(SPECS[form], values_from_form(SPECS[form], fields))
    assert not parsed.errors, parsed.errors
    return FORMS[form].model_validate(parsed.content)


@pytest.fixture(scope="module")
def lists(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, ...]]:
    """The choice lists of the frame the demo writes for Fjordvik."""
    path = write_demo_frame(Path(tmp_path_factory.mktemp("frame")))
    return plan_frame(yaml.safe_load(path.read_text(encoding="utf-8")), "Fjordvik kommune").choice_lists()


@pytest.mark.parametrize(("sector", "unit"), UNITS)
def test_every_kind_of_unit_asks_for_what_its_work_needs(sector: str, unit: str, lists: dict) -> None:
    profile = unit_profile(unit)
    assert profile is not None, f"{unit} has no profile in catalogue.yaml"
    assert unit_profile(f"{unit} 2") == profile  # a second unit of the same name
    for seed in range(25):
        answer = _validated("input", input_form(random.Random(seed), profile, 2028))
        assert isinstance(answer, InputAnswer)
        assert problems(answer, lists) == []
        areas = {m.area for m in answer.measures} | {n.area for n in answer.needs}
        assert not areas & NOT_IN[sector], (unit, areas & NOT_IN[sector])
        assert answer.measures and {m.area for m in answer.measures} <= {n.area for n in answer.needs} | {
            m.area for m in catalogue().common
        }
        for m in answer.measures:
            assert m.participants >= 1 and m.cost >= 0 and m.period.endswith(("2028", "2029"))
            assert sum(m.funding_shares().values()) == m.cost


def test_care_and_school_measures_stay_where_they_belong() -> None:
    school, nursing_home, fire = (unit_profile(n) for n in ("Lia skole", "Lia sykehjem", "Lia brannstasjon"))
    assert school and nursing_home and fire
    assert {m.area for m in school.measures} >= {"Klasseledelse", "Spesialpedagogikk"}
    assert {m.area for m in nursing_home.measures} >= {"Demens", "Legemiddelhåndtering", "Palliasjon"}
    assert {m.area for m in fire.measures} >= {"Arbeidsmiljø og HMS", "Beredskap"}
    assert not {m.area for m in school.measures} & CARE and not {m.area for m in fire.measures} & (CARE | SCHOOL)


def test_a_tillitsvalgt_input_passes_the_form_checks(lists: dict) -> None:
    answer = _validated("input", representative_input(random.Random(3), "Helse og omsorg", 2028))
    assert problems(answer, lists) == [] and not answer.measures and answer.needs


@pytest.mark.parametrize("seed", range(40))
def test_an_evaluation_agrees_with_itself_and_assesses_every_item(seed: int) -> None:
    rng = random.Random(seed)
    profile = unit_profile("Lia sykehjem")
    assert profile is not None
    ideas = rng.sample(profile.measures, 3)
    items = [{"measure_key": measure_key(i.area, i.title), "title": i.title, "planned_participants": ""} for i in ideas]
    planned = {items[0]["measure_key"]: Planned(cost=40_000, participants=12)}
    answer = _validated("evaluation", evaluation_form(rng, items, planned))
    assert isinstance(answer, EvaluationAnswer)
    assert problems(answer, None, {i["measure_key"]: i["title"] for i in items}) == []
    for item in answer.items:
        if item.carried_out == Carried.YES:
            assert item.participants > 0 and item.cost is not None and item.levels and item.goal_attainment
        if item.carried_out == Carried.NO:
            assert item.participants == 0 and not item.cost and not item.levels and item.why_not
        assert item.planned_participants > 0
    first = answer.items[0]
    assert first.planned_participants == 12 and (first.cost or 0) <= 40_000 * 1.1


def test_a_unit_without_last_years_measures_says_so() -> None:
    answer = _validated("evaluation", evaluation_form(random.Random(1), [], {}))
    assert problems(answer) == [] and answer.no_items_reason


def test_comments_are_on_the_measures_the_page_lists() -> None:
    measures = [{"key": "demens::demensomsorgens abc", "title": "Demensomsorgens ABC", "area": "Demens"}]
    comments = _validated("consultation", consultation_form(random.Random(2), measures, "Sykepleierforbundet"))
    assert isinstance(comments, ConsultationAnswer)
    assert comments.comments[0].target == "demens::demensomsorgens abc"


def test_the_handlings_follow_the_versions_and_end_in_one_vedtak_by_a_body_that_adopts() -> None:
    aarshjul = load_aarshjul(PACKAGED_AARSHJUL)
    made = [date(2027, 9, 1), date(2027, 10, 29)]  # the consultation draft, the final draft
    handled = meetings(random.Random(2), 2027, made, date(2027, 12, 7), aarshjul.calendar(2027), aarshjul.plan_bodies)
    adoption = _validated("adoption", adoption_form(handled))
    assert isinstance(adoption, AdoptionAnswer)
    assert [(h.body, h.kind.value) for h in adoption.handlings] == [
        ("Kompetanseforum", "drøfting"),
        ("MBM", "drøfting"),
        ("AMU", "til etterretning"),
        ("Kommunestyret", "vedtak"),
    ]
    forum, mbm, amu, vedtak = (h.held_on for h in adoption.handlings)
    assert made[0] <= forum < made[1] <= mbm <= amu <= vedtak < date(2027, 12, 7)
    assert all(aarshjul.calendar(2027).is_working_day(h.held_on) for h in adoption.handlings)


def test_another_aarshjul_gets_its_own_bodies_and_adopting_body() -> None:
    bodies = [PlanBody(name="Lederforum"), PlanBody(name="AMU"), PlanBody(name="Kommunedirektøren", adopts=True)]
    made = [date(2027, 10, 4), date(2027, 11, 12)]
    cal = load_aarshjul(PACKAGED_AARSHJUL).calendar(2027)
    handled = meetings(random.Random(4), 2027, made, date(2027, 11, 15), cal, bodies)
    assert [(m.body, m.kind) for m in handled] == [("AMU", "til etterretning"), ("Kommunedirektøren", "vedtak")]
    assert all(made[-1] <= m.held_on < date(2027, 11, 15) for m in handled)
