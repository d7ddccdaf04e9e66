"""Helpers shared by the JIPP API routers."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, QuerySet
from ninja.errors import HttpError

M = TypeVar("M", bound=Model)


def all_of(qs: QuerySet[M], ids: list[int], message: str) -> list[M]:
    """The rows of `qs` with these ids; 422 with `message` (``%(ids)s``: the unknown ids)
    when some are not there."""
    wanted = set(ids)
    rows = list(qs.filter(pk__in=wanted))
    missing = sorted(wanted - {row.pk for row in rows})
    if missing:
        raise HttpError(422, message % {"ids": ", ".join(str(pk) for pk in missing)})
    return rows
