"""The outbox against a real SMTP server: outages, 4xx and 5xx replies, dead letters and the CLI that retries them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import col, select

from arshjul.cli import main
from config.settings import get_settings
from domain.clock import ManualClock
from domain.models import Event, OutboxMessage, OutboxStatus, Person
from notifications.catcher import MailCatcher
from notifications.templating import RenderedEmail
from tasks.outbox.delivery import deliver_due
from tasks.outbox.enqueue import enqueue
from tasks.runtime import Runtime


def queue(rt: Runtime, count: int, *, address: str = "leder{n}@testvik.no") -> list[str]:
    """`count` messages to as many people, due now; their keys."""
    keys = []
    with rt.session() as session:
        for n in range(count):
            person = Person(name=f"Leder {n} æøå", email=address.format(n=n))
            session.add(person)
            session.flush()
            key = f"reminder:{person.id}:20270212T0800Z"
            email = RenderedEmail(f"Påminnelse {n}", "Hei\n", "<p>Hei</p>")
            enqueue(session, key=key, kind="reminder", to=person, email=email, now=rt.now(),
                    from_address=rt.settings.smtp.from_address)  # fmt: skip
            keys.append(key)
    return keys


def outbox(rt: Runtime) -> list[OutboxMessage]:
    with rt.session() as session:
        return list(session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))))


def received(catcher: MailCatcher) -> list[str]:
    return [str(m["X-Arshjul-Key"]) for m in catcher.messages()]


def deliver(rt: Runtime) -> dict[str, int]:
    return vars(deliver_due(rt.engine, rt.settings.smtp, as_of=rt.now()))


@pytest.fixture
def cli(rt: Runtime, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """`arshjul …` commands against the test's database file."""
    monkeypatch.setenv("ARSHJUL_ENV", "test")
    monkeypatch.setenv("ARSHJUL_DATA_DIR", str(rt.settings.data_dir))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_server_down_then_up_delivers_every_message_exactly_once(
    rt: Runtime, clock: ManualClock, catcher: MailCatcher
) -> None:
    keys = queue(rt, 5)
    port = catcher.port
    catcher.stop()

    assert deliver(rt)["retrying"] == 5
    first_try = outbox(rt)
    assert {m.status for m in first_try} == {OutboxStatus.FAILED}
    assert all(m.attempts == 1 and m.next_attempt_at == rt.now() + timedelta(seconds=60) for m in first_try)
    assert all(m.last_error for m in first_try)
    assert deliver(rt) == {"sent": 0, "retrying": 0, "dead": 0, "cancelled": 0, "uncertain": 0}  # backing off

    with MailCatcher(port=port) as revived:
        clock.advance(timedelta(seconds=61))
        assert deliver(rt)["sent"] == 5
        assert deliver(rt)["sent"] == 0
        clock.advance(timedelta(hours=1))
        assert deliver(rt)["sent"] == 0
        assert sorted(received(revived)) == sorted(keys)
    assert {m.status for m in outbox(rt)} == {OutboxStatus.SENT}


def test_a_4xx_reply_is_retried_with_growing_backoff_then_sent_once(
    rt: Runtime, clock: ManualClock, catcher: MailCatcher
) -> None:
    (key,) = queue(rt, 1)
    catcher.fail_next(451, count=2)
    assert deliver(rt)["retrying"] == 1
    (message,) = outbox(rt)
    assert message.status == OutboxStatus.FAILED and message.last_error.startswith("451")
    assert message.next_attempt_at == rt.now() + timedelta(seconds=60)

    clock.advance(timedelta(seconds=60))
    assert deliver(rt)["retrying"] == 1
    (message,) = outbox(rt)
    assert message.attempts == 2 and message.next_attempt_at == rt.now() + timedelta(seconds=120)

    clock.advance(timedelta(seconds=119))
    assert deliver(rt)["sent"] == 0
    clock.advance(timedelta(seconds=1))
    assert deliver(rt)["sent"] == 1
    assert received(catcher) == [key]
    (message,) = outbox(rt)
    assert message.status == OutboxStatus.SENT and message.attempts == 3 and message.last_error == ""


