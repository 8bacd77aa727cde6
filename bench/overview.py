"""How long the HR overview takes at a size: `python -m bench.overview --units 5000`.

Builds the demo municipality with spring input under way (two in three units answered, the rest reminded, overdue
and escalated by the real notice ladder), signs in over HTTP, and times GET /hr in this process (queries, counting,
SVG and template; no network). Prints the median and the slowest of the runs, and the page's size.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path

from arshjul.bootstrap import bootstrap
from config.settings import Settings
from domain.aarshjul.workdays import OSLO
from domain.clock import ManualClock
from tasks.runtime import install_runtime
from tasks.store.db import migrate
from tests.support.accounts import sign_in_as_hr
from tests.support.municipality import spring_under_way
from web.app import create_app


def measure(units: int, runs: int, folder: Path) -> dict[str, float]:
    from fastapi.testclient import TestClient

    clock = ManualClock(datetime(2027, 1, 1, tzinfo=OSLO))
    rt = bootstrap(Settings(data_dir=folder, env="test"), clock=clock)
    migrate(rt.engine)
    install_runtime(rt)
    started = time.perf_counter()
    if not (folder / "org").exists():  # a kept folder is reused: building 5 000 units takes minutes
        spring_under_way(rt, folder / "org", units=units, sectors=6)
    built = time.perf_counter() - started
    clock.set(datetime(2027, 5, 20, 12, 0, tzinfo=OSLO))
    with TestClient(create_app(rt), follow_redirects=False) as client:
        sign_in_as_hr(client, rt)
        timings, size = [], 0
        for _ in range(runs):
            begun = time.perf_counter()
            page = client.get("/hr")
            timings.append(time.perf_counter() - begun)
            assert page.status_code == 200
            size = len(page.content)
    rt.engine.dispose()
    return {
        "units": units,
        "build_seconds": round(built, 1),
        "median_ms": round(statistics.median(timings) * 1000, 1),
        "max_ms": round(max(timings) * 1000, 1),
        "html_bytes": size,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--units", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--keep", type=Path, help="build the municipality here, or reuse it if it is there")
    args = parser.parse_args()
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        print(measure(args.units, args.runs, args.keep))
        return
    with tempfile.TemporaryDirectory() as work:
        print(measure(args.units, args.runs, Path(work)))


if __name__ == "__main__":
    main()
