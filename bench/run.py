"""`python -m bench.run` (`make bench`): national-scale dataset and HTTP benchmarks.

1. Builds a fresh SQLite database under var/bench/ and loads the demo generator at
   national scale (30,000 innovations), timing it against loading the regions only.
2. Starts gunicorn on a free loopback port with bench.settings (Prima plus a bare
   `bench/ping/` view), and sends a fixed number of requests at a fixed concurrency to
   the baseline view and to Prima's pages and API.
3. Reports each measurement as a ratio against its same-run baseline, writes
   bench/out/latest.json, prints a Markdown table and records the run in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bench.common import bench_env, run_command
from bench.loadgen import LoadResult, run_load

ROOT = Path(__file__).resolve().parent.parent
BENCH_VAR = ROOT / "var" / "bench"
OUT = Path(__file__).resolve().parent / "out" / "latest.json"
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
JAKARTA = ZoneInfo("Asia/Jakarta")
RUNS_MARKER = "<!-- runs: newest first, written by bench/run.py -->"


def _env() -> dict[str, str]:
    return bench_env(BENCH_VAR / "bench.sqlite3", BENCH_VAR, demo=True)


def _json_step(args: list[str], env: dict[str, str]) -> dict[str, Any]:
    output = run_command([sys.executable, "-m", "bench.dataset", *args], env)
    result: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return result


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextlib.contextmanager
def gunicorn(
    port: int, args: argparse.Namespace, env: dict[str, str], log_path: Path
) -> Iterator[subprocess.Popen[bytes]]:
    """Prima under gunicorn on 127.0.0.1:`port` (`args.workers` × `args.threads`), logging
    to `log_path`; stopped on leaving the block."""
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "prima.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
                "--threads",
                str(args.threads),
                "--timeout",
                "120",
            ],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            yield server
        finally:
            server.terminate()
            server.wait(timeout=30)


def wait_ready(port: int, server: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn exited; see var/bench/gunicorn.log")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/ping/", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not answer within a minute")


def machine() -> dict[str, str]:
    free = shutil.which("free")
    memory = (
        subprocess.run([free, "-h"], capture_output=True, text=True, check=False).stdout.rstrip()
        if free
        else ""
    )
    return {
        "nproc": str(os.cpu_count()),
        "free_h": memory,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
    }


def _ratio(value: float, base: float) -> float:
    return round(value / base, 3) if base else float("nan")


def measure(args: argparse.Namespace) -> dict[str, Any]:
    if BENCH_VAR.exists():
        for name in ("bench.sqlite3", "bench.sqlite3-wal", "bench.sqlite3-shm"):
            (BENCH_VAR / name).unlink(missing_ok=True)
    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    env = _env()
    print(f"· migrate {BENCH_VAR / 'bench.sqlite3'}", flush=True)
    run_command([sys.executable, "-m", "django", "migrate", "--noinput", "-v0"], env)
    print(f"· load {args.size} innovations (and the regions-only baseline)", flush=True)
    dataset = _json_step(["load", "--size", str(args.size)], env)
    print(f"  demo {dataset['demo_seconds']} s, regions {dataset['regions_seconds']} s", flush=True)
    run_command([sys.executable, "-m", "django", "collectstatic", "--noinput", "-v0"], env)
    creds = _json_step(["credentials"], env)
    paths = creds["paths"]

    port = free_port()
    scenarios = [
        ("api_public", "API katalog publik `/api/v1/innovations/public`", paths["api_public"], {}),
        (
            "api_token",
            "API inovasi (token, pemantau nasional) `/api/v1/innovations`",
            paths["api_token"],
            {"Authorization": f"Bearer {creds['token']}"},
        ),
        (
            "innovation_list",
            "Daftar inovasi internal (sekretariat) `/inovasi/`",
            paths["innovation_list"],
            {"Cookie": creds["session_cookie"]},
        ),
        (
            "public_innovation_list",
            "Katalog publik `/inovasi/publik/`",
            paths["public_innovation_list"],
            {},
        ),
        (
            "public_search",
            "Pencarian katalog publik `/inovasi/publik/?q=sampah`",
            paths["public_innovation_list"] + "?q=sampah",
            {},
        ),
    ]
    results: dict[str, LoadResult] = {}
    with gunicorn(port, args, env, BENCH_VAR / "gunicorn.log") as server:
        wait_ready(port, server)
        load = {"requests": args.requests, "concurrency": args.concurrency}
        print(f"· gunicorn on 127.0.0.1:{port}; {load}", flush=True)
        results["baseline_before"] = run_load("127.0.0.1", port, paths["baseline"], **load)
        for key, _, path, headers in scenarios:
            print(f"  {path}", flush=True)
            results[key] = run_load("127.0.0.1", port, path, headers=headers, **load)
        results["baseline_after"] = run_load("127.0.0.1", port, paths["baseline"], **load)

    before, after = results["baseline_before"], results["baseline_after"]
    base_rps = (before.rps + after.rps) / 2
    base_p50 = (before.p50_ms + after.p50_ms) / 2
    base_p99 = (before.p99_ms + after.p99_ms) / 2
    http = {
        key: {
            "label": label,
            **results[key].as_dict(),
            "rps_ratio": _ratio(results[key].rps, base_rps),
            "p50_ratio": _ratio(results[key].p50_ms, base_p50),
            "p99_ratio": _ratio(results[key].p99_ms, base_p99),
        }
        for key, label, _, _ in scenarios
    }
    regions_rate = dataset["regions_rows"] / dataset["regions_seconds"]
    demo_rate = dataset["demo_rows"] / dataset["demo_seconds"]
    return {
        "date": dt.datetime.now(JAKARTA).isoformat(timespec="seconds"),
        "command": " ".join(["python -m bench.run", *sys.argv[1:]]),
        "machine": machine(),
        "server": {"workers": args.workers, "threads": args.threads, "database": "SQLite (WAL)"},
        "dataset": {
            **dataset,
            "time_ratio": _ratio(dataset["demo_seconds"], dataset["regions_seconds"]),
            "rows_per_second": round(demo_rate),
            "regions_rows_per_second": round(regions_rate),
            "rows_per_second_ratio": _ratio(demo_rate, regions_rate),
        },
        "baseline": {
            "before": before.as_dict(),
            "after": after.as_dict(),
            "rps": round(base_rps, 1),
            "p50_ms": round(base_p50, 2),
            "p99_ms": round(base_p99, 2),
        },
        "http": http,
    }


def markdown(report: dict[str, Any]) -> str:
    data, base = report["dataset"], report["baseline"]
    lines = [
        f"### {report['date']}",
        "",
        f"- Command: `{report['command']}`",
        f"- Machine: {report['machine']['nproc']} CPUs (`nproc`), Python "
        f"{report['machine']['python']}, {report['machine']['platform']}",
        f"- Server: gunicorn {report['server']['workers']} workers × "
        f"{report['server']['threads']} threads, {report['server']['database']}; load "
        f"generator on the same machine",
        "",
        "```",
        report["machine"]["free_h"],
        "```",
        "",
        "| Dataset load | Seconds | Rows | Rows/s | vs regions-only |",
        "|---|---:|---:|---:|---:|",
        f"| Regions only (baseline, median of 5) | {data['regions_seconds']} | "
        f"{data['regions_rows']} | {data['regions_rows_per_second']} | 1 |",
        f"| Demo, {data['size']} innovations, {data['counts']['units']} units | "
        f"{data['demo_seconds']} | {data['demo_rows']} | {data['rows_per_second']} | "
        f"time ×{data['time_ratio']}, rows/s ×{data['rows_per_second_ratio']} |",
        "",
        "| Endpoint | Requests × concurrency | req/s | p50 ms | p99 ms | req/s vs baseline | "
        "p50 vs baseline | p99 vs baseline |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
        f"| Baseline `bench/ping/` (mean of before/after) | "
        f"{base['before']['requests']} × {base['before']['concurrency']} | {base['rps']} | "
        f"{base['p50_ms']} | {base['p99_ms']} | 1 | 1 | 1 |",
    ]
    for row in report["http"].values():
        lines.append(
            f"| {row['label']} | {row['requests']} × {row['concurrency']} | {row['rps']} | "
            f"{row['p50_ms']} | {row['p99_ms']} | {row['rps_ratio']} | {row['p50_ratio']} | "
            f"{row['p99_ratio']} |"
        )
    return "\n".join(lines) + "\n"


def record(report: dict[str, Any]) -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    if RUNS_MARKER not in text:
        text = text.rstrip() + f"\n\n## Runs\n\n{RUNS_MARKER}\n"
    head, tail = text.split(RUNS_MARKER, 1)
    runs = markdown(report) + "\n" + tail.lstrip("\n")
    RESULTS.write_text(head + RUNS_MARKER + "\n\n" + runs.rstrip("\n") + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--size", type=int, default=30_000, help="innovations to generate")
    parser.add_argument("--requests", type=int, default=2_000, help="requests per endpoint")
    parser.add_argument("--concurrency", type=int, default=8, help="concurrent connections")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker")
    parser.add_argument(
        "--no-record", action="store_true", help="do not write bench/RESULTS.md (still JSON)"
    )
    args = parser.parse_args(argv)
    report = measure(args)
    if args.no_record:
        OUT.parent.mkdir(parents=True, exist_ok=True)
        OUT.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    else:
        record(report)
    print()
    print(markdown(report))
    print(
        f"JSON: {OUT.relative_to(ROOT)}"
        + ("" if args.no_record else "; recorded in bench/RESULTS.md")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
