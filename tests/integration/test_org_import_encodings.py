"""Import files in every encoding a Norwegian HR office meets: the accepted ones keep æøå, the others are refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session, select

from domain.models import OrgUnit, Person
from tasks.runtime import Runtime
from tests.support.org import import_files, org_counts

UNITS = (
    "unit_id;navn;overordnet;nivå;leder;e-post;ansatte\n"
    "1;Kirkehøgda kommune;;kommune;Åse Sæther;ase.saether@kirkehogda.kommune.no;3\n"
    "10;Helse og omsorg;1;sektor;Bjørn Ødegård;bjorn.odegard@kirkehogda.kommune.no;5\n"
    "1001;Grønnåsen sykehjem;10;virksomhet;Kjærsti Løvås;kjaersti.lovas@kirkehogda.kommune.no;80\n"
)
ASCII_FOLD = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "Ae", "Ø": "O", "Å": "A"})
# shift_jis and koi8-r have no æ, ø or å: such a file comes from a leader list typed in another script
FOREIGN = {
    "shift_jis": UNITS.replace("Åse Sæther", "山田太郎").replace("Bjørn Ødegård", "佐藤花子").translate(ASCII_FOLD),
    "koi8_r": UNITS.replace("Åse Sæther", "Иван Петров")
    .replace("Bjørn Ødegård", "Мария Смирнова")
    .translate(ASCII_FOLD),
}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "iso-8859-1", "iso-8859-15"])
def test_accepted_encodings_keep_the_norwegian_letters(rt: Runtime, tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "enheter.csv"
    path.write_bytes(UNITS.encode(encoding))
    report = import_files(rt.engine, [path], rt.now())
    assert report.problems == []
    with Session(rt.engine) as session:
        units = {unit.id: unit.name for unit in session.exec(select(OrgUnit)).all()}
        people = sorted(person.name for person in session.exec(select(Person)).all())
    assert units == {"1": "Kirkehøgda kommune", "10": "Helse og omsorg", "1001": "Grønnåsen sykehjem"}
    assert people == ["Bjørn Ødegård", "Kjærsti Løvås", "Åse Sæther"]


@pytest.mark.parametrize(
    ("encoding", "named"),
    [("cp865", "DOS nordisk (cp865)"), ("mac_roman", "Mac Roman"), ("shift_jis", "Shift_JIS"), ("koi8_r", "KOI8-R")],
)
def test_other_encodings_are_refused_naming_the_encoding(
    rt: Runtime, tmp_path: Path, encoding: str, named: str
) -> None:
    good = tmp_path / "ok" / "enheter.csv"
    good.parent.mkdir()
    good.write_text(UNITS, encoding="utf-8")
    assert import_files(rt.engine, [good], rt.now()).problems == []
    before = org_counts(rt.engine)
    path = tmp_path / "enheter.csv"
    path.write_bytes(FOREIGN.get(encoding, UNITS).encode(encoding))
    report = import_files(rt.engine, [path], rt.now())
    [problem] = report.problems
    assert (problem.source, problem.row, problem.field) == ("enheter.csv", None, None)
    assert f"ser ut til å være lagret som {named}" in problem.message
    assert "Lagre filen som CSV UTF-8 i Excel" in problem.message
    assert org_counts(rt.engine) == before


def test_cp865_message_shows_the_mojibake_the_user_would_have_got(rt: Runtime, tmp_path: Path) -> None:
    path = tmp_path / "enheter.csv"
    # Without Å and Ø every cp865 byte decodes in cp1252: the case that renamed units to mojibake
    lowercase = UNITS.replace("nivå", "niva").replace("Åse", "Ase").replace("Bjørn Ødegård", "Bjørn Berg")
    path.write_bytes(lowercase.encode("cp865"))
    [problem] = import_files(rt.engine, [path], rt.now()).problems
    assert "«Kirkeh›gda kommune»" in problem.message
    assert org_counts(rt.engine) == (0, 0, 0, 0)


@pytest.mark.parametrize(
    ("wrongly_read_as", "shown"),
    [("cp865", "Kirkeh›gda"), ("mac_roman", "Kirkeh¿gda"), ("utf-8", "KirkehÃ¸gda")],
)
def test_a_file_spoiled_before_it_was_saved_as_utf8_is_refused(
    rt: Runtime, tmp_path: Path, wrongly_read_as: str, shown: str
) -> None:
    """The trap of the advice itself: a cp865 file double-clicked in Excel is read as cp1252, then saved as UTF-8."""
    spoiled = UNITS.replace("nivå", "niva").replace("Å", "A").replace("Ø", "O")
    spoiled = spoiled.encode(wrongly_read_as).decode("cp1252")
    path = tmp_path / "enheter.csv"
    path.write_bytes(spoiled.encode("utf-8-sig"))
    [problem] = import_files(rt.engine, [path], rt.now()).problems
    assert (problem.source, problem.row, problem.field) == ("enheter.csv", None, None)
    assert problem.message.startswith(
        f"filen er lagret som UTF-8, men æ, ø eller å var allerede feil i den (for eksempel «{shown}"
    )
    assert org_counts(rt.engine) == (0, 0, 0, 0)
