"""What Årshjul stores: the organisation, the year's cycle, tasks, answers, plans, events and mail."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from domain.types import UtcDateTime


def _when(nullable: bool = False) -> Any:
    return Field(default=None, sa_type=UtcDateTime, nullable=nullable)


class UnitLevel(StrEnum):
    KOMMUNE = "kommune"
    SEKTOR = "sektor"
    VIRKSOMHET = "virksomhet"
    AVDELING = "avdeling"


class RoleKind(StrEnum):
    UNIT_LEADER = "unit_leader"
    SECTOR_LEADER = "sector_leader"
    HR = "hr"
    TILLITSVALGT = "tillitsvalgt"
    EMPLOYEE = "employee"  # from the organisation import's optional table of employees (name, e-mail, unit)


class OrgUnit(SQLModel, table=True):
    __tablename__ = "org_unit"
    id: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=200)
    parent_id: str | None = Field(default=None, foreign_key="org_unit.id", index=True)
    level: UnitLevel
    employees: int = 0
    active: bool = True
    kind: str | None = Field(default=None, max_length=64)  # skole, barnehage, ... lower case; None when not imported


class Person(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    email: str = Field(max_length=254, unique=True, index=True)
    language: str = Field(default="nb", max_length=2)


class Role(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("person_id", "kind", "unit_id", name="uq_role"),)
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    kind: RoleKind
    unit_id: str | None = Field(default=None, foreign_key="org_unit.id", index=True)
    union: str | None = Field(default=None, max_length=100)


class BodyMembership(SQLModel, table=True):
    """A person's seat in a body of the årshjul (AMU, MBM …), from the organisation import's table «organer»."""

    __tablename__ = "body_membership"
    __table_args__ = (UniqueConstraint("body", "person_id", name="uq_body_membership"),)
    id: int | None = Field(default=None, primary_key=True)
    body: str = Field(max_length=200, index=True)  # the body's name in plan_bodies at the import
    person_id: int = Field(foreign_key="person.id", index=True)
    role: str = Field(default="medlem", max_length=64)  # leder, sekretær, medlem … lower case


class CycleStatus(StrEnum):
    ACTIVE = "active"
    COMPLETED = "completed"


class Cycle(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    year: int = Field(unique=True, index=True)
    status: CycleStatus = CycleStatus.ACTIVE
    config_hash: str = Field(max_length=64)
    created_at: datetime = _when()


class PhaseStatus(StrEnum):
    PENDING = "pending"
    OPEN = "open"
    CLOSED = "closed"


class Phase(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("cycle_id", "key", name="uq_phase_cycle_key"),)
    id: int | None = Field(default=None, primary_key=True)
    cycle_id: int = Field(foreign_key="cycle.id", index=True)
    key: str = Field(max_length=64)
    position: int
    status: PhaseStatus = PhaseStatus.PENDING
    opens_at: datetime = _when()
    due_at: datetime = _when()
    closes_at: datetime = _when()
    opened_at: datetime | None = _when(nullable=True)
    closed_at: datetime | None = _when(nullable=True)


class AssignmentState(StrEnum):
    OPEN = "open"
    REMINDED = "reminded"
    OVERDUE = "overdue"
    ESCALATED = "escalated"
    ANSWERED = "answered"
    EXCUSED = "excused"


class Assignment(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("phase_id", "unit_id", "owner_id", name="uq_assignment"),)
    id: int | None = Field(default=None, primary_key=True)
    phase_id: int = Field(foreign_key="phase.id", index=True)
    unit_id: str | None = Field(default=None, foreign_key="org_unit.id", index=True)
    owner_id: int = Field(foreign_key="person.id", index=True)
    assignee_id: int = Field(foreign_key="person.id", index=True)
    form: str = Field(max_length=32)
    required: bool = True
    state: AssignmentState = AssignmentState.OPEN
    due_at: datetime = _when()
    deadline_sequence: int = 0
    link_version: int = 1
    notices_done: int = 0
    escalation_level: int = 0
    created_at: datetime = _when()
    answered_at: datetime | None = _when(nullable=True)
    version: int = 1


class AnswerStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


class Answer(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("assignment_id", "revision", name="uq_answer_revision"),)
    id: int | None = Field(default=None, primary_key=True)
    assignment_id: int = Field(foreign_key="assignment.id", index=True)
    revision: int
    status: AnswerStatus
    content: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    author_id: int = Field(foreign_key="person.id")
    on_behalf_of_id: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime = _when()


class PlanStatus(StrEnum):
    DRAFT = "draft"
    CONSULTATION = "consultation"
    FINAL_DRAFT = "final_draft"
    ADOPTED = "adopted"
    SUPERSEDED = "superseded"  # an adopted version replaced by a revision with its own vedtak; it stays as it was


ADOPTED_ONLY = text("status = 'ADOPTED'")


class PlanVersion(SQLModel, table=True):
    """One immutable version of the plan FOR `plan_year`, made in the cycle of `cycle_year` (normally one before)."""

    __tablename__ = "plan_version"
    __table_args__ = (
        UniqueConstraint("cycle_year", "number", name="uq_plan_version_number"),
        # Exactly one adopted version per plan year, whatever two sessions try at the same time.
        Index(
            "uq_plan_version_adopted_year",
            "plan_year",
            unique=True,
            sqlite_where=ADOPTED_ONLY,
            postgresql_where=ADOPTED_ONLY,
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    cycle_id: int | None = Field(default=None, foreign_key="cycle.id", index=True)  # none for an imported plan
    cycle_year: int = Field(index=True)
    plan_year: int = Field(index=True)
    number: int
    parent_id: int | None = Field(default=None, foreign_key="plan_version.id")
    status: PlanStatus
    title: str = Field(max_length=200)
    content: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    rendered: str
    content_hash: str = Field(max_length=64)
    created_by: str = Field(max_length=200)
    created_at: datetime = _when()


class HandlingKind(StrEnum):
    DROFTING = "drøfting"
    ORIENTERING = "orientering"
    TIL_ETTERRETNING = "til etterretning"
    VEDTAK = "vedtak"
    IMPORTERT = "importert"  # the plan a municipality already had, brought in with `arshjul plan import`


class CommentVerdict(StrEnum):
    ACCEPTED = "accepted"
    PARTLY = "partly"
    NOT = "not"


class CommentAnswer(SQLModel, table=True):
    """HR's answer to one tillitsvalgt comment in a final draft: accepted, partly or not, with the reason."""

    __tablename__ = "plan_comment_answer"
    __table_args__ = (UniqueConstraint("plan_version_id", "comment_key", name="uq_plan_comment_answer"),)
    id: int | None = Field(default=None, primary_key=True)
    plan_version_id: int = Field(foreign_key="plan_version.id", index=True)
    comment_key: str = Field(max_length=32)  # "<entry>.<comment>", positions in the version's consultation list
    verdict: CommentVerdict
    reason: str = Field(max_length=4000)
    answered_by: str = Field(max_length=200)
    answered_at: datetime = _when()


