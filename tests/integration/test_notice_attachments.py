"""A notice's files and plan PDF: stored once, attached per delivery batch, received as sent, listed for HR."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlmodel import col, func, select

from config.aarshjul import load_aarshjul
from domain.aarshjul.workdays import OSLO
from domain.models import OutboxMessage
from domain.outbox_files import OutboxAttachment
from notifications.catcher import MailCatcher
from tasks.cycle import notice_files
from tasks.cycle.dispatch import queue_notices_task
from tasks.cycle.step_actions import next_step_at, run_due_steps
from tasks.org.people import ensure_hr
from tasks.outbox.delivery import deliver_due
from tasks.runtime import Runtime
from tests.support.accounts import sign_in_as_hr
from tests.support.plan_year import YEAR, build_two_sectors, consultation, spring_input
from tests.support.step_year import EXAMPLES, use_example
from web.app import create_app

FEB = datetime(2027, 2, 1, 9, tzinfo=OSLO)  # Bærum's education signal: first working day of February, 09:00
FORM = EXAMPLES / "skjema" / "utdanningsønske.pdf"
PLAN_NOTICE = """
  - key: plan-notice
    title: {nb: Planen til lederne, nn: Planen til leiarane, en: The plan to the leaders}
    what: {nb: Utkastet til lederne, nn: Utkastet til leiarane, en: The draft to the leaders}
    steps:
      - key: final-draft-to-leaders
        kind: notice
        date: 2. november
        audience: [{who: unit_leaders}]
        title: {nb: Endelig utkast til kompetanseplan, nn: Endeleg utkast til kompetanseplan, en: Final draft}
        text: {nb: Utkastet ligger ved., nn: Utkastet ligg ved., en: The draft is attached.}
        attach_plan: final_draft
