"""The hand-written iCalendar writer: line endings, folding, escaping and a parse-back check."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from domain.aarshjul.ics import IcsEvent, escape_text, fold_line, render_calendar

STAMP = datetime(2027, 9, 1, 12, 0, tzinfo=UTC)
START = datetime(2027, 9, 15, 6, 0, tzinfo=UTC)
LONG_SUMMARY = (
    "Frist for kompetanseplan: Økonomiavdelingen, Næringsetaten og Åsgårdstrand skole må "
    "levere behovsvurderingen før høstferien – ærlig talt, så fort som mulig; takk"
)


def unfold(text: str) -> list[str]:
    assert text.endswith("\r\n")
    return text.replace("\r\n ", "").split("\r\n")[:-1]


def unescape(value: str) -> str:
    out: list[str] = []
    chars = iter(value)
    for char in chars:
        if char == "\\":
            following = next(chars)
            out.append("\n" if following in "nN" else following)
        else:
            out.append(char)
    return "".join(out)


def parse(text: str) -> list[dict[str, str]]:
    """The properties of each component, in order: VCALENDAR first, then one dict per VEVENT."""
    components: list[dict[str, str]] = []
    for line in unfold(text):
        name, _, value = line.partition(":")
        if name == "BEGIN":
            components.append({})
        elif name != "END":
            components[-1][name] = value
    return components


def test_calendar_header_and_crlf() -> None:
    text = render_calendar([], stamp=STAMP)
    assert text.split("\r\n")[:5] == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Aarshjul//Aarshjul//NB",
        "CALSCALE:GREGORIAN",
        "X-WR-CALNAME:Årshjul",
    ]
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")


def test_method_is_optional() -> None:
    assert "METHOD" not in render_calendar([], stamp=STAMP)
    assert "METHOD:REQUEST\r\n" in render_calendar([], stamp=STAMP, method="request")


def test_event_fields_and_default_duration() -> None:
    oslo_summer = timezone(timedelta(hours=2))
    event = IcsEvent(uid="fase-1@aarshjul", summary="Frist", start=datetime(2027, 9, 15, 8, 0, tzinfo=oslo_summer))
    vcalendar, vevent = parse(render_calendar([event], stamp=STAMP, method="PUBLISH"))
    assert vcalendar["METHOD"] == "PUBLISH"
    assert vevent == {
        "UID": "fase-1@aarshjul",
        "DTSTAMP": "20270901T120000Z",
        "SEQUENCE": "0",
        "DTSTART": "20270915T060000Z",
        "DTEND": "20270915T063000Z",
        "SUMMARY": "Frist",
    }


def test_explicit_end_sequence_description_and_url() -> None:
    event = IcsEvent(
        uid="u1",
        summary="Møte",
        start=START,
        end=START + timedelta(hours=2),
        description="Linje 1\nLinje 2",
        sequence=3,
        url="https://aarshjul.example/fase/1?a=1,2",
    )
    (_, vevent) = parse(render_calendar([event], stamp=STAMP))
    assert vevent["DTEND"] == "20270915T080000Z"
    assert vevent["SEQUENCE"] == "3"
    assert unescape(vevent["DESCRIPTION"]) == "Linje 1\nLinje 2"
    assert vevent["URL"] == "https://aarshjul.example/fase/1?a=1,2"


def test_escaping() -> None:
    assert escape_text("a\\b;c,d\ne\r\nf") == "a\\\\b\\;c\\,d\\ne\\nf"
    event = IcsEvent(uid="u2", summary="Plan; budsjett, rapport\\vedlegg", start=START)
    text = render_calendar([event], stamp=STAMP)
    assert "SUMMARY:Plan\\; budsjett\\, rapport\\\\vedlegg\r\n" in text


def test_long_norwegian_summary_is_folded_on_octets() -> None:
    event = IcsEvent(uid="u3", summary=LONG_SUMMARY, start=START, description=LONG_SUMMARY * 3)
    text = render_calendar([event], stamp=STAMP, name="Årshjul for Ås kommune")
    physical = text.split("\r\n")[:-1]
    assert all(len(line.encode("utf-8")) <= 75 for line in physical)
    assert any(line.startswith(" ") for line in physical)
    (vcalendar, vevent) = parse(text)
    assert vcalendar["X-WR-CALNAME"] == "Årshjul for Ås kommune"
    assert unescape(vevent["SUMMARY"]) == LONG_SUMMARY
    assert unescape(vevent["DESCRIPTION"]) == LONG_SUMMARY * 3


def test_fold_never_splits_a_multibyte_character() -> None:
    line = "SUMMARY:" + "æøå" * 40
    folded = fold_line(line)
    pieces = folded.split("\r\n")
    assert len(pieces) > 1
    assert all(len(piece.encode("utf-8")) <= 75 for piece in pieces)
    assert all(piece.startswith(" ") for piece in pieces[1:])
    assert folded.replace("\r\n ", "") == line


def test_short_line_is_not_folded() -> None:
    assert fold_line("X" * 75) == "X" * 75
    assert fold_line("X" * 76) == "X" * 75 + "\r\n X"


def test_several_events_parse_back() -> None:
    events = [IcsEvent(uid=f"e{i}", summary=f"Hendelse {i}", start=START + timedelta(days=i)) for i in range(3)]
    components = parse(render_calendar(events, stamp=STAMP))
    assert [c["UID"] for c in components[1:]] == ["e0", "e1", "e2"]
    assert components[3]["DTSTART"] == "20270917T060000Z"


def test_naive_and_inverted_times_are_refused() -> None:
    with pytest.raises(ValueError):
        IcsEvent(uid="x", summary="x", start=datetime(2027, 9, 15, 8, 0))
    with pytest.raises(ValueError):
        IcsEvent(uid="x", summary="x", start=START, end=START - timedelta(minutes=1))
