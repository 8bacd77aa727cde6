"""The answer form's hot path stays light: no Prefect in the web process, no thread-pool hop for the runtime."""

from __future__ import annotations

import inspect
import os
import subprocess
import sys
from pathlib import Path
from typing import get_args

from web.deps import RuntimeDep

ROOT = Path(__file__).resolve().parents[2]


def test_the_web_app_does_not_load_prefect() -> None:
    # Prefect in the web process is ~900 modules and ~85 000 objects more for every full garbage collection.
    probe = "import sys, web.app; print(sorted({m.split('.')[0] for m in sys.modules} & {'prefect'}))"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "[]"


def test_the_runtime_dependency_runs_on_the_event_loop() -> None:
    # FastAPI runs a plain `def` dependency in the thread pool: one more hop for every request that asks for it.
    (dependency,) = [arg.dependency for arg in get_args(RuntimeDep)[1:]]
    assert inspect.iscoroutinefunction(dependency)
