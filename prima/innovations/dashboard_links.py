"""The dashboard panel of the replication-link review: how many claims wait for the
person (pkri.md §9). An Admin Lokal sees the claims on their institution's originals; the
secretariat the claims awaiting confirmation and the confirmed links awaiting verification.
One query."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from prima.core.access import access_for
from prima.innovations.enums import LinkStatus
from prima.innovations.models import ReplicationLink


def links_panel(person: Any) -> tuple[str, dict[str, Any]] | None:
    access = access_for(person)
    if access.is_secretariat:
        qs = ReplicationLink.objects.all()
    elif access.admin_institution_ids:
        qs = ReplicationLink.objects.filter(source__institution_id__in=access.admin_institution_ids)
    else:
        return None
    counts = qs.aggregate(
        claimed=Count("pk", filter=Q(status=LinkStatus.CLAIMED)),
        confirmed=Count("pk", filter=Q(status=LinkStatus.CONFIRMED)),
    )
    return "innovations/jipp/links/dashboard_panel.html", {
        "claimed": counts["claimed"],
        # Only the secretariat verifies; an Admin Lokal has nothing to do with confirmed links.
        "confirmed": counts["confirmed"] if access.is_secretariat else None,
    }
