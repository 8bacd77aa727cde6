"""Roll-up of unit input on a known input: needs, strategies, merged measures, costs per funding and sector."""

from __future__ import annotations

from typing import Any

from domain.plan.rollup import UnitAnswer, roll_up_evaluation, roll_up_input


def _need(area: str, criticality: str, horizon: str, strategy: str) -> dict[str, str]:
    return {"area": area, "criticality": criticality, "horizon": horizon, "strategy": strategy}


def _measure(area: str, title: str, cost: int, **extra: Any) -> dict[str, Any]:
    return {"area": area, "goal": "Mål", "title": title, "cost": cost, **extra}


ANSWERS = [
    UnitAnswer(
        "V1",
        "Enhet 1",
        "Helse",
        {
            "needs": [_need("Demens", "høy", "kort", "utvikle"), _need("Digital", "middels", "lang", "utvikle")],
            "measures": [
                _measure("Demens", "Demensomsorgens ABC", 50_000, priority=2, funding="statsforvalter"),
                _measure("Digital", "Journalkurs", 20_000),
            ],
        },
        "S1",
    ),
    UnitAnswer(
        "V2",
        "Enhet 2",
        "Helse",
        {
            "needs": [_need(" demens", "høy", "lang", "rekruttere")],
            "measures": [_measure("demens", "Demensomsorgens  abc", 30_000, priority=1, substitutes=True)],
        },
        "S1",
    ),
    UnitAnswer(
        "V4",
        "Solsiden",
        "Oppvekst",
        {
            "needs": [_need("Språk", "lav", "kort", "mobilisere")],
            "measures": [_measure("Språk", "Språkløyper", 15_000)],
        },
        "S2",
    ),
]


def test_needs_are_counted_by_area_criticality_and_horizon() -> None:
    rolled = roll_up_input(ANSWERS)
    demens, *_ = rolled.needs
    assert demens.area == "Demens" and demens.units == ["Enhet 1", "Enhet 2"]
    assert demens.criticality == {"høy": 2} and demens.horizon == {"kort": 1, "lang": 1}
    assert demens.strategy == {"utvikle": 1, "rekruttere": 1}
    assert [n.area for n in rolled.needs] == ["Demens", "Digital", "Språk"]
    assert rolled.needs_summary.model_dump() == {
        "total": 4,
        "by_criticality": {"høy": 2, "middels": 1, "lav": 1},
        "by_horizon": {"kort": 2, "lang": 2},
    }


def test_strategies_are_spread_with_counts_and_shares() -> None:
    rolled = roll_up_input(ANSWERS)
    assert rolled.strategies == {"mobilisere": 1, "utvikle": 2, "rekruttere": 1}
    assert rolled.strategy_shares == {"mobilisere": 25.0, "utvikle": 50.0, "rekruttere": 25.0}


def test_the_same_measure_from_two_units_is_merged_and_keeps_who_asked() -> None:
    rolled = roll_up_input(ANSWERS)
    assert len(rolled.measures) == 3
    abc = next(m for m in rolled.measures if m.key == "demens::demensomsorgens abc")
    assert abc.title == "Demensomsorgens ABC" and abc.cost == 80_000
    assert abc.units == ["V1", "V2"] and abc.unit_names == ["Enhet 1", "Enhet 2"]
    assert abc.sectors == ["Helse"] and abc.priority == 1 and abc.substitutes is True
    assert abc.funding == "statsforvalter, eget budsjett" and abc.prioritised_by == "enhet"
    assert [(r.unit, r.cost, r.funding) for r in abc.requests] == [
        ("V1", 50_000, "statsforvalter"),
        ("V2", 30_000, "eget budsjett"),
    ]
    assert rolled.measures[0] is abc  # priority 1 first


def test_costs_add_up_by_funding_source_and_by_sector() -> None:
    costs = roll_up_input(ANSWERS).costs
    assert costs.model_dump() == {
        "by_funding": {"eget budsjett": 65_000, "statsforvalter": 50_000},
        "by_sector": {"Helse": 100_000, "Oppvekst": 15_000},
        "total": 115_000,
    }
    sectors = roll_up_input(ANSWERS).sectors
    assert [s.model_dump() for s in sectors] == [
        {"name": "Helse", "units": 2, "needs": 3, "measures": 3, "cost": 100_000},
        {"name": "Oppvekst", "units": 1, "needs": 1, "measures": 1, "cost": 15_000},
    ]


def test_a_kommunalsjef_priority_overrides_the_units_and_a_left_out_measure_is_gone() -> None:
    priorities = {"S1": {"digital::journalkurs": 0, "demens::demensomsorgens abc": 3}}
    rolled = roll_up_input(ANSWERS, priorities)
    assert [m.title for m in rolled.measures] == ["Språkløyper", "Demensomsorgens ABC"]
    abc = rolled.measures[1]
    assert abc.priority == 3 and abc.unit_priority == 1 and abc.prioritised_by == "kommunalsjef"
    assert abc.sector_priorities == {"Helse": 3}
    assert rolled.costs.total == 95_000


def test_the_evaluation_counts_what_was_carried_out_and_what_continues_changes_or_stops() -> None:
    items = [
        {"title": "ABC", "carried_out": "gjennomført", "next_step": "fortsette", "participants": 12, "cost": 40_000},
        {"title": "Kurs", "carried_out": "delvis", "next_step": "endre", "participants": 3, "cost": 5_000},
        {"title": "Veiledning", "carried_out": "ikke", "next_step": "avslutte"},
    ]
    evaluation = roll_up_evaluation(
        [
            UnitAnswer("V1", "Enhet 1", "Helse", {"items": items[:2], "lessons": "Mer tid"}),
            UnitAnswer("V2", "Enhet 2", "Helse", {"items": items[2:]}),
        ]
    )
    assert evaluation.carried_out == {"gjennomført": 1, "delvis": 1, "ikke": 1}
    assert evaluation.next_steps == {"fortsette": 1, "endre": 1, "avslutte": 1}
    assert (evaluation.continue_, evaluation.change, evaluation.stop) == (["ABC"], ["Kurs"], ["Veiledning"])
    assert evaluation.participants == 15 and evaluation.cost == 45_000
    assert [n.model_dump() for n in evaluation.notes] == [{"unit": "Enhet 1", "deviations": "", "lessons": "Mer tid"}]
    assert [i.unit for i in evaluation.items] == ["Enhet 1", "Enhet 1", "Enhet 2"]
