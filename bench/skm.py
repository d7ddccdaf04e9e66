"""`python -m bench.skm` (`make bench-skm`): SKM at national scale (DESIGN.md §9, issue 5).

For each database asked for (SQLite under var/bench-skm/, and PostgreSQL in a database of
its own, `<name>_bench_skm` on the server of ``--postgres``; never the main one):

1. **Bulk import.** Generates, deterministically (fixed seed, NumPy), canonical CSV files
   (skm.md §9) of `--scale` responses (default 10,000,000) for one big survey, plus 10 %
   more spread over the other units' surveys and a tiny survey of 10 responses; files hold
   at most 500,000 rows so each stays under the 50 MB import limit. Every file goes
   through Prima's import path into a COLLECTING survey
   (`prima.skm.interfaces.response_import.import_responses`, all-or-nothing, as the import page and
   job run it; without that module, `read_responses` + `record_batch`): rows per second,
   CPU time and the importing process's peak resident memory (Linux VmHWM, reset after
   the baseline; `ru_maxrss` would include the forking parent's peak), against a
   bare `bulk_create` of the first file's first rows (up to 500,000, at least 10 % of
   the scale) parsed by `csv.reader` (no validation, no counters; rolled back).
2. **IKM of every unit from raw rows.** Our recompute path — one ORM `GROUP BY survey`
   over the Response answer columns (count per element and answer value), pooled per
   unit, then `prima.skm.domain.index.compute` — timed against DuckDB running the same
   `GROUP BY` over the same rows exported to Parquet (export timed apart). Both must give
   identical results per unit, and so must the counters the pages read.
3. **Survey submissions per second over HTTP**: gunicorn serving bench.skm_settings; the
   public survey page `/survei/<public_id>/` (URL name `skm_public_survey`) is read once
   (its form fields and the CSRF cookie), then filled forms are POSTed, each as a new
   respondent (fresh browser without the one-response cookie, own client address in
   X-Forwarded-For with BEHIND_PROXY=1, so the per-address rate limit is counted but
   never reached; limits are not changed) against a bare CSRF-checked POST view
   (`bench/skm/post/`) on the same server. Afterwards the survey's rows, respondent
   count and counters must agree.
4. **A unit's result page** `/skm/<pk>/hasil/` (URL name `skm_result`) for the big survey
   and the tiny one: query counts (must be equal) and latency under load, against the
   bare `bench/ping/` view.

Prints Markdown and records it in bench/RESULTS.md under "SKM" (``--no-record`` skips
it); JSON in bench/out/skm.json. `--quick` is `--scale 50000` with short HTTP loads (meant
to take about a minute per database on an idle two-CPU machine).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sys
import time
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bench.common import bench_env, record_section, run_command

ROOT = Path(__file__).resolve().parent.parent
BENCH_VAR = ROOT / "var" / "bench-skm"
OUT = Path(__file__).resolve().parent / "out" / "skm.json"
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
JAKARTA = ZoneInfo("Asia/Jakarta")
MARKER = "<!-- skm runs: newest first, written by bench/skm.py -->"
SECTION = "## SKM"
SEED = 20250414
FILE_ROWS = 500_000  # keeps a file under the 50 MB import limit (skm.md §9)
TINY_ROWS = 10

# skm.md §9 codes (tests/bench check them against prima.skm.enums).
ELEMENTS = tuple(f"U{n}" for n in range(1, 10))  # skm-2017
SERVICES = ("KTP-EL", "KK-BARU", "AKTA-LAHIR", "PINDAH-DATANG")
GENDERS = ("L", "P")
AGE_BANDS = ("under20", "20_29", "30_39", "40_49", "50_59", "60plus")
EDUCATIONS = ("none", "sd", "smp", "sma", "d1_d3", "d4_s1", "s2", "s3")
OCCUPATIONS = (
    "pns",
    "tni_polri",
    "swasta",
    "wirausaha",
    "pelajar_mahasiswa",
    "tidak_bekerja",
    "lainnya",
)
COLUMNS = (
    "respondent_ref",
    "answered_on",
    "service_code",
    "gender",
    "age_band",
    "education",
    "occupation",
    *ELEMENTS,
    "suggestion",
)
SUGGESTIONS = (
    "Antrean pagi terlalu panjang",
    '"Petugas ramah, tetapi ruang tunggu panas"',
    "Mohon informasi persyaratan dipasang di depan loket",
    '"Sistem antrean daring sering gangguan; mohon diperbaiki"',
)


# --------------------------------------------------------------------------- plan


@dataclass(frozen=True)
class Plan:
    """Rows per survey: the big one first, then the other units', then the tiny one."""

    big: int
    others: tuple[int, ...]

    @property
    def rows(self) -> tuple[int, ...]:
        return (self.big, *self.others, TINY_ROWS)

    @property
    def total(self) -> int:
        return sum(self.rows)


