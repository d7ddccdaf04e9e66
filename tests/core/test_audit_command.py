"""`prima audit verify`: exit 0 with the count when intact, exit 1 naming the first break."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from prima.core.domain import audit
from prima.core.models import AuditEntry


def write(actor, n):
    for i in range(n):
        with transaction.atomic():
            audit.record(actor=actor, action="test.write", object_type="t", object_id=str(i))


@pytest.mark.django_db
def test_intact_chain_prints_ok_with_the_count(secretariat):
    write(secretariat, 3)
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert out.getvalue().strip() == "OK: 3 entries"


@pytest.mark.django_db
def test_empty_chain_is_ok():
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert out.getvalue().strip() == "OK: 0 entries"


@pytest.mark.django_db
def test_edited_entry_exits_1_naming_it(secretariat):
    write(secretariat, 3)
    second = AuditEntry.objects.order_by("id")[1]
    AuditEntry.objects.filter(pk=second.pk).update(action="test.forged")
    with pytest.raises(CommandError) as error:
        call_command("audit", "verify")
    assert error.value.returncode == 1
    assert f"entry {second.pk}" in str(error.value)
    assert "isi catatan telah berubah" in str(error.value)


@pytest.mark.django_db
def test_deleted_entry_exits_1_naming_the_next_one(secretariat):
    write(secretariat, 3)
    _first, second, third = AuditEntry.objects.order_by("id")
    second.delete()
    with pytest.raises(CommandError) as error:
        call_command("audit", "verify")
    assert error.value.returncode == 1
    assert f"entry {third.pk}" in str(error.value)
    assert "tautan" in str(error.value)


def test_command_line_exit_codes(tmp_path):
    """The real `prima` entry point, on a throwaway SQLite database."""
    env = {
        "PATH": "/usr/bin:/bin",
        "PRIMA_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "prima.settings",
        "LOGIN_THROTTLING": "0",
    }

    def prima(*args, check=True):
        return subprocess.run(
            [sys.executable, "-m", "prima.cli", *args],
            env=env,
            capture_output=True,
            text=True,
            check=check,
        )

    prima("migrate", "--no-input", "-v", "0")
    script = (
        "from django.db import transaction\n"
        "from prima.core.domain import audit\n"
        "for i in range(2):\n"
        "    with transaction.atomic():\n"
        "        audit.record(actor=None, action='x.y', object_type='t', object_id=str(i))\n"
    )
    prima("shell", "-c", script)
    ok = prima("audit", "verify")
    assert ok.returncode == 0
    assert ok.stdout.strip() == "OK: 2 entries"

    prima(
        "shell",
        "-c",
        "from prima.core.models import AuditEntry; "
        "AuditEntry.objects.filter(object_id='0').update(reason='x')",
    )
    broken = prima("audit", "verify", check=False)
    assert broken.returncode == 1
    assert "BROKEN: entry 1" in broken.stderr
