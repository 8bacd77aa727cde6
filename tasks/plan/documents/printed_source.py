"""A stored plan version as the printed plan: its content, the year's handlings so far, HR's comment answers, the
budget of last year's measures for the evaluation, and (for a sector's part) the sector's units."""

from __future__ import annotations

import base64
import logging
import mimetypes
from pathlib import Path

from sqlmodel import Session, col, select

from domain.aarshjul.terms import DEFAULT_TERMS, Terms
from domain.models import OrgUnit, PlanVersion
from domain.plan.comment_diff import answer_text
from domain.plan.content import PlanContent, plan_content
from domain.plan.document import HandlingRow
from domain.plan.printed import PrintedPlan, print_plan
from domain.plan.printed_sections import Budgets
from domain.plan.privacy import without_names
from domain.plan.sector_content import sector_content
from tasks.org.people import units_in_sector
from tasks.plan.comment_answers import answers_of
from tasks.plan.documents.source import version_meta
from tasks.plan.queries import adopted_plan, handlings_of, versions_of

log = logging.getLogger(__name__)
LOGO_TYPES = {"image/png", "image/jpeg", "image/svg+xml", "image/gif"}
LOGO_BYTES = 2_000_000


def printed_version(
    session: Session,
    version: PlanVersion,
    sector: OrgUnit | None = None,
    *,
    names: bool = True,
    terms: Terms = DEFAULT_TERMS,
) -> PrintedPlan:
    """The version as every document prints it; with `sector`, only that sector's part; `names=False` shows the
    tillitsvalgte by union only (the public plan's default); `terms` names the levels in the municipality's words."""
    content = version_content(session, version, sector, names)
    answers = {key: answer_text(*given) for key, given in answers_of(session, version).items()}
    return print_plan(
        content,
        version_meta(session, version),
        protocol(session, version),
        answers,
        budgets(session, version),
        part=sector.name if sector is not None else "",
        terms=terms,
    )


def version_content(
    session: Session, version: PlanVersion, sector: OrgUnit | None = None, names: bool = True
) -> PlanContent:
    """The version's content, or the part of it that concerns `sector`'s units (without the tillitsvalgte's names
    unless `names`)."""
    content = plan_content(version.content)
    content = content if names else without_names(content)
    if sector is None:
        return content
    units = set(session.exec(select(OrgUnit.name).where(col(OrgUnit.id).in_(units_in_sector(session, sector.id)))))
    return sector_content(content, sector.name, units)


def protocol(session: Session, version: PlanVersion) -> list[HandlingRow]:
    """Every handling of this plan's versions up to this one: the vedtaks- og endringsprotokoll."""
    return [
        HandlingRow(h.body, h.held_on, h.kind.value, h.case_number, h.outcome, version=v.number)
        for v in versions_of(session, version.cycle_year)
        if v.number <= version.number
        for h in handlings_of(session, v)
    ]


def budgets(session: Session, version: PlanVersion) -> Budgets:
    """What each unit's evaluated measure was budgeted at: the plan FOR the year before this plan's cycle year,
    the one January evaluated."""
    evaluated = adopted_plan(session, version.cycle_year - 1)
    if evaluated is None:
        return {}
    return {(m.key, r.unit_name): r.cost for m in plan_content(evaluated.content).measures for r in m.requests}


def logo_data_url(path: Path | None) -> str:
    """The municipality's logo as a data: URL for the cover, or "" (no setting, or a file that will not do: the
    document is still made, and the log says why)."""
    if path is None:
        return ""
    kind = mimetypes.guess_type(path.name)[0] or ""
    try:
        data = path.read_bytes() if kind in LOGO_TYPES else b""
    except OSError as problem:
        log.warning("Logoen %s kan ikke leses: %s", path, problem.strerror or problem)
        return ""
    if not data or len(data) > LOGO_BYTES:
        log.warning("Logoen %s brukes ikke: den må være PNG, JPEG, GIF eller SVG og under 2 MB.", path)
        return ""
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"
