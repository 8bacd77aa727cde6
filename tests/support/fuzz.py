"""Hypothesis strategies for posted forms, and the checks every fuzzed response and the database must pass."""

from __future__ import annotations

import html
import logging
import os
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from httpx import Response
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from sqlmodel import Session, col, select

from domain.models import Answer, AnswerStatus, Assignment, AssignmentState, Event, OutboxMessage
from web.answer.form_specs import SPECS

# `make fuzz` sets this to run every route with many more (and fresh, not derandomised) examples.
EXAMPLES_ENV = "ARSHJUL_FUZZ_EXAMPLES"
ANSWER_EVENTS = ("answer.draft_saved", "answer.submitted", "answer.revised")
LEAKS = ("Traceback (most recent call last)", 'File "/', "site-packages", "sqlalchemy.exc", "psycopg")

WEIRD = st.sampled_from(
    [
        "", " ", "²", "٣", "-1", "0", "1", "3", "9" * 25, "9223372036854775808", "1e9", "NaN", "\x00", "a\x00b",
        "\x1b[31m", "\x0b", "line\r\nbreak", "æøå ÆØÅ", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🎉", "\u202e", '=HYPERLINK("http://evil.example")',
        "<script>alert(1)</script>", "{{ 7*7 }}", "on", "høy", "kort", "utvikle", "enig", "vedtak", "Kommunestyret",
        "eget budsjett", "2027-12-09", "09.12.2027", "31.02.2027", "a@b.no", "kari@kommune.example",
    ]
)  # fmt: skip
TEXT = st.one_of(
    WEIRD,
    st.text(max_size=40),
    st.integers(-(10**30), 10**30).map(str),
    st.integers(3_990, 9_000).map(lambda n: "x" * n),
    st.integers(190, 260).map(lambda n: "å" * n),
)


def examples(default: int) -> int:
    """This route's number of examples: the default in CI, or ARSHJUL_FUZZ_EXAMPLES for a release run."""
    configured = os.environ.get(EXAMPLES_ENV, "")
    return int(configured) if configured.isascii() and configured.isdigit() else default


def long_run() -> bool:
    return bool(os.environ.get(EXAMPLES_ENV))


def fuzz_settings(default: int) -> Any:
    """Hypothesis settings for one fuzzed route: derandomised in CI, fresh examples in a long run."""
    return settings(
        max_examples=examples(default),
        deadline=None,
        derandomize=not long_run(),
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
    )


CSRF_CHOICE = st.sampled_from(["valid"] * 6 + ["missing", "other"])  # mostly right, so posts get past the check
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


def with_csrf(fields: dict[str, Any], choice: str, valid: str, other: str) -> dict[str, Any]:
    """The form with the valid token, another text as the token, or no token at all (`choice` from CSRF_CHOICE)."""
    if choice == "valid":
        return {**fields, "csrf_token": valid}
    if choice == "other":
        return {**fields, "csrf_token": other}
    fields.pop("csrf_token", None)
    return fields


def hidden_fields(page: str) -> dict[str, list[str]]:
    """The hidden inputs of a page, name -> values, as a browser would send them back."""
    found: dict[str, list[str]] = {}
    for name, value in HIDDEN.findall(page):
        found.setdefault(html.unescape(name), []).append(html.unescape(value))
    return found


def _answer_field_names() -> list[str]:
    names: set[str] = {"action", "base_revision", "csrf_token", "add_row", "remove_row"}
    for spec in SPECS.values():
        names.update(field.name for field in spec.scalars)
        for list_spec in spec.lists:
            for index in (0, 1, 2, 9999):
                names.update(f"{list_spec.name}-{index}-{field.name}" for field in list_spec.fields)
    return sorted(names)


ANSWER_KEYS = st.one_of(st.sampled_from(_answer_field_names()), st.text(max_size=15))
ROW_BUTTONS = st.sampled_from(
    ["needs", "measures", "items", "handlings", "needs-0", "measures-1", "items-0", "items-9999", "x", "weird"]
).flatmap(lambda button: TEXT.map(lambda text: f"needs-{text}") if button == "weird" else st.just(button))


