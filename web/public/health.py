"""Operations: is the web app up."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()


@router.get("/helse")
def health() -> dict[str, str]:
    """Liveness check for operations."""
    return {"status": "ok"}