def plan_for(scale: int) -> Plan:
    """The big survey holds `scale` rows; 10 % more go to 4–99 other units, unevenly."""
    import numpy as np

    units = min(99, max(4, scale // 100_000))
    rng = np.random.default_rng([SEED, 0])
    weights = rng.uniform(0.5, 1.5, units)
    extra = scale // 10
    shares = np.floor(weights / weights.sum() * extra).astype(int)
    others = tuple(max(TINY_ROWS + 1, int(share)) for share in shares)
    return Plan(big=scale, others=others)


def current_period(today: dt.date) -> str:
    """The quarter holding `today` (the public form answers today's date)."""
    return f"{today.year}-Q{(today.month - 1) // 3 + 1}"


# --------------------------------------------------------------------------- data


def _quarter_bounds(code: str) -> tuple[dt.date, dt.date]:
    year, quarter = int(code[:4]), int(code[-1])
    first = dt.date(year, 3 * quarter - 2, 1)
    following = dt.date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
    return first, following - dt.timedelta(days=1)


def generate(index: int, rows: int, period: str, today: dt.date, directory: Path) -> list[Path]:
    """Canonical CSV files (≤ FILE_ROWS rows each) of survey number `index`, deterministic.

    Each unit answers with its own distribution per element (Dirichlet around mostly
    "3"), 2 % blank answers, 5 % blank demographics, some blank service codes, 3 % with a
    suggestion (some quoted, with commas), dates in the period up to `today`.
    """
    import numpy as np

    rng = np.random.default_rng([SEED, index + 1])
    first, last = _quarter_bounds(period)
    last = min(last, today)
    days = [(first + dt.timedelta(days=n)).isoformat() for n in range((last - first).days + 1)]
    probabilities = rng.dirichlet((1, 3, 14, 6), size=len(ELEMENTS))
    answer_text = np.array(["", "1", "2", "3", "4"])
    paths = []
    for part, start in enumerate(range(0, rows, FILE_ROWS)):
        n = min(FILE_ROWS, rows - start)
        columns: list[list[str]] = [
            [f"B{index:03d}-{start + k + 1:08d}" for k in range(n)],
            np.array(days)[rng.integers(0, len(days), n)].tolist(),
            _pick(rng, ("", *SERVICES), n, blank=0.1),
            _pick(rng, GENDERS, n),
            _pick(rng, AGE_BANDS, n),
            _pick(rng, EDUCATIONS, n),
            _pick(rng, OCCUPATIONS, n),
        ]
        answers = np.stack(
            [rng.choice(4, size=n, p=p) + 1 for p in probabilities], axis=1
        )  # n × elements, 1–4
        answers[rng.random(answers.shape) < 0.02] = 0  # blank
        everything_blank = ~answers.any(axis=1)
        answers[everything_blank, 0] = 3  # a wholly blank row is refused at entry
        columns += [answer_text[answers[:, e]].tolist() for e in range(len(ELEMENTS))]
        said = rng.random(n) < 0.03
        picks = rng.integers(0, len(SUGGESTIONS), n)
        columns.append([SUGGESTIONS[p] if s else "" for s, p in zip(said, picks, strict=True)])
        path = directory / f"survey{index:03d}-{part:03d}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            handle.write(",".join(COLUMNS) + "\r\n")
            handle.writelines(",".join(line) + "\r\n" for line in zip(*columns, strict=True))
        paths.append(path)
    return paths


def _pick(rng: Any, codes: tuple[str, ...], n: int, blank: float = 0.05) -> list[str]:
    import numpy as np

    values = np.array(codes)[rng.integers(0, len(codes), n)]
    values[rng.random(n) < blank] = ""
    return list(values.tolist())


# --------------------------------------------------------------------------- databases


def postgres_bench_url(url: str) -> str:
    """The URL of this benchmark's own database on the server of `url`."""
    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/") or "prima"
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}_bench_skm"))


def recreate_postgres(url: str) -> None:
    """Drop and create the database of `url` (connecting to `postgres` on its server)."""
    import psycopg
    from psycopg import sql

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_postgres(url: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urllib.parse.urlsplit(url)
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(parts.path.lstrip("/"))
            )
        )


