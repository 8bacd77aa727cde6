"""A plan the size of the demo's (150 units in 6 sectors, 15 measures, every unit's evaluation, 13 tillitsvalgte),
rolled up by the real roll-up from the demo's own organisation and answers, without running the year."""

from __future__ import annotations

import csv
import random
from pathlib import Path

from arshjul.demo.municipality import write_demo_organisation
from arshjul.demo.people import AREAS, FOCUS_AREAS, MEASURES
from domain.plan.comments import attach_comments
from domain.plan.content import PlanContent
from domain.plan.frame import plan_frame
from domain.plan.rollup import UnitAnswer, roll_up_evaluation, roll_up_input

FUNDING = ("eget budsjett", "statsforvalter", "sentral pott", "fond", "stipend")
UNIONS = ("Fagforbundet", "Utdanningsforbundet", "Sykepleierforbundet", "Delta", "Fellesorganisasjonen")


def big_plan(folder: Path, seed: int = 2027) -> tuple[PlanContent, list[str]]:
    """The content of such a plan, and the names of its units."""
    rng = random.Random(seed)
    units_csv, _ = write_demo_organisation(folder, seed=seed)
    with units_csv.open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    sectors = {r["unit_id"]: r["name"] for r in rows if r["level"] == "sektor"}
    units = [(r["unit_id"], r["name"], r["parent_id"]) for r in rows if r["level"] == "virksomhet"]
    answers = [UnitAnswer(u, name, sectors[s], _input(rng), sector_id=s) for u, name, s in units]
    content = PlanContent(
        municipality="Fjordvik kommune",
        plan_year=2028,
        title="Kompetanseplan 2028 for Fjordvik kommune",
        frame=plan_frame(None, "Fjordvik kommune"),
        evaluation=roll_up_evaluation(
            UnitAnswer(u, name, sectors[s], _evaluation(rng), sector_id=s) for u, name, s in units[:146]
        ),
        **dict(roll_up_input(answers)),
    )
    titles = [m.title for m in content.measures]
    entries = [_consultation(rng, n, titles) for n in range(13)]
    content = content.model_copy(update={"consultation": attach_comments(entries, content.measures)})
    return content, [name for _, name, _ in units]


def _input(rng: random.Random) -> dict[str, object]:
    pool = AREAS["Helse"] if rng.random() < 0.45 else AREAS["Oppvekst"]
    areas = [*rng.sample(pool, 2), rng.choice(AREAS["Felles"])]
    needs = [
        {
            "area": area,
            "criticality": rng.choice(["høy", "middels", "lav"]),
            "horizon": rng.choice(["kort", "lang"]),
            "strategy": rng.choice(["utvikle", "mobilisere", "rekruttere", "avvikle"]),
        }
        for area in areas[:2]
    ]
    measures = [
        {
            "area": area,
            "goal": f"Styrke kompetansen i {area.lower()}",
            "title": MEASURES[area],
            "focus_area": FOCUS_AREAS.get(area, "Faglig kvalitet"),
            "target_group": rng.choice(["Alle ansatte", "Fagarbeidere", "Ledere", "Pedagoger", "Sykepleiere"]),
            "arena": rng.choice(["Kurs", "E-læring", "Nettverk", "Videreutdanning", "Hospitering"]),
            "period": rng.choice(["Vår 2028", "Høst 2028", "Hele 2028"]),
            "responsible": "Virksomhetsleder",
            "cost": rng.randrange(10_000, 250_000, 5_000),
            "priority": rng.randint(1, 3),
            "funding": rng.choice(FUNDING),
            "participants": rng.randint(2, 30),
        }
        for area in rng.sample(areas, rng.randint(1, 3))
    ]
    return {"requirements": "Krav", "holdings": "Har", "needs": needs, "measures": measures}


def _evaluation(rng: random.Random) -> dict[str, object]:
    title = MEASURES[rng.choice(list(MEASURES))]
    carried = rng.choice(["gjennomført", "gjennomført", "delvis", "ikke"])
    item: dict[str, object] = {"title": title, "carried_out": carried, "next_step": rng.choice(["fortsette", "endre"])}
    if carried != "ikke":
        item |= {"participants": rng.randint(3, 25), "cost": rng.randrange(5_000, 200_000, 5_000)}
        item |= {rng.choice(["reached_reaction", "reached_learning", "reached_application"]): True}
    else:
        item |= {"why_not": "For få vikarer i perioden."}
    return {"items": [item], "deviations": rng.choice(["", "Færre deltakere enn planlagt."]), "lessons": "Tid hjelper."}


def _consultation(rng: random.Random, number: int, titles: list[str]) -> dict[str, object]:
    return {
        "name": f"Tillitsvalgt {number + 1}",
        "union": UNIONS[number % len(UNIONS)],
        "version": 1,
        "statement": "Vi støtter hovedlinjene i planen, men ber om mer vekt på heltidskultur og vikarbruk.",
        "comments": [
            {"target": title, "position": rng.choice(["enig", "uenig"]), "text": "Tiltaket må ha frikjøp av tid."}
            for title in rng.sample(titles, 2)
        ],
    }
