"""The words of the step emails Årshjul writes itself (papers before a meeting, the sector review), in nb, nn and en."""

from __future__ import annotations

from datetime import date

from domain.aarshjul.role_words import ucfirst
from domain.aarshjul.steps import MeetingStep
from domain.aarshjul.terms import DEFAULT_TERMS, Terms

SENDS = {
    "final_draft": ("endelig utkast til kompetanseplan", "endeleg utkast til kompetanseplan", "the final draft plan"),
    "consultation": ("høringsutkastet", "høyringsutkastet", "the consultation draft"),
    "latest": ("nyeste versjon av kompetanseplanen", "nyaste versjon av kompetanseplanen", "the latest plan version"),
    "evaluation": ("evalueringen av fjorårets kompetanseplan", "evalueringa av kompetanseplanen frå i fjor",
                   "the evaluation of last year's plan"),
}  # fmt: skip
LANG = {"nb": 0, "nn": 1, "en": 2}


def papers(step: MeetingStep, meeting: date, papers_by: date, language: str) -> tuple[str, str]:
    """Subject and text of the reminder to send the papers to a body before its meeting."""
    what = SENDS[step.sends][LANG.get(language, 0)]
    m, by = f"{meeting:%d.%m.%Y}", f"{papers_by:%d.%m.%Y}"
    if language == "en":
        return (
            f"Papers for {step.body} by {by}",
            f"{step.body} handles the competence plan on {m} ({step.handling}). Send the papers ({what}) to "
            f"{step.body} by {by}. After the meeting, Årshjul asks HR to record the handling.",
        )
    if language == "nn":
        return (
            f"Sakspapir til {step.body} innan {by}",
            f"{step.body} handsamar kompetanseplanen {m} ({step.handling}). Send sakspapira ({what}) til "
            f"{step.body} innan {by}. Etter møtet ber Årshjul HR registrere handsaminga.",
        )
    return (
        f"Sakspapirer til {step.body} innen {by}",
        f"{step.body} behandler kompetanseplanen {m} ({step.handling}). Send sakspapirene ({what}) til "
        f"{step.body} innen {by}. Etter møtet ber Årshjul HR registrere behandlingen.",
    )


def review(sector: str, due: date, language: str, *, reminder: bool, terms: Terms = DEFAULT_TERMS) -> tuple[str, str]:
    """Subject and text to a kommunalsjef: the sector review is open (or not done yet), with its deadline."""
    d, w = f"{due:%d.%m.%Y}", terms[language]
    what = ucfirst(w.sector.singular) + (" review" if language == "en" else "gjennomgang")
    if language == "en":
        first = "Reminder: " if reminder else ""
        return (
            f"{first}{what} for {sector} by {d}",
            f"Prioritise and comment the measures your {w.unit.plural} in {sector} have asked for, by {d}. "
            "HR compiles the plan from your priorities. Sign in with your own account.",
        )
    first = "Påminning: " if reminder and language == "nn" else "Påminnelse: " if reminder else ""
    if language == "nn":
        return (
            f"{first}{what} for {sector} innan {d}",
            f"Prioriter og kommenter tiltaka {w.unit.definite_plural} i {sector} har meldt inn, innan {d}. "
            "HR set saman planen ut frå prioriteringa di. Logg inn med din eigen brukar.",
        )
    return (
        f"{first}{what} for {sector} innen {d}",
        f"Prioriter og kommenter tiltakene {w.unit.definite_plural} i {sector} har meldt inn, innen {d}. "
        "HR sammenstiller planen ut fra prioriteringen din. Logg inn med din egen bruker.",
    )


def review_closed(done: list[str], missing: list[str], language: str, terms: Terms = DEFAULT_TERMS) -> tuple[str, str]:
    """Subject and text to HR when the sector review closes: who prioritised, who did not."""
    w, all_ = terms[language], len(done) + len(missing)
    title = ucfirst(w.sector.singular)
    if language == "en":
        return (
            f"{title} review closed: {len(done)} of {all_} {w.sector.plural} prioritised",
            f"Prioritised: {', '.join(done) or 'none'}. Not prioritised: {', '.join(missing) or 'none'}.",
        )
    if language == "nn":
        return (
            f"{title}gjennomgangen er lukka: {len(done)} av {all_} {w.sector.plural} har prioritert",
            f"Har prioritert: {', '.join(done) or 'ingen'}. Har ikkje prioritert: {', '.join(missing) or 'ingen'}.",
        )
    return (
        f"{title}gjennomgangen er lukket: {len(done)} av {all_} {w.sector.plural} har prioritert",
        f"Har prioritert: {', '.join(done) or 'ingen'}. Har ikke prioritert: {', '.join(missing) or 'ingen'}.",
    )
