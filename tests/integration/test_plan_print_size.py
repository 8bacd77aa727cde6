"""A plan the size of the 150-unit demo prints its main part in about a third of the 35 landscape pages it took
before, and no word of a measure or a unit breaks except at a hyphenation point (read back from the text layer)."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from domain.plan.document import HandlingRow, VersionMeta
from domain.plan.printed import print_plan
from domain.plan.printed_sections import PLAN_COLUMNS
from tasks.plan.documents.pdf import render_pdf
from tests.support.big_plan import big_plan
from tests.support.pdf_reading import page_texts, structure, text_layer

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
BEFORE = 35  # the landscape ReportLab PDF of the 150-unit demo's adopted plan (issue 15)


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str], list[str]]:
    folder = tmp_path_factory.mktemp("stor-plan")
    content, units = big_plan(folder / "organisasjon")
    meta = VersionMeta(2, "adopted", datetime(2027, 12, 10, 9, tzinfo=UTC), "HR", "a" * 64, parent_number=1)
    handlings = [HandlingRow("Kommunestyret", date(2027, 12, 9), "vedtak", "2027/512", version=2)]
    pdf = folder / "plan.pdf"
    pdf.write_bytes(render_pdf(print_plan(content, meta, handlings)))
    fields = ("title", "goal", "target_group", "arena", "period", "responsible")
    words = [word for m in content.measures for name in fields for word in getattr(m, name).replace(";", " ").split()]
    return pdf, [*PLAN_COLUMNS, *words], units


def test_the_main_part_is_about_a_third_of_the_old_page_count(printed: tuple[Path, list[str], list[str]]) -> None:
    pdf, _, _ = printed
    pages = page_texts(pdf)
    first_appendix = next(n for n, page in enumerate(pages, start=1) if page.lstrip().startswith("Vedlegg 1:"))
    main = first_appendix - 1  # cover, contents and every chapter up to the protocol
    assert main <= round(BEFORE / 3), f"the main part has {main} pages"
    assert structure(pdf)[1]["pages"] > main  # the units' details are still there, in the appendices


def test_no_word_of_the_measures_or_the_units_breaks_mid_word(printed: tuple[Path, list[str], list[str]]) -> None:
    """Every word of the measure tables (headers, titles, goals, target groups, arenas, periods, who is responsible)
    and every unit name reads whole: a line may end inside a word only at a hyphenation point, with its mark."""
    pdf, words, units = printed
    text = text_layer(pdf)
    broken = sorted(name for name in {*words, *units} if name not in text)
    assert broken == [], f"broken or missing in the text layer: {broken}"
    assert "Kompetanseplan 2028 for Fjordvik kommune" in text
