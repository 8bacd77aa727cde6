from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from jinja2 import DictLoader, UndefinedError

from notifications import templating
from notifications.templating import LANGUAGES, Language, format_date, format_time, lcfirst, render_email

DEADLINE = datetime(2027, 4, 30, 14, 0, tzinfo=UTC)  # fredag 30. april 2027 kl. 16.00 i Oslo
SCRIPT = "<script>alert(1)</script>"


def task(unit_name: str = "Skolehelsetjenesten", offset_days: int = 0) -> dict[str, Any]:
    return {
        "title": "Kompetanseinnspill",
        "unit_name": unit_name,
        "deadline": DEADLINE + timedelta(days=offset_days),
        "link": f"https://arshjul.kommune.example/svar/abc?u={offset_days}&t=1",
        "what": "Beskriv hvilken kompetanse enheten trenger de neste fire årene.",
    }


def task_notice(kind: str = "reminder", count: int = 1, unit_name: str = "Skolehelsetjenesten") -> dict[str, Any]:
    return {
        "recipient_name": "Kari Nordmann",
        "kind": kind,
        # Out of order on purpose: the earliest deadline must drive the subject.
        "tasks": [task(unit_name, offset_days=days) for days in ((0,) if count == 1 else (14, 0, 7)[:count])],
        "contact_name": "Hanne HR",
        "contact_email": "hr@kommune.example",
        "municipality": "Eksempel kommune",
    }


SAMPLES: dict[str, dict[str, Any]] = {
    "task_notice": task_notice(),
    "escalation": {
        "recipient_name": "Sigrid Sektor",
        "level": "sector",
        "units": [
            {
                "unit_name": "Lia skole",
                "leader_name": "Per",
                "task_title": "Kompetanseinnspill",
                "deadline": DEADLINE,
                "days_overdue": 1,
            },
            {
                "unit_name": "Berg sykehjem",
                "leader_name": "Anne",
                "task_title": "Kompetanseinnspill",
                "deadline": DEADLINE,
                "days_overdue": 5,
            },
        ],
        "municipality": "Eksempel kommune",
        "console_link": "https://arshjul.kommune.example/konsoll",
    },
    "receipt": {
        "recipient_name": "Kari Nordmann",
        "task_title": "Kompetanseinnspill",
        "unit_name": "Skolehelsetjenesten",
        "submitted_at": DEADLINE - timedelta(days=2),
        "sections": [
            {"heading": "Behov", "rows": [("Viktigste behov", "Veiledning"), ("Antall ansatte", 12)]},
            {"heading": "Tiltak", "rows": [["Kurs", ""]]},
        ],
        "link": "https://arshjul.kommune.example/svar/abc",
    },
    "sector_complete": {
        "recipient_name": "Sigrid Sektor",
        "sector_name": "Oppvekst",
        "task_title": "Kompetanseinnspill",
        "unit_count": 12,
        "review_link": "https://arshjul.kommune.example/hr/sektor",
    },
    "password_reset": {
        "recipient_name": "Hanne Personal",
        "email": "hanne@kommune.example",
        "valid_minutes": 60,
        "link": "https://arshjul.kommune.example/nytt-passord?kode=abc",
    },
    "plan_adopted": {
        "recipient_name": "Kari Nordmann",
        "plan_title": "Kompetanseplan 2027–2030",
        "adopted_on": date(2027, 6, 17),
        "body": "Kommunestyret",
        "case_number": "27/1234",
        "summary_lines": ["Mer veiledning", "Felles kurs i digital kompetanse"],
        "link": "https://arshjul.kommune.example/plan",
    },
    "digest": {
        "recipient_name": "Sigrid Sektor",
        "scope_name": "Oppvekst",
        "rows": [
            {
                "unit_name": "Lia skole",
                "task_title": "Kompetanseinnspill",
                "state": "answered",
                "deadline": DEADLINE,
            },
            {
                "unit_name": "Berg skole",
                "task_title": "Kompetanseinnspill",
                "state": "custom",
                "deadline": DEADLINE,
            },
        ],
        "answered": 1,
        "total": 2,
    },
    "test": {"sent_at": DEADLINE},
    "dead_letters": {
        "recipient_name": "Hanne HR",
        "messages": [
            {
                "id": 7,
                "to": "per@kommune.example",
                "kind": "reminder",
                "subject": "Påminnelse",
                "reason": "550 ukjent",
                "uncertain": False,
                "handed_over_at": None,
                "relay_reply": None,
            },
            {
                "id": 8,
                "to": "kari@kommune.example",
                "kind": "invitation",
                "subject": "Ny oppgave",
                "reason": "",
                "uncertain": True,
                "handed_over_at": DEADLINE,
                "relay_reply": "451 prøv igjen",
            },
        ],
        "more": 3,
        "total": 5,
        "uncertain": 1,
        "municipality": "Eksempel kommune",
        "console_link": "https://arshjul.kommune.example/hr/utboks?status=dead",
    },
}


