"""What routes are given: the runtime, and the task behind an emailed link (a bad link becomes its problem page)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session

from notifications.links import LinkError
from tasks.answers.context import AnswerContext, open_by_link
from tasks.runtime import Runtime


def runtime(request: Request) -> Runtime:
    rt: Runtime = request.app.state.rt
    return rt


async def _runtime_on_the_loop(request: Request) -> Runtime:
    """`runtime` as a dependency: async, so FastAPI calls it on the event loop.

    A plain `def` dependency is run in the thread pool: one more hop per request on top of the route's own, which
    in a burst (50 leaders, 40 threads) waits in the same queue as every other request's work.
    """
    return runtime(request)


RuntimeDep = Annotated[Runtime, Depends(_runtime_on_the_loop)]


class BadLink(Exception):
    """The link is forged, expired, revoked or for a closed task: the app answers with the link problem page."""

    def __init__(self, error: LinkError) -> None:
        super().__init__(str(error))
        self.error = error


def open_link(session: Session, rt: Runtime, token: str) -> AnswerContext:
    """The task behind an emailed link, opened in the route's own unit of work, or BadLink."""
    try:
        return open_by_link(session, rt, token, rt.now())
    except LinkError as error:
        raise BadLink(error) from error
