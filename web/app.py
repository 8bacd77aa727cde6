"""The web app: answer forms behind emailed links, the HR console, the development inbox."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Final

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from notifications.catcher import MailCatcher
from tasks.runtime import Runtime
from web import log_redaction
from web.answer import delegate_routes, link_routes, revision_routes
from web.answer import routes as answer_routes
from web.answer.link_routes import link_problem_page
from web.deps import BadLink
from web.hr import action_routes as hr_action_routes
from web.hr import bulk_routes as hr_bulk_routes
from web.hr import calendar_routes as hr_calendar
from web.hr import excuse_routes as hr_excuse
from web.hr import remind_routes as hr_remind_routes
from web.hr import routes as hr_routes
from web.hr.events import export as hr_events_export
from web.hr.org_import import routes as hr_org_import
from web.hr.outbox import routes as hr_outbox
from web.hr.overview import page as hr_overview
from web.hr.overview import phase_export as hr_phase_export
from web.hr.overview import sector_page as hr_sector
from web.hr.plan import routes as hr_plan_routes
from web.hr.plan import sector_review as sector_routes
from web.leader import routes as leader_routes
from web.middleware import BodyLimit, CatchErrors, SecurityHeaders
from web.public import accessibility as accessibility_routes
from web.public import health as health_routes
from web.public import inbox as inbox_routes
from web.public import plan_routes
from web.rendering import error_page, make_templates
from web.signin import auth as hr_auth
from web.signin import password_routes, sso_routes

log = logging.getLogger(__name__)
STATIC: Final = Path(__file__).with_name("static")
MAX_BODY: Final = 256 * 1024
KNOWN_ERRORS: Final = frozenset({400, 403, 404, 405, 413})


def create_app(rt: Runtime, *, catcher: MailCatcher | None = None) -> FastAPI:
    """Build the app around a runtime; the inbox exists only when a mail catcher is given."""
    log_redaction.install()  # before anything logs: no answer link in a log line
    if rt.settings.env == "production" and not rt.settings.https:
        log.warning(
            "ARSHJUL_BASE_URL is not https (%s): the HR session cookie goes without Secure, and answer links in "
            "emails travel unencrypted; serve the app behind HTTPS in production",
            rt.settings.base_url,
        )
    app = FastAPI(title="Årshjul", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.rt = rt
    app.state.catcher = catcher
    app.state.templates = make_templates()
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (
        health_routes,
        answer_routes,
        revision_routes,
        delegate_routes,
        link_routes,
        hr_auth,
        hr_overview,
        hr_routes,
        hr_action_routes,
        hr_remind_routes,
        hr_bulk_routes,
        plan_routes,
        hr_plan_routes,
        accessibility_routes,
        hr_sector,
        hr_phase_export,
        hr_excuse,
        hr_events_export,
        password_routes,
        sector_routes,
        sso_routes,
        leader_routes,
        hr_outbox,
        hr_org_import,
        hr_calendar,
    ):
        app.include_router(module.router)
    if catcher is not None:
        app.include_router(inbox_routes.router)
    _handle_errors(app)
    return app


def _handle_errors(app: FastAPI) -> None:
    """Every problem a person can meet becomes a page with a sentence; never a traceback."""
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(hr_auth.HrLoginRequired, hr_auth.login_redirect)
    app.add_exception_handler(hr_auth.CsrfFailed, hr_auth.csrf_failed)
    app.add_exception_handler(BadLink, _bad_link)
    app.add_middleware(CatchErrors)
    app.add_middleware(BodyLimit, limit=MAX_BODY, larger={hr_org_import.UPLOAD: (hr_org_import.UPLOAD_BODY, "upload")})
    app.add_middleware(SecurityHeaders)


async def _http_error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, StarletteHTTPException) else 500
    key = str(status) if status in KNOWN_ERRORS else "500" if status >= 500 else "400"
    return error_page(request, status, key)


def _bad_link(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, BadLink)
    return link_problem_page(request, exc.error)


async def _invalid_request(request: Request, exc: Exception) -> Response:
    """A path that names nothing we can have (a huge id, a word for a number) is 404; a bad form or query, 400."""
    errors = exc.errors() if isinstance(exc, RequestValidationError) else []
    if errors and all(error.get("loc", ("",))[0] == "path" for error in errors):
        return error_page(request, 404, "404")
    return error_page(request, 400, "400")
