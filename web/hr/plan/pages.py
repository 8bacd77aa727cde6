"""The HR plan pages as functions, so a refused action can show its page again with the reason."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from sqlmodel import Session, select

from domain.aarshjul.workdays import to_local
from domain.models import Cycle, PlanStatus, PlanVersion
from domain.plan.comment_diff import answer_text, comment_rows
from domain.plan.content import plan_content
from domain.plan.document import STATUS_NAMES
from tasks.plan.comment_answers import answers_of
from tasks.plan.documents.export import FORMATS
from tasks.plan.documents.html_page import render_fragment
from tasks.plan.documents.printed_source import printed_version
from tasks.plan.priorities import sectors
from tasks.plan.versions import PlanError, handlings_of, version_of, versions_of
from web.hr.routes import hr_render
from web.rendering import error_page, runtime
from web.signin.auth import HrSession

OK_TEXTS = {
    "compiled": "En ny versjon er sammenstilt.",
    "handled": "Behandlingen er registrert.",
    "adopted": "Versjonen er vedtatt og låst, og planen sendes til alle {unit_leaders}.",
    "answered": "Svaret på merknaden er lagret.",
    "prioritised": "Prioriteringen er lagret og brukes neste gang planen sammenstilles.",
}


def plan_page(request: Request, hr: HrSession, year: int, *, ok: str = "", problem: str = "") -> HTMLResponse:
    """The versions of one year, with what HR can do next."""
    rt = runtime(request)
    with rt.session() as session:
        context = {
            "year": year,
            "years": sorted(
                set(session.exec(select(Cycle.year))) | set(session.exec(select(PlanVersion.cycle_year))), reverse=True
            ),
            "versions": [version_row(session, v) for v in versions_of(session, year)],
            "sectors": sectors(session),
            "formats": FORMATS,
            "ok": OK_TEXTS.get(ok, "").format(unit_leaders=rt.aarshjul.terms["nb"].unit_leader.plural),
            "problem": problem,
        }
    return hr_render(request, hr, "hr_plan.html", context, status=400 if problem else 200)


def version_page(
    request: Request, hr: HrSession, year: int, number: int, *, ok: str = "", problem: str = ""
) -> HTMLResponse:
    """One version as the document it is, its handlings, and the form to record a handling or adopt it."""
    rt = runtime(request)
    with rt.session() as session:
        try:
            version = version_of(session, year, number)
        except PlanError:
            return error_page(request, 404, "404")
        context = {
            "year": year,
            "v": version_row(session, version),
            "document": render_fragment(printed_version(session, version, terms=rt.aarshjul.terms)),
            "formats": FORMATS,
            "sectors": sectors(session) if hr.role == "hr" else [],  # a leser may not export a sector's part
            "ok": OK_TEXTS.get(ok, "").format(unit_leaders=rt.aarshjul.terms["nb"].unit_leader.plural),
            "problem": problem,
            "today": to_local(rt.now()).date().isoformat(),
            "bodies": rt.aarshjul.plan_bodies,
            "adopting": [b.name for b in rt.aarshjul.plan_bodies if b.adopts],
            "comments": comment_table(session, version),
        }
    return hr_render(request, hr, "hr_plan_version.html", context, status=400 if problem else 200)


def comment_table(session: Session, version: PlanVersion) -> list[dict[str, str]]:
    """Each tillitsvalgt comment of the version beside the measure or section it concerns, with HR's answer."""
    answers = answers_of(session, version)
    rows = []
    for key, place, said in comment_rows(plan_content(version.content)):
        verdict, reason = answers.get(key, ("", ""))
        answer = answer_text(verdict, reason) if verdict else ""
        rows.append({"key": key, "place": place, "said": said, "verdict": verdict, "reason": reason, "answer": answer})
    return rows


def version_row(session: Session, version: PlanVersion) -> dict[str, Any]:
    content = plan_content(version.content)
    return {
        "number": version.number,
        "status": STATUS_NAMES.get(version.status.value, version.status.value),
        "adopted": version.status == PlanStatus.ADOPTED,
        "locked": version.status in (PlanStatus.ADOPTED, PlanStatus.SUPERSEDED),
        "plan_year": version.plan_year,
        "cycle_year": version.cycle_year,
        "created_at": version.created_at,
        "created_by": version.created_by,
        "hash": version.content_hash[:12],
        "measures": len(content.measures),
        "total": content.costs.total,
        "reason": content.reason,
        "handlings": handlings_of(session, version),
    }
