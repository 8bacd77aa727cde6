"""A notice's files are checked when the årshjul file loads: inside its folder, an allowed type, at most 10 MB."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from config.aarshjul import load_aarshjul
from config.yaml_lines import ConfigFileError
from domain.aarshjul.steps import NoticeStep

EXAMPLES = Path(__file__).resolve().parents[2] / "config" / "examples"
HR_NOTICE = "        link: /hr/plan\n"  # the last line of Asker's notice to HR and the kommunedirektør
WHERE = "phases[0 yearly-review].steps[3 hr-follow-up]"


def asker_with(folder: Path, extra: str) -> Path:
    text = (EXAMPLES / "asker.yaml").read_text(encoding="utf-8")
    assert text.count(HR_NOTICE) == 1
    path = folder / "aarshjul" / "asker.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text.replace(HR_NOTICE, HR_NOTICE + extra), encoding="utf-8")
    return path


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


def test_good_files_load_and_the_example_names_its_form(tmp_path: Path) -> None:
    path = asker_with(tmp_path, "        attachments: [skjema/ønske.pdf, les meg.txt]\n        attach_plan: adopted\n")
    (path.parent / "skjema").mkdir()
    (path.parent / "skjema" / "ønske.pdf").write_bytes(b"%PDF-1.7\n")
    (path.parent / "les meg.txt").write_text("Hei\n", encoding="utf-8")
    step = next(s for _, s in load_aarshjul(path).steps() if s.key == "hr-follow-up")
    assert isinstance(step, NoticeStep)
    assert (step.attachments, step.attach_plan) == (["skjema/ønske.pdf", "les meg.txt"], "adopted")
    baerum = next(s for _, s in load_aarshjul(EXAMPLES / "baerum.yaml").steps() if s.key == "education-signal")
    assert isinstance(baerum, NoticeStep) and baerum.attachments == ["skjema/utdanningsønske.pdf"]


def test_every_bad_file_is_named_with_its_line_and_why(tmp_path: Path) -> None:
    entries = ["../utenfor.pdf", "/etc/hosts.pdf", "program.exe", "mangler.pdf", "mappe.pdf", "stor.pdf",
               "lenke.pdf", "ok.odt"]  # fmt: skip
    path = asker_with(tmp_path, "        attachments:\n" + "".join(f"          - {e}\n" for e in entries))
    folder = path.parent
    (tmp_path / "utenfor.pdf").write_bytes(b"%PDF")  # exists, but outside the årshjul file's folder
    (folder / "program.exe").write_bytes(b"MZ")
    (folder / "mappe.pdf").mkdir()
    with (folder / "stor.pdf").open("wb") as big:
        big.truncate(10 * 1024 * 1024 + 1)
    os.symlink(tmp_path / "utenfor.pdf", folder / "lenke.pdf")
    (folder / "ok.odt").write_bytes(b"PK")
    with pytest.raises(ConfigFileError) as refused:
        load_aarshjul(path)
    expected = [
        (0, "«../utenfor.pdf» må være en sti under mappen årshjulfilen ligger i, uten «..» og uten / først"),
        (1, "«/etc/hosts.pdf» må være en sti under mappen årshjulfilen ligger i, uten «..» og uten / først"),
        (2, "«program.exe»: filtypen .exe kan ikke sendes som vedlegg; tillatt er pdf, docx, xlsx, odt, txt"),
        (3, f"«mangler.pdf» finnes ikke (lette etter {folder.resolve() / 'mangler.pdf'})"),
        (4, "«mappe.pdf» er ikke en vanlig fil"),
        (5, "«stor.pdf» er 10,0 MB; et vedlegg kan være høyst 10 MB"),
        (6, f"«lenke.pdf» peker ut av mappen årshjulfilen ligger i ({folder.resolve()})"),
    ]
    assert refused.value.problems == [
        f"linje {line_of(path, f'- {entries[i]}')}, {WHERE}.attachments[{i}]: {text}" for i, text in expected
    ]


def test_a_draft_attached_before_any_task_makes_one_is_refused_with_its_line(tmp_path: Path) -> None:
    path = asker_with(tmp_path, "        attach_plan: consultation\n")
    with pytest.raises(ConfigFileError) as refused:
        load_aarshjul(path)
    assert refused.value.problems == [
        f"linje {line_of(path, 'attach_plan')}, {WHERE}.attach_plan: varselet skal legge ved høringsutkastet, men "
        "ingen oppgave før varselet lager et utkast (compiles_draft: true)"
    ]


def test_an_unknown_plan_document_is_refused_in_norwegian_with_a_suggestion(tmp_path: Path) -> None:
    path = asker_with(tmp_path, "        attach_plan: adoptet\n")
    with pytest.raises(ConfigFileError) as refused:
        load_aarshjul(path)
    assert refused.value.problems == [
        f"linje {line_of(path, 'attach_plan')}, {WHERE}.attach_plan: ukjent plandokument «adoptet». Mente du «adopted»?"
    ]