def test_dates_are_written_in_oslo_time_per_language() -> None:
    late_evening = datetime(2027, 4, 30, 22, 30, tzinfo=UTC)  # already Saturday in Oslo (UTC+2)
    assert format_date(late_evening, "nb") == "lørdag 1. mai 2027"
    assert format_date(late_evening, "nn") == "laurdag 1. mai 2027"
    assert format_date(late_evening, "en") == "Saturday 1 May 2027"
    assert format_date(date(2027, 4, 30), "nb", year=False) == "fredag 30. april"
    assert format_date(date(2027, 4, 26), "nn") == "måndag 26. april 2027"


def test_times_follow_daylight_saving() -> None:
    assert format_time(DEADLINE, "nb") == "kl. 16.00"
    assert format_time(DEADLINE, "nn") == "kl. 16.00"
    assert format_time(DEADLINE, "en") == "16:00"
    assert format_time(datetime(2027, 1, 15, 15, 5, tzinfo=UTC), "nb") == "kl. 16.05"


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        format_date(datetime(2027, 4, 30, 16, 0), "nb")


def test_lcfirst_keeps_acronyms() -> None:
    assert lcfirst("Kompetanseinnspill") == "kompetanseinnspill"
    assert lcfirst("NAV-plan") == "NAV-plan"
    assert lcfirst("") == ""


@pytest.mark.parametrize(
    ("language", "kind", "count", "subject"),
    [
        (
            "nb",
            "reminder",
            1,
            "Påminnelse: kompetanseinnspill for Skolehelsetjenesten – frist fredag 30. april",
        ),
        (
            "nb",
            "invitation",
            1,
            "Ny oppgave: kompetanseinnspill for Skolehelsetjenesten – frist fredag 30. april",
        ),
        (
            "nb",
            "overdue",
            1,
            "Fristen er ute: kompetanseinnspill for Skolehelsetjenesten – frist var fredag 30. april",
        ),
        ("nb", "reminder", 3, "Påminnelse: 3 oppgaver i årshjulet – første frist fredag 30. april"),
        ("nb", "invitation", 3, "3 nye oppgaver i årshjulet – første frist fredag 30. april"),
        ("nb", "overdue", 3, "Fristen er ute: 3 oppgaver i årshjulet – første frist var fredag 30. april"),
        (
            "nn",
            "reminder",
            1,
            "Påminning: kompetanseinnspill for Skolehelsetjenesten – frist fredag 30. april",
        ),
        (
            "nn",
            "invitation",
            1,
            "Ny oppgåve: kompetanseinnspill for Skolehelsetjenesten – frist fredag 30. april",
        ),
        ("nn", "reminder", 3, "Påminning: 3 oppgåver i årshjulet – første frist fredag 30. april"),
        (
            "en",
            "reminder",
            1,
            "Reminder: Kompetanseinnspill for Skolehelsetjenesten – deadline Friday 30 April",
        ),
        (
            "en",
            "overdue",
            1,
            "Deadline passed: Kompetanseinnspill for Skolehelsetjenesten – deadline was Friday 30 April",
        ),
        ("en", "reminder", 3, "Reminder: 3 tasks in Årshjul – first deadline Friday 30 April"),
    ],
)
def test_task_notice_subjects(language: Language, kind: str, count: int, subject: str) -> None:
    assert render_email("task_notice", language, task_notice(kind, count)).subject == subject


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("count", [1, 3])
def test_task_notice_bodies_carry_every_link_and_deadline(language: Language, count: int) -> None:
    context = task_notice("reminder", count)
    email = render_email("task_notice", language, context)
    text_lines = email.text.splitlines()
    for item in context["tasks"]:
        assert item["link"] in text_lines  # a bare URL on its own line
        assert f'href="{item["link"].replace("&", "&amp;")}"' in email.html
    when = "Friday 30 April 2027 at 16:00" if language == "en" else "fredag 30. april 2027 kl. 16.00"
    assert when in email.text and when in email.html
    assert "hr@kommune.example" in email.text and "hr@kommune.example" in email.html
    assert {"nb": "Hei Kari Nordmann,", "nn": "Hei Kari Nordmann,", "en": "Hello Kari Nordmann,"}[
        language
    ] in email.text
    footer = {"nb": "Ikke videresend", "nn": "Ikkje send denne e-posten vidare", "en": "do not forward"}[language]
    assert footer in email.text and footer in email.html
    assert f'<html lang="{language}">' in email.html


