import pytest

from domain.models import AssignmentState as S
from domain.states import InvalidTransition, transition


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