def test_a_5xx_reply_is_a_dead_letter_hr_sees_and_can_retry(
    rt: Runtime, clock: ManualClock, catcher: MailCatcher, cli: None, capsys: pytest.CaptureFixture[str]
) -> None:
    (key,) = queue(rt, 1)
    catcher.fail_next(550)
    assert deliver(rt)["dead"] == 1
    (message,) = outbox(rt)
    assert message.status == OutboxStatus.DEAD and message.last_error.startswith("550")

    assert main(["outbox", "--status", "dead"]) == 0
    listing = capsys.readouterr().out
    assert f"{message.id:>6} dead" in listing and "leder0@testvik.no" in listing and "550 simulated failure" in listing
    assert main(["outbox", "list", "--status", "sent"]) == 0
    assert "Ingen meldinger med status «sent»" in capsys.readouterr().out

    assert main(["outbox", "retry", str(message.id)]) == 0
    assert "1 melding sendes ved neste utsending" in capsys.readouterr().out
    assert main(["outbox", "retry", str(message.id)]) == 1
    assert "venter allerede" in capsys.readouterr().err
    assert deliver(rt)["sent"] == 1
    assert received(catcher) == [key]
    with rt.session() as session:
        kinds = [e.kind for e in session.exec(select(Event).order_by(col(Event.id)))]
    assert kinds == ["email.dead", "email.retried", "email.sent"]


def test_retry_dead_requeues_every_dead_letter(
    rt: Runtime, clock: ManualClock, catcher: MailCatcher, cli: None, capsys: pytest.CaptureFixture[str]
) -> None:
    keys = queue(rt, 3)
    catcher.fail_next(554, count=3)
    assert deliver(rt)["dead"] == 3
    assert main(["outbox", "retry", "--dead"]) == 0
    assert "3 meldinger sendes" in capsys.readouterr().out
    assert deliver(rt)["sent"] == 3
    assert sorted(received(catcher)) == sorted(keys)


def test_a_cancelled_message_is_never_sent(
    rt: Runtime, clock: ManualClock, catcher: MailCatcher, cli: None, capsys: pytest.CaptureFixture[str]
) -> None:
    _, second = queue(rt, 2)
    ids = [m.id for m in outbox(rt)]
    assert main(["outbox", "cancel", str(ids[0])]) == 0
    assert "er avbrutt" in capsys.readouterr().out
    assert deliver(rt)["sent"] == 1
    assert received(catcher) == [second]
    assert main(["outbox", "cancel", str(ids[1])]) == 1
    assert "allerede sendt" in capsys.readouterr().err
    assert main(["outbox"]) == 0
    assert "cancelled" in capsys.readouterr().out


def test_a_message_that_cannot_be_built_safely_is_dead_and_the_rest_still_go(
    rt: Runtime, clock: ManualClock, catcher: MailCatcher
) -> None:
    (good,) = queue(rt, 1)
    with rt.session() as session:
        person = Person(name="Inject", email="x@testvik.no\r\nBcc: victim@example.com")
        session.add(person)
        session.flush()
        enqueue(session, key="reminder:evil", kind="reminder", to=person, email=RenderedEmail("S", "T\n", "<p>H</p>"),
                now=rt.now(), from_address=rt.settings.smtp.from_address)  # fmt: skip
    stats = deliver(rt)
    assert stats["sent"] == 1 and stats["dead"] == 1
    assert received(catcher) == [good]
    evil = next(m for m in outbox(rt) if m.idempotency_key == "reminder:evil")
    assert evil.status == OutboxStatus.DEAD and "line break" in evil.last_error


def test_every_outcome_is_in_the_event_log_and_mirrored_to_prefect(
    rt: Runtime, clock: ManualClock, catcher: MailCatcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Outcomes are written in batches, their events with one INSERT: each still reaches the log and Prefect."""
    from tasks.events.prefect import install_prefect_emitter, uninstall_prefect_emitter

    emitted: list[tuple[str, dict[str, Any]]] = []
    monkeypatch.setattr("prefect.events.emit_event", lambda event, payload, **_: emitted.append((event, payload)))
    keys = queue(rt, 40)
    catcher.fail_next(550)
    install_prefect_emitter()
    try:
        assert deliver(rt) == {"sent": 39, "retrying": 0, "dead": 1, "cancelled": 0, "uncertain": 0}
    finally:
        uninstall_prefect_emitter()
    with rt.session() as session:
        logged = session.exec(select(Event).order_by(col(Event.id))).all()
    assert sorted((e.kind, e.payload["key"]) for e in logged) == sorted(
        ("email.dead" if m.status == OutboxStatus.DEAD else "email.sent", m.idempotency_key) for m in outbox(rt)
    )
    assert all(e.at == rt.now() and e.person_id is not None and e.payload["to"].endswith("@testvik.no") for e in logged)
    assert sorted((name, payload["key"]) for name, payload in emitted) == sorted(
        (f"arshjul.{e.kind}", e.payload["key"]) for e in logged
    )
    (dead,) = [e.payload["key"] for e in logged if e.kind == "email.dead"]
    assert sorted(received(catcher)) == sorted(key for key in keys if key != dead)
