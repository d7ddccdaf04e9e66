"""When an innovation's profile counts as out of date (pkri.md §9, JIPPNas).

A profile not updated for more than 24 calendar months shows the `data belum diperbarui`
badge and appears on the secretariat's list of innovations to ask for an update. The
catalogue badge and that list use these functions, so they always agree.

Pure: no ORM. The "profile last updated" time is `Innovation.updated_at`, read as a
date in Asia/Jakarta.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from prima.core.dates import add_months

STALE_AFTER_MONTHS = 24


def updated_on(updated_at: dt.datetime | dt.date) -> dt.date:
    """The local (WIB) calendar day of an update time."""
    if isinstance(updated_at, dt.datetime):
        if timezone.is_aware(updated_at):
            return timezone.localtime(updated_at).date()
        return updated_at.date()
    return updated_at


def is_stale(updated_at: dt.datetime | dt.date, today: dt.date) -> bool:
    """Whether a profile last updated at `updated_at` is more than 24 calendar months old
    on `today`. Exactly 24 months old (the same day of the month) is not yet stale."""
    return today > add_months(updated_on(updated_at), STALE_AFTER_MONTHS)


def stale_cutoff(today: dt.date) -> dt.date:
    """The first update day that is *not* stale on `today`: a profile is stale exactly
    when it was last updated before this day (what the database filter needs)."""
    cutoff = add_months(today, -STALE_AFTER_MONTHS)
    if add_months(cutoff, STALE_AFTER_MONTHS) < today:
        # `today` is a month's end longer than the month 24 months back (29 February →
        # 28 February): that clamped day is already stale.
        cutoff += dt.timedelta(days=1)
    return cutoff
