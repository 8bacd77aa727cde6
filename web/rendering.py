"""Templates (autoescaped, strict) and the one helper every page renders through."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from domain.aarshjul.role_words import ucfirst
from domain.aarshjul.terms import DEFAULT_TERMS
from web.deps import runtime
from web.i18n import LANGUAGES, Translator, pick_language

TEMPLATE_DIR: Final = Path(__file__).with_name("templates")


def make_templates() -> Jinja2Templates:
    """Every template autoescaped, whatever its name; a missing variable is an error, not a blank."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["ucfirst"] = ucfirst  # a capital first letter, the rest as written (unlike `capitalize`)
    env.globals["terms"] = DEFAULT_TERMS  # every page renders with `terms`; render() passes the årshjul's own
    return Jinja2Templates(env=env)


def asked_language(request: Request) -> str | None:
    """The language asked for in the address (`?lang=nn`), if it is one we have."""
    asked = request.query_params.get("lang")
    return asked if asked in LANGUAGES else None


def page_language(request: Request, person_language: str | None = None) -> str:
    return pick_language(asked_language(request), person_language, runtime(request).settings.default_language)


def render(
    request: Request,
    name: str,
    context: dict[str, Any],
    *,
    language: str,
    status: int = 200,
) -> HTMLResponse:
    """Render a page in a language, with the language switch and the shared helpers."""
    templates: Jinja2Templates = request.app.state.templates
    full = {
        "t": Translator(language, runtime(request).aarshjul.terms),
        "lang": language,
        "lang_links": [(code, f"{request.url.path}?lang={code}") for code in LANGUAGES],
        "hr_nav": False,
        "user": None,
        "has_inbox": request.app.state.catcher is not None,
        "terms": runtime(request).aarshjul.terms,
        **context,
    }
    return templates.TemplateResponse(request, name, full, status_code=status)


def error_page(
    request: Request,
    status: int,
    key: str,
    *,
    language: str | None = None,
    detail: str = "",
) -> HTMLResponse:
    """A friendly page for a problem: title and text from the catalogue (`error.<key>.title` / `.text`)."""
    lang = language or page_language(request)
    return render(request, "error.html", {"key": key, "status": status, "detail": detail}, language=lang, status=status)
