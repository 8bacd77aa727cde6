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
# The one way back: a new deadline in the future makes an overdue or escalated task current again.
LATE = frozenset({S.OVERDUE, S.ESCALATED})


class InvalidTransition(ValueError):
    """A state change the task's life does not allow."""


def transition(current: S, target: S) -> S:
    """Return the new state, or refuse a move the state machine does not allow."""
    if target not in TRANSITIONS[current]:
        raise InvalidTransition(f"en oppgave kan ikke gå fra {current.value} til {target.value}")
    return target


def reopen_for_new_deadline(current: S, *, reminded: bool) -> S:
    """The state after the deadline moved into the future: a late task is open again (reminded, if it was).

    Only a deadline change may move a task backwards; an answered or excused task has nothing to reopen.
    """
    if current not in ACTIVE:
        raise InvalidTransition(f"en oppgave som er {current.value}, får ikke ny frist")
    if current in LATE:
        return S.REMINDED if reminded else S.OPEN
    return current
