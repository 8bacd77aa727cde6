"""The task state machine: open → reminded → overdue → escalated → answered / excused."""

from __future__ import annotations

from domain.models import AssignmentState as S

TRANSITIONS: dict[S, frozenset[S]] = {
    S.OPEN: frozenset({S.REMINDED, S.OVERDUE, S.ESCALATED, S.ANSWERED, S.EXCUSED}),
    S.REMINDED: frozenset({S.REMINDED, S.OVERDUE, S.ESCALATED, S.ANSWERED, S.EXCUSED}),
    S.OVERDUE: frozenset({S.ESCALATED, S.ANSWERED, S.EXCUSED}),
    S.ESCALATED: frozenset({S.ESCALATED, S.ANSWERED, S.EXCUSED}),
    S.ANSWERED: frozenset({S.ANSWERED}),
    S.EXCUSED: frozenset({S.OPEN}),
}
ACTIVE = frozenset({S.OPEN, S.REMINDED, S.OVERDUE, S.ESCALATED})
DONE = frozenset({S.ANSWERED, S.EXCUSED})


class InvalidTransition(ValueError):
    """A state change the task's life does not allow."""


def transition(current: S, target: S) -> S:
    """Return the new state, or refuse a move the state machine does not allow."""
    if target not in TRANSITIONS[current]:
        raise InvalidTransition(f"en oppgave kan ikke gå fra {current.value} til {target.value}")
    return target
