"""The files a notice attaches: inside the årshjul file's folder, of an allowed type and size, checked at load.

A path is relative to the folder the årshjul file lies in; `..`, an absolute path or a link that leads out of that
folder is refused, so a file can only send what lies next to it. The dispatcher reads the file again when the notice
goes out (`attachment_path`), so a file removed since is noticed then too.
"""

from __future__ import annotations

from pathlib import Path, PurePath
from typing import Any

from domain.aarshjul.step_checks import Location
from domain.aarshjul.steps import NoticeStep
from domain.outbox_files import ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES


class AttachmentError(ValueError):
    """A notice's file that cannot be sent; the message says why, in Norwegian."""


def attachment_problems(aarshjul: Any, folder: Path) -> list[tuple[Location, str]]:
    """Every notice file that cannot be sent, located as ("phases", p, "steps", s, "attachments", i)."""
    problems: list[tuple[Location, str]] = []
    for p, phase in enumerate(aarshjul.written):
        for s, step in enumerate(phase.steps):
            if not isinstance(step, NoticeStep):
                continue
            for i, name in enumerate(step.attachments):
                try:
                    attachment_path(folder, name)
                except AttachmentError as exc:
                    problems.append((("phases", p, "steps", s, "attachments", i), str(exc)))
    return problems


def attachment_path(folder: Path, name: str) -> Path:
    """The file `name` in `folder` (resolved), or AttachmentError saying why it cannot be attached."""
    written = PurePath(name.strip())
    if not name.strip():
        raise AttachmentError("filnavnet er tomt")
    if written.is_absolute() or ".." in written.parts:
        raise AttachmentError(f"«{name}» må være en sti under mappen årshjulfilen ligger i, uten «..» og uten / først")
    suffix = written.suffix.lower().lstrip(".")
    if suffix not in ATTACHMENT_TYPES:
        raise AttachmentError(
            f"«{name}»: filtypen {written.suffix or '(ingen)'} kan ikke sendes som vedlegg; "
            f"tillatt er {', '.join(ATTACHMENT_TYPES)}"
        )
    base = folder.resolve()
    path = (base / written).resolve()
    if not path.is_relative_to(base):
        raise AttachmentError(f"«{name}» peker ut av mappen årshjulfilen ligger i ({base})")
    if not path.exists():
        raise AttachmentError(f"«{name}» finnes ikke (lette etter {path})")
    if not path.is_file():
        raise AttachmentError(f"«{name}» er ikke en vanlig fil")
    size = path.stat().st_size
    if size > MAX_ATTACHMENT_BYTES:
        megabytes = f"{size / 1024 / 1024:.1f}".replace(".", ",")
        raise AttachmentError(f"«{name}» er {megabytes} MB; et vedlegg kan være høyst 10 MB")
    return path


def content_type(path: Path) -> str:
    return ATTACHMENT_TYPES[path.suffix.lower().lstrip(".")]
