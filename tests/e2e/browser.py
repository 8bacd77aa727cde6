"""What the browser tests share: Debian's Chromium, the app on uvicorn in a thread, an HR login, axe-core."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import uvicorn

from tasks.runtime import Runtime
from tests.support.accounts import HR_EMAIL, PASSWORD
from web.app import create_app

if TYPE_CHECKING:
    from playwright.sync_api import Page

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE = Path(__file__).with_name("axe") / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 320, "height": 640}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(rt: Runtime, port: int) -> Iterator[str]:
    """The app for `rt` on uvicorn at 127.0.0.1:port until the block ends; yields the base URL."""
    server = uvicorn.Server(uvicorn.Config(create_app(rt), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)  # waiting for a server thread to bind, not for time to pass
    assert server.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def hr_login(page: Page, base_url: str, email: str = HR_EMAIL, password: str = PASSWORD, landing: str = "/hr") -> None:
    """Sign in at /logg-inn as a console account (made with tests.support.accounts.make_user)."""
    page.goto(f"{base_url}/logg-inn")
    page.fill("#epost", email)
    page.fill("#passord", password)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(f"{base_url}{landing}")


@dataclass(frozen=True)
class Violation:
    rule: str
    impact: str
    help_url: str
    targets: list[str]

    def __str__(self) -> str:
        return f"{self.rule} ({self.impact}) {self.help_url}\n    " + "\n    ".join(self.targets)


def axe_violations(page: Page) -> list[Violation]:
    """Run axe-core on the page as it is now: WCAG 2.0/2.1 A and AA rules and axe's best practices."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    options = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}}
    result: dict[str, Any] = page.evaluate("options => axe.run(document, options)", options)
    return [
        Violation(v["id"], str(v.get("impact")), v["helpUrl"], [json.dumps(n["target"]) for n in v["nodes"]])
        for v in result["violations"]
    ]


def page_width(page: Page) -> int:
    """How wide the document is; wider than the viewport means horizontal scrolling."""
    return int(page.evaluate("document.documentElement.scrollWidth"))


OVERFLOWING = """width => Array.from(document.querySelectorAll('body *'))
  .filter(e => !(e.parentElement && e.parentElement.closest('.scroll')))
  .filter(e => e.getBoundingClientRect().right > width + 1
    || (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === 'visible'))
  .slice(-5).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '') + ': '
    + (e.textContent || '').trim().slice(0, 40))"""


def overflowing(page: Page, width: int) -> list[str]:
    """The innermost elements that reach past the viewport (outside a scroll box): what makes a page too wide."""
    return list(page.evaluate(OVERFLOWING, width))
