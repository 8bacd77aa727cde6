"""No working answer link in any log line the web app writes: link tokens and query values are masked.

An answer link is the only key to a unit's answer, so a log line with `/svar/<token>` hands it to whoever reads
the logs. The filter rewrites each record (message and traceback text) before any handler formats it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from typing import Final

MASK: Final = "[skjult]"
_LINK_PATH: Final = re.compile(r"(/svar/)[^/?#\s\"'<>]+")
_TOKEN: Final = re.compile(r"[A-Za-z0-9_\-]{16,}\.[A-Za-z0-9_\-]{16,}")  # a signed link token wherever it appears
_QUERY_VALUE: Final = re.compile(r"([?&][^=&\s#\"'<>]+=)[^&\s#\"'<>]*")
LOGGERS: Final = ("web", "uvicorn", "uvicorn.access", "uvicorn.error", "fastapi", "starlette")


def redact(text: str) -> str:
    """The text with every link token, `/svar/<token>` path segment and query value masked."""
    text = _LINK_PATH.sub(rf"\g<1>{MASK}", text)
    text = _TOKEN.sub(MASK, text)
    return _QUERY_VALUE.sub(rf"\g<1>{MASK}", text)


class RedactLinks(logging.Filter):
    """Masks tokens in a record's message and traceback; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        return True


def install(names: Iterable[str] = LOGGERS) -> None:
    """Put the filter on the web app's loggers: the given ones and every `web.*` module logger (idempotent)."""
    wanted = set(names) | {name for name in logging.root.manager.loggerDict if name.startswith("web.")}
    for name in wanted:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactLinks) for f in logger.filters):
            logger.addFilter(RedactLinks())
