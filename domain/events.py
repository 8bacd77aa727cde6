"""Event kinds: every state change the engine records, named in the past tense."""

from __future__ import annotations

from enum import StrEnum


class EventKind(StrEnum):
    CYCLE_CREATED = "cycle.created"
    PHASE_OPENED = "phase.opened"
    PHASE_SKIPPED = "phase.skipped"
    PHASE_COMPLETED = "phase.completed"
    ASSIGNMENT_CREATED = "assignment.created"
    ASSIGNMENT_OVERDUE = "assignment.overdue"
    ASSIGNMENT_ESCALATED = "assignment.escalated"
    ASSIGNMENT_DEADLINE_EXTENDED = "assignment.deadline_extended"
    ASSIGNMENT_DELEGATED = "assignment.delegated"
    ASSIGNMENT_EXCUSED = "assignment.excused"
    REMINDER_QUEUED = "reminder.queued"
    DIGEST_QUEUED = "digest.queued"
    ANSWER_DRAFT_SAVED = "answer.draft_saved"
    ANSWER_SUBMITTED = "answer.submitted"
    ANSWER_REVISED = "answer.revised"
    SECTOR_COMPLETED = "sector.completed"
    LINK_REISSUED = "link.reissued"
    LINK_REQUESTED = "link.requested"
    LINK_ASKED = "link.asked"
    LINK_ASKED_HANDLED = "link.asked_handled"
    ORG_IMPORTED = "org.imported"
    PLAN_VERSION_CREATED = "plan.version.created"
    PLAN_HANDLING_RECORDED = "plan.handling.recorded"
    PLAN_SECTOR_PRIORITISED = "plan.sector.prioritised"
    PLAN_ADOPTED = "plan.adopted"
    PLAN_SUPERSEDED = "plan.superseded"
    PLAN_IMPORTED = "plan.imported"
    PLAN_COMMENT_ANSWERED = "plan.comment.answered"
    PLAN_TEXT_EDITED = "plan.text.edited"
    STEP_DONE = "step.done"  # a notice sent, papers reminded, a sector review opened, reminded or closed
    MEETING_RECORDED = "meeting.recorded"  # a meeting step's handling that concerns no plan version of the year
    EMAIL_SENT = "email.sent"
    EMAIL_DEAD = "email.dead"
    EMAIL_UNCERTAIN = "email.uncertain"
    EMAIL_CANCELLED = "email.cancelled"
    EMAIL_RETRIED = "email.retried"
    USER_ADDED = "user.added"
    USER_DISABLED = "user.disabled"
    USER_PASSWORD_CHANGED = "user.password_changed"
    USER_LOCKED = "user.locked"
    USER_RESET_REQUESTED = "user.reset_requested"