def form(fields: dict[str, st.SearchStrategy[str]], extra_keys: st.SearchStrategy[str] = st.text(max_size=15)) -> Any:
    """A form with any subset of these fields (a value from its strategy, or any text), plus unknown fields."""
    named = st.fixed_dictionaries({}, optional={name: st.one_of(values, TEXT) for name, values in fields.items()})
    unknown = st.dictionaries(extra_keys, TEXT, max_size=4)
    return st.tuples(unknown, named).map(lambda parts: {**parts[0], **parts[1]})


MISSING = "\x00(missing)"


def _mostly_one(values: st.SearchStrategy[Any], odd: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.sampled_from([0, 0, 0, 1, 2, 3]).flatmap(lambda n: (values, odd, TEXT, st.just(MISSING))[n])


def mostly(
    fields: dict[str, st.SearchStrategy[Any]],
    odd: dict[str, st.SearchStrategy[Any]] | None = None,
    extra_keys: st.SearchStrategy[str] = st.text(max_size=15),
) -> Any:
    """Two forms in three with every field valid; the third has fields that are odd, any text or left out.

    `fields` gives each field's valid values, `odd` the values that field's checks must refuse (too long, out of
    range, unknown). So most examples get past the form's checks and reach the service behind it, unlike `form`,
    which sends any subset of the fields. A few unknown fields come along either way.
    """
    valid = st.fixed_dictionaries(fields)
    noisy = st.fixed_dictionaries(
        {name: _mostly_one(values, (odd or {}).get(name, TEXT)) for name, values in fields.items()}
    )
    named = st.sampled_from([valid, valid, noisy]).flatmap(lambda chosen: chosen)
    unknown = st.dictionaries(extra_keys, TEXT, max_size=2)
    return st.tuples(unknown, named).map(
        lambda parts: {**parts[0], **{k: v for k, v in parts[1].items() if v != MISSING}}
    )


class ErrorLog(logging.Handler):
    """Collects every record at ERROR or above, and every record with a traceback, while the fuzz runs."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.ERROR or record.exc_info:
            self.records.append(record)


@contextmanager
def collecting_errors() -> Iterator[ErrorLog]:
    """An ErrorLog on the root logger for as long as the block runs."""
    errors = ErrorLog()
    logging.getLogger().addHandler(errors)
    try:
        yield errors
    finally:
        logging.getLogger().removeHandler(errors)


def check_response(response: Response, errors: ErrorLog, tally: Counter[str]) -> None:
    """No 5xx, nothing of Python's in the page, nothing logged as an unexpected error."""
    tally[f"{response.request.url.path.split('/')[1]} {response.status_code}"] += 1
    assert response.status_code < 500, response.text[:500]
    assert not any(leak in response.text for leak in LEAKS), response.text[:2000]
    assert [record.getMessage() for record in errors.records] == []


def check_no_partial_write(session: Session) -> None:
    """Every answer has its event, every submitted revision its receipt, and each task's state fits its answers."""
    answers = list(session.exec(select(Answer)))
    events = session.exec(select(Event).where(col(Event.kind).in_(ANSWER_EVENTS))).all()
    recorded = {(e.assignment_id, e.payload["revision"]) for e in events}
    assert {(a.assignment_id, a.revision) for a in answers} == recorded
    submitted = {a.id for a in answers if a.status == AnswerStatus.SUBMITTED}
    receipts = session.exec(select(OutboxMessage.idempotency_key).where(OutboxMessage.kind == "receipt")).all()
    assert set(receipts) == {f"receipt:{answer_id}" for answer_id in submitted}
    answered = {a.assignment_id for a in answers if a.status == AnswerStatus.SUBMITTED}
    for assignment in session.exec(select(Assignment)):
        assert (assignment.state == AssignmentState.ANSWERED) == (assignment.id in answered), assignment
        assert (assignment.answered_at is not None) == (assignment.id in answered), assignment
