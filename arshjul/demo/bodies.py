"""Fjordvik's bodies and their members as the optional import table `organer.csv` (body, name, e-mail, role).

The members are people already in the demo's other files (the kommunedirektør, kommunalsjefer, tillitsvalgte), so
each address keeps one name; only the bodies the årshjul in use lists are written, under their names there.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from domain.aarshjul.bodies import PlanBody, find_body

HEADER = ("organ", "navn", "e-post", "rolle")


def write_demo_bodies(folder: Path, units_csv: Path, reps_csv: Path, bodies: Sequence[PlanBody]) -> Path:
    """Write organer.csv next to the other files: a few members for the bodies that exist in `bodies`."""
    units = _rows(units_csv)
    director = next((r["leader_name"], r["leader_email"]) for r in units if r["level"] == "kommune")
    chiefs = [(r["leader_name"], r["leader_email"]) for r in units if r["level"] == "sektor"]
    reps = [(r["name"], r["email"]) for r in _rows(reps_csv)]
    wanted: list[tuple[str, list[tuple[tuple[str, str], str]]]] = [
        ("Lederforum", [(director, "leder"), *((chief, "medlem") for chief in chiefs)]),
        ("Kompetanseforum", [(chiefs[0], "leder"), *((rep, "medlem") for rep in reps[:2])]),
        ("AMU", [(director, "leder"), *((rep, "medlem") for rep in reps[:2]), (chiefs[-1], "medlem")]),
        ("MBM", [(director, "leder"), *((rep, "medlem") for rep in reps[:3])]),
    ]
    path = folder / "organer.csv"
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(HEADER)
        for name, members in wanted:
            body = find_body(list(bodies), name)
            seen: set[str] = set()
            for (person, email), role in members if body is not None else []:
                if email not in seen:  # a small demo may have one person in two of the slots above
                    seen.add(email)
                    writer.writerow((name if body is None else body.name, person, email, role))
    return path


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))
