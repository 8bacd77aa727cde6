"""A simulated person's HTTP client: opens the emailed link and posts the form, like a browser would."""

from __future__ import annotations

import re

import httpx

HIDDEN = re.compile(r'<input[^>]*name="(csrf_token|base_revision)"[^>]*value="([^"]*)"', re.S)
HIDDEN_REVERSED = re.compile(r'<input[^>]*value="([^"]*)"[^>]*name="(csrf_token|base_revision)"', re.S)


class AnswerFailed(RuntimeError):
    """The web app refused a simulated answer; the demo reports it rather than hiding it."""


def hidden_fields(html: str) -> dict[str, str]:
    fields = {name: value for name, value in HIDDEN.findall(html)}
    fields |= {name: value for value, name in HIDDEN_REVERSED.findall(html)}
    return fields


def answer(client: httpx.Client, link: str, fields: dict[str, str], *, save_draft_first: bool) -> None:
    """GET the form, optionally save a draft and come back, then submit; every step must succeed."""
    if save_draft_first:
        _post(client, link, fields, "save")
    _post(client, link, fields, "submit")


def _post(client: httpx.Client, link: str, fields: dict[str, str], action: str) -> None:
    page = client.get(link)
    if page.status_code != 200:
        raise AnswerFailed(f"GET {link} ga {page.status_code}")
    hidden = hidden_fields(page.text)
    response = client.post(link, data={**hidden, **fields, "action": action}, follow_redirects=False)
    if response.status_code != 303:
        raise AnswerFailed(f"{action} på {link} ga {response.status_code}: {_summary(response.text)}")


def _summary(html: str) -> str:
    errors = re.findall(r'class="[^"]*feil[^"]*"[^>]*>([^<]+)<', html)
    return "; ".join(e.strip() for e in errors[:5]) or re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))[:300]
