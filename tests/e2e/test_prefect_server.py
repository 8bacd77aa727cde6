"""At scale: a Prefect server, `prefect deploy --all` from prefect.yaml, a worker running the deployed dispatcher."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    port = _free_port()
    env = {
        **os.environ,
        "PREFECT_HOME": str(tmp_path / "prefect"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_UI_ENABLED": "false",
        "PREFECT_API_URL": f"http://127.0.0.1:{port}/api",
        "ARSHJUL_HOME": str(ROOT),
        "ARSHJUL_DATA_DIR": str(tmp_path / "data"),
        "ARSHJUL_SCHEDULER_ENABLED": "false",
        "ARSHJUL_PREFECT_EVENTS": "true",
        "ARSHJUL_SMTP__PORT": str(_free_port()),
    }
    server = subprocess.Popen(
        [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env={**env, "PREFECT_SERVER_LOGGING_LEVEL": "INFO"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    ready, output = threading.Event(), deque[str](maxlen=40)
    threading.Thread(target=_drain, args=(server, ready, output), daemon=True).start()
    assert ready.wait(120) and server.poll() is None, "Prefect-serveren startet ikke:\n" + "".join(output)
    _run(env, "prefect", "work-pool", "create", "arshjul", "--type", "process")
    worker = subprocess.Popen(
        [str(BIN / "prefect"), "worker", "start", "--pool", "arshjul"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield env
    finally:
        for process in (worker, server):
            process.terminate()
            process.wait(30)


def _drain(server: subprocess.Popen[str], ready: threading.Event, output: deque[str]) -> None:
    """Read the server's output to the end (a full pipe would block it) and signal when it listens."""
    assert server.stdout is not None
    for line in server.stdout:
        output.append(line)
        if "Uvicorn running on" in line:
            ready.set()
    ready.set()


def _run(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [str(BIN / args[0]), *args[1:]], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_deploy_all_and_a_worker_runs_the_dispatcher(server_env: dict[str, str]) -> None:
    deployed = _run(server_env, "prefect", "--no-prompt", "deploy", "--all")
    for name in ("dispatcher", "january-evaluation", "spring-input", "september-draft", "december-adoption"):
        assert f"Deployment '{name}/{name}' successfully created" in " ".join(deployed.split())
    _run(server_env, "arshjul", "init")
    _run(
        server_env,
        "prefect",
        "deployment",
        "run",
        "dispatcher/dispatcher",
        "--param",
        "as_of=2027-01-04T09:00:00+01:00",
        "--watch",
        "--watch-timeout",
        "240",
    )
    engine = create_engine(f"sqlite:///{server_env['ARSHJUL_DATA_DIR']}/arshjul.db")
    with engine.connect() as connection:
        kinds = [row[0] for row in connection.execute(text("SELECT kind FROM event ORDER BY id"))]
    assert kinds[:2] == ["cycle.created", "phase.opened"]
    names = asyncio.run(_prefect_event_names(server_env["PREFECT_API_URL"], until="arshjul.phase.opened"))
    assert "arshjul.phase.opened" in names


async def _prefect_event_names(api_url: str, *, until: str) -> set[str]:
    """The arshjul.* events the Prefect server has stored, read again until `until` is among them or 60 s passed.

    The server stores events in batches a few seconds after they arrive, so a flow that has just finished may have
    its later events still on their way (CI once read only the first).
    """
    from prefect.client.orchestration import PrefectClient
    from prefect.events.filters import EventFilter, EventNameFilter

    loop = asyncio.get_running_loop()
    deadline = loop.time() + 60
    async with PrefectClient(api_url) as client:
        while True:
            page = await client.read_events(filter=EventFilter(event=EventNameFilter(prefix=["arshjul."])), limit=50)
            names = {event.event for event in page.events}
            if until in names or loop.time() > deadline:
                return names
            await asyncio.sleep(0.5)  # polling a real server for a condition, not waiting for time to pass
