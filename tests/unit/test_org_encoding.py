"""The encoding rule of the import: which bytes are read, in what, and what a refusal names."""

from __future__ import annotations

import pytest

from tasks.org.reading.encoding import decode_import
from tasks.org.reading.plausible import mojibake, plausible

NORWEGIAN = "unit_id;name\n1;Kirkehøgda kommune\n2;Åse Sæther-O’Neill – Ørnes\n"


def test_iso_8859_15_is_chosen_when_only_its_own_positions_are_used() -> None:
    data = "1;Tiltak til 500 €;Šimun Žagar\n".encode("iso8859_15")
    decoded = decode_import(data)
    assert (decoded.encoding, decoded.text) == ("iso8859_15", "1;Tiltak til 500 €;Šimun Žagar\n")


def test_cp1252_punctuation_is_read_as_windows_1252() -> None:
    decoded = decode_import(NORWEGIAN.encode("cp1252"))
    assert (decoded.encoding, decoded.text) == ("cp1252", NORWEGIAN)


def test_utf8_wins_over_everything_and_drops_the_bom() -> None:
    assert decode_import(("\ufeff" + NORWEGIAN).encode("utf-8")).text == NORWEGIAN


@pytest.mark.parametrize(
    ("text", "encoding", "named"),
    [
        (NORWEGIAN, "utf-16", "UTF-16 (Excels «Unicode-tekst»)"),
        (
            "1;Kirkehøgda kommune;Åse Sæther\n",
            "cp850",
            "DOS nordisk (cp865)",
        ),  # the same bytes for æøå: cp865 is the Norwegian one
        ("1;Иван Петров;Мария Смирнова\n", "cp1251", "Windows-1251 (kyrillisk)"),
    ],
)
def test_refusals_name_the_likely_encoding(text: str, encoding: str, named: str) -> None:
    decoded = decode_import(text.encode(encoding))
    assert decoded.text is None
    assert decoded.refusal.startswith(f"filen ser ut til å være lagret som {named}, ikke i en tegnkoding")
    assert "Godtatt: UTF-8 (med eller uten BOM), Windows-1252, ISO-8859-1 og ISO-8859-15." in decoded.refusal


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kirkehøgda", True),
        ("Åse Sæther-O’Neill", True),
        ("«Solbakken» – skole", True),
        ("Иван Петров", True),
        ("山田太郎", True),
        ("Kirkeh›gda", False),  # cp865 ø read as cp1252
        ("S‘ther", False),  # cp865 æ read as cp1252
        ("Kirkeh¿gda", False),  # Mac Roman ø read as cp1252
        ("BjørkŒs", False),  # Mac Roman å read as cp1252: a capital after a small letter
        ("Èâàí Ïåòðîâ", False),  # Windows-1251 read as cp1252: words of accented letters
        ("éÁÎ", False),  # KOI8-R read as cp1252
        ("йБО", False),  # KOI8-R read as Windows-1251: capitals after small letters
    ],
)
def test_plausible_norwegian_text(text: str, expected: bool) -> None:
    assert plausible(text) is expected


@pytest.mark.parametrize(
    ("text", "spoiled"),
    [
        ("Kirkehøgda", None),
        ("Åse Sæther-O’Neill «Sol» ‘sitat’", None),
        ("Иван Петров 山田太郎 Müller Jönsson", None),
        ("Kirkeh›gda kommune", "Kirkeh›gda"),  # cp865 ø opened as cp1252, saved as UTF-8
        ("S‘ther", "S‘ther"),  # cp865 æ
        ("Bj¿rkŒs", "Bj¿rkŒs"),  # Mac Roman ø and å
        ("KirkehÃ¸gda", "KirkehÃ¸gda"),  # UTF-8 opened as cp1252, saved as UTF-8
    ],
)
def test_mojibake_already_in_a_utf8_file(text: str, spoiled: str | None) -> None:
    assert mojibake(text) == spoiled
