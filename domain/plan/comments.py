"""The tillitsvalgte's comments, each attached to the measure or section it is about and the version it was made on."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from domain.plan.frame import GENERAL, section_of

POSITIONS = {"enig": "Enig", "uenig": "Uenig", "kommentar": "Kommentar"}


def attach_comments(entries: list[dict[str, Any]], measures: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Give every comment the place it belongs: `measure` (a measure key), else `section`, else the general part."""
    by_key = {m["key"]: m["key"] for m in measures}
    by_title = {" ".join(m["title"].lower().split()): m["key"] for m in measures}
    attached = []
    for entry in entries:
        comments = []
        for comment in entry.get("comments", []):
            target = str(comment.get("target", ""))
            key = by_key.get(target) or by_title.get(" ".join(target.lower().split()))
            place = {"measure": key} if key else {"section": section_of(target) or GENERAL}
            comments.append({**comment, **place})
        attached.append({**entry, "comments": comments})
    return attached


def comments_by_place(consultation: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """`measure:<key>`, `section:<key>` or `section:generelt` -> the comments there, with who made them."""
    places: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for entry in consultation:
        for comment in entry.get("comments", []):
            place = f"measure:{comment['measure']}" if comment.get("measure") else f"section:{comment.get('section')}"
            places[place].append(
                {
                    "who": _who(entry),
                    "position": POSITIONS.get(comment.get("position", ""), comment.get("position", "")),
                    "text": comment.get("text", ""),
                    "version": entry.get("version"),
                }
            )
    return dict(places)


def comment_line(comment: dict[str, Any]) -> str:
    """'Tora (Fagforbundet), om versjon 1: Enig – Bra'."""
    on = f", om versjon {comment['version']}" if comment.get("version") else ""
    text = f" – {comment['text']}" if comment.get("text") else ""
    return f"{comment['who']}{on}: {comment['position']}{text}"


def statements(consultation: list[dict[str, Any]]) -> list[str]:
    """Each tillitsvalgt's overall statement, with the version it was given on."""
    lines = []
    for entry in consultation:
        on = f" (om versjon {entry['version']})" if entry.get("version") else ""
        lines.append(f"{_who(entry)}{on}: {entry.get('statement', '')}")
    return lines


def _who(entry: dict[str, Any]) -> str:
    union = entry.get("union") or ""
    return f"{entry.get('name', '')} ({union})" if union else str(entry.get("name", ""))
