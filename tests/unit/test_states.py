import pytest

from domain.models import AssignmentState as S
from domain.states import InvalidTransition, reopen_for_new_deadline, transition


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (S.OPEN, S.REMINDED),
        (S.REMINDED, S.OVERDUE),
        (S.OVERDUE, S.ESCALATED),
        (S.ESCALATED, S.ANSWERED),
        (S.OPEN, S.ANSWERED),
        (S.REMINDED, S.EXCUSED),
        (S.ESCALATED, S.ESCALATED),
    ],
)
def test_the_life_of_a_task_moves_forward(start: S, target: S) -> None:
    assert transition(start, target) == target


@pytest.mark.parametrize(
    ("start", "target"),
    [(S.ANSWERED, S.REMINDED), (S.OVERDUE, S.REMINDED), (S.ESCALATED, S.OVERDUE), (S.ANSWERED, S.OPEN)],
)
def test_a_task_never_moves_backwards(start: S, target: S) -> None:
    with pytest.raises(InvalidTransition, match="kan ikke gå fra"):
        transition(start, target)


@pytest.mark.parametrize(
    ("start", "reminded", "expected"),
    [
        (S.OVERDUE, False, S.OPEN),
        (S.OVERDUE, True, S.REMINDED),
        (S.ESCALATED, False, S.OPEN),
        (S.ESCALATED, True, S.REMINDED),
        (S.OPEN, True, S.OPEN),  # not late: a new deadline changes nothing about its state
        (S.REMINDED, False, S.REMINDED),
    ],
)
def test_a_new_deadline_in_the_future_makes_a_late_task_current_again(start: S, reminded: bool, expected: S) -> None:
    assert reopen_for_new_deadline(start, reminded=reminded) == expected


@pytest.mark.parametrize("start", [S.ANSWERED, S.EXCUSED])
def test_a_finished_task_gets_no_new_deadline(start: S) -> None:
    with pytest.raises(InvalidTransition, match="får ikke ny frist"):
        reopen_for_new_deadline(start, reminded=False)
