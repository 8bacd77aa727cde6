"""Column widths sized to a table's content, shared by the PDF/HTML and the Word document."""

from __future__ import annotations

from collections.abc import Sequence

LINE = 118  # characters of table text across a portrait A4 page at the tables' size, about
LONGEST_WORD = 13  # longer words are hyphenated rather than widening their column further


def column_widths(headers: Sequence[str], rows: Sequence[Sequence[str]], line: int = LINE) -> tuple[float, ...]:
    """Percent widths: each column holds its longest word (up to a hyphenation-sized cap), and the rest of the line
    goes to the columns by how much text they hold."""
    columns = range(len(headers))
    least = [_longest_word([headers[i], *(str(r[i]) for r in rows)]) + 2 for i in columns]
    weights = [_typical_length([str(r[i]) for r in rows], headers[i]) for i in columns]
    spare = max(line - sum(least), 0)
    raw = [low + spare * w / sum(weights) for low, w in zip(least, weights, strict=True)]
    total = sum(raw)
    return tuple(round(100 * r / total, 1) for r in raw)


def _longest_word(texts: Sequence[str]) -> int:
    """Split at ordinary spaces only: an amount held together with no-break spaces is one word."""
    return min(max((len(w) for t in texts for w in t.split(" ")), default=1), LONGEST_WORD)


def _typical_length(cells: Sequence[str], header: str) -> float:
    """A long tail (one cell of 400 characters) should not take the page: the 80th percentile, capped."""
    lengths = sorted(len(c) for c in cells) or [len(header)]
    return min(lengths[int(0.8 * (len(lengths) - 1))], 60) + 1
