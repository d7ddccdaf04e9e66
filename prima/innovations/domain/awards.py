"""Award history (tier per programme and year), recorded by the secretariat."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from prima.core.domain import audit
from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.models import Person
from prima.innovations.domain.permissions import may_record_awards
from prima.innovations.enums import AwardLevel, Programme
from prima.innovations.models import AwardRecord, Innovation

AUDIT_FIELDS = (
    "innovation",
    "programme",
    "year",
    "tier",
    "level",
    "group",
    "decree_ref",
    "decree_date",
    "revoked",
)
# The first national public-service innovation awards predate KIPP (2014); older records
# are imported history, so the bound is loose.
FIRST_YEAR = 2000


def record_award(
    innovation: Innovation,
    *,
    actor: Person,
    programme: str,
    year: int,
    tier: str,
    level: str,
    decree_ref: str = "",
    group: str = "",
    decree_date: dt.date | None = None,
) -> AwardRecord:
    """Add a tier the innovation reached (e.g. KIPP 2019, top99, finalist) with its decree.

    Only the secretariat records awards; the same programme, year and tier twice is refused.
    """
    if not may_record_awards(actor):
        raise PermissionDenied(_("Hanya Sekretariat yang dapat mencatat penghargaan."))
    if programme not in Programme.values:
        raise DomainError(
            _("Program tidak dikenal: %(programme)s.") % {"programme": programme},
            field="programme",
        )
    if level not in AwardLevel.values:
        raise DomainError(_("Tingkat tidak dikenal: %(level)s.") % {"level": level}, field="level")
    this_year = timezone.localdate().year
    if not FIRST_YEAR <= year <= this_year:
        raise DomainError(
            _("Tahun harus antara %(first)s dan %(last)s; tertulis %(year)s.")
            % {"first": FIRST_YEAR, "last": this_year, "year": year},
            field="year",
        )
    tier = tier.strip()
    decree_ref = decree_ref.strip()
    if not tier:
        raise DomainError(_("Peringkat/tier wajib diisi, misalnya top99 atau top45."), field="tier")
    if len(tier) > 40:
        raise DomainError(_("Peringkat/tier paling banyak 40 karakter."), field="tier")
    group = group.strip().lower()
    if len(group) > 30:
        raise DomainError(_("Kelompok paling banyak 30 karakter."), field="group")
    if decree_date is not None and decree_date.year != year:
        raise DomainError(
            _("Tanggal keputusan harus pada tahun penghargaan (%(year)s).") % {"year": year},
            field="decree_date",
        )
    if len(decree_ref) > 120:
        raise DomainError(_("Nomor keputusan paling banyak 120 karakter."), field="decree_ref")
    with transaction.atomic():
        if AwardRecord.objects.filter(
            innovation=innovation, programme=programme, year=year, tier=tier
        ).exists():
            raise DomainError(
                _("Penghargaan %(programme)s %(year)s «%(tier)s» sudah tercatat untuk inovasi ini.")
                % {"programme": Programme(programme).label, "year": year, "tier": tier},
                field="tier",
            )
        award = AwardRecord.objects.create(
            innovation=innovation,
            programme=programme,
            year=year,
            tier=tier,
            level=level,
            group=group,
            decree_ref=decree_ref,
            decree_date=decree_date,
        )
        audit.record(
            actor=actor,
            action="award.recorded",
            obj=award,
            after=audit.snapshot(award, AUDIT_FIELDS),
        )
    return award