def database_env(kind: str, postgres: str | None) -> tuple[dict[str, str], str]:
    """A fresh, empty database of `kind`; its environment and a label."""
    sqlite = BENCH_VAR / "bench-skm.sqlite3"
    env = bench_env(sqlite, BENCH_VAR, demo=False)
    env["DJANGO_SETTINGS_MODULE"] = "bench.skm_settings"
    if kind == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{sqlite}{suffix}").unlink(missing_ok=True)
        return env, "SQLite (WAL)"
    if not postgres:
        raise SystemExit("--postgres URL is needed for the PostgreSQL run")
    url = postgres_bench_url(postgres)
    recreate_postgres(url)
    env["DATABASE_URL"] = url
    return env, f"PostgreSQL (database {urllib.parse.urlsplit(url).path.lstrip('/')})"


def child(command: str, argument: str | Path, env: Mapping[str, str], *extra: str) -> Any:
    output = run_command(
        [sys.executable, "-m", "bench.skm_child", command, str(argument), *extra], dict(env)
    )
    for line in output.strip().splitlines()[:-1]:
        print(line, flush=True)
    return json.loads(output.strip().splitlines()[-1])


def _write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- HTTP


def _ratio(value: float, base: float, places: int = 2) -> float | None:
    return round(value / base, places) if base else None


def http_phase(
    args: argparse.Namespace, env: dict[str, str], pages: Mapping[str, Any]
) -> dict[str, Any]:
    """Result pages and submissions under load, against the bare views (same server)."""
    from bench.loadgen import run_load
    from bench.run import free_port, gunicorn, wait_ready
    from bench.skm_http import fetch_form, run_posts

    paths = pages["paths"]
    server_env = {**env, "BEHIND_PROXY": "1"}
    port = free_port()
    host = "127.0.0.1"
    results: dict[str, Any] = {}
    gets = {"requests": args.requests, "concurrency": args.concurrency}
    with gunicorn(port, args, server_env, BENCH_VAR / "gunicorn.log") as server:
        wait_ready(port, server)
        print(f"· gunicorn on {host}:{port}", flush=True)
        results["ping_before"] = run_load(host, port, paths["ping"], **gets).as_dict()
        cookie = {"Cookie": pages["session_cookie"]}
        for key in ("result_tiny", "result_big"):
            if key in paths:
                print(f"  GET {paths[key]}", flush=True)
                results[key] = run_load(
                    host,
                    port,
                    paths[key],
                    headers=cookie,
                    requests=args.page_requests,
                    concurrency=args.concurrency,
                    warmup=5,
                ).as_dict()
        if "survey" in paths:
            form, csrf = fetch_form(host, port, paths["survey"])
            results["form_fields"] = sorted([*form.fixed, *form.choices])
            posts = {"requests": args.submissions, "concurrency": args.concurrency}
            print(f"  POST {paths['post']} (bare) and {paths['survey']}", flush=True)
            results["post_bare_before"] = run_posts(
                host, port, paths["post"], form, csrf, first_address=1, **posts
            ).as_dict()
            results["submit"] = run_posts(
                host, port, paths["survey"], form, csrf, first_address=1 << 20, **posts
            ).as_dict()
            results["post_bare_after"] = run_posts(
                host, port, paths["post"], form, csrf, first_address=2 << 20, **posts
            ).as_dict()
            results["submitted"] = args.submissions + 10  # warm-up included
        results["ping_after"] = run_load(host, port, paths["ping"], **gets).as_dict()
    ping_rps = (results["ping_before"]["rps"] + results["ping_after"]["rps"]) / 2
    ping_p50 = (results["ping_before"]["p50_ms"] + results["ping_after"]["p50_ms"]) / 2
    for key in ("result_tiny", "result_big"):
        if key in results:
            results[key]["rps_ratio"] = _ratio(results[key]["rps"], ping_rps, 3)
            results[key]["p50_ratio"] = _ratio(results[key]["p50_ms"], ping_p50)
    if "result_big" in results and "result_tiny" in results:
        results["big_vs_tiny_p50"] = _ratio(
            results["result_big"]["p50_ms"], results["result_tiny"]["p50_ms"]
        )
        results["big_vs_tiny_rps"] = _ratio(
            results["result_big"]["rps"], results["result_tiny"]["rps"]
        )
    if "submit" in results:
        bare = (results["post_bare_before"]["rps"] + results["post_bare_after"]["rps"]) / 2
        bare_p50 = (
            results["post_bare_before"]["p50_ms"] + results["post_bare_after"]["p50_ms"]
        ) / 2
        results["post_bare_rps"] = round(bare, 1)
        results["post_bare_p50_ms"] = round(bare_p50, 2)
        results["submit"]["rps_ratio"] = _ratio(results["submit"]["rps"], bare, 3)
        results["submit"]["p50_ratio"] = _ratio(results["submit"]["p50_ms"], bare_p50)
    results["ping_rps"] = round(ping_rps, 1)
    results["ping_p50_ms"] = round(ping_p50, 2)
    results["server"] = {"workers": args.workers, "threads": args.threads}
    return results


