"""The one time a document carries is its version's: zip entry dates and PDF dates and ID, never the wall clock."""

from __future__ import annotations

import time
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from hashlib import md5
from io import BytesIO
from typing import Any

from reportlab.pdfgen.canvas import Canvas

from domain.plan.document import VersionMeta

# A document without a version (a preview) is dated at the zip format's first day, the same every time.
NO_VERSION = datetime(1980, 1, 1)


def version_stamp(meta: VersionMeta | None) -> datetime:
    """The version's creation time in UTC without a zone (as Office's core properties want it)."""
    return meta.created_at.astimezone(UTC).replace(tzinfo=None) if meta is not None else NO_VERSION


def restamped(data: bytes, stamp: datetime) -> bytes:
    """python-docx and openpyxl date every zip entry with the wall clock; give them the version's time instead."""
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=stamp.timetuple()[:6])
            info.compress_type, info.external_attr = item.compress_type, item.external_attr
            target.writestr(info, source.read(item.filename))
    return out.getvalue()


def version_canvas(stamp: datetime, seed: str) -> Callable[..., Canvas]:
    """A ReportLab canvas whose CreationDate, ModDate and document ID come from the version, not the clock.

    ReportLab takes its time stamp when the canvas is made (the wall clock, or 2000-01-01 in invariant mode) and
    seeds the file ID's digest with it; neither is a parameter, so the canvas replaces both right after it is made.
    """
    seconds = stamp.replace(tzinfo=UTC).timestamp()

    def make(*args: Any, **kwargs: Any) -> Canvas:
        canvas = Canvas(*args, **kwargs)
        document: Any = canvas._doc  # type: ignore[attr-defined]
        clock = document._timeStamp
        clock.t, clock.lt = seconds, time.gmtime(seconds)
        clock.YMDhms, clock.dhh, clock.dmm, clock.tzname = tuple(clock.lt)[:6], 0, 0, "UTC"
        document.signature = md5(b"a reportlab document", usedforsecurity=False)
        document.signature.update(f"{seconds!r}:{seed}".encode())
        return canvas

    return make
