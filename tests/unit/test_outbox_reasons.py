"""Why a message failed, as HR reads it on the console's outbox page: plain Norwegian first, the relay's words after."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.models import OutboxMessage, OutboxStatus
from tasks.outbox.browse import plain_reason, state_of


def message(status: OutboxStatus, error: str, *, uncertain: bool = False) -> OutboxMessage:
    return OutboxMessage(
        idempotency_key="k", message_id="<k@x>", kind="receipt", to_address="a@testvik.no", to_name="A",
        subject="S", body_text="T", body_html="H", status=status, last_error=error, uncertain=uncertain,
        handed_over_at=datetime(2027, 3, 12, 7, 5, tzinfo=UTC) if uncertain else None, relay_reply="250 OK",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("status", "error", "reason"),
    [
        (OutboxStatus.DEAD, "550 5.1.1 User unknown", "Mottakerens e-postserver sier at adressen ikke finnes"),
        (OutboxStatus.DEAD, "552 Mailbox full", "Mottakerens postkasse er full, eller meldingen er for stor."),
        (OutboxStatus.DEAD, "554 Spam", "E-postserveren avviste meldingen (for eksempel som mulig søppelpost)."),
        (OutboxStatus.DEAD, "501 Syntax", "E-postserveren avviste meldingen. Serveren svarte: «501 Syntax»."),
        (OutboxStatus.FAILED, "451 Try later", "Midlertidig feil hos e-postserveren; prøves igjen automatisk."),
        (OutboxStatus.DEAD, "gitt opp etter 3 døgn; siste svar: 421 Busy",
         "ba oss vente; gitt opp etter 3 døgn. Serveren svarte sist: «421 Busy»."),
        (OutboxStatus.DEAD, "kan ikke bygges: header injection", "Meldingen kunne ikke lages"),
        (OutboxStatus.DEAD, "Connection lost", "Sendingen feilet: Connection lost."),
        (OutboxStatus.CANCELLED, "avbrutt for hånd", "Avbrutt: avbrutt for hånd."),
        (OutboxStatus.SENT, "", ""),
    ],
)  # fmt: skip
def test_each_failure_is_explained(status: OutboxStatus, error: str, reason: str) -> None:
    assert reason in plain_reason(message(status, error))


def test_an_uncertain_dead_letter_says_when_it_was_handed_over_and_is_its_own_state() -> None:
    unsure = message(OutboxStatus.DEAD, "usikker levering: …", uncertain=True)
    assert plain_reason(unsure) == (
        "Usikker levering: overlevert til e-postserveren 12.03.2027 08:05; serveren svarte sist «250 OK»; "
        "kan være mottatt"
    )
    assert state_of(unsure) == "usikker" and state_of(message(OutboxStatus.DEAD, "550")) == "avvist"
    assert state_of(message(OutboxStatus.FAILED, "451")) == state_of(message(OutboxStatus.PENDING, "")) == "i-ko"
