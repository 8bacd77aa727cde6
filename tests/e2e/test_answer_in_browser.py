"""A unit leader answers the spring input in a real browser, from the link in a really delivered email."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
import uvicorn

from config.settings import SmtpSettings
from notifications.catcher import MailCatcher
from tasks.outbox.delivery import deliver_due
from tasks.runtime import Runtime, install_runtime
from tests.integration.test_web_answers import make_world
from web.app import create_app

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
LINK = re.compile(r"https?://\S+/svar/[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+")

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's Chromium is not installed at /usr/bin/chromium"),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def catcher() -> Iterator[MailCatcher]:
    with MailCatcher() as running:
        yield running


@pytest.fixture
def served(tmp_path: Path, catcher: MailCatcher) -> Iterator[tuple[Runtime, str]]:
    """The app on uvicorn in a thread, with the year's spring input opened after base_url points at it."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    rt, _clock, _leaders = make_world(tmp_path, phase_key="", base_url=base_url)
    server = uvicorn.Server(
        uvicorn.Config(create_app(rt, catcher=catcher), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    try:
        yield rt, base_url
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        install_runtime(None)
        rt.engine.dispose()


def deliver(rt: Runtime, catcher: MailCatcher) -> None:
    smtp = SmtpSettings(host=catcher.host, port=catcher.port, timeout_seconds=5, backoff_base_seconds=0)
    deliver_due(rt.engine, smtp, as_of=rt.now())


def plain_text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    return str(part.get_content()) if part is not None else ""


def open_spring_input(rt: Runtime) -> None:
    from tasks.cycle.phases import open_phase, phases_of

    with rt.session() as session:
        phase = next(p for p in phases_of(session, 2027) if p.key == "spring-input")
        open_phase(session, rt, phase, 2027, rt.now())


def test_leader_answers_the_spring_input_from_the_emailed_link(
    served: tuple[Runtime, str], catcher: MailCatcher
) -> None:
    from playwright.sync_api import expect, sync_playwright

    rt, base_url = served
    open_spring_input(rt)
    deliver(rt, catcher)
    invitation = next(m for m in catcher.messages() if m["To"].addresses[0].addr_spec == "kari@kommune.example")
    link = LINK.search(plain_text(invitation))
    assert link and link.group(0).startswith(base_url)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page()
            page.goto(link.group(0))
            expect(page.get_by_role("heading", level=1)).to_have_text("Kompetanseinnspill")
            page.fill('[name="requirements"]', "Alle ansatte skal beherske den nye fagplattformen.")
            page.fill('[name="holdings"]', "To superbrukere; resten har grunnopplæring.")
            page.select_option('[name="needs-0-area"]', "Digital kompetanse")
            page.select_option('[name="needs-0-criticality"]', "høy")
            page.select_option('[name="needs-0-horizon"]', "kort")
            page.select_option('[name="needs-0-strategy"]', "utvikle")
            page.select_option('[name="measures-0-area"]', "Digital kompetanse")
            page.fill('[name="measures-0-goal"]', "Alle bruker plattformen i hverdagen.")
            page.fill('[name="measures-0-title"]', "Kurs i fagplattformen")
            page.fill('[name="measures-0-cost"]', "18 000")
            page.check('[name="measures-0-substitutes"]')
            page.get_by_role("button", name="Lagre utkast").click()
            expect(page.get_by_role("status")).to_contain_text("Utkastet er lagret")

            page.goto(link.group(0))
            expect(page.locator('[name="measures-0-title"]')).to_have_value("Kurs i fagplattformen")
            expect(page.locator('[name="measures-0-cost"]')).to_have_value("18000")
            expect(page.locator('[name="measures-0-substitutes"]')).to_be_checked()
            page.get_by_role("button", name="Send inn").click()
            expect(page.get_by_role("status")).to_contain_text("Svaret er sendt inn")
            expect(page.get_by_text("Dette sendte du inn")).to_be_visible()
            page.get_by_role("link", name="Vis versjon 1").click()  # the draft, read-only, from the history
            expect(page.get_by_role("heading", level=1)).to_have_text("Versjon 1 av svaret")
            expect(page.get_by_text("Det finnes nyere versjoner")).to_be_visible()
            expect(page.locator('[name="requirements"]')).to_have_count(0)
        finally:
            browser.close()

    deliver(rt, catcher)
    receipts = [m for m in catcher.messages() if "Kurs i fagplattformen" in plain_text(m)]
    assert [str(m["To"].addresses[0].addr_spec) for m in receipts] == ["kari@kommune.example"]
    assert str(receipts[0]["Subject"]).startswith("Kvittering")
