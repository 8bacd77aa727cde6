"""The plan's narrative: the parts HR writes as Markdown (foreword, forankring, mål, innsatsområder, …), rendered
safely.

A plan period holds one draft of these sections; every compiled version snapshots them into its content, so a
version keeps the text it was made with. The figures (needs, measures, costs, evaluation) are never typed here.
"""

from __future__ import annotations

import re
from typing import Final

from markdown_it import MarkdownIt
from markupsafe import Markup
from pydantic import BaseModel, ConfigDict, Field

from domain.aarshjul.terms import DEFAULT_TERMS, Terms
from domain.plan.frame import PlanFrame

TITLE_MAX: Final = 200
MARKDOWN_MAX: Final = 20_000
FOCUS_PREFIX: Final = "innsatsomrade-"
FOCUS_INTRO: Final = "innsatsomrader"  # the introduction to the innsatsområder; each area follows as its own section
# The sections HR writes, in the plan's order (the compiled ones come after "roller"; "retningslinjer" after them).
TEXT_SECTIONS: Final = (
    ("forord", "Forord fra kommunedirektøren"),
    ("forankring", "Forankring og ambisjoner"),
    ("utfordringsbilde", "Utfordringsbilde"),
    ("mal", "Overordnede mål"),
    ("kompetansebegrep", "Kompetansebegrepet"),
    (FOCUS_INTRO, "Innsatsområder"),
    ("laeringsarenaer", "Læringsarenaer"),
    ("roller", "Roller og plannivåer"),
    ("retningslinjer", "Retningslinjer for evaluering"),
)
TEXT_KEYS: Final = frozenset(key for key, _ in TEXT_SECTIONS)

LEARNING_ARENAS: Final = """Kompetanse utvikles først og fremst i det daglige arbeidet. Planen bruker disse
læringsarenaene:

- **Det daglige arbeidet:** planlegge, reflektere over eget arbeid, lære av kolleger, få råd og veiledning.
- **Møter i {unit.definite}:** felles refleksjon, erfaringsdeling og faglige innlegg.
- **Hospitering og nettverk:** lære av andre {unit.plural} og kommuner.
- **Interne kursdager og e-læring:** felles opplæring, fleksibelt i tid og sted.
- **Eksterne kurs og konferanser.**
- **Fagbrev, etter- og videreutdanning:** formell kompetanse der kommunen trenger den.
"""
ROLES: Final = """## Plannivåer

Den overordnede kompetanseplanen bygger på {unit.definite_plural}s innspill. {Sector.definite_plural} og {unit.definite_plural} følger den opp i egne
tiltaksplaner, og hver medarbeider i medarbeidersamtalen.

## Roller

- **Kommunedirektøren** gir mandat, mottar evalueringen og utkastet, og vedtar eller legger planen fram.
- **{Sector_leader.definite_plural}** samler og prioriterer innspillene fra {sector.own} {sector.singular}.
- **{Unit_leader.definite_plural}** evaluerer fjorårets tiltak og melder inn behov og tiltak for {unit.own} {unit.singular}.
- **HR** leder arbeidet, sammenstiller planen og følger opp fristene.
- **Tillitsvalgte** deltar i arbeidet og drøfter utkastet.
- **Medarbeiderne** melder sine behov, blant annet i medarbeidersamtalen.
"""  # noqa: E501 (the placeholders are longer than the words they stand for)


ASCII: Final = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "é": "e"})


class NarrativeSection(BaseModel):
    """One part of the plan's text as HR wrote it: a stable key, its heading and its Markdown."""

    model_config = ConfigDict(extra="ignore")
    key: str = Field(pattern=r"^[a-z0-9-]{1,64}$")
    title: str = Field(min_length=1, max_length=TITLE_MAX)
    markdown: str = Field(default="", max_length=MARKDOWN_MAX)

    @property
    def focus_area(self) -> bool:
        """An innsatsområde: its title is what measures choose, so it is not renamed."""
        return self.key.startswith(FOCUS_PREFIX)


def focus_key(title: str, taken: set[str] | frozenset[str] = frozenset()) -> str:
    """'Digital kompetanse' -> 'innsatsomrade-digital-kompetanse' (numbered when the key is taken)."""
    plain = title.lower().translate(ASCII)
    slug = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[: 64 - len(FOCUS_PREFIX) - 3] or "omrade"
    key, n = FOCUS_PREFIX + slug, 2
    while key in taken:
        key, n = f"{FOCUS_PREFIX}{slug}-{n}", n + 1
    return key


def initial_narrative(
    frame: PlanFrame, *, starters: bool = True, terms: Terms = DEFAULT_TERMS
) -> list[NarrativeSection]:
    """The narrative a plan starts from: the frame's own text, so nothing written there is lost, and (`starters`) a
    first text for the læringsarenaer and the roles, which the frame never had."""
    goals = _bullets(frame.goals)
    if frame.competence_goals:
        goals += "\n\n## Kompetansemål som skal evalueres\n\n" + _bullets(frame.competence_goals)
    texts = {
        "forankring": "\n\n".join(t for t in (frame.anchoring, frame.ambitions) if t),
        "mal": goals,
        "kompetansebegrep": frame.concept,
        "laeringsarenaer": terms["nb"].fill(LEARNING_ARENAS) if starters else "",
        "roller": terms["nb"].fill(ROLES) if starters else "",
        "retningslinjer": _bullets(frame.evaluation_guidelines),
    }
    sections = [NarrativeSection(key=k, title=t, markdown=texts.get(k, "")) for k, t in TEXT_SECTIONS]
    areas: list[NarrativeSection] = []
    for area in frame.focus_areas:
        key = focus_key(area.title, {a.key for a in areas})
        areas.append(NarrativeSection(key=key, title=area.title, markdown=area.text))
    at = [s.key for s in sections].index(FOCUS_INTRO) + 1
    return sections[:at] + areas + sections[at:]


def focus_areas(sections: list[NarrativeSection]) -> list[NarrativeSection]:
    return [s for s in sections if s.focus_area]


def section_problems(title: str, markdown: str) -> dict[str, str]:
    """What is wrong with a section as HR typed it (field -> Norwegian sentence); empty when it can be saved."""
    problems = {}
    if not title.strip():
        problems["tittel"] = "Overskriften mangler. Skriv en overskrift for kapittelet."
    elif len(title.strip()) > TITLE_MAX:
        problems["tittel"] = f"Overskriften er {len(title.strip())} tegn; den kan være høyst {TITLE_MAX} tegn."
    if len(markdown) > MARKDOWN_MAX:
        problems["tekst"] = (
            f"Teksten er {len(markdown):,} tegn; den kan være høyst {MARKDOWN_MAX:,} tegn. "
            "Del den gjerne opp i flere avsnitt eller kapitler."
        ).replace(",", " ")
    return problems


def _bullets(items: list[str]) -> str:
    return "\n".join(f"- {item}" for item in items)


def _markdown() -> MarkdownIt:
    # CommonMark with tables; raw HTML off, so anything typed as HTML shows as text (no XSS), and markdown-it's
    # own link check refuses javascript: and data: links.
    return MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")


MARKDOWN: Final = _markdown()


def render_markdown(text: str, *, top: int = 3) -> Markup:
    """Markdown as safe HTML; `#` and `##` become <h{top}> (the section title is one level above), deeper follow."""
    tokens = MARKDOWN.parse(text)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(max(int(token.tag[1]) - 2, 0) + top, 6)}"
        elif token.type == "th_open":
            token.attrSet("scope", "col")
    return Markup(MARKDOWN.renderer.render(tokens, MARKDOWN.options, {}))
