"""Strict checks of imported text: no control characters, e-mail addresses as a mail server takes them."""

from __future__ import annotations

import re
from functools import lru_cache

from email_validator import EmailNotValidError, validate_email

# Characters a cell may hold that still break a name in an e-mail header, a PDF or a log line.
CONTROL_NAMES = {
    "\x00": "NUL-tegn",
    "\t": "tabulator",
    "\n": "linjeskift",
    "\v": "vertikal tabulator",
    "\f": "sideskift",
    "\r": "vognretur (CR)",
    "\x7f": "DEL-tegn",
    "\u2028": "linjeskilletegn (U+2028)",
    "\u2029": "avsnittsskilletegn (U+2029)",
}
# Unicode's category Cc is exactly C0 (U+0000-001F), DEL and C1 (U+007F-009F); Zl and Zp are one character each
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def control_character(value: str) -> str | None:
    """A bokmål sentence about the first control character in the value (C0, C1, DEL, line separators)."""
    found = _CONTROL.search(value)
    if found is None:
        return None
    char = found.group()
    named = CONTROL_NAMES.get(char, f"kontrolltegn U+{ord(char):04X}")
    return (
        f"inneholder et usynlig tegn som ikke er tillatt ({named}, tegn nr. {found.start() + 1}); "
        "skriv verdien på nytt på én linje i cellen"
    )


@lru_cache(maxsize=65536)  # validation checks every character of the domain; each address is checked twice
def checked_email(value: str) -> str:
    """The address, lower-cased, if a mail server would take it as one; raises ValueError in bokmål otherwise."""
    address = value.strip()
    try:
        # Syntax only (no DNS): no display name, no <>, no quoted or non-ASCII local part, a real domain
        result = validate_email(address, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError:
        raise ValueError(f"'{value}' er ikke en gyldig e-postadresse ({_why(address)})") from None
    return result.normalized.lower()


def _why(address: str) -> str:
    """A short bokmål reason for the commonest mistakes; email-validator's own messages are English."""
    if any(char in address for char in '<>‹›«»"') or " " in address:
        return "skriv bare selve adressen, uten navn, mellomrom, anførselstegn eller <>"
    if any(char in address for char in ",;"):
        return "bare én adresse per celle, uten komma eller semikolon"
    if address.count("@") != 1:
        return "en adresse har nøyaktig én @"
    local, _, domain = address.partition("@")
    if not local.isascii():
        return "æ, ø, å og andre tegn utenfor a–z er ikke tillatt foran @"
    if "." not in domain:
        return "domenet etter @ mangler punktum, som i navn@kommune.no"
    return "adressen har ikke formen navn@domene.no"
