"""Files carried by outbox messages: stored once per content and name, loaded once per claimed batch."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Final

from sqlalchemy import Connection, bindparam, select
from sqlmodel import Session, SQLModel, col
from sqlmodel import select as sqlmodel_select

from domain.models import OutboxMessage
from domain.outbox_files import OutboxAttachment
from notifications.message import MailAttachment

_FILES: Final = SQLModel.metadata.tables[OutboxAttachment.__tablename__]
# Built once, with the ids as an expanding parameter, as the outbox's other statements (tasks/outbox/claims.py).
_LOAD: Final = select(_FILES.c.id, _FILES.c.filename, _FILES.c.content_type, _FILES.c.data).where(
    _FILES.c.id.in_(bindparam("ids", expanding=True))
)


def store_attachment(session: Session, file: MailAttachment) -> int:
    """The id of this file in the outbox, stored now unless the same bytes under the same name are already there."""
    digest = hashlib.sha256(file.data).hexdigest()
    found = session.exec(
        sqlmodel_select(OutboxAttachment.id).where(
            col(OutboxAttachment.sha256) == digest, col(OutboxAttachment.filename) == file.filename
        )
    ).first()
    if found is not None:
        return found
    row = OutboxAttachment(sha256=digest, filename=file.filename, content_type=file.content_type, data=file.data)
    session.add(row)
    session.flush()
    assert row.id is not None
    return row.id


def load_attachments(connection: Connection, ids: Iterable[int]) -> dict[int, MailAttachment]:
    """The files with these ids, in one query (the outbox calls it once per claimed batch that carries any)."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = connection.execute(_LOAD, {"ids": wanted}).tuples()
    return {id_: MailAttachment(filename, content_type, bytes(data)) for id_, filename, content_type, data in rows}


def attachment_names(session: Session, messages: Iterable[OutboxMessage]) -> dict[int, list[str]]:
    """Message id -> the names of the files it carries (for the console's outbox page), in one query, no bytes."""
    carrying = [(m.id, m.attachment_ids) for m in messages if m.id is not None and m.attachment_ids]
    wanted = sorted({i for _, ids in carrying for i in ids})
    if not wanted:
        return {}
    query = select(_FILES.c.id, _FILES.c.filename).where(_FILES.c.id.in_(wanted))
    names = {id_: name for id_, name in session.connection().execute(query).tuples()}
    return {mid: [names.get(i, f"(vedlegg {i} mangler)") for i in ids] for mid, ids in carrying}
