"""The plan as a tagged PDF (PDF/UA-1) made by WeasyPrint from the same HTML as the web page.

WeasyPrint lays out the page (A4 portrait, page numbers, contents with page references, table headers repeated on
every page, hyphenation in bokmål) and writes the structure tree: headings, lists, tables with header cells, the
document language and title. Only data: URLs are fetched, so a document never reaches the network or the disk.
"""

from __future__ import annotations

import logging

from weasyprint import HTML
from weasyprint.urls import URLFetcher

from domain.plan.printed import PrintedPlan
from tasks.plan.documents.html_page import render_html

VARIANT = "pdf/ua-1"
# WeasyPrint logs every CSS property it does not know (the screen styles' -webkit-hyphens) as a warning.
logging.getLogger("weasyprint").setLevel(logging.ERROR)


def render_pdf(plan: PrintedPlan, logo: str = "") -> bytes:
    """Cover, contents, chapters and appendices; dated and identified by the version, so a version's PDF never
    changes."""
    seed = plan.meta.content_hash if plan.meta else plan.title
    fetcher = URLFetcher(allowed_protocols=["data"])
    document = HTML(string=render_html(plan, logo), url_fetcher=fetcher, media_type="print")
    pdf = document.write_pdf(pdf_variant=VARIANT, pdf_identifier=seed[:32].encode(), uncompressed_pdf=False)
    assert pdf is not None
    return pdf
