"""One simulated year at one size, in this process: `python -m bench.year --units 150 --result year-150.json`.

The year is `arshjul.demo.run.run_demo`: the real Prefect flows against a local Prefect API, real SMTP to the
mail catcher, simulated leaders answering over real HTTP. `bench` runs each size in a fresh process so that peak
memory (ru_maxrss) belongs to that size alone.

Prefect versus the engine: every Prefect task's own function (the service code: its session, queries, rendering,
SMTP) is timed by wrapping the call Prefect's task engine makes to it; everything else inside the dispatcher flow
runs (creating flow and task runs, state transitions over the API, subflows) is Prefect's orchestration.
"""

from __future__ import annotations

import argparse
import functools
import resource
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.common import tree_bytes, write_json


class TaskClock:
    """Seconds spent inside task functions, by task function name."""

    def __init__(self) -> None:
        self.seconds: defaultdict[str, float] = defaultdict(float)
        self.calls: Counter[str] = Counter()
        self.installed = False

    def install(self) -> None:
        """Time every synchronous task function call Prefect's task engine makes (our tasks are all sync)."""
        import prefect.task_engine as engine

        original: Callable[..., Any] = engine.call_with_parameters
        if getattr(original, "__bench_timed__", False):
            return

        @functools.wraps(original)
        def timed(fn: Callable[..., Any], parameters: dict[str, Any]) -> Any:
            started = time.perf_counter()
            try:
                return original(fn, parameters)
            finally:
                name = getattr(fn, "__name__", "task")
                self.seconds[name] += time.perf_counter() - started
                self.calls[name] += 1

        timed.__bench_timed__ = True  # type: ignore[attr-defined]
        engine.call_with_parameters = timed  # type: ignore[assignment]
        self.installed = True


def run(
    units: int,
    work: Path,
    *,
    sectors: int,
    seed: int,
    progress_every: int,
    profile: Path | None = None,
    reached: Path | None = None,
) -> dict[str, Any]:
    from arshjul.demo.prefect_env import prefect_template
    from arshjul.demo.run import DemoOptions, run_demo

    clock = TaskClock()
    clock.install()
    lines = 0
    started = time.perf_counter()

    def progress(line: str) -> None:
        nonlocal lines
        lines += 1
        if reached is not None:  # how far the year got, for a run stopped by its time limit
            reached.write_text(f"{line.strip()} (after {time.perf_counter() - started:.0f} s)\n", encoding="utf-8")
        if progress_every and lines % progress_every == 0:
            print(f"  [{units} enheter] {line}", file=sys.stderr, flush=True)

    warm_prefect = prefect_template().is_file()
    profiler = _profiler() if profile else None
    summary: dict[str, Any] = dict(
        run_demo(DemoOptions(out=work, units=units, sectors=sectors, seed=seed, progress=progress))
    )
    wall = time.perf_counter() - started
    if profiler is not None and profile is not None:
        profiler.stop()
        profile.parent.mkdir(parents=True, exist_ok=True)
        profile.write_text(profiler.output_html(), encoding="utf-8")
        profile.with_suffix(".txt").write_text(profiler.output_text(unicode=True, color=False), encoding="utf-8")
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)  # the Prefect API subprocess, once it has exited
    timings: dict[str, float] = dict(summary.get("timings", {}))
    engine = sum(clock.seconds.values())
    in_flows = timings.get("dispatcher", 0.0)
    data = work / "data"
    emails: dict[str, Any] = summary["emails"]
    answers: dict[str, int] = summary["answers"]
    return {
        "profiled": profile is not None,  # pyinstrument's sampling slows the year a little
        "units": summary["units"],
        "employees": summary["employees"],
        "assignments": summary["assignments"],
        "answers_submitted": answers["on_time"] + answers["late"],
        "emails_sent": emails["sent"],
        "emails_by_kind": emails["by_kind"],
        "events": summary["events"],
        "dispatcher_runs": summary["dispatcher_runs"],
        "wall_seconds": round(wall, 2),
        "peak_rss_mib": round(own.ru_maxrss / 1024, 1),
        "prefect_server_peak_rss_mib": round(children.ru_maxrss / 1024, 1),
        "cpu_seconds": round(own.ru_utime + own.ru_stime, 1),
        "database_bytes": tree_bytes(data / "arshjul.db") + tree_bytes(data / "arshjul.db-wal"),
        "prefect_database_bytes": tree_bytes(data / "prefect"),
        "mail_dir_bytes": tree_bytes(work / "mail"),
        "timings": timings,
        "prefect_vs_engine": {
            "method": "task functions timed inside Prefect's task engine; Prefect = dispatcher flow wall − that",
            "dispatcher_flow_seconds": round(in_flows, 2),
            "engine_in_tasks_seconds": round(engine, 2),
            "prefect_orchestration_seconds": round(in_flows - engine, 2),
            "prefect_start_seconds": round(timings.get("prefect_start", 0.0), 2),
            "prefect_database_from_template": warm_prefect,  # False: this start migrated a new one (~6 s more)
            "prefect_ms_per_dispatcher_run": round(1000 * (in_flows - engine) / max(1, summary["dispatcher_runs"]), 1),
            "engine_by_task_seconds": {name: round(s, 2) for name, s in sorted(clock.seconds.items())},
            "task_calls": dict(sorted(clock.calls.items())),
        },
        "per_unit_ms": {
            "wall": round(1000 * wall / max(1, summary["units"]), 1),
            "engine_in_tasks": round(1000 * engine / max(1, summary["units"]), 1),
            "answers_http": round(1000 * timings.get("answers", 0.0) / max(1, summary["units"]), 1),
        },
    }


def _profiler() -> Any:
    try:
        from pyinstrument import Profiler
    except ImportError as exc:
        raise SystemExit('--profile needs pyinstrument: .venv/bin/pip install -e ".[bench]"') from exc
    profiler = Profiler(interval=0.005, async_mode="disabled")
    profiler.start()
    return profiler


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--units", type=int, default=150)
    parser.add_argument("--sectors", type=int, default=6)
    parser.add_argument("--seed", type=int, default=2027)
    parser.add_argument("--result", type=Path, help="write the result here as JSON (else print it)")
    parser.add_argument("--work", type=Path, help="demo output folder (default: a temporary one, removed after)")
    parser.add_argument("--progress-every", type=int, default=25, help="print every n-th tick line to stderr")
    parser.add_argument("--profile", type=Path, help="write a pyinstrument profile here (HTML, and .txt beside it)")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix=f"arshjul-bench-{args.units}-")) / "year"
    try:
        result = run(
            args.units,
            work,
            sectors=args.sectors,
            seed=args.seed,
            progress_every=args.progress_every,
            profile=args.profile,
            reached=args.result.with_suffix(".progress") if args.result else None,
        )
    finally:
        if args.work is None:
            shutil.rmtree(work.parent, ignore_errors=True)
    if args.result:
        write_json(args.result, result)
    else:
        import json

        print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
