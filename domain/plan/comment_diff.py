"""The tillitsvalgte's comments and HR's answers to them, as lines a comparison of two versions can show."""

from __future__ import annotations

from collections.abc import Mapping

from domain.plan.comments import POSITIONS
from domain.plan.content import PlanContent

VERDICTS = {"accepted": "tatt til følge", "partly": "delvis tatt til følge", "not": "ikke tatt til følge"}
Answers = Mapping[str, tuple[str, str]]  # comment key "<entry>.<comment>" -> (verdict, reason)


def comment_rows(content: PlanContent) -> list[tuple[str, str, str]]:
    """Each comment of a version: its key, where it belongs ("Tiltak X" / "Kapittel Y"), and who said what."""
    titles = {m.key: m.title for m in content.measures}
    rows = []
    for e, entry in enumerate(content.consultation):
        who = f"{entry.name} ({entry.union})" if entry.union else entry.name
        for c, comment in enumerate(entry.comments):
            place = (
                f"tiltaket {titles.get(comment.measure, comment.measure)}"
                if comment.measure
                else (f"kapittelet {comment.section}")
            )
            said = f"{who}: {POSITIONS.get(comment.position, comment.position)} – {comment.text}".rstrip(" –")
            rows.append((f"{e}.{c}", place, said))
    return rows


def comment_lines(old: PlanContent, new: PlanContent, old_answers: Answers, new_answers: Answers) -> list[str]:
    """Comments added or removed between the versions, and HR answers given or changed."""
    before = {(place, said): key for key, place, said in comment_rows(old)}
    after = {(place, said): key for key, place, said in comment_rows(new)}
    lines = [f"Ny merknad om {place}: {said}" for place, said in after if (place, said) not in before]
    lines += [f"Fjernet merknad om {place}: {said}" for place, said in before if (place, said) not in after]
    for (place, said), key in after.items():
        answer = new_answers.get(key)
        previous = old_answers.get(before[(place, said)]) if (place, said) in before else None
        if answer and answer != previous:
            lines.append(f"HR-svar på merknaden om {place} ({said}): {answer_text(*answer)}")
    return lines


def answer_text(verdict: str, reason: str) -> str:
    return f"{VERDICTS.get(verdict, verdict).capitalize()} – {reason}"
