"""Is a decoded text plausible as what a Norwegian municipality writes? Tells mojibake from names.

cp1252, cp865 (DOS nordisk) and Mac Roman are byte-ambiguous: every byte of a cp865 or Mac Roman file decodes
in cp1252 to *something*. What differs is the result: "Kirkehøgda" in cp865 reads in cp1252 as "Kirkeh›gda", in
Mac Roman as "Kirkeh¿gda". So we judge the decoded characters: letters, a few punctuation marks where they belong,
and words that look like words (no run of accented capitals after a small letter, not mostly accented letters).
"""

from __future__ import annotations

import re
import unicodedata
from itertools import pairwise

# Punctuation outside ASCII that Norwegian text really uses; anything else non-letter is suspect.
PUNCTUATION = frozenset("\u00a0’‘“”«»–—…€§°·")
# Inside a word only the apostrophe is normal ("O’Neill"); cp865's æ reads as ‘ and Mac Roman's ñ as –.
INSIDE_WORD = frozenset("’")
# What æ, ø and å of cp865 and Mac Roman become in cp1252, never found between two letters of a real name
MOJIBAKE = frozenset("›‹†‡‘¿¾®¯Œ¢¤¦¨¬")
EAST_ASIAN = frozenset({"CJK", "HIRAGANA", "KATAKANA", "HANGUL"})
_TOKEN = re.compile(r"[^\s,;\"]+")  # a cell's words; the separators are never letters
_WORD = re.compile(r"[^\W\d_]+(?:’[^\W\d_]+)*")


def plausible(text: str) -> bool:
    """True when every non-ASCII character and every word in the text could be real."""
    if text.isascii():
        return True
    # Names repeat, and ASCII tokens are always fine: judge each distinct token with a non-ASCII character once
    return all(_plausible_token(token) for token in set(_TOKEN.findall(text)) if not token.isascii())


def mojibake(text: str) -> str | None:
    """The first word that is already mojibake in a UTF-8 text: a DOS or Mac file opened as Windows-1252 and
    saved again ("Kirkeh›gda"), or UTF-8 read as Windows-1252 and saved again ("KirkehÃ¸gda")."""
    if text.isascii():
        return None
    for token in dict.fromkeys(_TOKEN.findall(text)):  # each distinct token once, in order
        if token.isascii():
            continue
        if any(char in MOJIBAKE and _between_letters(token, i) for i, char in enumerate(token)):
            return token
        if _double_encoded(token):
            return token
    return None


def _double_encoded(token: str) -> bool:
    try:
        again = token.encode("cp1252").decode("utf-8")
    except UnicodeError:
        return False
    return again != token and any(not char.isascii() and char.isalpha() for char in again)


def _plausible_token(token: str) -> bool:
    for position, char in enumerate(token):
        if char.isascii() or unicodedata.category(char).startswith("L"):
            continue
        if char not in PUNCTUATION:
            return False
        if char not in INSIDE_WORD and _between_letters(token, position):
            return False
    return all(_plausible_word(match.group()) for match in _WORD.finditer(token))


def _between_letters(text: str, position: int) -> bool:
    before = text[position - 1] if position > 0 else " "
    after = text[position + 1] if position + 1 < len(text) else " "
    return before.isalpha() and after.isalpha()


def _plausible_word(word: str) -> bool:
    """One script per word (Japanese may mix its three); a Latin word mostly ASCII and capitalised normally."""
    letters = [char for char in word if char.isalpha()]
    scripts = {_script(char) for char in letters}
    if len(scripts) > 1 and not scripts <= EAST_ASIAN:
        return False  # "Èâàí" is one script, but "Ð¢µ" mixes LATIN with MICRO and the like
    if not _normal_case(letters):
        return False
    if scripts == {"LATIN"}:
        accented = sum(1 for char in letters if not char.isascii())
        return accented < 3 or accented * 2 <= len(letters)
    return True


def _normal_case(letters: list[str]) -> bool:
    """No capital after a small letter unless both are ASCII ("McDonald", "DeLaRosa")."""
    for previous, char in pairwise(letters):
        if previous.islower() and char.isupper() and not (previous.isascii() and char.isascii()):
            return False
    return True


def _script(char: str) -> str:
    """The first word of the character's Unicode name: LATIN, CYRILLIC, GREEK, CJK, HIRAGANA, …"""
    name = unicodedata.name(char, "")
    return name.split(" ", 1)[0] if name else "UNKNOWN"
