"""Decoding an import CSV: UTF-8 (with or without BOM), Windows-1252, ISO-8859-1 or ISO-8859-15, nothing else.

The rule, in order:
1. Strict UTF-8 (a BOM is dropped). UTF-8 almost never decodes by accident, so a file that passes is UTF-8.
2. A UTF-16 byte order mark, or a file of every other byte NUL, is Excel's «Unicode-tekst»: refused.
3. Otherwise the file is single-byte. Windows-1252 is a superset of ISO-8859-1's printable characters, and the
   two differ from ISO-8859-15 in eight positions (€ Š š Ž ž Œ œ Ÿ). The bytes decode in cp1252 (or, when only
   those eight positions are used, ISO-8859-15) and the result must be plausible Norwegian text
   (`tasks.org.reading.plausible`); cp865 and Mac Roman files fail here, as their æ, ø and å become › ‘ † ¿ ¾ Œ.
4. A refused file is named: charset-normalizer ranks the encodings Norwegian files actually come in, and we name
   the first whose decoding is itself plausible.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

from tasks.org.reading.plausible import mojibake, plausible

ACCEPTED = "UTF-8 (med eller uten BOM), Windows-1252, ISO-8859-1 og ISO-8859-15"
RESAVE = (
    "Lagre filen som CSV UTF-8 i Excel: {open}Fil → Lagre som → filtype «CSV UTF-8 (kommadelt) (*.csv)». Eller "
    "velg UTF-8 som tegnkoding i programmet som lagde filen. Importer så filen på nytt"
)
# Encodings a file given to a Norwegian HR office plausibly comes in, nordic first; the detector ranks them.
CANDIDATES = [
    "cp865", "cp850", "mac_roman", "cp437", "koi8_r", "cp1251", "mac_cyrillic", "iso8859_5", "shift_jis",
    "euc_jp", "gb18030", "big5", "euc_kr", "cp1250", "iso8859_2", "cp1253", "cp1257",
]  # fmt: skip
# Windows code pages, as Excel lists them under «Filopprinnelse» in Data → Fra tekst/CSV
CODE_PAGES = {
    "cp865": 865, "cp850": 850, "cp437": 437, "mac_roman": 10000, "koi8_r": 20866, "cp1251": 1251,
    "mac_cyrillic": 10007, "iso8859_5": 28595, "shift_jis": 932, "cp932": 932, "euc_jp": 20932, "gb18030": 54936,
    "big5": 950, "euc_kr": 51949, "cp1250": 1250, "iso8859_2": 28592, "cp1253": 1253, "cp1257": 1257, "utf_16": 1200,
}  # fmt: skip
OPEN_AS = (
    "åpne den med Data → Fra tekst/CSV og velg filopprinnelse {page} (ved dobbeltklikk leses den feil), "
    "kontroller at æ, ø og å ser riktige ut, og velg "
)
NAMES = {
    "cp865": "DOS nordisk (cp865)",
    "cp850": "DOS vesteuropeisk (cp850)",
    "cp437": "DOS (cp437)",
    "mac_roman": "Mac Roman (eldre Mac)",
    "koi8_r": "KOI8-R (russisk)",
    "cp1251": "Windows-1251 (kyrillisk)",
    "mac_cyrillic": "Mac kyrillisk",
    "iso8859_5": "ISO-8859-5 (kyrillisk)",
    "shift_jis": "Shift_JIS (japansk)",
    "cp932": "Shift_JIS (japansk)",
    "euc_jp": "EUC-JP (japansk)",
    "gb18030": "GB18030 (kinesisk)",
    "big5": "Big5 (kinesisk)",
    "euc_kr": "EUC-KR (koreansk)",
    "cp1250": "Windows-1250 (sentraleuropeisk)",
    "iso8859_2": "ISO-8859-2 (sentraleuropeisk)",
    "cp1253": "Windows-1253 (gresk)",
    "cp1257": "Windows-1257 (baltisk)",
    "utf_16": "UTF-16 (Excels «Unicode-tekst»)",
}
NORWEGIAN_LETTERS = frozenset("æøåÆØÅ")
LATIN9_ONLY = frozenset(b"\xa4\xa6\xa8\xb4\xb8\xbc\xbd\xbe")  # where ISO-8859-15 differs from ISO-8859-1
_SEPARATORS = re.compile(r"[;,\t\r\n\"]+")


@dataclass(frozen=True)
class Decoded:
    """The text and the encoding it was read in, or (text None) the bokmål sentence refusing the file."""

    text: str | None
    encoding: str | None = None
    refusal: str = ""


def decode_import(data: bytes) -> Decoded:
    """The file's text in one of the accepted encodings, or a refusal naming the likely encoding."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    else:
        spoiled = mojibake(text)
        return Decoded(text, "utf-8") if spoiled is None else Decoded(None, "utf-8", _spoiled(spoiled))
    if _looks_utf16(data):
        return _refuse(data, "utf_16")
    single = _single_byte(data)
    if single is not None:
        return single
    return _refuse(data, likely_encoding(data))


