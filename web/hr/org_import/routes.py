"""Organisation import in the HR console: upload a file, see what it would change, then apply it with a confirmation.

The same files, rules and messages as `arshjul import-org`: the importer reads and validates them
(tasks/org/importer.py), tasks/org/preview.py diffs them without writing, and tasks/org/staging.py keeps them on
the server between the preview and the apply.
"""

from __future__ import annotations

from typing import Annotated, Final
from urllib.parse import urlencode

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tasks.org import staging
from tasks.org.diff import fingerprint
from tasks.org.preview import StalePreview, apply_previewed, preview_import
from tasks.org.roster import rosters
from tasks.org.staging import StagingRefused
from web.hr.routes import hr_render
from web.rendering import runtime
from web.signin.auth import HrDep, HrSession, check_csrf

router = APIRouter()
UPLOAD: Final = "/hr/organisasjon/forhandsvis"
# Room for the files and the form around them; a bigger body gets the "upload" 413 page from web.middleware.
UPLOAD_BODY: Final = staging.MAX_FILES * staging.MAX_FILE_BYTES + 2 * 1024 * 1024
Small = Annotated[str, Form(max_length=200)]
Count = Annotated[int, Query(ge=0, le=1_000_000)]
SHOWN: Final = 500  # lines per group on the preview page; a first import of 5 000 units lists them all elsewhere
GONE: Final = (
    "Forhåndsvisningen finnes ikke lenger: den er allerede brukt, den er eldre enn to timer, eller den ble laget av "
    "en annen bruker. Ingenting er lagret nå. Last opp filen på nytt."
)


def _page(request: Request, hr: HrSession, name: str, status: int = 200, **context: object) -> HTMLResponse:
    defaults: dict[str, object] = {
        "problem": "",
        "problems": [],
        "done": None,
        "max_mb": staging.MAX_FILE_BYTES // 1024 // 1024,
        "shown": SHOWN,
        "bodies": [],  # the bodies' members: only on the first step's page
    }
    return hr_render(request, hr, name, {**defaults, **context}, status=status)


@router.get("/hr/organisasjon", response_class=HTMLResponse)
def upload_form(request: Request, hr: HrDep, nye: Count = 0, endret: Count = 0, deaktivert: Count = 0,
                ok: Annotated[str, Query(max_length=20)] = "") -> HTMLResponse:  # fmt: skip
    """Step 1: choose the file(s) with units and tillitsvalgte; the bodies' members are listed below, read-only."""
    done = (nye, endret, deaktivert) if ok == "importert" else None
    rt = runtime(request)
    with rt.session() as session:
        bodies = rosters(session, rt.aarshjul.plan_bodies)
    return _page(request, hr, "hr_org_upload.html", done=done, bodies=bodies)


def _read(uploads: list[UploadFile | str]) -> list[tuple[str, bytes]]:
    """The chosen files' names and contents; a file over the limit is read only far enough to know it.

    A form sent without a file carries one empty part with an empty file name, which arrives as a string.
    """
    files = []
    for upload in uploads:
        if isinstance(upload, str):
            continue
        content = upload.file.read(staging.MAX_FILE_BYTES + 1)
        if upload.filename or content:
            files.append((upload.filename or "", content))
    return files


@router.post(UPLOAD, response_class=HTMLResponse)
def preview(
    request: Request,
    hr: HrDep,
    filer: Annotated[list[UploadFile | str], File()] = [],  # noqa: B006
    csrf_token: Small = "",
) -> HTMLResponse:
    """Step 2: what the file would change (nothing is written), or every problem with it."""
    check_csrf(hr, csrf_token)
    rt = runtime(request)
    try:
        with rt.session() as session:
            files = _read(filer)
            staged = staging.stage(
                rt.settings.data_dir, files, account_id=hr.id, now=rt.now(), fingerprint=fingerprint(session)
            )
            found = preview_import(session, staged.paths, rt.aarshjul)
    except StagingRefused as refused:
        return _page(request, hr, "hr_org_upload.html", status=400, problem=str(refused))
    if found.changes is None:
        staging.discard(rt.settings.data_dir, staged.token)
        return _page(request, hr, "hr_org_upload.html", status=400, problems=[str(p) for p in found.problems])
    names = [path.name for path in staged.paths]
    return _page(
        request, hr, "hr_org_preview.html", changes=found.changes, token=staged.token, files=names,
        unmatched=[str(name) for name in found.unmatched],
    )  # fmt: skip


@router.post("/hr/organisasjon/bruk")
def apply(request: Request, hr: HrDep, token: Small = "", csrf_token: Small = "") -> Response:
    """Step 3: apply the previewed file, if the organisation has not changed since the preview."""
    check_csrf(hr, csrf_token)
    rt = runtime(request)
    staged = staging.load(rt.settings.data_dir, token.strip(), account_id=hr.id, now=rt.now())
    if staged is None:
        return _page(request, hr, "hr_org_upload.html", status=400, problem=GONE)
    try:
        with rt.session() as session:
            report = apply_previewed(
                session,
                staged.paths,
                previewed=staged.fingerprint,
                at=rt.now(),
                actor=hr.actor,
                bodies=rt.aarshjul.plan_bodies,
            )
    except StalePreview as stale:
        staging.discard(rt.settings.data_dir, staged.token)
        return _page(request, hr, "hr_org_upload.html", status=400, problem=str(stale))
    staging.discard(rt.settings.data_dir, staged.token)
    if report.problems:
        return _page(request, hr, "hr_org_upload.html", status=400, problems=[str(p) for p in report.problems])
    counts = {"ok": "importert", "nye": len(report.created), "endret": len(report.updated),
              "deaktivert": len(report.deactivated)}  # fmt: skip
    return RedirectResponse(f"/hr/organisasjon?{urlencode(counts)}", status_code=303)
