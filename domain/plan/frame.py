"""The plan's fixed parts (anchoring, goals, focus areas, evaluation guidelines) and its sections, in bokmål."""

from __future__ import annotations

from typing import Any, Final

from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer

from domain.aarshjul.terms import DEFAULT_TERMS, Terms

SECTIONS: Final = (
    ("forord", "Forord fra kommunedirektøren"),
    ("forankring", "Forankring og ambisjoner"),
    ("utfordringsbilde", "Utfordringsbilde"),
    ("mal", "Overordnede mål"),
    ("kompetansebegrep", "Kompetansebegrepet"),
    ("innsatsomrader", "Innsatsområder"),
    ("laeringsarenaer", "Læringsarenaer"),
    ("roller", "Roller og plannivåer"),
    ("analyse", "Analyse av kompetansebehovet"),
    ("strategier", "Strategier"),
    ("tiltak", "Tiltak"),
    ("kostnader", "Kostnader og finansiering"),
    ("evaluering", "Evaluering av fjorårets tiltak"),
    ("retningslinjer", "Retningslinjer for evaluering"),
    ("drofting", "Drøfting med tillitsvalgte"),
    ("behandlinger", "Behandlinger"),
)
SECTION_TITLES: Final = dict(SECTIONS)
GENERAL: Final = "generelt"


class FocusArea(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    title: str = Field(min_length=1, max_length=200)
    text: str = Field(default="", max_length=4000)


class PlanFrame(BaseModel):
    """What a municipality writes once and revises rarely; copied into every version so a version stands alone."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    anchoring: str = Field(min_length=1, max_length=8000)
    ambitions: str = Field(min_length=1, max_length=8000)
    goals: list[str] = Field(min_length=1, max_length=30)
    concept: str = Field(min_length=1, max_length=8000)
    focus_areas: list[FocusArea] = Field(min_length=1, max_length=20)
    competence_goals: list[str] = Field(default_factory=list, max_length=30)
    evaluation_guidelines: list[str] = Field(min_length=1, max_length=30)
    # The competence areas a need or measure is filed under, chosen in the forms (HR extends the list in its frame
    # file). Versions stored before the list existed have none, and their JSON stays without the key.
    competence_areas: list[str] = Field(default_factory=list, max_length=200)

    @model_serializer(mode="wrap")
    def _without_an_empty_area_list(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        if not data.get("competence_areas"):
            data.pop("competence_areas", None)
        return data

    def choice_lists(self) -> dict[str, tuple[str, ...]]:
        """The lists the input form offers: competence areas and innsatsområder."""
        return {
            "competence_areas": tuple(self.competence_areas),
            "focus_areas": tuple(a.title for a in self.focus_areas),
        }


DEFAULT_FRAME: Final[dict[str, Any]] = {
    "anchoring": (
        "Planen oppfyller kravet i Hovedtariffavtalen kapittel 3.3 om å kartlegge og analysere kompetansebehovet og "
        "lage en plan for tiltak. Den bygger på kommuneplanen, økonomiplanen og arbeidsgiverpolitikken, og er "
        "utarbeidet nedenfra: {unit.definite_plural} melder inn, {sector_leader.definite_plural} prioriterer og HR "
        "sammenstiller."
    ),
    "ambitions": (
        "{municipality} skal ha medarbeidere med den kompetansen innbyggerne trenger, i dag og i årene som kommer. "
        "Vi vil bruke kompetansen vi har, utvikle den vi mangler, rekruttere målrettet og avvikle det vi ikke "
        "lenger trenger."
    ),
    "goals": [
        "Tjenestene holder god faglig kvalitet og møter nye krav.",
        "Medarbeidere får utvikle seg og ønsker å bli i kommunen.",
        "Kompetansetiltak er planlagt, budsjettert og evaluert.",
    ],
    "concept": (
        "Kompetanse er de kunnskapene, ferdighetene, holdningene og evnene som gjør det mulig å utføre oppgavene i "
        "tråd med krav og mål. Planen omfatter både formell kompetanse og realkompetanse."
    ),
    "focus_areas": [
        {"title": "Faglig kvalitet", "text": "Rett fagkompetanse der tjenestene trenger den."},
        {"title": "Digital kompetanse", "text": "Alle kan bruke verktøyene tjenestene bygger på."},
        {"title": "Ledelse", "text": "Ledere som planlegger, følger opp og evaluerer kompetanse."},
        {"title": "Rekruttere og beholde", "text": "Utdanning og utvikling som gjør kommunen attraktiv."},
    ],
    "competence_goals": [
        "Hvert tiltak har et mål som kan vurderes ved årets slutt.",
        "Minst tre av fire planlagte tiltak er gjennomført innen planåret.",
    ],
    "evaluation_guidelines": [
        "{Unit.each} {unit.singular} evaluerer sine tiltak i januar: gjennomført, delvis eller ikke, antall "
        "deltakere og kostnad.",
        "Effekten vurderes der det er mulig på nivåene reaksjon, læring, anvendelse og nytte.",
        "Avvik og læringspunkter meldes sammen med evalueringen og drøftes i kompetanseforum.",
        "Hvert tiltak får en anbefaling: fortsette, endre eller avslutte. Den samlede evalueringen går til "
        "kommunedirektøren og inngår i neste års plan.",
    ],
    "competence_areas": [
        "Arbeidsmiljø og HMS",
        "Demens",
        "Digital kompetanse",
        "Digitalisering",
        "Fagbrev",
        "Helsefag",
        "Klarspråk",
        "Klasseledelse",
        "Lese- og skriveopplæring",
        "Ledelse",
        "Legemiddelhåndtering",
        "Palliasjon",
        "Personvern og informasjonssikkerhet",
        "Rehabilitering",
        "Spesialpedagogikk",
        "Språkutvikling",
        "Velferdsteknologi",
    ],
}


def plan_frame(data: dict[str, Any] | None, municipality: str, terms: Terms = DEFAULT_TERMS) -> PlanFrame:
    """The frame as stored in a version: validated, with the municipality's name and words filled in."""
    data = dict(data if data is not None else DEFAULT_FRAME)
    data.setdefault("competence_areas", DEFAULT_FRAME["competence_areas"])  # a frame file without its own list
    frame = PlanFrame.model_validate(data)
    w = terms["nb"]
    named: dict[str, Any] = {
        k: w.fill(getattr(frame, k)).replace("{municipality}", municipality) for k in ("ambitions", "anchoring")
    }
    named["evaluation_guidelines"] = [w.fill(line) for line in frame.evaluation_guidelines]
    return frame.model_copy(update=named)


def section_of(target: str) -> str | None:
    """A comment's target as a section key, if it names one (by key or by title)."""
    wanted = " ".join(target.lower().split())
    for key, title in SECTIONS:
        if wanted in (key, title.lower()):
            return key
    return None
