"""The targets and the markdown tables, from one run's results."""

from __future__ import annotations

from typing import Any

DRAMMEN = 150
LARGE = 5000
TWO_GIB_MIB = 2048
OUTBOX_TARGET = 0.90  # of the bare aiosmtplib rate: issue 16 (the target was 70 % before)


def _year(results: dict[str, Any], units: int) -> dict[str, Any] | None:
    return next((y for y in results.get("years", []) if y.get("units_asked") == units), None)


def _finished(part: dict[str, Any] | None) -> bool:
    return bool(part and part.get("finished"))


def verdicts(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Each target with what was measured and whether it was met (None: not measured in this run)."""
    out: list[dict[str, Any]] = []
    drammen, large = _year(results, DRAMMEN), _year(results, LARGE)

    def add(target: str, measured: str, met: bool | None) -> None:
        out.append({"target": target, "measured": measured, "met": met})

    if drammen is not None:
        ok = _finished(drammen)
        wall = drammen.get("wall_seconds")
        add("Drammen-size year (150 units) ≤ 60 s, Prefect start included", f"{wall} s" if ok else "–",
            ok and wall is not None and wall <= 60)  # fmt: skip
    if large is not None:
        ok = _finished(large)
        wall = large.get("wall_seconds")
        add("5 000-unit year ≤ 600 s", f"{wall} s" if ok else str(large.get("error")),
            ok and wall is not None and wall <= 600)  # fmt: skip
        if ok and drammen is not None and _finished(drammen):
            small, big = drammen["per_unit_ms"]["wall"], large["per_unit_ms"]["wall"]
            add("cost per unit not growing (wall ms/unit, 5 000 vs 150)", f"{big} vs {small}", big <= small)
        if ok:
            peak = large["peak_rss_mib"]
            add("5 000-unit peak memory < 2 GiB (year process)", f"{peak} MiB", peak < TWO_GIB_MIB)
    delivery = results.get("delivery")
    if delivery is not None:
        ok = _finished(delivery)
        ratio = delivery.get("ratio")
        add("outbox ≥ 90 % of bare aiosmtplib (issue 16)", f"{100 * ratio:.0f} %" if ok and ratio is not None else "–",
            ok and ratio is not None and ratio >= OUTBOX_TARGET)  # fmt: skip
    answers = results.get("answers")
    if answers is not None:
        ok = _finished(answers)
        p95 = answers.get("latency_ms", {}).get("p95")
        errors = answers.get("errors")
        add("answer p95 ≤ 100 ms, no errors", f"p95 {p95} ms, {errors} errors" if ok else "–",
            ok and p95 is not None and p95 <= 100 and errors == 0)  # fmt: skip
    return out


def _mib(value: Any) -> str:
    return f"{value / 1024 / 1024:.1f}" if isinstance(value, int | float) else "–"


def markdown(results: dict[str, Any]) -> str:
    m = results["machine"]
    versions = ", ".join(f"{k} {v}" for k, v in m["versions"].items() if v)
    lines = [
        f"Run {m['date']} on {m['cpu_count']} × {m['cpu_model']}, {m['memory_gib']} GiB, Python {m['python']}; "
        f"load average at start {', '.join(f'{x:.1f}' for x in m.get('load_average_at_start') or [])}.",
        f"Versions: {versions}.",
        "",
    ]
    years = results.get("years") or []
    if years:
        lines += [
            "| Units | Employees | Assignments | Emails | Dispatcher runs | Wall s | Prefect start s "
            "| Prefect orchestration s | Engine in tasks s | Answers over HTTP s | Peak RSS MiB (Prefect API) "
            "| Database MiB | Wall ms/unit | Engine ms/unit |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for y in years:
            if not y.get("finished"):
                reached = f"; reached {y['reached']}" if y.get("reached") else ""
                lines.append(f"| {y.get('units_asked')} | did not finish: {y.get('error')}{reached} |" + " |" * 12)
                continue
            pv = y["prefect_vs_engine"]
            lines.append(
                f"| {y['units']} | {y['employees']} | {y['assignments']} | {y['emails_sent']} "
                f"| {y['dispatcher_runs']} | {y['wall_seconds']} | {pv['prefect_start_seconds']} "
                f"| {pv['prefect_orchestration_seconds']} | {pv['engine_in_tasks_seconds']} "
                f"| {y['timings'].get('answers', 0):.1f} | {y['peak_rss_mib']} ({y['prefect_server_peak_rss_mib']}) "
                f"| {_mib(y['database_bytes'])} | {y['per_unit_ms']['wall']} | {y['per_unit_ms']['engine_in_tasks']} |"
            )
        done = sorted((y for y in years if y.get("finished")), key=lambda y: y["units"])
        if len(done) >= 2:
            a, b = done[-2], done[-1]
            marginal = 1000 * (b["wall_seconds"] - a["wall_seconds"]) / max(1, b["units"] - a["units"])
            lines += ["", f"Marginal cost from {a['units']} to {b['units']} units: {marginal:.0f} ms of wall per unit."]
        lines.append("")
    delivery = results.get("delivery")
    if delivery and delivery.get("finished"):
        lines += [
            "| Messages | Bare aiosmtplib msg/s (1 connection) | Outbox msg/s | Outbox connections | Ratio "
            "| render_message ms/msg |",
            "|---:|---:|---:|---:|---:|---:|",
            f"| {delivery['messages']} | {delivery['bare_per_second']} | {delivery['outbox_per_second']} "
            f"| {delivery['outbox_connections']} | {100 * delivery['ratio']:.0f} % "
            f"| {delivery['build_message_ms_per_message']} |",
            "",
        ]
    elif delivery:
        lines += [f"Delivery did not finish: {delivery.get('error')}", ""]
    answers = results.get("answers")
    if answers and answers.get("finished"):
        lines += [
            "| Scenario | Leaders at once | Requests | p50 ms | p95 ms | p99 ms | GET p95 ms | POST p95 ms | Errors "
            "| Requests/s |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for name, part in (("burst (judged)", answers), ("paced", answers.get("paced") or {})):
            if not part:
                continue
            lat, get, post = part["latency_ms"], part["get_ms"], part["post_ms"]
            lines.append(
                f"| {name} | {answers['concurrency']} | {part['requests']} | {lat['p50']} | {lat['p95']} "
                f"| {lat['p99']} | {get['p95']} | {post['p95']} | {part['errors']} | {part['requests_per_second']} |"
            )
        lines.append("")
    elif answers:
        lines += [f"Answer latency did not finish: {answers.get('error')}", ""]
    targets = results.get("targets") or []
    if targets:
        lines += ["| Target | Measured | Met |", "|---|---|---|"]
        for t in targets:
            met = "–" if t["met"] is None else ("yes" if t["met"] else "**no**")
            lines.append(f"| {t['target']} | {t['measured']} | {met} |")
        lines.append("")
    return "\n".join(lines)
