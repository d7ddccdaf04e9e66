"""`prima serve`: run Prima under gunicorn (WhiteNoise serves the static files).

Binds to 127.0.0.1:$PORT (default 8000) with $WEB_CONCURRENCY worker processes
(default 2) of $WEB_THREADS threads each (default 4). Static files are collected first
when the manifest is missing or older than a source file.

When jobs go to the database queue (`TASKS` uses `django_tasks_db.DatabaseBackend`, the
default outside tests), a `prima db_worker` child runs beside gunicorn so imports and
solver runs make progress; it is restarted if it dies and stopped when gunicorn stops.
On machines with their own workers, `--no-worker` serves only.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from types import FrameType
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError

MANIFEST_NAME = "staticfiles.json"
DATABASE_BACKEND = "django_tasks_db.DatabaseBackend"
# Seconds a stopping worker may take to finish the job it is running.
WORKER_GRACE = 30
WORKER_RESTART_DELAY = 5


def static_manifest() -> Path:
    return Path(settings.STATIC_ROOT) / MANIFEST_NAME


def static_needs_collecting() -> bool:
    """True when the collected files are missing or older than any source static file."""
    manifest = static_manifest()
    if not manifest.is_file():
        return True
    collected_at = manifest.stat().st_mtime
    for finder in finders.get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            if os.path.getmtime(storage.path(path)) > collected_at:
                return True
    return False


def collect_static_if_needed(stdout: Any) -> bool:
    """Run collectstatic when needed; say so on `stdout`. Returns whether it ran."""
    if not static_needs_collecting():
        return False
    stdout.write("Mengumpulkan berkas statis (collectstatic)…")
    call_command("collectstatic", interactive=False, verbosity=0)
    return True


def gunicorn_argv(*, bind: str, workers: int, threads: int) -> list[str]:
    """The gunicorn command line, run with this Python so the same environment is used."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "prima.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--timeout",
        "60",
        "--access-logfile",
        "-",
    ]


def worker_needed() -> bool:
    """True when the configured default task backend is the database queue."""
    backend = str(settings.TASKS.get("default", {}).get("BACKEND", ""))
    return backend == DATABASE_BACKEND or backend.endswith(".DatabaseBackend")


def worker_argv() -> list[str]:
    """The job worker's command line (same Python, same settings)."""
    return [sys.executable, "-m", "prima.cli", "db_worker", "--no-reload"]


def _stop(process: subprocess.Popen[Any], grace: float) -> int:
    """SIGTERM, then SIGKILL after `grace` seconds; returns the exit code."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            process.kill()
    return process.wait()


def supervise(
    server: Sequence[str],
    worker: Sequence[str] | None,
    *,
    stderr: Any = sys.stderr,
    poll: float = 0.5,
    worker_grace: float = WORKER_GRACE,
    restart_delay: float = WORKER_RESTART_DELAY,
) -> int:
    """Run the server and (optionally) the job worker as children until the server exits
    or this process is asked to stop; returns the server's exit code.

    The children get their own process group, so Ctrl+C in a terminal reaches only this
    process, which then stops each child once (a second signal would make the worker
    abandon the job it is running). A worker that dies is started again.
    """
    stopping: list[int] = []

    def ask_to_stop(signum: int, _frame: FrameType | None) -> None:
        stopping.append(signum)

    previous = {sig: signal.signal(sig, ask_to_stop) for sig in (signal.SIGINT, signal.SIGTERM)}

    def spawn(argv: Sequence[str]) -> subprocess.Popen[Any]:
        return subprocess.Popen(list(argv), process_group=0)

    server_process = spawn(server)
    worker_process = spawn(worker) if worker else None
    restart_at = 0.0
    try:
        while not stopping and server_process.poll() is None:
            if worker_process is not None and worker_process.poll() is not None:
                stderr.write(
                    f"Pekerja latar berhenti (kode {worker_process.returncode}); "
                    f"dijalankan lagi dalam {restart_delay:g} detik.\n"
                )
                worker_process, restart_at = None, time.monotonic() + restart_delay
            if worker and worker_process is None and time.monotonic() >= restart_at:
                worker_process = spawn(worker)
            time.sleep(poll)
    finally:
        code = _stop(server_process, worker_grace)
        if worker_process is not None:
            _stop(worker_process, worker_grace)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    # Stopped on request: a server ended by our own signal has not failed.
    return 0 if stopping and code < 0 else code


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else default


class Command(BaseCommand):
    help = "Jalankan Prima dengan gunicorn di 127.0.0.1:$PORT (bawaan 8000)."

    def add_arguments(self, parser: CommandParser) -> None:
        port = _env_int("PORT", 8000)
        parser.add_argument(
            "--bind",
            default=f"127.0.0.1:{port}",
            help="Alamat:port yang didengar (bawaan 127.0.0.1:$PORT).",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=_env_int("WEB_CONCURRENCY", 2),
            help="Jumlah proses pekerja (bawaan $WEB_CONCURRENCY atau 2).",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=_env_int("WEB_THREADS", 4),
            help="Jumlah utas per pekerja (bawaan $WEB_THREADS atau 4).",
        )
        parser.add_argument(
            "--no-static", action="store_true", help="Jangan jalankan collectstatic."
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Jangan jalankan pekerja latar (db_worker) di samping gunicorn.",
        )
        parser.add_argument(
            "--print-command",
            action="store_true",
            help="Cetak perintah gunicorn (dan pekerja latar) tanpa menjalankannya.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        argv = gunicorn_argv(
            bind=options["bind"], workers=options["workers"], threads=options["threads"]
        )
        worker = worker_argv() if worker_needed() and not options["no_worker"] else None
        if options["print_command"]:
            self.stdout.write(" ".join(argv))
            if worker:
                self.stdout.write(" ".join(worker))
            return
        if not options["no_static"]:
            collect_static_if_needed(self.stdout)
        self._warn_about_demo_data()
        self.stdout.write(
            f"Prima berjalan di http://{options['bind']}/ "
            f"({options['workers']} pekerja × {options['threads']} utas"
            + ("; pekerja latar db_worker aktif" if worker else "")
            + "). Ctrl+C untuk berhenti."
        )
        sys.stdout.flush()
        code = supervise(argv, worker, stderr=self.stderr)
        if code:
            sys.exit(code)

    def _warn_about_demo_data(self) -> None:
        from prima.core.demo.loader import demo_entry, demo_mode_enabled

        try:
            has_demo = demo_entry() is not None
        except DatabaseError:
            return  # not migrated yet: gunicorn will show the real error on first request
        if has_demo and not demo_mode_enabled():
            self.stderr.write(
                "Peringatan: basis data ini berisi data demo (dengan kata sandi demo yang "
                "diketahui umum), tetapi PRIMA_DEMO tidak aktif. Jangan gunakan basis data "
                "demo untuk produksi."
            )
