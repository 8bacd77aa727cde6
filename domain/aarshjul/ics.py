"""A minimal iCalendar (RFC 5545) writer: one VCALENDAR with VEVENTs, times in UTC."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from domain.aarshjul.workdays import to_local

PRODID = "-//Aarshjul//Aarshjul//NB"
DEFAULT_DURATION = timedelta(minutes=30)
_MAX_LINE_OCTETS = 75
_CRLF = "\r\n"


@dataclass(frozen=True)
class IcsEvent:
    uid: str
    summary: str
    start: datetime
    end: datetime | None = None
    description: str = ""
    sequence: int = 0
    url: str | None = None
    all_day: bool = False  # whole days in Oslo, from the day of `start` to the day before `end` (a closed period)

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or (self.end is not None and self.end.tzinfo is None):
            raise ValueError(f"event {self.uid!r} needs time-zone-aware start and end")
        if self.end is not None and self.end <= self.start:
            raise ValueError(f"event {self.uid!r} ends before it starts")
        if self.sequence < 0:
            raise ValueError(f"event {self.uid!r} has a negative SEQUENCE")
        if self.url is not None and any(char in self.url for char in "\r\n"):
            raise ValueError(f"event {self.uid!r} has a line break in its URL")

    @property
    def effective_end(self) -> datetime:
        return self.end if self.end is not None else self.start + DEFAULT_DURATION


def escape_text(value: str) -> str:
    """Escape a TEXT value (RFC 5545 §3.3.11)."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def format_utc(moment: datetime) -> str:
    """An aware moment as a UTC DATE-TIME, e.g. 20270915T060000Z."""
    if moment.tzinfo is None:
        raise ValueError(f"naive datetime {moment.isoformat()} has no time zone")
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _local_day(moment: datetime) -> str:
    """The Oslo calendar day of a moment as a DATE value, e.g. 20270712."""
    return to_local(moment).strftime("%Y%m%d")


def fold_line(line: str) -> str:
    """Fold a content line to at most 75 octets per physical line, never splitting a UTF-8 character."""
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > _MAX_LINE_OCTETS:
            pieces.append("".join(current))
            current, size = [" "], 1  # the continuation line's leading space counts towards the limit
        current.append(char)
        size += width
    pieces.append("".join(current))
    return _CRLF.join(pieces)


def _event_lines(event: IcsEvent, stamp: datetime) -> Iterator[str]:
    yield "BEGIN:VEVENT"
    yield f"UID:{escape_text(event.uid)}"
    yield f"DTSTAMP:{format_utc(stamp)}"
    yield f"SEQUENCE:{event.sequence}"
    if event.all_day:
        yield f"DTSTART;VALUE=DATE:{_local_day(event.start)}"
        yield f"DTEND;VALUE=DATE:{_local_day(event.effective_end)}"
    else:
        yield f"DTSTART:{format_utc(event.start)}"
        yield f"DTEND:{format_utc(event.effective_end)}"
    yield f"SUMMARY:{escape_text(event.summary)}"
    if event.description:
        yield f"DESCRIPTION:{escape_text(event.description)}"
    if event.url:
        yield f"URL:{event.url}"
    yield "END:VEVENT"


def _calendar_lines(events: Sequence[IcsEvent], stamp: datetime, name: str, method: str | None) -> Iterator[str]:
    yield "BEGIN:VCALENDAR"
    yield "VERSION:2.0"
    yield f"PRODID:{PRODID}"
    yield "CALSCALE:GREGORIAN"
    if method:
        yield f"METHOD:{method.strip().upper()}"
    yield f"X-WR-CALNAME:{escape_text(name)}"
    for event in events:
        yield from _event_lines(event, stamp)
    yield "END:VCALENDAR"


def render_calendar(
    events: Sequence[IcsEvent], *, stamp: datetime, name: str = "Årshjul", method: str | None = None
) -> str:
    """The events as one iCalendar text with CRLF line endings (including after the last line)."""
    lines = _calendar_lines(events, stamp, name, method)
    return "".join(fold_line(line) + _CRLF for line in lines)
