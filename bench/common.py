"""What every benchmark shares: the machine and versions, percentiles, child processes that always stop."""

from __future__ import annotations

import contextlib
import json
import os
import platform
import select
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any, Final

ROOT: Final = Path(__file__).resolve().parent.parent
RESULTS: Final = Path(__file__).resolve().parent / "results"
PACKAGES: Final = (
    "prefect", "sqlalchemy", "sqlmodel", "fastapi", "uvicorn", "starlette", "httpx", "aiosmtplib", "aiosmtpd",
)  # fmt: skip


def machine() -> dict[str, Any]:
    """CPU count and model, memory, OS, Python and library versions, and when: what a number depends on."""
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "hostname": platform.node(),
        "os": platform.platform(),
        "cpu_count": os.cpu_count(),
        "cpu_affinity": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "cpu_model": _cpu_model(),
        "memory_gib": _memory_gib(),
        "load_average_at_start": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        "python": platform.python_version(),
        "versions": {name: _version(name) for name in PACKAGES},
    }


def _cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace").splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _memory_gib() -> float | None:
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    return None


def _version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0–100) by linear interpolation between closest ranks; 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def tree_bytes(path: Path) -> int:
    """Bytes in the files under path (or of path itself); 0 if it does not exist."""
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.exists() else 0


def write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


@dataclass
class Child:
    """A child process in its own process group, so stopping it also stops what it started (e.g. Prefect's API)."""

    process: subprocess.Popen[str]

    def stop(self, grace: float = 10.0) -> None:
        if self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(grace)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(grace)


@contextlib.contextmanager
def child(args: Sequence[str], *, stdout: int | None = subprocess.PIPE) -> Iterator[Child]:
    """Start `python -m ...`-style args from the project root; always stopped (with its group) on the way out."""
    process = subprocess.Popen(
        [sys.executable, *args],
        cwd=ROOT,
        stdout=stdout,
        stderr=None,
        text=True,
        start_new_session=True,
    )
    running = Child(process)
    try:
        yield running
    finally:
        running.stop()


def wait_for_line(running: Child, prefix: str, timeout: float) -> str:
    """The first stdout line starting with prefix (the child says it is ready); bounded by timeout."""
    assert running.process.stdout is not None
    deadline = time.monotonic() + timeout
    while (remaining := deadline - time.monotonic()) > 0:
        ready, _, _ = select.select([running.process.stdout], [], [], min(remaining, 1.0))
        if not ready:
            if running.process.poll() is not None:
                raise RuntimeError(f"{running.process.args!r} stopped before it was ready")
            continue
        line = running.process.stdout.readline()  # the children print whole lines and flush
        if not line:
            if running.process.poll() is not None:
                raise RuntimeError(f"{running.process.args!r} stopped before it was ready")
            continue
        if line.startswith(prefix):
            return line[len(prefix) :].strip()
    raise TimeoutError(f"{running.process.args!r} was not ready within {timeout:.0f} s")
