"""Pieces shared by the benchmark scripts (no Django import at module level)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parent.parent
RUNS_HEADING = "## Runs"

T = TypeVar("T")


def bench_env(database: Path, var_dir: Path, *, demo: bool) -> dict[str, str]:
    """The environment of a benchmark subprocess: bench.settings on its own database."""
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DATABASE_URL": f"sqlite:///{database}",
            "PRIMA_VAR_DIR": str(var_dir),
            "PRIMA_DEMO": "1" if demo else "0",
            "DEBUG": "0",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT) + os.pathsep + env.get("PYTHONPATH", ""),
        }
    )
    return env


def run_command(args: list[str], env: dict[str, str]) -> str:
    """Run `args` from the project root; its stdout, or exit with its output on failure."""
    completed = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        sys.stderr.write(completed.stdout + completed.stderr)
        raise SystemExit(f"failed: {' '.join(args)}")
    return completed.stdout


def timed(function: Callable[[], T]) -> tuple[T, float]:
    """`function()` and the seconds it took."""
    started = time.perf_counter()
    value = function()
    return value, time.perf_counter() - started


def record_section(text_block: str, path: Path, *, marker: str, section: str) -> None:
    """Insert `text_block` after `marker` in `path`.

    `section` (ending with `marker`) is added before "## Runs" (or at the end) if
    `marker` is missing.
    """
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    if marker not in text:
        if RUNS_HEADING in text:
            head, tail = text.split(RUNS_HEADING, 1)
            text = head.rstrip() + "\n\n" + section + "\n" + RUNS_HEADING + tail
        else:
            text = text.rstrip() + "\n\n" + section
    head, tail = text.split(marker, 1)
    text = head + marker + "\n\n" + text_block + "\n" + tail.lstrip("\n")
    path.write_text(text.rstrip("\n") + "\n", encoding="utf-8")
