"""The municipality's words for its levels (`terms:` in the årshjul file) in the leaders' emails and the HR overview;
the default wording is unchanged."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from config.aarshjul import load_aarshjul
from config.settings import PACKAGED_AARSHJUL
from config.yaml_lines import ConfigFileError
from domain.aarshjul.terms import Terms
from domain.aarshjul.workdays import OSLO
from domain.clock import ManualClock
from notifications.templating import render_email
from tasks.runtime import Runtime
from tests.support.accounts import sign_in_as_hr
from tests.support.municipality import spring_under_way
from tests.unit.test_templating import SAMPLES
from web.app import create_app

ASKER = Terms.model_validate({"unit": "tjenestested", "sector": "tjenesteområde"})


def escalation(language: str, terms: Terms | None, n: int = 2, level: str = "sector") -> Any:
    context = {**SAMPLES["escalation"], "level": level}
    context["units"] = context["units"][:n]
    return render_email("escalation", language, context | ({"terms": terms} if terms else {}))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("language", "default", "asker"),
    [
        ("nb", "Disse 2 enhetene i din sektor har ikke svart",
         "Disse 2 tjenestestedene i ditt tjenesteområde har ikke svart"),
        ("nn", "Desse 2 einingane i sektoren din har ikkje svart",
         "Desse 2 tenestestadene i tenesteområdet ditt har ikkje svart"),
        ("en", "These 2 units in your sector have not answered",
         "These 2 service sites in your service area have not answered"),
    ],
)  # fmt: skip
def test_the_escalation_to_a_kommunalsjef_uses_the_municipalitys_words(language: str, default: str, asker: str) -> None:
    assert default in escalation(language, None).text  # the default wording, word for word as before
    assert default in escalation(language, Terms()).text
    assert asker in escalation(language, ASKER).text
    assert asker in escalation(language, ASKER).html


def test_one_unit_gets_the_demonstrative_that_agrees_with_the_word() -> None:
    assert "Denne enheten i din sektor" in escalation("nb", None, n=1).text
    assert "Dette tjenestestedet i ditt tjenesteområde" in escalation("nb", ASKER, n=1).text
    assert escalation("nb", ASKER, level="hr").subject == "Til HR: 2 tjenestesteder har ikke svart innen fristen"
    assert escalation("nb", None, level="hr").subject == "Til HR: 2 enheter har ikke svart innen fristen"


def test_a_task_notice_says_on_whose_behalf_in_the_municipalitys_word() -> None:
    sample = SAMPLES["task_notice"]
    assert "på vegne av enheten." in render_email("task_notice", "nb", sample).text
    assert "på vegne av tjenestestedet." in render_email("task_notice", "nb", sample | {"terms": ASKER}).text
    assert "på vegner av tenestestaden." in render_email("task_notice", "nn", sample | {"terms": ASKER}).text


def test_a_word_of_ones_own_and_an_unknown_word(tmp_path: Path) -> None:
    own = {"singular": "skole", "plural": "skoler", "definite": "skolen", "definite_plural": "skolene",
           "this": "denne", "your": "din"}  # fmt: skip
    terms = Terms.model_validate({"unit": {"nb": own, "nn": own, "en": own | {"singular": "school"}}})
    assert terms["nb"].unit.definite_plural == "skolene" and terms["en"].unit.singular == "school"
    assert terms["nb"].sector.singular == "sektor"
    path = tmp_path / "aarshjul.yaml"
    text = PACKAGED_AARSHJUL.read_text(encoding="utf-8").replace(
        "terms: {unit: enhet, sector: sektor}", "terms:\n  unit: avdelingg"
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigFileError) as caught:
        load_aarshjul(path)
    (problem,) = caught.value.problems
    line = text.splitlines().index("  unit: avdelingg") + 1
    assert problem.startswith(f"linje {line}, terms.unit: 'avdelingg' er ikke et kjent ord; velg enhet, sektor")


@pytest.fixture
def client(rt: Runtime, clock: ManualClock, tmp_path: Path) -> Iterator[TestClient]:
    spring_under_way(rt, tmp_path / "org", units=12, sectors=2)
    clock.set(datetime(2027, 5, 20, 12, 0, tzinfo=OSLO))
    with TestClient(create_app(rt), follow_redirects=False) as test_client:
        sign_in_as_hr(test_client, rt)
        yield test_client


def test_the_hr_overview_names_the_sectors_in_the_municipalitys_word(client: TestClient, rt: Runtime) -> None:
    default = client.get("/hr").text
    assert "Sektorene i kompetanseinnspill" in default and '<th scope="col">Sektor</th>' in default
    rt.aarshjul = rt.aarshjul.model_copy(update={"terms": ASKER})
    asker = client.get("/hr").text
    assert "Tjenesteområdene i kompetanseinnspill" in asker and '<th scope="col">Tjenesteområde</th>' in asker
    assert "Sektor" not in asker.split('id="sectors-heading"')[1].split("</table>")[0]
