"""Building blocks for the fictional municipality: name parts, place-name parts, sectors and their units."""

from __future__ import annotations

from dataclasses import dataclass

FIRST_NAMES = (
    "Anne", "Inger", "Kari", "Marit", "Ingrid", "Liv", "Eva", "Berit", "Astrid", "Bjørg", "Hilde",
    "Solveig", "Marianne", "Randi", "Ida", "Nina", "Maria", "Elisabeth", "Kristin", "Silje", "Camilla",
    "Tone", "Heidi", "Line", "Siri", "Åse", "Sølvi", "Mari", "Tuva", "Sigrid", "Ragnhild", "Gunn", "Torill",
    "Wenche", "Jan", "Per", "Bjørn", "Ole", "Lars", "Kjell", "Knut", "Arne", "Svein", "Thomas", "Hans",
    "Geir", "Tor", "Morten", "Terje", "Odd", "Erik", "Martin", "Andreas", "Trond", "Rune", "Espen", "Håkon",
    "Sindre", "Øystein", "Jørgen", "Eirik", "Vegard", "Stian", "Audun", "Halvard", "Sverre", "Ivar",
    "Torstein", "Amir", "Fatima",
)
SURNAMES = (
    "Hansen", "Johansen", "Pedersen", "Nilsen", "Kristiansen", "Jensen", "Karlsen", "Johnsen", "Pettersen",
    "Eriksen", "Berg", "Haugen", "Johannessen", "Andreassen", "Dahl", "Jørgensen", "Henriksen", "Lund",
    "Sørensen", "Moen", "Gundersen", "Iversen", "Strand", "Svendsen", "Knutsen", "Martinsen", "Paulsen",
    "Bakken", "Lie", "Amundsen", "Rasmussen", "Lunde", "Solheim", "Berge", "Moe", "Nygård", "Bakke",
    "Fredriksen", "Holm", "Lien", "Hauge", "Sæther", "Aas", "Myhre", "Haugland", "Thomassen", "Sivertsen",
    "Simonsen", "Danielsen", "Berntsen", "Sandvik", "Rønning", "Arnesen", "Vik", "Haug", "Ellingsen",
    "Thorsen", "Birkeland", "Isaksen", "Ruud", "Aasen", "Strøm", "Myklebust", "Tangen", "Ødegård", "Bøe",
    "Aune", "Mikkelsen", "Tveit", "Brekke", "Fjeld", "Vold", "Ali", "Khan", "Nguyen", "Grønli", "Bratli",
    "Skaar", "Husby",
)
PLACE_HEADS = (
    "Sol", "Fjell", "Bjørke", "Li", "Haug", "Strand", "Nord", "Sør", "Vest", "Øst", "Elve", "Furu", "Lund",
    "Berg", "Eike", "Skog", "Bakke", "Vik", "Myr", "Ås", "Holm", "Dal", "Rosen", "Kvern", "Stein", "Løv",
    "Rogn", "Hassel", "Bekke", "Sjø", "Nes", "Tjern", "Lyng", "Gran", "Ospe", "Kirke", "Mølle", "Sand",
)
PLACE_TAILS = (
    "bakken", "lia", "heim", "haugen", "vika", "dalen", "åsen", "moen", "stranda", "tun", "voll", "jordet",
    "svingen", "seter", "neset", "sletta", "høgda", "gården", "tunet", "engen", "kollen", "vollen",
)


@dataclass(frozen=True)
class UnitKind:
    template: str  # "{place}" is replaced by a made-up place name
    low: int  # typical staff, before scaling
    high: int


@dataclass(frozen=True)
class SectorKind:
    name: str
    weight: int  # share of the virksomheter
    units: tuple[UnitKind, ...]
    unions: tuple[str, str]


SECTORS = (
    SectorKind("Oppvekst og utdanning", 40, (
        UnitKind("{place} skole", 25, 80), UnitKind("{place} ungdomsskole", 30, 90),
        UnitKind("{place} barnehage", 10, 30), UnitKind("{place} oppvekstsenter", 20, 60),
    ), ("Utdanningsforbundet", "Fagforbundet")),
    SectorKind("Helse og omsorg", 30, (
        UnitKind("{place} sykehjem", 50, 140), UnitKind("Hjemmetjenesten {place}", 30, 110),
        UnitKind("{place} helsestasjon", 10, 25), UnitKind("{place} bofellesskap", 15, 50),
        UnitKind("Psykisk helse og rus {place}", 12, 40), UnitKind("{place} omsorgssenter", 40, 120),
    ), ("Sykepleierforbundet", "Fagforbundet")),
    SectorKind("Kultur, idrett og fritid", 5, (
        UnitKind("{place} bibliotek", 10, 20), UnitKind("{place} kulturhus", 10, 30),
        UnitKind("{place} fritidsklubb", 10, 15), UnitKind("{place} kulturskole", 15, 40),
    ), ("Fagforbundet", "Delta")),
    SectorKind("Teknikk og miljø", 9, (
        UnitKind("{place} brannstasjon", 15, 45), UnitKind("Vann og avløp {place}", 12, 35),
        UnitKind("Vei og park {place}", 15, 40), UnitKind("Eiendomsdrift {place}", 20, 60),
    ), ("Fagforbundet", "Delta")),
    SectorKind("Samfunnsutvikling", 8, (
        UnitKind("NAV {place}", 20, 70), UnitKind("Plan og byggesak {place}", 10, 30),
        UnitKind("Flyktningtjenesten {place}", 10, 30), UnitKind("Barnevernet {place}", 15, 50),
    ), ("Fellesorganisasjonen", "Akademikerne")),
    SectorKind("Organisasjon og økonomi", 6, (
        UnitKind("Servicetorget {place}", 10, 20), UnitKind("IKT-tjenesten {place}", 10, 30),
        UnitKind("Lønn og personal {place}", 10, 25), UnitKind("Dokumentsenteret {place}", 10, 15),
    ), ("Delta", "Akademikerne")),
    SectorKind("Velferd og inkludering", 6, (
        UnitKind("{place} aktivitetssenter", 10, 30), UnitKind("Boligtjenesten {place}", 10, 20),
        UnitKind("{place} dagsenter", 10, 35),
    ), ("Fellesorganisasjonen", "Fagforbundet")),
)
CENTRAL_UNIONS = ("Fagforbundet", "Utdanningsforbundet")  # the two hovedtillitsvalgte
