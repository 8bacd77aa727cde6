"""A fictional municipality, Fjordvik kommune, as the two import files the HR coordinator would upload."""

from __future__ import annotations

import csv
import random
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from arshjul.demo.names import (
    CENTRAL_UNIONS,
    FIRST_NAMES,
    PLACE_HEADS,
    PLACE_TAILS,
    SECTORS,
    SURNAMES,
    SectorKind,
    UnitKind,
)

DOMAIN = "fjordvik.kommune.no"
UNIT_HEADER = (
    "unit_id",
    "name",
    "parent_id",
    "level",
    "leader_name",
    "leader_email",
    "employees",
    "leader_language",
    "enhetstype",
)
REP_HEADER = ("name", "email", "union", "unit_id")
MEAN_STAFF = 43
FOLD = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "Ae", "Ø": "O", "Å": "A"})


@dataclass(frozen=True)
class DemoPerson:
    name: str
    email: str
    language: str


class People:
    """Fictional people, each with a unique address firstname.lastname[N]@fjordvik.kommune.no."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.taken: dict[str, int] = {}

    def make(self, language: str | None = None) -> DemoPerson:
        first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(SURNAMES)
        base = f"{ascii_fold(first)}.{ascii_fold(last)}"
        count = self.taken[base] = self.taken.get(base, 0) + 1
        email = f"{base}{count if count > 1 else ''}@{DOMAIN}"
        if language is None:
            language = "nn" if self.rng.random() < 0.15 else "nb"
        return DemoPerson(f"{first} {last}", email, language)


def ascii_fold(text: str) -> str:
    """'Bjørg Sæther' -> 'bjorg saether'; other accents dropped."""
    decomposed = unicodedata.normalize("NFKD", text.translate(FOLD))
    return "".join(c for c in decomposed if c.isascii() and not unicodedata.combining(c)).lower()


def write_demo_organisation(folder: Path, *, seed: int = 2027, units: int = 150, sectors: int = 6) -> tuple[Path, Path]:
    """Write enheter.csv and tillitsvalgte.csv (UTF-8, comma, English headers); same seed, same files."""
    if units < 1 or sectors < 1:
        raise ValueError("units and sectors must be at least 1")
    rng = random.Random(seed)
    people = People(rng)
    kinds = [_sector_kind(number) for number in range(1, sectors + 1)]
    width = max(3, len(str(units)))
    unit_rows, sector_ids = _unit_rows(rng, people, kinds, units, width)
    rep_rows = _rep_rows(people, kinds, sector_ids, root_id="0" * (width + 1))
    folder.mkdir(parents=True, exist_ok=True)
    units_path = _write(folder / "enheter.csv", UNIT_HEADER, unit_rows)
    return units_path, _write(folder / "tillitsvalgte.csv", REP_HEADER, rep_rows)


def _sector_kind(number: int) -> SectorKind:
    base = SECTORS[(number - 1) % len(SECTORS)]
    if number <= len(SECTORS):
        return base
    return SectorKind(f"{base.name} {(number - 1) // len(SECTORS) + 1}", base.weight, base.units, base.unions)


def _unit_rows(
    rng: random.Random, people: People, kinds: list[SectorKind], units: int, width: int
) -> tuple[list[list[str]], list[str]]:
    root_id = "0" * (width + 1)
    rows = [_row(root_id, "Fjordvik kommune", "", "kommune", people.make("nb"), 15, "")]
    sector_ids = [f"{number}{'0' * width}" for number in range(1, len(kinds) + 1)]
    for sector_id, kind in zip(sector_ids, kinds, strict=True):
        rows.append(_row(sector_id, kind.name, root_id, "sektor", people.make(), rng.randint(3, 9), ""))
    english = set(rng.sample(range(units), min(2, units)))
    names: set[str] = set()
    counts = _spread(units, [kind.weight for kind in kinds])
    plan = [(s, k, n) for s, k, c in zip(sector_ids, kinds, counts, strict=True) for n in range(1, c + 1)]
    staff = _staff(rng, [rng.choice(kind.units) for _, kind, _ in plan])
    for index, ((sector_id, _kind, number), (unit_kind, size)) in enumerate(zip(plan, staff, strict=True)):
        unit_id = f"{sector_id[:-width]}{number:0{width}d}"
        name = _unique_name(rng, unit_kind.template, names)
        leader = people.make("en" if index in english else None)
        rows.append(_row(unit_id, name, sector_id, "virksomhet", leader, size, unit_kind_word(unit_kind)))
    return rows, sector_ids


def _row(unit_id: str, name: str, parent: str, level: str, leader: DemoPerson, staff: int, kind: str) -> list[str]:
    return [unit_id, name, parent, level, leader.name, leader.email, str(staff), leader.language, kind]


def unit_kind_word(kind: UnitKind) -> str:
    """The unit kind as the import's enhetstype column has it: the name template without the place."""
    return " ".join(kind.template.replace("{place}", " ").split()).lower()


def _spread(total: int, weights: list[int]) -> list[int]:
    """Split total by weight (largest remainder), at least one each while there are enough to go round."""
    floor = 1 if total >= len(weights) else 0
    rest = total - floor * len(weights)
    shares = [rest * w / sum(weights) for w in weights]
    counts = [floor + int(share) for share in shares]
    order = sorted(range(len(weights)), key=lambda i: int(shares[i]) - shares[i])
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _staff(rng: random.Random, kinds: list[UnitKind]) -> list[tuple[UnitKind, int]]:
    """Staff per virksomhet, typical for its kind, scaled so the mean is about 43 and each is 10–140."""
    drawn = [rng.randint(kind.low, kind.high) for kind in kinds]
    factor = MEAN_STAFF * len(drawn) / max(1, sum(drawn))
    return [(kind, min(140, max(10, round(size * factor)))) for kind, size in zip(kinds, drawn, strict=True)]


def _unique_name(rng: random.Random, template: str, taken: set[str]) -> str:
    name = template
    for _attempt in range(12):
        name = template.format(place=rng.choice(PLACE_HEADS) + rng.choice(PLACE_TAILS))
        if name not in taken:
            break
    suffix = 2
    base = name
    while name in taken:
        name, suffix = f"{base} {suffix}", suffix + 1
    taken.add(name)
    return name


def _rep_rows(people: People, kinds: list[SectorKind], sector_ids: list[str], root_id: str) -> list[list[str]]:
    """Two hovedtillitsvalgte for the whole kommune, and two tillitsvalgte per sector."""
    scopes = [(root_id, union) for union in CENTRAL_UNIONS]
    scopes += [(s, union) for s, kind in zip(sector_ids, kinds, strict=True) for union in kind.unions]
    rows = []
    for unit_id, union in scopes:
        person = people.make()
        rows.append([person.name, person.email, union, unit_id])
    return rows


def _write(path: Path, header: tuple[str, ...], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        writer.writerows(rows)
    return path
