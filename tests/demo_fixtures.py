"""The national demo loaded once per test module, for the modules that test the demo.

A module opts in with `demo_once = national_demo(size)`; its tests then ask for `demo`
(tests/conftest.py). Each test still runs in its own transaction, and the module's load
is wiped afterwards, children before parents (foreign keys protect).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from prima.core.demo.loader import DemoLoad, load_demo
from prima.core.models import (
    AuditEntry,
    AuditHead,
    Institution,
    Membership,
    Person,
    Region,
    ServiceUnit,
)
from prima.innovations.models import AwardRecord, Innovation, ReplicationLink
from tests.kipp.demo.cleanup import wipe_kipp_demo
from tests.skm.demo.cleanup import wipe_skm_demo


def wipe_demo() -> None:
    """Remove what the demo wrote."""
    wipe_skm_demo()
    wipe_kipp_demo()
    AwardRecord.objects.all().delete()
    ReplicationLink.objects.all().delete()
    Innovation.objects.all().delete()
    AuditEntry.objects.all().delete()
    AuditHead.objects.all().delete()
    Membership.objects.all().delete()
    Person.objects.all().delete()
    ServiceUnit.objects.all().delete()
    Institution.objects.exclude(parent=None).delete()
    Institution.objects.all().delete()
    Region.objects.all().delete()


def national_demo(size: int) -> Callable[..., Iterator[DemoLoad]]:
    """A module-scoped fixture loading the demo of `size` innovations once."""

    @pytest.fixture(scope="module")
    def demo_once(django_db_setup: Any, django_db_blocker: Any) -> Iterator[DemoLoad]:
        with django_db_blocker.unblock():
            result = load_demo(actor=None, size=size, force=True)
        yield result
        with django_db_blocker.unblock():
            wipe_demo()

    return demo_once
