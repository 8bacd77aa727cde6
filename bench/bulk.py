"""How long a bulk action takes at a size: `python -m bench.bulk --units 150`.

Builds the demo municipality with spring input under way (as `bench.overview`), signs in as HR over the app, and
times in this process: the task list (GET /hr/oppgaver), the preview of a reminder to every task of the phase
(«alle som passer filteret»: the answered ones are skipped), and its confirmation. Prints the timings and counts.
"""

from __future__ import annotations

import argparse
import re
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

LIST = "/hr/oppgaver?ar=2027&fase=spring-input"


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def measure(units: int, runs: int, folder: Path) -> dict[str, float]:
    from fastapi.testclient import TestClient

    clock = ManualClock(datetime(2027, 1, 1, tzinfo=OSLO))
    rt = bootstrap(Settings(data_dir=folder, env="test"), clock=clock)
    migrate(rt.engine)
    install_runtime(rt)
    spring_under_way(rt, folder / "org", units=units, sectors=6)
    clock.set(datetime(2027, 5, 20, 12, 0, tzinfo=OSLO))
    with TestClient(create_app(rt), follow_redirects=False) as client:
        csrf = sign_in_as_hr(client, rt)
        lists = []
        for _ in range(runs):
            begun = time.perf_counter()
            listing = client.get(LIST)
            lists.append(time.perf_counter() - begun)
        form = {"csrf_token": csrf, "handling": "purring", "alle": "1", "ar": "2027", "fase": "spring-input"}
        previews = []
        for _ in range(runs):
            begun = time.perf_counter()
            preview = client.post("/hr/oppgaver/forhandsvisning", data=form)
            previews.append(time.perf_counter() - begun)
        assert preview.status_code == 200, preview.text[:300]
        confirm = dict(re.findall(r'name="(csrf_token|nokkel|handling|ar|fase)" value="([^"]*)"', preview.text))
        ids = re.findall(r'name="oppgave" value="(\d+)"', preview.text)
        planned = re.findall(r'name="planlagt" value="(\d+)"', preview.text)
        begun = time.perf_counter()
        result = client.post("/hr/oppgaver/utfor", data={**confirm, "oppgave": ids, "planlagt": planned})
        confirmed = time.perf_counter() - begun
        assert result.status_code == 200, result.text[:300]
    rt.engine.dispose()
    return {
        "units": units,
        "tasks": len(ids),
        "reminded": len(planned),
        "list_median_ms": _ms(statistics.median(lists)),
        "list_bytes": len(listing.content),
        "preview_median_ms": _ms(statistics.median(previews)),
        "preview_max_ms": _ms(max(previews)),
        "confirm_ms": _ms(confirmed),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--units", type=int, default=150)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        print(measure(args.units, args.runs, Path(work)))


if __name__ == "__main__":
    main()
