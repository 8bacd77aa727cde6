"""The leaders' titles as terms: known titles, titles that follow the level's word, one's own, and a refusal."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from domain.aarshjul.terms import Terms
from tasks.cycle.step_texts import review, review_closed
from web.i18n import Translator

RECTOR = {"singular": "rektor", "plural": "rektorer", "definite": "rektoren", "definite_plural": "rektorene",
          "this": "denne", "your": "din"}  # fmt: skip


@pytest.mark.parametrize(
    ("given", "unit_leader", "sector_leader"),
    [
        ({}, "enhetsleder", "kommunalsjef"),
        ({"unit": "virksomhet"}, "virksomhetsleder", "kommunalsjef"),
        ({"unit": "tjenestested", "sector": "tjenesteområde"}, "tjenestestedsleder", "tjenesteområdeleder"),
        ({"sector": "programområde"}, "enhetsleder", "programområdeleder"),
        ({"sector": "tjenesteområde", "sector_leader": "direktør"}, "enhetsleder", "direktør"),
        ({"unit": {"nb": RECTOR, "nn": RECTOR, "en": RECTOR}}, "enhetsleder", "kommunalsjef"),
    ],
)
def test_a_leaders_title_follows_the_levels_word_unless_the_file_gives_one(
    given: dict[str, object], unit_leader: str, sector_leader: str
) -> None:
    terms = Terms.model_validate(given)
    assert (terms["nb"].unit_leader.singular, terms["nb"].sector_leader.singular) == (unit_leader, sector_leader)


def test_every_form_in_three_languages_and_a_title_of_ones_own() -> None:
    asker = Terms.model_validate({"unit": "tjenestested", "sector": "tjenesteområde"})
    assert asker["nn"].unit_leader.definite_plural == "tenestestadsleiarane"
    assert asker["en"].sector_leader.plural == "heads of service area"
    own = Terms.model_validate({"unit_leader": {"nb": RECTOR, "nn": RECTOR, "en": RECTOR | {"singular": "head"}}})
    assert own["nb"].unit_leader.definite_plural == "rektorene" and own["en"].unit_leader.singular == "head"


def test_an_unknown_title_is_refused_with_the_titles_to_choose_from() -> None:
    with pytest.raises(ValidationError) as caught:
        Terms.model_validate({"sector_leader": "sjefen"})
    assert "'sjefen' er ikke et kjent ord; velg kommunalsjef, tjenesteområdeleder, programområdeleder, direktør" in str(
        caught.value
    )


def test_page_texts_agree_with_the_word_and_start_with_a_capital() -> None:
    asker = Terms.model_validate({"unit": "tjenestested", "sector": "tjenesteområde"})
    assert Translator("nb", asker)("hr.done.excused").startswith("Oppgaven er fritatt. Tjenestestedet får ingen")
    assert Translator("nb", asker)("hr.nav.review") == "Tjenesteområdegjennomgang"
    assert Translator("nb")("hr.login.intro").startswith("For HR, kommunalsjefer og kommunedirektøren. Enhetsledere")
    words = asker["nb"]
    assert (words.unit.each, words.sector.own, words.words["Unit"].each) == ("hvert", "sitt", "Hvert")
    assert words.fill("{Unit.definite} og {n} og {ukjent.ord}") == "Tjenestestedet og {n} og {ukjent.ord}"


def test_the_sector_review_emails_name_the_level_in_the_municipalitys_word() -> None:
    asker = Terms.model_validate({"unit": "tjenestested", "sector": "tjenesteområde"})
    subject, text = review("Oppvekst", date(2027, 8, 31), "nb", reminder=True, terms=asker)
    assert subject == "Påminnelse: Tjenesteområdegjennomgang for Oppvekst innen 31.08.2027"
    assert "tiltakene tjenestestedene i Oppvekst har meldt inn" in text
    assert (
        review("Oppvekst", date(2027, 8, 31), "nb", reminder=False)[0]
        == "Sektorgjennomgang for Oppvekst innen 31.08.2027"
    )
    closed = review_closed(["Oppvekst"], ["Helse"], "en", asker)[0]
    assert closed == "Service area review closed: 1 of 2 service areas prioritised"
