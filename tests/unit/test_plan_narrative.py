"""The narrative's Markdown: rendered safely, turned into document blocks, compared section by section."""

from __future__ import annotations

from domain.plan.blocks import Bullets, Heading, Paragraph, Table
from domain.plan.content import PlanContent
from domain.plan.frame import plan_frame
from domain.plan.narrative import NarrativeSection, focus_key, initial_narrative, render_markdown, section_problems
from domain.plan.narrative_diff import change_line, narrative_changes
from domain.plan.prose import narrative_of, prose_blocks


def test_html_and_script_links_stay_text() -> None:
    html = render_markdown(
        '<script>alert(1)</script>\n\n<img src=x onerror="alert(1)">\n\n[klikk](javascript:alert(1))'
    )
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_headings_sit_under_the_section_title_and_tables_have_header_cells() -> None:
    html = render_markdown("# Én\n\n## To\n\n### Tre\n\n| A | B |\n|---|---|\n| 1 | 2 |")
    assert "<h3>Én</h3>" in html and "<h3>To</h3>" in html and "<h4>Tre</h4>" in html
    assert '<th scope="col">A</th>' in html
    assert "<h4>To</h4>" in render_markdown("## To", top=4)


def test_markdown_becomes_the_blocks_every_writer_prints() -> None:
    blocks = prose_blocks(
        "Første **avsnitt** med [lenke](https://kommune.no).\n\n## Kommunen skal\n\n- lære\n  - hele livet\n- dele\n\n"
        "1. først\n2. så\n\n| Arena | Hvem |\n|---|---|\n| E-læring | Alle |\n\n> Sitat"
    )
    assert blocks == [
        Paragraph("Første avsnitt med lenke (https://kommune.no)."),
        Heading("Kommunen skal", 3),
        Bullets(("lære – hele livet", "dele")),
        Bullets(("1. først", "2. så")),
        Table(("Arena", "Hvem"), (("E-læring", "Alle"),)),
        Paragraph("Sitat", style="note"),
    ]


def test_the_frame_text_is_the_starting_narrative_and_old_versions_read_it() -> None:
    frame = plan_frame(None, "Testvik")
    sections = initial_narrative(frame)
    keys = [s.key for s in sections]
    assert keys[:6] == ["forord", "forankring", "utfordringsbilde", "mal", "kompetansebegrep", "innsatsomrader"]
    assert keys[6:10] == [focus_key(a.title) for a in frame.focus_areas]
    assert sections[1].markdown.startswith(frame.anchoring) and frame.ambitions in sections[1].markdown
    old = PlanContent(frame=frame)  # a version compiled before the narrative: its frame, no starter texts
    assert {s.key: s.markdown for s in narrative_of(old)}["laeringsarenaer"] == ""
    assert focus_key("Digital kompetanse", {"innsatsomrade-digital-kompetanse"}) == "innsatsomrade-digital-kompetanse-2"
    assert focus_key("Økt nærvær") == "innsatsomrade-okt-naervaer"


def test_sections_added_removed_and_changed() -> None:
    old = PlanContent(narrative=[NarrativeSection(key="forord", title="Forord", markdown="A\nB"),
                                 NarrativeSection(key="innsatsomrade-x", title="X", markdown="x")])  # fmt: skip
    new = PlanContent(narrative=[NarrativeSection(key="forord", title="Forord", markdown="A\nC"),
                                 NarrativeSection(key="innsatsomrade-y", title="Y", markdown="y")])  # fmt: skip
    changes = narrative_changes(old, new)
    assert [(c.key, c.change, c.lines) for c in changes] == [
        ("forord", "changed", (" A", "-B", "+C")),
        ("innsatsomrade-y", "added", ("+y",)),
        ("innsatsomrade-x", "removed", ("-x",)),
    ]
    assert [change_line(c) for c in changes] == ["Endret kapittel: Forord", "Nytt kapittel: Y", "Fjernet kapittel: X"]
    assert narrative_changes(new, new) == ()


def test_problems_are_sentences() -> None:
    assert section_problems("Forord", "x" * 20_000) == {}
    assert section_problems("", "")["tittel"].startswith("Overskriften mangler")
    assert "201 tegn" in section_problems("x" * 201, "")["tittel"]
