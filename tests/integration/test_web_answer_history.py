"""The person's own history of an answer: every revision listed, each one viewable read-only."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from tests.integration.test_web_answers import SCRIPT, World, input_fields, link_for, world_at
from web.security import csrf_token


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    with world_at(tmp_path) as opened:
        yield opened


def _history(page: str) -> list[list[str]]:
    """The rows of the revisions table as cell texts."""
    table = page.split('id="history-heading"', 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody>", 1)[1]
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


def test_every_revision_is_listed_with_who_and_when_and_can_be_read_again(world: World) -> None:
    kari = link_for(world, "kari@kommune.example")
    assert "Versjoner" not in world.client.get(f"/svar/{kari}").text  # nothing saved yet, no history
    draft = input_fields(kari, world, holdings="Første utkast")
    assert world.client.post(f"/svar/{kari}", data=draft).status_code == 303
    world.clock.advance(timedelta(minutes=30))
    sent = input_fields(kari, world, action="submit", base_revision="1", holdings="Det endelige svaret")
    assert world.client.post(f"/svar/{kari}", data=sent).status_code == 303
    page = world.client.get(f"/svar/{kari}")
    rows = _history(page.text)
    assert [row[:2] + row[3:4] for row in rows] == [
        ["2", "sendt inn", "Kari Nordmann"],
        ["1", "utkast", "Kari Nordmann"],
    ]
    assert "kl. 10.30" in rows[0][2] and "kl. 10.00" in rows[1][2]
    assert f'href="/svar/{kari}/revisjon/1"' in page.text
    first = world.client.get(f"/svar/{kari}/revisjon/1")
    assert first.status_code == 200 and "Versjon 1 av svaret" in first.text and "Første utkast" in first.text
    assert "Det endelige svaret" not in first.text and "Det finnes nyere versjoner" in first.text
    assert "<form" not in first.text.split("<main", 1)[1] and 'name="holdings"' not in first.text
    latest = world.client.get(f"/svar/{kari}/revisjon/2?lang=nn")
    assert latest.status_code == 200 and "Det endelige svaret" in latest.text and "Lagra av" in latest.text
    assert "nyare versjonar" not in latest.text
    assert f'href="/svar/{kari}/revisjon/1?lang=nn"' in latest.text
    assert world.client.get(f"/svar/{kari}/revisjon/3").status_code == 404
    assert world.client.get(f"/svar/{kari}x/revisjon/1").status_code == 403


def test_a_substitutes_revision_says_on_whose_behalf_and_typed_markup_stays_inert(world: World) -> None:
    kari = link_for(world, "kari@kommune.example")
    world.client.post(
        f"/svar/{kari}/stedfortreder",
        data={"csrf_token": csrf_token(world.rt, kari), "navn": f"Vera {SCRIPT}", "epost": "vera@kommune.example"},
    )
    vera = link_for(world, "vera@kommune.example")
    assert world.client.post(f"/svar/{vera}", data=input_fields(vera, world, holdings=SCRIPT)).status_code == 303
    for page in (world.client.get(f"/svar/{kari}"), world.client.get(f"/svar/{vera}/revisjon/1")):
        assert page.status_code == 200 and SCRIPT not in page.text
        assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; på vegne av Kari Nordmann" in page.text
    assert "&lt;script&gt;" in world.client.get(f"/svar/{vera}/revisjon/1").text.split('class="copy"', 1)[1]
