"""Helpers shared by the JIPPNas exchange tests: stale innovations and update requests."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from prima.innovations.models import Innovation, UpdateRequest


def backdate(innovation: Innovation, *, days: int) -> Innovation:
    """Set the profile's last update `days` ago (auto_now would reset it on save)."""
    when = timezone.now() - dt.timedelta(days=days)
    Innovation.objects.filter(pk=innovation.pk).update(updated_at=when)
    innovation.refresh_from_db()
    return innovation


def make_stale(innovation: Innovation) -> Innovation:
    """Last updated about three years ago: well past the 24-month limit."""
    return backdate(innovation, days=3 * 366)


def asked(innovation: Innovation, by, *, days_ago: float, message: str = "") -> UpdateRequest:
    """A request already sent `days_ago` days ago."""
    request = UpdateRequest.objects.create(
        innovation=innovation, requested_by=by, message=message, recipients=[]
    )
    UpdateRequest.objects.filter(pk=request.pk).update(
        requested_at=timezone.now() - dt.timedelta(days=days_ago)
    )
    request.refresh_from_db()
    return request
