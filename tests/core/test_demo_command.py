"""`prima demo` and `prima serve`: demo mode only, one load, printed logins, gunicorn."""

from __future__ import annotations

import os
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from prima.core.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from prima.core.demo.loader import load_demo
from prima.core.domain.errors import DomainError
from prima.core.management.commands.serve import gunicorn_argv, static_needs_collecting
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
    assert Innovation.objects.count() == 10

    out = StringIO()
    call_command("demo", "--size", "10", "--no-static", stdout=out)
    assert "Data demo sudah dimuat" in out.getvalue()
    assert Innovation.objects.count() == 10
    assert AuditEntry.objects.filter(action="demo.loaded").count() == 1


@pytest.mark.django_db
def test_force_loads_without_demo_mode_for_test_databases(settings):
    settings.PRIMA_DEMO = False
    call_command("demo", "--size", "5", "--no-static", "--force", stdout=StringIO())
    assert Innovation.objects.count() == 5


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
