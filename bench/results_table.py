#!/usr/bin/env python3
"""Turns bench/run.sh's results.jsonl into Markdown tables: every inrapport
figure in absolute numbers and as a ratio to the no-op baseline measured in
the same run, then the one-off measurements (scrapes, restarts, memory)."""
import json
import re
import sys


def fmt(x):
    if x is None or x == "":
        return ""
    if isinstance(x, (int, float)):
        if abs(x) >= 1000:
            return f"{x:,.0f}".replace(",", " ")
        if abs(x) >= 10:
            return f"{x:.1f}"
        return f"{x:.3f}"
    return str(x)


def ratio(a, b):
    if a is None or not b:
        return ""
    return f"{100 * a / b:.0f} %"


def key(r):
    # A summary asked after a report is compared with the same summary of
    # the no-op server, which answers the same bytes.
    scenario = {"noop": "unary", "summary_after_report": "summary"}.get(
        r.get("scenario"), r.get("scenario"))
    return (scenario, r.get("concurrency"), r.get("group_by") or "",
            r.get("stored_reports") or 0, r.get("reports_per_stream") or 0)


def main(path):
    rows = [json.loads(line) for line in open(path) if line.strip()]
    machine = next((r for r in rows if r.get("label") == "machine"), {})
    end = next((r for r in rows if r.get("label") == "machine end"), {})
    baseline = {key(r): r for r in rows if r.get("server") == "noop"}
    out = []
    out.append(
        f"Machine: {machine.get('nproc')} cores ({machine.get('cpu')}), "
        f"{machine.get('mem_gib')} GiB, Linux {machine.get('kernel')}, "
        f"{machine.get('fs')}; gRPC {machine.get('grpc')}, SQLite {machine.get('sqlite')}; "
        f"load average at start {machine.get('load_start')}, at end {end.get('load_end', '?')}"
        f"{' (smoke run)' if machine.get('smoke') else ''}.")
    out.append("")
    out.append("| scenario | in flight | calls/s | reports/s | p50 ms | p99 ms | p99.9 ms "
               "| baseline calls/s | baseline p50 / p99 ms | throughput vs baseline "
               "| p99 vs baseline |")
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        if r.get("server") != "inrapport" or r.get("scenario") not in (
                "unary", "stream", "summary", "summary_after_report", "h2load"):
            continue
        b = baseline.get(key(r), {})
        reports = (fmt(r.get("reports_per_s"))
                   if r.get("scenario") == "stream" or "reports_per_s" in r and
                   r.get("scenario") == "h2load" else "")
        base_lat = (f"{fmt(b.get('p50_ms'))} / {fmt(b.get('p99_ms'))}"
                    if b.get("p50_ms") is not None else "")
        out.append(
            f"| {r['label']} | {r.get('concurrency', '')} | {fmt(r.get('calls_per_s'))} "
            f"| {reports} | {fmt(r.get('p50_ms'))} | {fmt(r.get('p99_ms'))} "
            f"| {fmt(r.get('p999_ms'))} | {fmt(b.get('calls_per_s'))} | {base_lat} "
            f"| {ratio(r.get('calls_per_s'), b.get('calls_per_s'))} "
            f"| {ratio(r.get('p99_ms'), b.get('p99_ms'))} |")
    committed = [r for r in rows if r.get("commits")]
    if committed:
        out.append("")
        out.append("| store during | commits | mean commit ms | reports per commit |")
        out.append("|---|---:|---:|---:|")
        for r in committed:
            out.append(f"| {r['label']} | {r['commits']} | {fmt(r['commit_ms_mean'])} "
                       f"| {fmt(r['reports_per_commit'])} |")
    # The store's own rate (bench_data load, no gRPC) beside one no-op
    # stream: what a durable stream could reach if nothing but the store
    # cost anything.
    noop_stream = next((r.get("reports_per_s") for r in rows
                        if r.get("server") == "noop" and r.get("scenario") == "stream"
                        and r.get("concurrency") == 1), None)
    out.append("")
    out.append("| measurement | stored reports | result |")
    out.append("|---|---:|---|")
    for r in rows:
        s = r.get("scenario")
        n = fmt(r.get("stored_reports"))
        if s == "scrape":
            out.append(f"| {r['label']} | {n} | p50 {fmt(r['p50_ms'])} ms, p99 "
                       f"{fmt(r['p99_ms'])} ms, max {fmt(r['max_ms'])} ms ({r['calls']} "
                       f"scrapes, {fmt(r.get('response_bytes_mean'))} bytes, "
                       f"{r.get('samples')} samples) |")
        elif s == "load":
            rate = re.search(r"reports_per_s=([0-9.]+)", r["output"])
            versus = (f"; the store alone at {ratio(float(rate.group(1)), noop_stream)} of the "
                      f"no-op stream's reports/s" if rate and noop_stream else "")
            out.append(f"| {r['label']} | {n} | {r['output']}; database {r['db_mib']} MiB"
                       f"{versus} |")
        elif s == "restart":
            times = ", ".join(str(t) for t in r["startup_ms"])
            answering = r.get("answering_ms")
            prefix = (f"port answering (health NOT_SERVING) after "
                      f"{', '.join(str(t) for t in answering)} ms; " if answering else "")
            sources = r.get("figures_from")
            suffix = (f" (figures from the {', '.join(sources)})" if sources else "")
            out.append(f"| {r['label']} | {n} | {prefix}serving after {times} ms{suffix} |")
        elif s == "rss_start":
            out.append(f"| {r['label']} | {n} | {fmt(r['rss_mib'])} MiB resident |")
        elif s == "rss":
            out.append(f"| {r['label']} | {n} | peak {fmt(r['peak_rss_mib'])} MiB resident "
                       f"(VmHWM) |")
    print("\n".join(out))


if __name__ == "__main__":
    main(sys.argv[1])
