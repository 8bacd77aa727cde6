"""An uncertain message, as HR meets it: shown with what is known, and resent only after an explicit confirmation."""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from sqlmodel import col, select

from arshjul.cli import main
from config.settings import get_settings
from domain.clock import ManualClock
from domain.models import Event, OutboxMessage, OutboxStatus, Person
from notifications.catcher import MailCatcher
from notifications.feed import DeliveryResult
from notifications.templating import RenderedEmail
from tasks.outbox.admin import OutboxActionRefused, retry
from tasks.outbox.claims import claim_lifetime
from tasks.outbox.delivery import deliver_due
from tasks.outbox.enqueue import enqueue
from tasks.outbox.feed import OutboxFeed
from tasks.runtime import Runtime
from tasks.store.db import session_scope


@pytest.fixture
def cli(rt: Runtime, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("ARSHJUL_ENV", "test")
    monkeypatch.setenv("ARSHJUL_DATA_DIR", str(rt.settings.data_dir))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def queue(rt: Runtime, count: int) -> list[str]:
    keys = []
    with session_scope(rt.engine) as session:
        for n in range(count):
            person = Person(name=f"Leder {n}", email=f"leder{n}@testvik.no")
            session.add(person)
            session.flush()
            key = f"receipt:{person.id}"
            email = RenderedEmail(f"Kvittering {n}", "T\n", "<p>H</p>")
            enqueue(session, key=key, kind="receipt", to=person, email=email, now=rt.now(),
                    from_address=rt.settings.smtp.from_address)  # fmt: skip
            keys.append(key)
    return keys


def outbox(rt: Runtime) -> dict[str, OutboxMessage]:
    with session_scope(rt.engine) as session:
        return {m.idempotency_key: m for m in session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id)))}


@pytest.fixture
def uncertain(rt: Runtime, clock: ManualClock, catcher: MailCatcher, monkeypatch: pytest.MonkeyPatch) -> OutboxMessage:
    """Four messages: the first handed over when the sender died (uncertain), one refused with 550 (dead)."""
    keys = queue(rt, 4)

    handing_over = OutboxFeed.handing_over

    async def die(self: OutboxFeed, done: Sequence[DeliveryResult], key: str, reply: str) -> bool:
        if done:  # the first message went out; the process dies before its outcome is written
            raise RuntimeError("killed")
        return await handing_over(self, done, key, reply)

    with monkeypatch.context() as patch:
        patch.setattr(OutboxFeed, "handing_over", die)
        patch.setattr(OutboxFeed, "_release_unsent", lambda self: None)
        with pytest.raises(RuntimeError):
            deliver_due(rt.engine, rt.settings.smtp.model_copy(update={"concurrency": 1}), as_of=rt.now())
    clock.advance(claim_lifetime(rt.settings.smtp))
    catcher.fail_next(550)
    stats = deliver_due(rt.engine, rt.settings.smtp, as_of=rt.now())
    assert (stats.uncertain, stats.dead, stats.sent) == (1, 1, 2)
    return outbox(rt)[keys[0]]


def copies(catcher: MailCatcher, message: OutboxMessage) -> int:
    return sum(1 for m in catcher.messages() if str(m["X-Arshjul-Key"]) == message.idempotency_key)


def test_an_uncertain_message_is_listed_with_when_it_was_handed_over_and_what_the_relay_said(
    rt: Runtime, uncertain: OutboxMessage, cli: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["outbox", "list", "--status", "dead"]) == 0
    lines = capsys.readouterr().out.splitlines()
    (line,) = [line for line in lines if line.startswith(f"{uncertain.id:>6} ")]
    assert " usikker " in line
    assert "usikker levering: overlevert til e-postserveren 01.01.2027 00:00" in line
    assert "serveren svarte sist «250 OK»" in line and "kan være mottatt" in line
    assert len(lines) == 2 and any("550 simulated failure" in other for other in lines)


