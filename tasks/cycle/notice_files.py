"""What a notice attaches: its files from beside the årshjul file, and a plan version as PDF, stored once per notice.

The files are read and the plan is rendered once per notice moment, before the first recipient's email is queued;
every recipient's message then names the same stored attachments (tasks/outbox/attachments.py).
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

from sqlmodel import Session, col, select

from config.attachment_checks import AttachmentError, attachment_path, content_type
from domain.aarshjul.steps import AttachPlan, NoticeStep
from domain.models import PlanStatus, PlanVersion
from notifications.message import MailAttachment
from tasks.outbox.attachments import store_attachment
from tasks.plan.decision import made_on
from tasks.plan.documents.export import export_version, file_name
from tasks.plan.meetings import SENT
from tasks.plan.queries import adopted_plan
from tasks.runtime import Runtime

log = logging.getLogger(__name__)


class NoticeFileMissing(RuntimeError):
    """A notice's file cannot be read when the notice is due; the notice waits for the next run (in Norwegian)."""


def notice_attachments(session: Session, rt: Runtime, step: NoticeStep, year: int, day: date) -> list[tuple[int, str]]:
    """(id, file name) of each file the notice carries, stored in the outbox now (once, whatever the recipients)."""
    files = [_read(rt, step, name) for name in step.attachments]
    if step.attach_plan is not None:
        plan = plan_pdf(session, rt, step.attach_plan, year, day)
        if plan is None:
            log.warning("notice %s %d: no plan version to attach (%s); sent without it", step.key, year,
                        step.attach_plan)  # fmt: skip
        else:
            files.append(plan)
    return [(store_attachment(session, file), file.filename) for file in files]


def _read(rt: Runtime, step: NoticeStep, name: str) -> MailAttachment:
    folder = Path(rt.aarshjul.source).parent
    try:
        path = attachment_path(folder, name)
        return MailAttachment(path.name, content_type(path), path.read_bytes())
    except (AttachmentError, OSError) as exc:
        raise NoticeFileMissing(f"Varselet «{step.key}» kan ikke sendes: vedlegget {exc}") from exc


def plan_pdf(session: Session, rt: Runtime, which: AttachPlan, year: int, day: date) -> MailAttachment | None:
    """The plan version `which` names, as it stood on `day`, as the PDF its download gives (names as in public)."""
    version = attached_version(session, which, year, day)
    if version is None:
        return None
    names = rt.settings.public_plan.name_tillitsvalgte  # a notice may reach every employee: as the public plan
    data = export_version(session, version, "pdf", logo=rt.settings.municipality_logo, names=names)
    return MailAttachment(file_name(session, version, "pdf"), "application/pdf", data)


def attached_version(session: Session, which: AttachPlan, year: int, day: date) -> PlanVersion | None:
    """`adopted`: the plan adopted by `day` (this year's for next year, else the one in force); otherwise the newest
    version of the cycle year with that status made on or before `day`, as a meeting's `sends`."""
    if which == "adopted":
        found = [v for v in (adopted_plan(session, year + 1), adopted_plan(session, year)) if v is not None]
        return next((v for v in found if made_on(v) <= day), None)
    statuses: tuple[PlanStatus, ...] = SENT[which]
    query = (
        select(PlanVersion)
        .where(PlanVersion.cycle_year == year, col(PlanVersion.status).in_(statuses))
        .order_by(col(PlanVersion.number).desc())
    )
    return next((v for v in session.exec(query) if made_on(v) <= day), None)
