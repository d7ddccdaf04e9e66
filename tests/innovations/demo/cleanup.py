"""Removing the JIPP demo rows that the national demo's wipe would trip over: hubs protect
their province (Region). Called first by `tests/pkri/demo/cleanup.py`."""

from __future__ import annotations

from prima.innovations.models import JippHub


def wipe_jipp_demo() -> None:
    JippHub.objects.all().delete()