def test_retrying_it_without_a_terminal_or_yes_is_refused_with_a_sentence_and_changes_nothing(
    rt: Runtime, uncertain: OutboxMessage, catcher: MailCatcher, cli: None, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["outbox", "retry", str(uncertain.id)]) == 1
    refusal = capsys.readouterr().err
    assert "usikker levering" in refusal and "to ganger" in refusal and "--yes" in refusal
    assert main(["outbox", "retry", "--dead"]) == 1  # "retry all dead" does not resend it unasked, nor anything else
    assert "Én melding har usikker levering" in capsys.readouterr().err
    assert {m.status for m in outbox(rt).values()} == {OutboxStatus.DEAD, OutboxStatus.SENT}

    assert main(["outbox", "retry", "--dead", "--skip-uncertain"]) == 0  # only the certain dead letter
    assert "1 melding sendes" in capsys.readouterr().out
    assert deliver_due(rt.engine, rt.settings.smtp, as_of=rt.now()).sent == 1
    assert outbox(rt)[uncertain.idempotency_key].status == OutboxStatus.DEAD and copies(catcher, uncertain) == 1


@pytest.mark.parametrize("how", ["--yes", "prompt"])
def test_retrying_it_after_confirmation_resends_it_with_the_same_message_id(
    how: str, rt: Runtime, uncertain: OutboxMessage, catcher: MailCatcher, cli: None,
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    args = ["outbox", "retry", "--dead"]
    if how == "--yes":
        args.append("--yes")
    else:
        terminal = io.StringIO("ja\n")
        monkeypatch.setattr(terminal, "isatty", lambda: True)
        monkeypatch.setattr("sys.stdin", terminal)
    assert main(args) == 0
    out, err = capsys.readouterr()
    assert "2 meldinger sendes" in out
    assert ("to ganger" in err) == (how == "prompt")
    assert deliver_due(rt.engine, rt.settings.smtp, as_of=rt.now()).sent == 2
    assert copies(catcher, uncertain) == 2
    resent = [m for m in catcher.messages() if str(m["X-Arshjul-Key"]) == uncertain.idempotency_key]
    assert resent[0]["Message-ID"] == resent[1]["Message-ID"] == uncertain.message_id
    with session_scope(rt.engine) as session:
        retried = session.exec(select(Event).where(Event.kind == "email.retried")).all()
    assert sorted(e.payload.get("uncertain", "") for e in retried) == ["", "confirmed"]


def test_answering_no_at_the_prompt_changes_nothing(
    rt: Runtime, uncertain: OutboxMessage, cli: None, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    terminal = io.StringIO("nei\n")
    monkeypatch.setattr(terminal, "isatty", lambda: True)
    monkeypatch.setattr("sys.stdin", terminal)
    assert main(["outbox", "retry", str(uncertain.id)]) == 1
    assert "Avbrutt" in capsys.readouterr().err
    assert outbox(rt)[uncertain.idempotency_key].status == OutboxStatus.DEAD


def test_rows_written_before_revision_0004_load_and_old_uncertain_dead_letters_need_confirmation(
    tmp_path: Path,
) -> None:
    from alembic import command

    from tasks.store.db import alembic_config, make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0003")
    old_reason = "usikker levering: sendingen ble avbrutt etter at meldingen ble overlevert til e-postserveren"
    with engine.begin() as connection:
        for key, status, reason in (("a", "DEAD", old_reason), ("b", "DEAD", "550 no such user"), ("c", "SENT", "")):
            connection.exec_driver_sql(
                "INSERT INTO outbox_message (idempotency_key, message_id, kind, to_address, to_name, subject, "
                "body_text, body_html, assignment_ids, status, attempts, last_error, created_at, next_attempt_at) "
                "VALUES (?, ?, 'receipt', 'x@testvik.no', 'X', 'S', 'T', 'H', '[]', ?, 1, ?, "
                "'2027-01-01 00:00:00', '2027-01-01 00:00:00')",
                (key, f"<{key}@testvik.no>", status, reason),
            )
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    with session_scope(engine) as session:
        rows = {m.idempotency_key: m for m in session.exec(select(OutboxMessage))}
        assert [(rows[k].uncertain, rows[k].handed_over_at, rows[k].relay_reply) for k in "abc"] == [
            (True, None, ""),
            (False, None, ""),
            (False, None, ""),
        ]
        assert rows["c"].status == OutboxStatus.SENT and not rows["a"].waiting_for_relay
        assert rows["a"].id is not None
        with pytest.raises(OutboxActionRefused, match="to ganger"):
            retry(session, rows["a"].id, now=rows["a"].created_at, actor="HR")
    engine.dispose()
