"""Rendering of outgoing emails from Jinja2 templates in bokmål, nynorsk and English.

Templates live in `notifications/templates/<lang>/<name>.{subject,txt,html}.j2`; a part that is
missing for a language falls back to the bokmål version. Only `.html.j2` (and `.html`) templates are
autoescaped: the text parts and the subject are plain text and must keep characters such as `<`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Final, Literal, get_args
from zoneinfo import ZoneInfo

from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateNotFound,
    pass_context,
    select_autoescape,
)
from jinja2.runtime import Context

from domain.aarshjul.role_words import ucfirst
from domain.aarshjul.terms import DEFAULT_TERMS

Language = Literal["nb", "nn", "en"]
LANGUAGES: Final[tuple[Language, ...]] = get_args(Language)
DEFAULT_LANGUAGE: Final[Language] = "nb"
OSLO: Final = ZoneInfo("Europe/Oslo")
TEMPLATE_DIR: Final = Path(__file__).with_name("templates")

_MONTHS_NO: Final = (
    "januar", "februar", "mars", "april", "mai", "juni",
    "juli", "august", "september", "oktober", "november", "desember",
)  # fmt: skip
_MONTHS_EN: Final = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_WEEKDAYS: Final[dict[str, tuple[str, ...]]] = {
    "nb": ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"),
    "nn": ("måndag", "tysdag", "onsdag", "torsdag", "fredag", "laurdag", "sundag"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def to_oslo(moment: datetime) -> datetime:
    """Oslo wall-clock time of an aware datetime; naive datetimes are refused as ambiguous."""
    if moment.tzinfo is None:
        raise ValueError(f"naive datetime {moment.isoformat()} has no time zone")
    return moment.astimezone(OSLO)


def _as_date(value: date | str) -> date:
    """A date, or the Oslo date of an aware datetime; ISO strings (as stored in answers) are accepted."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    return to_oslo(value).date() if isinstance(value, datetime) else value


def format_date(value: date | str, language: Language, *, year: bool = True) -> str:
    """'fredag 30. april 2027' (nb/nn) or 'Friday 30 April 2027' (en); datetimes in Oslo time."""
    day = _as_date(value)
    weekday = _WEEKDAYS[language][day.weekday()]
    if language == "en":
        text = f"{weekday} {day.day} {_MONTHS_EN[day.month - 1]}"
    else:
        text = f"{weekday} {day.day}. {_MONTHS_NO[day.month - 1]}"
    return f"{text} {day.year}" if year else text


def format_time(value: datetime, language: Language) -> str:
    """'kl. 16.00' (nb/nn) or '16:00' (en), in Oslo time."""
    local = to_oslo(value)
    if language == "en":
        return f"{local.hour:02d}:{local.minute:02d}"
    return f"kl. {local.hour:02d}.{local.minute:02d}"


def _language_of(context: Context) -> Language:
    language = context.get("language", DEFAULT_LANGUAGE)
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def lcfirst(value: str) -> str:
    """Lower-case the first letter for use mid-sentence, but leave acronyms ('NAV-plan') alone."""
    if len(value) > 1 and value[1].isupper():
        return value
    return value[:1].lower() + value[1:]


@pass_context
def _dato_filter(context: Context, value: date | str, year: bool = True) -> str:
    return format_date(value, _language_of(context), year=year)


@pass_context
def _klokke_filter(context: Context, value: datetime) -> str:
    return format_time(value, _language_of(context))


def _build_environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=select_autoescape(
            enabled_extensions=("html", "htm", "html.j2"),
            disabled_extensions=("txt", "txt.j2", "subject.j2"),
            default_for_string=False,
            default=False,
        ),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters["dato"] = _dato_filter
    env.filters["klokke"] = _klokke_filter
    env.filters["lcfirst"] = lcfirst
    env.filters["ucfirst"] = ucfirst  # a capital first letter, the rest as written («Tjenesteområdet», «NAV-kontor»)
    # The municipality's words for its levels; the default wording unless a caller passes the årshjul's `terms`.
    env.globals["terms"] = DEFAULT_TERMS
    return env


ENV: Final[Environment] = _build_environment()


def _render_part(template: str, language: Language, part: str, context: Mapping[str, Any]) -> str:
    for candidate in dict.fromkeys((language, DEFAULT_LANGUAGE)):
        try:
            loaded = ENV.get_template(f"{candidate}/{template}.{part}.j2")
        except TemplateNotFound:
            continue
        # Dates in a bokmål fallback are written in bokmål, not in the requested language.
        return loaded.render({**context, "language": candidate})
    raise TemplateNotFound(f"{language}/{template}.{part}.j2")


def clean_subject(subject: str) -> str:
    """One line: whitespace runs (including CR/LF) collapse to a single space."""
    return " ".join(subject.split())


def render_email(template: str, language: Language, context: Mapping[str, Any]) -> RenderedEmail:
    """Render the subject, text and HTML parts of `template` in `language` (falling back to nb)."""
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}")
    return RenderedEmail(
        subject=clean_subject(_render_part(template, language, "subject", context)),
        text=_render_part(template, language, "txt", context).strip() + "\n",
        html=_render_part(template, language, "html", context),
    )
