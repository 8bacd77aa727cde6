"""Files that go with outbox messages: stored once per content and name, however many messages carry them."""

from __future__ import annotations

from sqlalchemy import Column, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

# The kinds of file a notice may carry (by suffix), and their MIME types.
ATTACHMENT_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "txt": "text/plain",
}
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


class OutboxAttachment(SQLModel, table=True):
    """One file's bytes; a message names the files it carries in `OutboxMessage.attachment_ids`."""

    __tablename__ = "outbox_attachment"
    __table_args__ = (UniqueConstraint("sha256", "filename", name="uq_outbox_attachment_content"),)
    id: int | None = Field(default=None, primary_key=True)
    sha256: str = Field(max_length=64)
    filename: str = Field(max_length=200)
    content_type: str = Field(max_length=100)
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
