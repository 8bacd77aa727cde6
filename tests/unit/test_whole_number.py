"""Amounts as leaders type them: "12 000 kr" is 12000, as "45 000" always was."""

from __future__ import annotations

import pytest

from web.answer.formdata import amount as whole_number


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("45 000", 45000),
        ("12 000 kr", 12000),
        ("12\u00a0000\u00a0kr", 12000),  # non-breaking spaces, as a phone's keyboard or a copied figure has
        ("12\u2009000", 12000),  # thin space
        ("12\u202f000 KR", 12000),  # narrow no-break space, as the OS writes numbers in Norwegian
        ("kr 12 000", 12000),
        ("kr. 12.000,-", 12000),
        ("12000 NOK", 12000),
        ("  7 ", 7),
    ],
)
def test_amounts_people_write_are_read(typed: str, number: int) -> None:
    assert whole_number(typed) == number


@pytest.mark.parametrize("typed", ["12,5", "tolv tusen", "kr", "12 000 euro", "1" * 13, "12-000"])
def test_what_is_not_a_whole_number_is_refused(typed: str) -> None:
    assert whole_number(typed) is None
