"""Export a stored plan version: HTML, PDF and DOCX in bokmål, and its measures as a spreadsheet."""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from sqlmodel import Session

from domain.models import PlanVersion
from domain.plan.content import plan_content
from domain.plan.document import PlanDocument
from tasks.plan.documents.excel import measures_workbook
from tasks.plan.documents.html_page import render_html
from tasks.plan.documents.pdf import render_pdf
from tasks.plan.documents.source import version_document
from tasks.plan.documents.word import render_docx

FORMATS: Final = ("html", "pdf", "docx", "xlsx")
MEDIA_TYPES: Final = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
RENDERERS: Final[dict[str, Callable[[PlanDocument], bytes]]] = {
    "html": lambda document: render_html(document).encode("utf-8"),
    "pdf": render_pdf,
    "docx": render_docx,
}


class UnknownFormat(ValueError):
    """An export format we do not make."""


def export_version(session: Session, version: PlanVersion, fmt: str, *, names: bool = True) -> bytes:
    """The version in the format asked for: html, pdf, docx, or xlsx (the measures); `names=False` shows the
    tillitsvalgte by union only."""
    if fmt not in FORMATS:
        raise UnknownFormat(f"Ukjent format «{fmt}»; velg en av {', '.join(FORMATS)}.")
    document = version_document(session, version, names=names)
    if fmt == "xlsx":
        return measures_workbook(plan_content(version.content), document.meta)
    return RENDERERS[fmt](document)


def file_name(session: Session, version: PlanVersion, fmt: str) -> str:
    """'kompetanseplan-2028-versjon-2.pdf' (named by the plan year, as people say it)."""
    return f"kompetanseplan-{version.plan_year}-versjon-{version.number}.{fmt}"


__all__ = ["FORMATS", "MEDIA_TYPES", "UnknownFormat", "export_version", "file_name"]
