"""Receipts show the answer under the form's own labels in the person's language, never the stored keys."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest

from domain.forms import FORMS
from notifications.templating import render_email
from tasks.answers.receipt import receipt_sections

INPUT: dict[str, Any] = (
    FORMS["input"]
    .model_validate(
        {
            "requirements": "Alle må kunne bruke den nye journalen.",
            "holdings": "To sykepleiere med videreutdanning i demens.",
            "needs": [{"area": "Demens", "criticality": "høy", "horizon": "kort", "strategy": "utvikle"}],
            "measures": [
                {
                    "area": "Demens",
                    "goal": "Bedre demensomsorg",
                    "title": "Demensomsorgens ABC",
                    "cost": 25_000,
                    "funding": "OU-midler",
                    "participants": 12,
                    "target_group": "Helsefagarbeidere",
                    "priority": 1,
                }
            ],
            "education_count": 2,
            "education_kind": "Fagbrev helsefagarbeider",
            "education_start": "Høsten 2028",
        }
    )
    .model_dump(mode="json")
)
EVALUATION: dict[str, Any] = (
    FORMS["evaluation"]
    .model_validate(
        {
            "items": [
                {
                    "measure_key": "demens::demensomsorgens abc",
                    "title": "Demensomsorgens ABC",
                    "carried_out": "delvis",
                    "why_not": "En samling ble avlyst.",
                    "participants": 9,
                    "cost": 18_000,
                    "reached_learning": True,
                    "assessed_how": "Refleksjonsoppgaver",
                    "goal_attainment": "delvis nådd",
                    "next_step": "endre",
                }
            ],
            "lessons": "Planlegg samlingene tidligere.",
        }
    )
    .model_dump(mode="json")
)
LABELS = {
    "nb": [
        "Kompetansekrav",
        "Hvor kritisk er behovet?",
        "Høy",
        "Målgruppe",
        "Prioritet: 1 – høy",
        "OU-midler",
        "Planlagt antall deltakere: 12",
        "Behov 1",
        "Svar",
    ],
    "nn": ["Kompetansekrav", "Kor kritisk er behovet?", "Høg", "Målgruppe", "Prioritet: 1 – høg", "OU-midlar"],
    "en": [
        "Competence requirements",
        "How critical is the need?",
        "High",
        "Target group",
        "Priority: 1 – high",
        "Planned participants: 12",
        "Answer",
    ],
}
EVALUATION_LABELS = {
    "nb": [
        "Gjennomført?: Delvis gjennomført",
        "Læring: deltakerne lærte det de skulle: Ja",
        "Delvis nådd",
        "Faktisk kostnad i kroner (det tiltaket kostet, ikke budsjettet): 18\u00a0000",
    ],
    "nn": ["Gjennomført?: Delvis gjennomført", "Vart målet for tiltaket nådd?: Delvis nådd"],
    "en": ["Carried out?: Partly", "Was the measure's goal reached?: Partly reached", "Actual participants: 9"],
}
KEYS = (  # a stored key shown as a label or a heading (at a line's start in the text, in a cell in the HTML)
    r"requirements|holdings|needs \d|measures \d|items \d|target_group|substitutes|measure_key|carried_out|"
    r"reached_\w+|next_step|education_\w+|funding_\w+"
)
INTERNAL = re.compile(rf"(?m)(^|>)({KEYS})(:|<|$)|: (True|False)\b|demens::")


def _receipt(form: str, content: dict[str, Any], language: str) -> str:
    context = {
        "recipient_name": "Kari",
        "task_title": "Kompetanseinnspill",
        "unit_name": "Enhet 1",
        "submitted_at": datetime(2027, 3, 10, 9, tzinfo=UTC),
        "link": "https://arshjul.example/svar/abc",
        "sections": receipt_sections(content, form, language),
    }
    email = render_email("receipt", language, context)  # type: ignore[arg-type]
    return email.text + email.html


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_an_input_receipt_has_the_form_s_labels_and_no_internal_key(language: str) -> None:
    text = _receipt("input", INPUT, language)
    for label in LABELS[language]:
        assert label in text, label
    assert not INTERNAL.search(text), INTERNAL.search(text)
    if language == "en":
        assert "Need 1" in text and "Measure 1" in text and not re.search(r"(?m)(^|>)Svar($|<)", text)


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_an_evaluation_receipt_has_the_form_s_labels_and_no_internal_key(language: str) -> None:
    text = _receipt("evaluation", EVALUATION, language)
    for label in EVALUATION_LABELS[language]:
        assert label in text, label
    assert not INTERNAL.search(text), INTERNAL.search(text)
