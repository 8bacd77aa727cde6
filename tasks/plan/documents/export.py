"""Export a stored plan version (or a sector's part of it): HTML, PDF and DOCX in bokmål, its measures as XLSX."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Final

from sqlmodel import Session

from domain.aarshjul.terms import DEFAULT_TERMS, Terms
from domain.models import OrgUnit, PlanVersion
from domain.plan.printed import PrintedPlan
from tasks.plan.documents.excel import measures_workbook
from tasks.plan.documents.html_page import render_html
from tasks.plan.documents.pdf import render_pdf
from tasks.plan.documents.printed_source import logo_data_url, printed_version, version_content
from tasks.plan.documents.source import version_meta
from tasks.plan.documents.word import render_docx

FORMATS: Final = ("html", "pdf", "docx", "xlsx")
MEDIA_TYPES: Final = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
RENDERERS: Final[dict[str, Callable[[PrintedPlan, str], bytes]]] = {
    "html": lambda plan, logo: render_html(plan, logo).encode("utf-8"),
    "pdf": render_pdf,
    "docx": render_docx,
}


class UnknownFormat(ValueError):
    """An export format we do not make."""


def export_version(
    session: Session,
    version: PlanVersion,
    fmt: str,
    *,
    logo: Path | None = None,
    sector: OrgUnit | None = None,
    names: bool = True,
    terms: Terms = DEFAULT_TERMS,
) -> bytes:
    """The version (or `sector`'s part) as html, pdf, docx, or xlsx (the measures); `logo` goes on the cover;
    `names=False` shows the tillitsvalgte by union only; `terms` names the levels in the municipality's words."""
    if fmt not in FORMATS:
        raise UnknownFormat(f"Ukjent format «{fmt}»; velg en av {', '.join(FORMATS)}.")
    if fmt == "xlsx":
        content = version_content(session, version, sector, names)
        return measures_workbook(content, version_meta(session, version), terms)
    return RENDERERS[fmt](printed_version(session, version, sector, names=names, terms=terms), logo_data_url(logo))


def file_name(session: Session, version: PlanVersion, fmt: str, sector: OrgUnit | None = None) -> str:
    """'kompetanseplan-2028-versjon-2.pdf' (named by the plan year, as people say it), with the sector for its
    part: 'kompetanseplan-2028-versjon-2-helse-og-omsorg.pdf'."""
    part = f"-{_slug(sector.name)}" if sector is not None else ""
    return f"kompetanseplan-{version.plan_year}-versjon-{version.number}{part}.{fmt}"


def _slug(name: str) -> str:
    folded = name.lower().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-") or "sektor"


__all__ = ["FORMATS", "MEDIA_TYPES", "UnknownFormat", "export_version", "file_name"]