"""


def attached(message: EmailMessage) -> list[tuple[str | None, str, bytes]]:
    found = []
    for part in message.iter_attachments():
        data = part.get_payload(decode=True)
        assert isinstance(data, bytes)
        found.append((part.get_filename(), part.get_content_type(), data))
    return found


def outbox_file_queries(rt: Runtime) -> tuple[list[str], Callable[[], None]]:
    """Every SQL statement that touches the attachment table, until the returned function stops listening."""
    seen: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if "outbox_attachment" in statement:
            seen.append(statement)

    event.listen(rt.engine, "before_cursor_execute", note)
    return seen, lambda: event.remove(rt.engine, "before_cursor_execute", note)


def education_signal(rt: Runtime) -> None:
    use_example(rt, "baerum.yaml")
    with rt.session() as session:
        build_two_sectors(session)
        ensure_hr(session, rt.settings)
        assert run_due_steps(session, rt, FEB) == 4  # the four unit leaders (no employees imported)


def test_the_form_reaches_every_recipient_through_the_outbox_and_is_stored_once(
    rt: Runtime, catcher: MailCatcher
) -> None:
    education_signal(rt)
    with rt.session() as session:
        assert session.exec(select(func.count()).select_from(OutboxAttachment)).one() == 1
    queries, stop = outbox_file_queries(rt)
    try:
        assert deliver_due(rt.engine, rt.settings.smtp, as_of=FEB).sent == 4
    finally:
        stop()
    assert len(queries) == 1  # the four messages are one claimed batch: their file is loaded once, bytes and all
    received = catcher.messages()
    assert len(received) == 4
    for message in received:
        assert attached(message) == [("utdanningsønske.pdf", "application/pdf", FORM.read_bytes())]
        body = message.get_body(("plain",))
        assert body is not None
        assert "Vedlegg til denne e-posten:\n- utdanningsønske.pdf" in body.get_content().replace("\r\n", "\n")


def test_messages_without_files_cost_no_query_for_files_and_carry_none(rt: Runtime, catcher: MailCatcher) -> None:
    use_example(rt, "baerum.yaml")
    march = datetime(2027, 3, 1, 9, tzinfo=OSLO)  # the Kompetanseforum notice, which attaches nothing
    with rt.session() as session:
        build_two_sectors(session)
        ensure_hr(session, rt.settings)
        assert run_due_steps(session, rt, march) == 2
        assert {m.attachment_ids for m in session.exec(select(OutboxMessage))} == {None}
    queries, stop = outbox_file_queries(rt)
    try:
        assert deliver_due(rt.engine, rt.settings.smtp, as_of=march).sent == 2
    finally:
        stop()
    assert queries == []
    for message in catcher.messages():
        assert message.get_content_type() == "multipart/alternative" and attached(message) == []
        body = message.get_body(("plain",))
        assert body is not None and "Vedlegg" not in body.get_content().replace("\r\n", "\n")


def test_the_plan_pdf_is_rendered_once_for_all_its_recipients(
    rt: Runtime, catcher: MailCatcher, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    default = (Path(__file__).resolve().parents[2] / "config" / "aarshjul.yaml").read_text(encoding="utf-8")
    (tmp_path / "aarshjul.yaml").write_text(default.rstrip("\n") + "\n" + PLAN_NOTICE, encoding="utf-8")
    rt.aarshjul = load_aarshjul(tmp_path / "aarshjul.yaml")
    renders: list[int] = []
    real = notice_files.export_version

    def counted(*args: Any, **kwargs: Any) -> bytes:
        renders.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(notice_files, "export_version", counted)
    with rt.session() as session:
        spring_input(session, rt)
        consultation(session, rt)  # version 1 (consultation), then version 2 (the final draft) on 29 October
    november = datetime(YEAR, 11, 2, 9, tzinfo=OSLO)
    with rt.session() as session:
        assert next_step_at(session, rt, datetime(YEAR, 10, 30, tzinfo=OSLO)) == november
        assert run_due_steps(session, rt, november) == 4
        ids = {tuple(m.attachment_ids or ()) for m in session.exec(select(OutboxMessage).where(
            col(OutboxMessage.kind) == "notice"))}  # fmt: skip
    assert renders == [1] and len(ids) == 1 and len(next(iter(ids))) == 1
    assert deliver_due(rt.engine, rt.settings.smtp, as_of=november).sent >= 4
    notices = [m for m in catcher.messages() if "Endelig utkast" in str(m["Subject"])]
    assert len(notices) == 4
    for message in notices:
        ((name, kind, data),) = attached(message)
        assert (name, kind) == ("kompetanseplan-2028-versjon-2.pdf", "application/pdf")
        assert data.startswith(b"%PDF")


def test_the_console_outbox_names_the_files_of_a_message(rt: Runtime, catcher: MailCatcher) -> None:
    education_signal(rt)
    client = TestClient(create_app(rt), follow_redirects=False)
    sign_in_as_hr(client, rt)
    page = client.get("/hr/utboks")
    assert page.status_code == 200
    assert page.text.count("Vedlegg: utdanningsønske.pdf") == 4


def test_a_file_gone_when_the_notice_is_due_holds_the_notice_back_with_a_sentence(rt: Runtime, tmp_path: Path) -> None:
    (tmp_path / "skjema").mkdir()
    (tmp_path / "skjema" / "utdanningsønske.pdf").write_bytes(FORM.read_bytes())
    (tmp_path / "baerum.yaml").write_text((EXAMPLES / "baerum.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    rt.aarshjul = load_aarshjul(tmp_path / "baerum.yaml")
    (tmp_path / "skjema" / "utdanningsønske.pdf").unlink()
    missing = r"«education-signal».*«skjema/utdanningsønske\.pdf» finnes ikke"
    with pytest.raises(notice_files.NoticeFileMissing, match=missing), rt.session() as session:
        build_two_sectors(session)
        ensure_hr(session, rt.settings)
        run_due_steps(session, rt, FEB)
    with rt.session() as session:  # nothing half-written: no message, no file, the moment still to do
        assert session.exec(select(func.count()).select_from(OutboxMessage)).one() == 0
        assert next_step_at(session, rt, datetime(2027, 1, 31, tzinfo=OSLO)) == FEB


def test_a_notice_held_back_by_its_file_does_not_hold_back_the_other_email_of_the_tick(
    rt: Runtime, tmp_path: Path
) -> None:
    (tmp_path / "baerum.yaml").write_text((EXAMPLES / "baerum.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "skjema").mkdir()
    (tmp_path / "skjema" / "utdanningsønske.pdf").write_bytes(FORM.read_bytes())
    rt.aarshjul = load_aarshjul(tmp_path / "baerum.yaml")
    (tmp_path / "skjema" / "utdanningsønske.pdf").unlink()
    with rt.session() as session:
        build_two_sectors(session)
        ensure_hr(session, rt.settings)
    done = queue_notices_task.fn(FEB)  # the dispatcher's task: steps, reminders, new links and digests
    assert done["steps"] == 0 and "«skjema/utdanningsønske.pdf» finnes ikke" in done["steps_failed"]
    assert {"reminders", "new_links", "digests"} <= done.keys()  # the rest of the tick ran after the failed step
    with rt.session() as session:
        assert (
            next_step_at(session, rt, datetime(2027, 1, 31, tzinfo=OSLO)) == FEB
        )  # still to do, once the file is back