def test_unit_names_are_escaped_in_html_only() -> None:
    email = render_email("task_notice", "nb", task_notice(unit_name=SCRIPT))
    assert SCRIPT not in email.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in email.html
    assert SCRIPT in email.text
    assert SCRIPT in email.subject


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("template", sorted(SAMPLES))
def test_every_template_renders_in_every_language(template: str, language: Language) -> None:
    email = render_email(template, language, SAMPLES[template])
    assert email.subject and "\n" not in email.subject and "\r" not in email.subject
    assert email.subject == email.subject.strip()
    assert email.text.endswith("\n") and "{{" not in email.text
    assert email.html.lstrip().startswith("<!DOCTYPE html>") and "{{" not in email.html


def test_templates_speak_their_language() -> None:
    assert "oppgåver" in render_email("task_notice", "nn", task_notice("invitation", 3)).text
    assert render_email("digest", "nn", SAMPLES["digest"]).subject == "Vekestatus for Oppvekst: 1 av 2 svar motteke"
    assert render_email("plan_adopted", "en", SAMPLES["plan_adopted"]).subject == (
        "Kompetanseplan 2027–2030 has been adopted"
    )
    escalation = render_email("escalation", "nb", {**SAMPLES["escalation"], "level": "hr"})
    assert escalation.subject == "Til HR: 2 enheter har ikke svart innen fristen"
    assert "1 dag over fristen" in escalation.text and "5 dager over fristen" in escalation.text
    digest = render_email("digest", "nb", SAMPLES["digest"]).text
    assert "Besvart" in digest and "custom" in digest
    assert render_email("dead_letters", "en", SAMPLES["dead_letters"]).subject == "5 e-mails could not be delivered"
    assert "gjevne opp" in render_email("dead_letters", "nn", SAMPLES["dead_letters"]).text


def test_answer_data_as_stored_renders_cleanly() -> None:
    plan = render_email(
        "plan_adopted", "nb", {**SAMPLES["plan_adopted"], "adopted_on": "2027-06-17", "case_number": ""}
    )
    assert "Kommunestyret vedtok Kompetanseplan 2027–2030 torsdag 17. juni 2027.\n" in plan.text
    assert "saksnummer" not in plan.html
    receipt = render_email(
        "receipt", "nb", {**SAMPLES["receipt"], "sections": [{"heading": "Tiltak 1", "rows": [("", "Kurs")]}]}
    )
    assert "\nKurs\n" in receipt.text
    assert format_date("2027-04-30T14:00:00+00:00", "en") == "Friday 30 April 2027"


def test_missing_context_keys_fail_loudly() -> None:
    context = dict(SAMPLES["receipt"])
    del context["link"]
    with pytest.raises(UndefinedError):
        render_email("receipt", "nb", context)


def test_subject_whitespace_is_collapsed() -> None:
    email = render_email("receipt", "nb", {**SAMPLES["receipt"], "unit_name": "Lia\r\n  skole"})
    assert email.subject == "Kvittering: kompetanseinnspill for Lia skole er mottatt"


def test_missing_language_file_falls_back_to_bokmal(monkeypatch: pytest.MonkeyPatch) -> None:
    loader = DictLoader(
        {
            "nb/hello.subject.j2": "Hei {{ when | dato(year=False) }}",
            "nb/hello.txt.j2": "Hei {{ name }}",
            "nb/hello.html.j2": "<p>Hei {{ name }}</p>",
            "en/hello.txt.j2": "Hello {{ name }} {{ when | dato }}",
        }
    )
    monkeypatch.setattr(templating.ENV, "loader", loader)
    email = render_email("hello", "en", {"name": "<b>Ola</b>", "when": DEADLINE})
    assert email.subject == "Hei fredag 30. april"
    assert email.text == "Hello <b>Ola</b> Friday 30 April 2027\n"
    assert email.html == "<p>Hei &lt;b&gt;Ola&lt;/b&gt;</p>"


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="language"):
        render_email("test", "de", SAMPLES["test"])  # type: ignore[arg-type]
