"""The sector review, where the emails send a kommunalsjef: their own sector's measures to prioritise this year."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import RedirectResponse

from domain.aarshjul.workdays import to_local
from web.deps import RuntimeDep
from web.signin.access import Manager

router = APIRouter()


@router.get("/hr/sektor")
def sector_review(rt: RuntimeDep, user: Manager) -> RedirectResponse:
    """A kommunalsjef goes to this year's review of their sector; HR to the plan page with every sector."""
    year = to_local(rt.now()).year
    if user.scope.sector_id is None:
        return RedirectResponse(f"/hr/plan?ar={year}", status_code=303)
    return RedirectResponse(f"/hr/plan/{year}/prioritering/{user.scope.sector_id}", status_code=303)
