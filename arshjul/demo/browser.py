"""A simulated person's HTTP client: opens the emailed link and posts the form, like a browser would."""

from __future__ import annotations

import re
from collections.abc import Callable

import httpx
import lxml.html

HIDDEN = re.compile(r'<input[^>]*name="(csrf_token|base_revision)"[^>]*value="([^"]*)"', re.S)
HIDDEN_REVERSED = re.compile(r'<input[^>]*value="([^"]*)"[^>]*name="(csrf_token|base_revision)"', re.S)


class AnswerFailed(RuntimeError):
    """The web app refused a simulated answer; the demo reports it rather than hiding it."""


def hidden_fields(html: str) -> dict[str, str]:
    fields = {name: value for name, value in HIDDEN.findall(html)}
    fields |= {name: value for value, name in HIDDEN_REVERSED.findall(html)}
    return fields


def page_values(html: str) -> dict[str, str]:
    """What the form shows filled in (e.g. last year's measures on an evaluation), as posted field names: inputs
    (ticked boxes only) and text areas."""
    # lxml (already here for python-docx) parses a form page in a tenth of html.parser's time, and the simulated
    # leaders open some 600 pages a year, all counted in the benchmarked year.
    values: dict[str, str] = {}
    for element in lxml.html.fromstring(html).iter("input", "textarea"):
        name = element.get("name")
        if not name:
            continue
        if element.tag == "textarea":
            values[name] = element.text or ""
        elif element.get("type") != "checkbox" or element.get("checked") is not None:
            values[name] = element.get("value", "")
    return values


def answer(
    client: httpx.Client, link: str, fill: Callable[[dict[str, str]], dict[str, str]], *, save_draft_first: bool
) -> None:
    """GET the form, fill it in from what it shows, optionally save a draft and come back, then submit."""
    page = _get(client, link)
    fields = fill(page_values(page))
    if save_draft_first:
        _post(client, link, fields, "save", page)
        page = _get(client, link)  # coming back: the saved draft's revision is the base now
    _post(client, link, fields, "submit", page)


def _get(client: httpx.Client, link: str) -> str:
    page = client.get(link)
    if page.status_code != 200:
        raise AnswerFailed(f"GET {link} ga {page.status_code}")
    return page.text


def _post(client: httpx.Client, link: str, fields: dict[str, str], action: str, page: str) -> None:
    response = client.post(link, data={**hidden_fields(page), **fields, "action": action}, follow_redirects=False)
    if response.status_code != 303:
        raise AnswerFailed(f"{action} på {link} ga {response.status_code}: {_summary(response.text)}")


def _summary(html: str) -> str:
    errors = re.findall(r'class="[^"]*feil[^"]*"[^>]*>([^<]+)<', html)
    return "; ".join(e.strip() for e in errors[:5]) or re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))[:300]
