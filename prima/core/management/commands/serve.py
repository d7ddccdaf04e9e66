"""`prima serve`: run Prima under gunicorn (WhiteNoise serves the static files).

Binds to 127.0.0.1:$PORT (default 8000) with $WEB_CONCURRENCY worker processes
(default 2) of $WEB_THREADS threads each (default 4). Static files are collected first
when the manifest is missing or older than a source file.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError

MANIFEST_NAME = "staticfiles.json"


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
            "--print-command",
            action="store_true",
            help="Cetak perintah gunicorn tanpa menjalankannya.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        argv = gunicorn_argv(
            bind=options["bind"], workers=options["workers"], threads=options["threads"]
        )
        if options["print_command"]:
            self.stdout.write(" ".join(argv))
            return
        if not options["no_static"]:
            collect_static_if_needed(self.stdout)
        self._warn_about_demo_data()
        self.stdout.write(
            f"Prima berjalan di http://{options['bind']}/ "
            f"({options['workers']} pekerja × {options['threads']} utas). Ctrl+C untuk berhenti."
        )
        sys.stdout.flush()
        os.execv(sys.executable, argv)

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
