"""`python -m bench` (`make bench`): every benchmark, each in a fresh process; JSON and a table in bench/results/.

python -m bench                          # years at 20, 150 and 5 000 units, delivery, answer latency
python -m bench --sizes 20,150           # a quicker run
python -m bench --only delivery,answers  # parts: year, delivery, answers
python -m bench --profile                # also a pyinstrument profile per year (pip install -e ".[bench]")
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.common import RESULTS, child, machine, write_json
from bench.report import markdown, verdicts

PARTS = ("year", "delivery", "answers")


def _timeout_for(units: int) -> float:
    """Three times the 10-minute target at 5 000 units, never under 10 minutes: long enough, and always bounded."""
    return max(600.0, 0.36 * units)


def _run_part(args: list[str], result: Path, timeout: float) -> tuple[dict[str, Any], float]:
    """Run `python -m bench.<part> ... --result FILE` in its own process group; a timeout stops the whole group."""
    started = time.perf_counter()
    with child([*args, "--result", str(result)], stdout=None) as running:
        try:
            code = running.process.wait(timeout)
        except subprocess.TimeoutExpired:
            running.stop()
            stopped: dict[str, Any] = {"finished": False, "error": f"stopped after {timeout:.0f} s"}
            reached = result.with_suffix(".progress")
            if reached.exists():
                stopped["reached"] = reached.read_text(encoding="utf-8").strip()
            return stopped, time.perf_counter() - started
    seconds = time.perf_counter() - started
    if code != 0 or not result.exists():
        return {"finished": False, "error": f"exit code {code}"}, seconds
    data: dict[str, Any] = json.loads(result.read_text(encoding="utf-8"))
    data["finished"] = True
    return data, seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Årshjul benchmarks")
    parser.add_argument("--sizes", default="20,150,5000", help="units per simulated year, comma-separated")
    parser.add_argument("--only", default=",".join(PARTS), help=f"parts to run, of {', '.join(PARTS)}")
    parser.add_argument("--messages", type=int, default=2000, help="messages for the delivery benchmark")
    parser.add_argument("--rounds", type=int, default=3, help="delivery rounds (alternating order)")
    parser.add_argument("--answer-units", type=int, default=150)
    parser.add_argument("--concurrency", type=int, default=50, help="simulated leaders at once")
    parser.add_argument("--profile", action="store_true", help="pyinstrument profile of each year, next to the JSON")
    parser.add_argument("--out", type=Path, default=RESULTS, help="folder for the results")
    args = parser.parse_args(argv)
    parts = [part.strip() for part in args.only.split(",") if part.strip()]
    unknown = sorted(set(parts) - set(PARTS))
    if unknown:
        parser.error(f"unknown part(s): {', '.join(unknown)}")
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    results: dict[str, Any] = {"machine": machine(), "years": [], "delivery": None, "answers": None}
    with tempfile.TemporaryDirectory(prefix="arshjul-bench-") as scratch:
        folder = Path(scratch)
        if "year" in parts:
            for units in sizes:
                print(f"Et simulert år med {units} enheter …", file=sys.stderr, flush=True)
                extra = ["--profile", str(args.out / f"profile-{stamp}-{units}.html")] if args.profile else []
                work = ["--work", str(folder / f"year-{units}")]  # removed with `folder`, even if the year is stopped
                year, seconds = _run_part(
                    ["-m", "bench.year", "--units", str(units), *work, *extra],
                    folder / f"year-{units}.json",
                    _timeout_for(units),
                )
                year.setdefault("units_asked", units)
                year["process_seconds"] = round(seconds, 1)  # incl. interpreter start and imports
                results["years"].append(year)
                print(f"  {units} enheter: {year.get('wall_seconds', '–')} s", file=sys.stderr, flush=True)
        if "delivery" in parts:
            print(f"Levering av {args.messages} e-poster: outbox mot ren aiosmtplib …", file=sys.stderr, flush=True)
            results["delivery"], _ = _run_part(
                ["-m", "bench.delivery", "--messages", str(args.messages), "--rounds", str(args.rounds)],
                folder / "delivery.json",
                1800.0,
            )
        if "answers" in parts:
            print(f"Svartid: {args.concurrency} ledere samtidig …", file=sys.stderr, flush=True)
            results["answers"], _ = _run_part(
                ["-m", "bench.answers", "--units", str(args.answer_units), "--concurrency", str(args.concurrency)],
                folder / "answers.json",
                900.0,
            )
    results["targets"] = verdicts(results)
    table = markdown(results)
    write_json(args.out / f"{stamp}.json", results)
    write_json(args.out / "latest.json", results)
    (args.out / "latest.md").write_text(table, encoding="utf-8")
    print(table)
    print(f"Resultatene ligger i {args.out}/{stamp}.json (og latest.json, latest.md).", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