# --------------------------------------------------------------------------- run


def _load_average() -> str:
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "?"


def run_database(
    kind: str, args: argparse.Namespace, plan: Plan, files: list[list[Path]], period: str
) -> dict[str, Any]:
    began = time.perf_counter()
    env, label = database_env(kind, args.postgres)
    print(f"· {label}: migrate", flush=True)
    run_command([sys.executable, "-m", "django", "migrate", "--noinput", "-v0"], env)
    setup_plan = {
        "period": period,
        "services": list(SERVICES),
        "surveys": [{"rows": rows} for rows in plan.rows] + [{"rows": 0}],
    }
    built = child("setup", _write_json(BENCH_VAR / "plan.json", setup_plan), env)
    surveys = built["surveys"]
    jobs = {
        "actor": built["secretariat"],
        "baseline_survey": surveys[-1]["id"],  # the form survey: empty, rolled back
        "baseline_file": str(files[0][0]),
        "baseline_rows": max(10_000, min(FILE_ROWS, plan.big // 10)),
        "files": [
            {"survey": surveys[n]["id"], "path": str(path), "rows": _rows_in(path)}
            for n, paths in enumerate(files)
            for path in paths
        ],
    }
    load_before = _load_average()
    print(f"· import {plan.total} rows in {len(jobs['files'])} files", flush=True)
    imported = child("import", _write_json(BENCH_VAR / "jobs.json", jobs), env)
    print(f"  {imported['rows_per_second']} rows/s, peak {imported['maxrss_after_mib']} MiB")
    repeat = 3 if plan.total <= 2_000_000 else 1
    print(f"· IKM of every unit: ORM GROUP BY vs DuckDB (median of {repeat})", flush=True)
    ikm = child("ikm", BENCH_VAR, env, str(repeat))
    print(f"  ours {ikm['ours_seconds']} s, DuckDB {ikm['duckdb_seconds']} s", flush=True)
    (BENCH_VAR / "responses.parquet").unlink(missing_ok=True)
    ids = {"big": surveys[0]["id"], "tiny": surveys[-2]["id"], "form": surveys[-1]["id"]}
    page_plan = {**ids, "secretariat": built["secretariat"]}
    pages = child("pages", _write_json(BENCH_VAR / "pages.json", page_plan), env)
    http = http_phase(args, env, pages)
    checked = child("check", BENCH_VAR / "pages.json", env)
    if kind == "postgres" and not args.keep:
        drop_postgres(env["DATABASE_URL"])
    return {
        "database": label,
        "load_average_before_import": load_before,
        "load_average_end": _load_average(),
        "seconds": round(time.perf_counter() - began, 1),
        "import": imported,
        "ikm": ikm,
        "pages": {k: v for k, v in pages.items() if k != "session_cookie"},
        "http": http,
        "check": checked,
    }


def _rows_in(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for _ in handle) - 1


def measure(args: argparse.Namespace) -> dict[str, Any]:
    from bench.run import machine

    if BENCH_VAR.exists():
        shutil.rmtree(BENCH_VAR)
    (BENCH_VAR / "csv").mkdir(parents=True)
    today = dt.datetime.now(JAKARTA).date()
    period = current_period(today)
    plan = plan_for(args.scale)
    print(f"· generate {plan.total} responses ({len(plan.rows)} surveys, {period})", flush=True)
    began = time.perf_counter()
    files = [
        generate(n, rows, period, today, BENCH_VAR / "csv") for n, rows in enumerate(plan.rows)
    ]
    generate_seconds = time.perf_counter() - began
    csv_bytes = sum(path.stat().st_size for paths in files for path in paths)
    print(f"  {generate_seconds:.1f} s, {csv_bytes / 1e6:.0f} MB", flush=True)
    env = bench_env(BENCH_VAR / "bench-skm.sqlite3", BENCH_VAR, demo=False)
    env["DJANGO_SETTINGS_MODULE"] = "bench.skm_settings"
    run_command([sys.executable, "-m", "django", "collectstatic", "--noinput", "-v0"], env)
    databases = {}
    for kind in args.databases:
        databases[kind] = run_database(kind, args, plan, files, period)
    if not args.keep:
        shutil.rmtree(BENCH_VAR / "csv")
    return {
        "date": dt.datetime.now(JAKARTA).isoformat(timespec="seconds"),
        "command": " ".join(["python -m bench.skm", *_shown_args(sys.argv[1:])]),
        "machine": machine(),
        "seed": SEED,
        "period": period,
        "scale": args.scale,
        "plan": {
            "big": plan.big,
            "other_units": len(plan.others),
            "other_rows": sum(plan.others),
            "tiny": TINY_ROWS,
            "total": plan.total,
            "files": sum(len(paths) for paths in files),
            "csv_bytes": csv_bytes,
        },
        "generate_seconds": round(generate_seconds, 1),
        "load": {"concurrency": args.concurrency},
        "databases": databases,
    }


def _shown_args(argv: list[str]) -> list[str]:
    """The command line without passwords in a PostgreSQL URL."""
    shown = []
    for arg in argv:
        parts = urllib.parse.urlsplit(arg)
        if parts.scheme.startswith("postgres") and parts.password:
            arg = arg.replace(f":{parts.password}@", ":***@")
        shown.append(arg)
    return shown


# --------------------------------------------------------------------------- report


def _n(value: float | int) -> str:
    return f"{value:,}".replace(",", " ")


def markdown(report: Mapping[str, Any]) -> str:
    plan = report["plan"]
    lines = [
        f"### {report['date']}",
        "",
        f"- Command: `{report['command']}`",
        f"- Machine: {report['machine']['nproc']} CPUs (`nproc`), Python "
        f"{report['machine']['python']}, {report['machine']['platform']}",
        f"- Data (seed {report['seed']}, period {report['period']}): {_n(plan['total'])} "
        f"responses in {plan['files']} canonical CSV files ({plan['csv_bytes'] / 1e6:.0f} MB, "
        f"generated in {report['generate_seconds']} s): one survey of {_n(plan['big'])}, "
        f"{plan['other_units']} other units with {_n(plan['other_rows'])} in all, and a "
        f"tiny survey of {plan['tiny']}.",
        "",
    ]
    for db in report["databases"].values():
        imp, ikm, http = db["import"], db["ikm"], db["http"]
        base = imp.get("baseline")
        lines += [
            f"#### {db['database']}",
            "",
            f"Load average (1/5/15 min) before the import {db['load_average_before_import']}, "
            f"at the end {db['load_average_end']}; {db['seconds']} s for this database.",
            "",
            "| Bulk import | Rows | Seconds | Rows/s | vs baseline | CPU s (importing process) |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        if base:
            base_rate = base["rows"] / base["seconds"]
            lines.append(
                f"| Baseline: first file by `csv.reader` + bare `bulk_create` (no checks, no "
                f"counters), rolled back | {_n(base['rows'])} | {base['seconds']} | "
                f"{_n(round(base_rate))} | 1 | {base['cpu_seconds']} |"
            )
        else:
            base_rate = 0
        lines += [
            f"| Prima's import (`{imp['path']}`), {imp['files']} files of ≤ "
            f"{_n(imp['largest_file_rows'])} rows, one transaction each | {_n(imp['rows'])} | "
            f"{imp['seconds']} | {_n(imp['rows_per_second'])} | "
            f"×{_ratio(imp['rows_per_second'], base_rate) if base_rate else '?'} | "
            f"{imp['cpu_seconds']} |",
            "",
            "Peak resident memory of the importing process (Linux `VmHWM`"
            + (", reset after the baseline" if imp.get("peak_reset_before_import") else "")
            + f"): {imp['maxrss_after_mib']} MiB during the import (after Django setup "
            f"{imp['maxrss_start_mib']} MiB, after the baseline {imp['maxrss_before_mib']} MiB).",
            "",
            f"| IKM of every unit from raw rows ({ikm['units']} units, {_n(ikm['rows'])} rows) "
            f"| Seconds | vs DuckDB |",
            "|---|---:|---:|",
            f"| DuckDB `GROUP BY survey_id` over the Parquet export (median of "
            f"{ikm['repeat']}) | {ikm['duckdb_seconds']} | 1 |",
            f"| Prima: ORM `GROUP BY survey` over Response answer columns + `index.compute`, "
            f"median of {ikm['repeat']} | {ikm['ours_seconds']} | ×{ikm['ratio']} |",
            "",
            f"Export to Parquet (not in the ratio): {ikm['export_seconds']} s, "
            f"{ikm['parquet_bytes'] / 1e6:.1f} MB. Identical IKM per unit, ours vs DuckDB: "
            f"**{'yes' if ikm['identical'] else 'NO'}**; vs the maintained counters: "
            f"**{'yes' if ikm['counters_identical'] else 'NO'}** (weight rule "
            f"{ikm['weight_rule']}).",
            "",
        ]
        pages = db["pages"]
        if pages["missing"]:
            lines += [
                f"Not measured (URL names not built yet): {', '.join(pages['missing'])}.",
                "",
            ]
        queries = pages["queries"]
        srv = http["server"]
        lines += [
            f"HTTP: gunicorn {srv['workers']} workers × {srv['threads']} threads, load "
            f"generator on the same machine; bare `bench/ping/` {http['ping_rps']} req/s, p50 "
            f"{http['ping_p50_ms']} ms (mean of before/after).",
            "",
            "| Endpoint | Requests × concurrency | req/s | p50 ms | p99 ms | req/s vs baseline | "
            "p50 vs baseline | Queries |",
            "|---|---|---:|---:|---:|---:|---:|---:|",
        ]
        respondents = pages["respondents"]
        for key, label in (
            ("result_tiny", f"Result page, {respondents['tiny']} responses `/skm/{{pk}}/hasil/`"),
            (
                "result_big",
                f"Result page, {_n(respondents['big'])} responses `/skm/{{pk}}/hasil/`",
            ),
        ):
            if key in http:
                row = http[key]
                lines.append(
                    f"| {label} | {row['requests']} × {row['concurrency']} | {row['rps']} | "
                    f"{row['p50_ms']} | {row['p99_ms']} | {row['rps_ratio']} | "
                    f"{row['p50_ratio']} | {queries.get(key, {}).get('queries', '?')} |"
                )
        if "submit" in http:
            row = http["submit"]
            lines += [
                f"| Bare POST view `bench/skm/post/` (baseline, mean of before/after) | "
                f"{http['post_bare_before']['requests']} × {row['concurrency']} | "
                f"{http['post_bare_rps']} | {http['post_bare_p50_ms']} | "
                f"{http['post_bare_before']['p99_ms']} | 1 | 1 | |",
                f"| Survey submission POST `/survei/{{public_id}}/` | {row['requests']} × "
                f"{row['concurrency']} | {row['rps']} | {row['p50_ms']} | {row['p99_ms']} | "
                f"{row['rps_ratio']} | {row['p50_ratio']} | |",
            ]
        lines.append("")
        if "result_big" in http and "result_tiny" in http:
            same = queries["result_big"]["queries"] == queries["result_tiny"]["queries"]
            lines += [
                f"Result page, big vs tiny survey: queries {queries['result_big']['queries']} "
                f"vs {queries['result_tiny']['queries']} (**{'equal' if same else 'DIFFERENT'}**"
                f"), p50 ×{http['big_vs_tiny_p50']}, req/s ×{http['big_vs_tiny_rps']}.",
                "",
            ]
        if "submit" in http:
            check = db["check"]
            lines += [
                f"Submissions: {http['submitted']} sent (warm-up included), survey then held "
                f"{check['rows']} rows, respondents {check['respondents']}, counters "
                f"{check['counted']} (**{'consistent' if check['consistent'] else 'INCONSISTENT'}"
                f"**); fields posted: {', '.join(http['form_fields'])}.",
                "",
            ]
    return "\n".join(lines).rstrip() + "\n"


def record(text_block: str, path: Path = RESULTS) -> None:
    """Insert the run under the SKM section (created before "## Runs" if missing)."""
    record_section(
        text_block,
        path,
        marker=MARKER,
        section=(
            f"{SECTION}\n\n"
            "Recorded by `python -m bench.skm` (`make bench-skm`; not part of `make bench`): "
            "SKM at national scale on SQLite and PostgreSQL, each in its own database. Bulk "
            "import of generated canonical CSV files through Prima's import path (rows/s, "
            "peak memory) against a bare `bulk_create`; the IKM of every unit from raw rows "
            "(ORM `GROUP BY` + `index.compute`) against DuckDB over a Parquet export of the "
            "same rows, with both results compared; survey submissions over HTTP against a "
            "bare POST view; a unit's result page at 10 responses and at the big survey's "
            "size (query counts and latency). See the module docstring of `bench/skm.py`.\n\n"
            f"{MARKER}\n"
        ),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.skm", description=__doc__)
    parser.add_argument("--scale", type=int, default=10_000_000, help="responses of the big survey")
    parser.add_argument("--quick", action="store_true", help="--scale 50000 and short HTTP loads")
    parser.add_argument(
        "--databases",
        default=None,
        help="comma-separated: sqlite,postgres (default: both when --postgres is given)",
    )
    parser.add_argument(
        "--postgres",
        default=os.environ.get("DATABASE_URL", "")
        if os.environ.get("DATABASE_URL", "").startswith("postgres")
        else "",
        help="a PostgreSQL URL; the bench uses the database <name>_bench_skm on its server",
    )
    parser.add_argument("--requests", type=int, default=2000, help="requests to bench/ping/")
    parser.add_argument("--page-requests", type=int, default=400, help="per result page")
    parser.add_argument("--submissions", type=int, default=2000, help="survey POSTs")
    parser.add_argument("--concurrency", type=int, default=8, help="concurrent connections")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker")
    parser.add_argument("--keep", action="store_true", help="keep the CSV files and databases")
    parser.add_argument("--no-record", action="store_true", help="do not write RESULTS.md")
    args = parser.parse_args(argv)
    if not args.postgres.startswith("postgres"):
        args.postgres = ""  # e.g. DATABASE_URL naming a SQLite file
    if args.quick:
        args.scale = min(args.scale, 50_000)
        args.requests, args.page_requests, args.submissions = 300, 40, 100
    if args.databases is None:
        args.databases = "sqlite,postgres" if args.postgres else "sqlite"
    args.databases = [name.strip() for name in args.databases.split(",") if name.strip()]
    unknown = set(args.databases) - {"sqlite", "postgres"}
    if unknown:
        parser.error(f"unknown databases: {', '.join(sorted(unknown))}")
    report = measure(args)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    text = markdown(report)
    print()
    print(text)
    if not args.no_record:
        record(text)
        print("recorded in bench/RESULTS.md")
    print(f"JSON: {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
