"""The one time a document carries is its version's: zip entry dates and core properties, never the wall clock."""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime
from io import BytesIO

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
