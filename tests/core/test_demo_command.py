"""`prima demo` and `prima serve`: demo mode only, one load, printed logins, gunicorn."""

from __future__ import annotations

import os
import sys
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from prima.core.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from prima.core.demo.loader import load_demo
from prima.core.domain.errors import DomainError
from prima.core.management.commands.serve import (
    gunicorn_argv,
    static_needs_collecting,
    supervise,
    worker_argv,
)
from prima.core.models import AuditEntry, Institution, Person
from prima.innovations.models import Innovation


@pytest.mark.django_db
def test_demo_is_refused_outside_demo_mode(settings):
    settings.PRIMA_DEMO = False
    with pytest.raises(DomainError, match="PRIMA_DEMO=1"):
        load_demo(actor=None, size=10)
    with pytest.raises(CommandError, match="Mode demo tidak aktif"):
        call_command("demo", "--size", "10", "--no-static", stdout=StringIO())
    assert not Institution.objects.exists()
    assert not Person.objects.exists()
    assert not AuditEntry.objects.exists()


def _plan_innovations() -> int:
    """Innovations of the national plan: the PKRI demo adds its synthetic Top ones."""
    entry = AuditEntry.objects.get(action="demo.loaded")
    return Innovation.objects.count() - entry.after["pkri_innovations"]


@pytest.mark.django_db
def test_demo_command_loads_once_and_prints_one_login_per_role(settings):
    settings.PRIMA_DEMO = True
    out = StringIO()
    call_command("demo", "--size", "10", "--no-static", stdout=out)
    text = out.getvalue()
    assert "Data demo dimuat" in text
    assert f"kata sandi semua akun: {DEMO_PASSWORD}" in text
    for account in DEMO_ACCOUNTS:
        assert account.username in text
    assert "Operator UPP" in text and "Pemerintah Kota Payakumbuh" in text
    assert _plan_innovations() == 10

    out = StringIO()
    call_command("demo", "--size", "10", "--no-static", stdout=out)
    assert "Data demo sudah dimuat" in out.getvalue()
    assert _plan_innovations() == 10
    assert AuditEntry.objects.filter(action="demo.loaded").count() == 1


@pytest.mark.django_db
def test_force_loads_without_demo_mode_for_test_databases(settings):
    settings.PRIMA_DEMO = False
    call_command("demo", "--size", "5", "--no-static", "--force", stdout=StringIO())
    assert _plan_innovations() == 5


def test_serve_runs_gunicorn_on_loopback_with_the_configured_concurrency(monkeypatch):
    monkeypatch.setenv("PORT", "8123")
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    monkeypatch.setenv("WEB_THREADS", "5")
    out = StringIO()
    call_command("serve", "--print-command", stdout=out)
    command = out.getvalue().split()
    assert command[:4] == [sys.executable, "-m", "gunicorn", "prima.wsgi:application"]
    assert command[command.index("--bind") + 1] == "127.0.0.1:8123"
    assert command[command.index("--workers") + 1] == "3"
    assert command[command.index("--threads") + 1] == "5"


def test_gunicorn_defaults_are_two_workers_of_four_threads():
    argv = gunicorn_argv(bind="127.0.0.1:8000", workers=2, threads=4)
    assert argv[argv.index("--workers") + 1] == "2"
    assert argv[argv.index("--threads") + 1] == "4"


def test_static_files_are_collected_when_the_manifest_is_missing_or_stale(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    assert static_needs_collecting()
    manifest = tmp_path / "staticfiles.json"
    manifest.write_text("{}")
    # Older than the sources: still stale.
    os.utime(manifest, (0, 0))
    assert static_needs_collecting()
    os.utime(manifest, None)
    assert not static_needs_collecting()


def test_serve_starts_a_job_worker_only_with_the_database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    out = StringIO()
    call_command("serve", "--print-command", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[1] == " ".join(worker_argv())
    assert worker_argv()[-2:] == ["db_worker", "--no-reload"]

    out = StringIO()
    call_command("serve", "--print-command", "--no-worker", stdout=out)
    assert len(out.getvalue().splitlines()) == 1

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    out = StringIO()
    call_command("serve", "--print-command", stdout=out)
    assert len(out.getvalue().splitlines()) == 1


def _script(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def test_the_worker_is_stopped_when_the_server_exits(tmp_path):
    marker = tmp_path / "worker.pid"
    worker = _script(
        f"import os, pathlib, time; pathlib.Path({str(marker)!r}).write_text(str(os.getpid()));"
        " time.sleep(60)"
    )
    server = _script(
        "import pathlib, time\n"
        f"while not pathlib.Path({str(marker)!r}).exists(): time.sleep(0.05)\n"
        "raise SystemExit(3)"
    )

    started = time.monotonic()
    code = supervise(server, worker, stderr=StringIO(), poll=0.05, worker_grace=5)

    assert code == 3  # the server's exit code
    assert time.monotonic() - started < 10
    pid = int(marker.read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_a_worker_that_dies_is_started_again(tmp_path):
    starts = tmp_path / "starts"
    worker = _script(f"open({str(starts)!r}, 'a').write('x')")  # exits at once
    server = _script(
        f"import os, time\nwhile not (os.path.exists({str(starts)!r}) and "
        f"len(open({str(starts)!r}).read()) >= 2): time.sleep(0.05)"
    )
    log = StringIO()

    assert supervise(server, worker, stderr=log, poll=0.05, restart_delay=0.1) == 0
    assert len(Path(starts).read_text()) >= 2
    assert "Pekerja latar berhenti (kode 0)" in log.getvalue()