class Handling(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    plan_version_id: int = Field(foreign_key="plan_version.id", index=True)
    body: str = Field(max_length=200)
    held_on: date
    kind: HandlingKind
    case_number: str = Field(default="", max_length=64)
    outcome: str = ""
    recorded_at: datetime = _when()


class Event(SQLModel, table=True):
    __table_args__ = (Index("ix_event_kind_at", "kind", "at"),)
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _when()
    kind: str = Field(max_length=64)
    cycle_year: int | None = None
    phase_key: str | None = Field(default=None, max_length=64)
    assignment_id: int | None = Field(default=None, index=True)
    unit_id: str | None = Field(default=None, max_length=64)
    person_id: int | None = None
    actor: str = Field(default="system", max_length=200)
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # claimed by one delivery attempt; next_attempt_at is then when that claim expires
    SENT = "sent"
    FAILED = "failed"
    DEAD = "dead"
    CANCELLED = "cancelled"


class OutboxMessage(SQLModel, table=True):
    __tablename__ = "outbox_message"
    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)
    id: int | None = Field(default=None, primary_key=True)
    idempotency_key: str = Field(max_length=200, unique=True)
    message_id: str = Field(max_length=200)
    kind: str = Field(max_length=32)
    person_id: int | None = Field(default=None, foreign_key="person.id")
    to_address: str = Field(max_length=254)
    to_name: str = Field(max_length=200)
    subject: str = Field(max_length=400)
    body_text: str
    body_html: str
    ics: str | None = None
    assignment_ids: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    status: OutboxStatus = OutboxStatus.PENDING
    attempts: int = 0
    last_error: str = ""
    attempt_token: str | None = Field(default=None, max_length=64)
    created_at: datetime = _when()
    next_attempt_at: datetime = _when()
    sent_at: datetime | None = _when(nullable=True)
    # Written before the SMTP DATA of the current attempt (while RCPT is answered): from then on the relay may have it.
    handed_over_at: datetime | None = _when(nullable=True)
    relay_reply: str = Field(default="", max_length=400)  # the relay's last reply about this message
    uncertain: bool = False  # dead because a sender died between handing it over and hearing the outcome
    first_failed_at: datetime | None = _when(nullable=True)  # start of the current run of temporary failures
    waiting_for_relay: bool = False  # failed because the relay was unavailable: due again as soon as it is back
    # Files it carries (OutboxAttachment ids, domain/outbox_files.py); NULL for the many messages without any.
    attachment_ids: list[int] | None = Field(default=None, sa_column=Column(JSON, nullable=True))


# The sign-in tables live in their own module; importing them here puts them on the metadata Alembic compares.
from domain.bulk import BulkRun  # noqa: E402, F401
from domain.identity import PasswordReset, SignInFailure, UserAccount, UserSession  # noqa: E402, F401
from domain.outbox_files import OutboxAttachment  # noqa: E402, F401
from domain.plan_period import PlanPeriod, PlanText  # noqa: E402, F401
