"""One earlier revision of an answer, read-only, behind the same emailed link."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from web.answer.form_specs import SPECS
from web.answer.formdata import values_from_content
from web.answer.history import author_of, names_of, plan_measures, revision_lines
from web.deps import RuntimeDep, open_link
from web.i18n import Translator
from web.params import Id
from web.rendering import asked_language, error_page, page_language, render

router = APIRouter()


@router.get("/svar/{token}/revisjon/{revision}", response_class=HTMLResponse)
def show_revision(request: Request, rt: RuntimeDep, token: str, revision: Id) -> HTMLResponse:
    """Show one saved revision of the answer read-only, with the list of all revisions."""
    with rt.session() as session:
        ctx = open_link(session, rt, token)
        language = page_language(request, ctx.actor.language)
        answer = next((a for a in ctx.answers if a.revision == revision), None)
        if answer is None:
            return error_page(request, 404, "404", language=language)
        t = Translator(language, rt.aarshjul.terms)
        asked = asked_language(request)
        context = {
            "title": ctx.config.title.get(language),
            "unit_name": ctx.unit.name if ctx.unit else rt.settings.municipality,
            "answer": answer,
            "status": t(f"answer.kind.{answer.status.value}"),
            "when": t.when(answer.created_at),
            "by": author_of(answer, names_of(session, [answer]), t),
            "newer": ctx.latest is not None and ctx.latest.revision > answer.revision,
            "spec": SPECS[ctx.assignment.form],
            "shown": values_from_content(SPECS[ctx.assignment.form], answer.content),
            "measures": plan_measures(session, ctx),
            "history": revision_lines(session, ctx, token, t, asked),
            "back_url": f"/svar/{token}" + (f"?lang={asked}" if asked else ""),
        }
        return render(request, "answer_revision.html", context, language=language)