def likely_encoding(data: bytes) -> str | None:
    """The detector's best encoding among those that make the bytes plausible, Norwegian letters first."""
    results = from_bytes(data, cp_isolation=CANDIDATES)
    # On a short file several encodings tie; the order of CANDIDATES (nordic first) breaks the tie
    ranked = sorted(results, key=lambda m: (round(m.chaos, 3), -round(m.coherence, 3), _rank(m.encoding)))
    matches = [match.encoding for match in ranked]
    readings = {encoding: data.decode(encoding, errors="replace") for encoding in matches}
    fitting = [encoding for encoding in matches if plausible(readings[encoding])]
    norwegian = [encoding for encoding in fitting if NORWEGIAN_LETTERS & set(readings[encoding])]
    best = next(iter(norwegian or fitting or matches), None)
    # cp850 and cp865 put æ, ø and å on the same bytes; for a Norwegian file cp865 is the likely one
    return "cp865" if best == "cp850" and _same(data, "cp850", "cp865") else best


def _single_byte(data: bytes) -> Decoded | None:
    """cp1252 or ISO-8859-15 when that reading is plausible; None when neither is."""
    latin9 = not any(0x80 <= byte <= 0x9F for byte in data) and any(byte in LATIN9_ONLY for byte in data)
    for encoding in ("iso8859_15", "cp1252") if latin9 else ("cp1252",):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if plausible(text):
            return Decoded(text, encoding)
    return None


def _refuse(data: bytes, encoding: str | None) -> Decoded:
    named = NAMES.get(encoding or "", encoding)
    seen = f"ser ut til å være lagret som {named}, ikke" if named else "er ikke lagret"
    shown = _example(data) if encoding != "utf_16" else None
    example = f" (lest som Windows-1252 blir det for eksempel «{shown}»)" if shown else ""
    page = CODE_PAGES.get(encoding or "")
    how = RESAVE.format(open=OPEN_AS.format(page=page) if page else "")
    message = f"filen {seen} i en tegnkoding vi kan lese trygt{example}. {how}. Godtatt: {ACCEPTED}."
    return Decoded(None, encoding, message)


def _spoiled(word: str) -> str:
    return (
        f"filen er lagret som UTF-8, men æ, ø eller å var allerede feil i den (for eksempel «{word[:40]}»): "
        "den er trolig åpnet med feil tegnkoding og lagret på nytt. Gå tilbake til den opprinnelige filen, åpne "
        "den i Excel med Data → Fra tekst/CSV, velg filopprinnelsen der æ, ø og å ser riktige ut, og lagre som "
        "«CSV UTF-8 (kommadelt) (*.csv)»"
    )


def _example(data: bytes) -> str | None:
    """The first cell that reads wrongly in Windows-1252, as the user would have seen it imported."""
    text = data.decode("cp1252", errors="replace")
    for cell in _SEPARATORS.split(text):
        if cell.strip() and not plausible(cell):
            shown = "".join(char if char.isprintable() else "�" for char in cell.strip())
            return shown[:40]
    return None


def _rank(encoding: str) -> int:
    return CANDIDATES.index(encoding) if encoding in CANDIDATES else len(CANDIDATES)


def _looks_utf16(data: bytes) -> bool:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return True
    return len(data) >= 4 and data.count(0) * 3 >= len(data)


def _same(data: bytes, first: str, second: str) -> bool:
    try:
        return data.decode(first) == data.decode(second)
    except UnicodeDecodeError:
        return False
