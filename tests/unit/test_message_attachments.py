"""Attached files in a message: the wire bytes are the email package's, they parse back whole, names cannot inject."""

from __future__ import annotations

from typing import Any

import pytest

from domain.aarshjul.terms import DEFAULT_TERMS
from notifications.message import HeaderInjectionError, MailAttachment, build_message
from notifications.templating import Language, render_email
from notifications.wire import render_message
from tests.unit.test_message_wire import FROM, SENT_AT, as_sent_before, mail, parsed, same_boundaries

FORM = MailAttachment("skjema.pdf", "application/pdf", b"%PDF-1.7\n" + bytes(range(256)) * 40)
NOTE = MailAttachment("les meg – ønske.txt", "text/plain", "Hei\nÆ Ø Å\n".encode())

CASES: list[dict[str, Any]] = [
    {"attachments": (FORM,)},
    {"attachments": (FORM, NOTE), "ics": None},
    {"attachments": (NOTE,), "ics_filename": "frist for høsten.ics"},
]


@pytest.mark.parametrize("changes", CASES, ids=range(len(CASES)))
def test_files_go_on_the_wire_as_the_email_package_builds_them(changes: dict[str, Any]) -> None:
    message = mail(**changes)
    wire = render_message(message, sent_at=SENT_AT, **FROM)
    assert same_boundaries(wire.data) == same_boundaries(as_sent_before(message, sent_at=SENT_AT))
    received = parsed(wire.data)
    files = [(p.get_filename(), p.get_content_type(), p.get_payload(decode=True)) for p in received.iter_attachments()]
    expected = [(f.filename, f.content_type, f.data) for f in changes["attachments"]]
    assert files[-len(expected) :] == expected
    assert len(files) == len(expected) + (message.ics is not None)


@pytest.mark.parametrize("name", ["skjema.pdf\r\nBcc: x@y.example", "null\x00.pdf"])
def test_a_file_name_that_would_break_a_header_is_refused(name: str) -> None:
    bad = mail(attachments=(MailAttachment(name, "application/pdf", b"%PDF"),))
    with pytest.raises(HeaderInjectionError):
        build_message(bad, sent_at=SENT_AT, **FROM)
    with pytest.raises(HeaderInjectionError):
        render_message(bad, sent_at=SENT_AT, **FROM)


@pytest.mark.parametrize(
    ("language", "heading"),
    [("nb", "Vedlegg til denne e-posten:"), ("nn", "Vedlegg til denne e-posten:"), ("en", "Attached to this email:")],
)
def test_a_notice_says_what_is_attached_in_each_language_and_nothing_when_there_is_nothing(
    language: Language, heading: str
) -> None:
    context = {"recipient_name": "Kari", "subject": "Emne", "text": "Tekst", "link": None, "link_label": None,
               "terms": DEFAULT_TERMS}  # fmt: skip
    files = render_email("step_notice", language, {**context, "attachments": ["skjema.pdf", "les meg.txt"]})
    assert f"{heading}\n- skjema.pdf\n- les meg.txt\n" in files.text
    assert "<li>skjema.pdf</li><li>les meg.txt</li>" in files.html and heading in files.html
    none = render_email("step_notice", language, {**context, "attachments": []})
    assert none == render_email("step_notice", language, context) and heading not in none.text + none.html
