"""The spring input rolled up in a real database: the tillitsvalgt's input apart, units counted, each unit's own
request kept under a merged measure with the merged totals."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from openpyxl import load_workbook

from domain.plan.content import plan_content
from tasks.plan.documents.excel import UNIT_HEADERS, measures_workbook
from tasks.plan.versions import compile_version
from tasks.runtime import Runtime
from tests.support.plan_year import YEAR, answer, at, measure, need, spring_input

TORA_INPUT: dict[str, Any] = {  # Tora speaks for the whole municipality (her role's unit is the kommune)
    "requirements": "Fagarbeidere trenger tid til opplæring i arbeidstiden.",
    "holdings": "Mange ufaglærte med lang erfaring (realkompetanse).",
    "needs": [need("Demens", "høy", "kort", "utvikle"), need("Fagbrev", "høy", "lang", "utvikle")],
    "measures": [measure("Fagbrev", "Fagbrev på jobb", 80_000)],
}


def test_the_tillitsvalgt_s_input_is_its_own_part_and_only_units_are_counted(rt: Runtime) -> None:
    with rt.session() as session:
        spring_input(session, rt)
        answer(session, rt, "tora@testvik.no", "spring-input", TORA_INPUT, at(3, 12))
        version = compile_version(session, rt, year=YEAR, now=at(9, 1), reason="test")
        content = plan_content(version.content)
    assert content.needs_summary.total == 4  # V1 two, V2 one, V4 one; Tora's two are not a unit's
    demens = next(n for n in content.needs if n.area == "Demens")
    assert demens.units == ["Enhet 1", "Enhet 2"]
    assert [n.area for n in content.needs] == ["Demens", "Digital kompetanse", "Språk"]
    assert [m.title for m in content.measures if m.title == "Fagbrev på jobb"] == []
    assert sum(s.units for s in content.sectors) == 3 and "Testvik kommune" not in [s.name for s in content.sectors]
    assert content.costs.total == 115_000
    (tora,) = content.union_input
    assert (tora.name, tora.scope, tora.needs, tora.measures) == (
        "Tora Tillitsvalgt",
        "Testvik kommune",
        ["Demens", "Fagbrev"],
        ["Fagbrev på jobb"],
    )
    analysis = version.rendered.split("## Analyse av kompetansebehovet")[1].split("## Strategier")[0]
    assert "meldt inn av 3 enheter" in analysis
    assert "### Innspill fra tillitsvalgte" in analysis and "Tora Tillitsvalgt" in analysis


FUNDED = {
    "leder1@testvik.no": measure(
        "Demens",
        "Demensomsorgens ABC",
        50_000,
        target_group="Helsefagarbeidere",
        arena="Studiegrupper",
        period="Vår 2028",
        responsible="Enhetsleder 1",
        participants=12,
        funding="OU-midler",
        funding_amount=30_000,
        funding_other="eget budsjett",
        funding_other_amount=20_000,
        sessions="10.02.2028\n09.03.2028",
    ),
    "leder2@testvik.no": measure(
        "demens",
        "demensomsorgens  abc",
        30_000,
        target_group="Sykepleiere",
        arena="E-læring",
        period="Høst 2028",
        responsible="Fagutvikler",
        participants=5,
        funding="Kompetanse for kvalitet",
    ),
}


def test_a_merged_measure_keeps_each_unit_s_own_request_and_shows_the_totals(rt: Runtime) -> None:
    with rt.session() as session:
        spring_input(session, rt)
        for email, asked in FUNDED.items():  # a revision of their spring input, with the new fields
            content = {"requirements": "Krav", "holdings": "Har", "measures": [asked]}
            answer(session, rt, email, "spring-input", content, at(3, 20))
        version = compile_version(session, rt, year=YEAR, now=at(9, 1), reason="test")
        content_ = plan_content(version.content)
    abc = next(m for m in content_.measures if m.key == "demens::demensomsorgens abc")
    first, second = abc.requests
    assert (first.unit_name, first.goal, first.target_group, first.arena, first.period, first.responsible) == (
        "Enhet 1",
        "Bedre demens",
        "Helsefagarbeidere",
        "Studiegrupper",
        "Vår 2028",
        "Enhetsleder 1",
    )
    assert (second.unit_name, second.target_group, second.arena, second.period, second.responsible) == (
        "Enhet 2",
        "Sykepleiere",
        "E-læring",
        "Høst 2028",
        "Fagutvikler",
    )
    assert (first.participants, first.cost, first.funding_shares) == (
        12,
        50_000,
        {"OU-midler": 30_000, "eget budsjett": 20_000},
    )
    assert (second.participants, second.cost, second.funding_shares) == (5, 30_000, {"Kompetanse for kvalitet": 30_000})
    assert first.sessions == "10.02.2028\n09.03.2028"
    assert (abc.cost, abc.participants) == (80_000, 17)
    assert (abc.target_group, abc.period) == ("Helsefagarbeidere; Sykepleiere", "Vår 2028; Høst 2028")
    assert abc.funding_totals == {"OU-midler": 30_000, "eget budsjett": 20_000, "Kompetanse for kvalitet": 30_000}
    assert content_.costs.by_funding["OU-midler"] == 30_000 and content_.costs.by_funding["eget budsjett"] == 20_000
    tiltak = version.rendered.split("## Tiltak")[1].split("## Kostnader")[0]
    assert "OU-midler 30 000 kr, eget budsjett 20 000 kr, Kompetanse for kvalitet 30 000 kr" in tiltak
    assert "Demensomsorgens ABC: 2 enheter, til sammen 17 deltakere og 80 000 kr." in tiltak
    assert "Sykepleiere" in tiltak and "Helsefagarbeidere" in tiltak
    per_unit = load_workbook(BytesIO(measures_workbook(content_)))["Per enhet"]
    rows = [dict(zip(UNIT_HEADERS, (c.value for c in row), strict=True)) for row in per_unit.iter_rows(min_row=2)]
    enhet2 = next(r for r in rows if r["Enhet"] == "Enhet 2" and r["Tiltak"] == "Demensomsorgens ABC")
    assert (enhet2["Målgruppe"], enhet2["Deltakere"], enhet2["Finansiering med beløp"]) == (
        "Sykepleiere",
        5,
        "Kompetanse for kvalitet 30 000 kr",
    )
