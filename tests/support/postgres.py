"""A throw-away PostgreSQL from Debian's packages: initdb in a temp folder, started on a free port, removed after."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

SEARCH = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)


class PostgresMissing(RuntimeError):
    """Debian's postgresql is not installed; `make system-deps` installs it."""


def _bin(name: str) -> str:
    for folder in SEARCH:
        if (folder / name).exists():
            return str(folder / name)
    found = shutil.which(name)
    if found is None:
        raise PostgresMissing("PostgreSQL finnes ikke her; kjør `make system-deps` (apt-get install postgresql)")
    return found


def _as_postgres(args: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root; CI and these machines run tests as root.
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def running_postgres() -> Iterator[str]:
    """Yield a SQLAlchemy URL to a fresh database `arshjul` on 127.0.0.1; stop and delete everything afterwards."""
    root = Path(tempfile.mkdtemp(prefix="arshjul-pg-"))
    data, port = root / "data", _free_port()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    run = lambda args: subprocess.run(_as_postgres(args), check=True, capture_output=True, text=True)  # noqa: E731
    run([_bin("initdb"), "-D", str(data), "-U", "arshjul", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"])
    run(
        [
            _bin("pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(root / "log"),
            "-w",
            "-t",
            "60",
            "-o",
            f"-h 127.0.0.1 -p {port} -k {root} -c fsync=off",
            "start",
        ]
    )
    try:
        run([_bin("createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "arshjul", "arshjul"])
        yield f"postgresql+psycopg://arshjul@127.0.0.1:{port}/arshjul"
    finally:
        run([_bin("pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"])
        shutil.rmtree(root, ignore_errors=True)
