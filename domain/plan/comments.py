"""The tillitsvalgte's comments, each attached to the measure or section it is about and the version it was made on."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from domain.plan.content import ConsultationEntry, PlacedComment, PlannedMeasure
from domain.plan.frame import GENERAL, section_of

POSITIONS = {"enig": "Enig", "uenig": "Uenig", "kommentar": "Kommentar"}


@dataclass(frozen=True)
class Remark:
    """A comment as the plan prints it: who made it, their position in words, the text, the version it was on."""

    who: str
    position: str
    text: str
    version: int | None
    answer: str = ""  # HR's answer, recorded after the version was written ("Delvis tatt til følge – …")


def attach_comments(entries: list[dict[str, Any]], measures: list[PlannedMeasure]) -> list[ConsultationEntry]:
    """Give every comment the place it belongs: `measure` (a measure key), else `section`, else the general part."""
    by_key = {m.key: m.key for m in measures}
    by_title = {" ".join(m.title.lower().split()): m.key for m in measures}
    attached = []
    for entry in entries:
        comments = []
        for comment in entry.get("comments", []):
            target = str(comment.get("target", ""))
            key = by_key.get(target) or by_title.get(" ".join(target.lower().split()))
            place = {"measure": key} if key else {"section": section_of(target) or GENERAL}
            comments.append(PlacedComment(**{**comment, **place}))
        attached.append(ConsultationEntry(**{**entry, "comments": comments}))
    return attached


def comments_by_place(
    consultation: list[ConsultationEntry], answers: dict[str, str] | None = None
) -> dict[str, list[Remark]]:
    """`measure:<key>`, `section:<key>` or `section:generelt` -> the comments there, with who made them and HR's
    answer (by comment key "<entry>.<comment>") where one is given."""
    places: dict[str, list[Remark]] = defaultdict(list)
    for e, entry in enumerate(consultation):
        for c, comment in enumerate(entry.comments):
            place = f"measure:{comment.measure}" if comment.measure else f"section:{comment.section}"
            position = POSITIONS.get(comment.position, comment.position)
            answer = (answers or {}).get(f"{e}.{c}", "")
            places[place].append(Remark(_who(entry), position, comment.text, entry.version, answer))
    return dict(places)


def comment_line(comment: Remark) -> str:
    """'Tora (Fagforbundet), om versjon 1: Enig – Bra'."""
    on = f", om versjon {comment.version}" if comment.version else ""
    text = f" – {comment.text}" if comment.text else ""
    answer = f" HR: {comment.answer}" if comment.answer else ""
    return f"{comment.who}{on}: {comment.position}{text}{answer}"


def statements(consultation: list[ConsultationEntry]) -> list[str]:
    """Each tillitsvalgt's overall statement, with the version it was given on."""
    lines = []
    for entry in consultation:
        on = f" (om versjon {entry.version})" if entry.version else ""
        lines.append(f"{_who(entry)}{on}: {entry.statement}")
    return lines


def _who(entry: ConsultationEntry) -> str:
    return f"{entry.name} ({entry.union})" if entry.union else entry.name
