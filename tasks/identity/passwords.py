"""Password hashing (argon2id, memory-hard, via argon2-cffi) and the rule for what counts as a weak password."""

from __future__ import annotations

from typing import Final

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH: Final = 12
MIN_DISTINCT: Final = 6
COMMON: Final = frozenset(
    {"passord", "password", "sommer", "vinter", "høst", "vår", "qwerty", "123456", "kommune", "arshjul", "årshjul"}
)
_hasher = PasswordHasher()  # argon2id with the library's RFC 9106 "low memory" defaults (64 MiB, 3 passes)
_DUMMY = _hasher.hash("not-a-password-of-anyone")  # verified against when the account is unknown: same time spent


class WeakPassword(ValueError):
    """The password is too easy to guess; the message says why, in Norwegian."""


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored: str | None, typed: str) -> bool:
    """Whether `typed` matches; an account without a password (single sign-on only) matches nothing."""
    try:
        return _hasher.verify(stored or _DUMMY, typed) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    return _hasher.check_needs_rehash(stored)


def check_strength(password: str, *, email: str, name: str) -> None:
    """Refuse a password that is short, repetitive, common, or built from the person's own name or address."""
    lowered = password.lower()
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"Passordet er for kort: bruk minst {MIN_LENGTH} tegn (gjerne flere ord etter hverandre).")
    if len(password) > 200:
        raise WeakPassword("Passordet er for langt: bruk høyst 200 tegn.")
    if len(set(lowered)) < MIN_DISTINCT:
        raise WeakPassword(f"Passordet har for få ulike tegn: bruk minst {MIN_DISTINCT} forskjellige.")
    own = [email.split("@")[0].lower(), *(part.lower() for part in name.split() if len(part) >= 3)]
    if any(part and part in lowered for part in own):
        raise WeakPassword("Passordet inneholder navnet ditt eller e-postadressen din; velg noe andre ikke kan gjette.")
    stripped = "".join(ch for ch in lowered if ch.isalpha())
    if stripped in COMMON or any(lowered.startswith(word) and lowered[len(word) :].isdigit() for word in COMMON):
        raise WeakPassword("Passordet er for vanlig; velg en setning eller flere tilfeldige ord.")
