"""KIPP API: published announcements and their lists, for anyone (open data, §15)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from prima.kipp.domain.announcements import published_announcements
from prima.kipp.models import Announcement

router = Router(tags=["KIPP"])


class ErrorOut(Schema):
    detail: str


class ListingRowOut(Schema):
    proposal: int
    title: str
    institution: str
    province: str = ""
    group: str = ""
    group_label: str = ""
    category: str = ""
    category_label: str = ""
    tier: str = ""
    tier_label: str = ""
    starts_at: str | None = Field(None, description="mulai slot (WIB), pengumuman jadwal")
    minutes: int | None = None
    mode: str | None = None
    location: str | None = None


class AnnouncementOut(Schema):
    id: int
    edition: str
    kind: str
    number: str
    date: dt.date
    title: str
    body: str
    signatory_name: str
    signatory_position: str
    new_close: dt.datetime | None
    corrects: int | None
    published_at: dt.datetime
    listing_count: int


class AnnouncementDetailOut(AnnouncementOut):
    listing: list[ListingRowOut]


class AnnouncementList(Schema):
    count: int
    items: list[AnnouncementOut]


class AnnouncementFilters(Schema):
    edition: str = Field("", description="kode penyelenggaraan, mis. kipp-2025")
    kind: str = Field("", description="jenis pengumuman, mis. finalists")
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)


def _out(announcement: Announcement) -> dict[str, Any]:
    assert announcement.published_at is not None
    return {
        "id": announcement.pk,
        "edition": announcement.edition.code,
        "kind": announcement.kind,
        "number": announcement.number,
        "date": announcement.date,
        "title": announcement.title,
        "body": announcement.body,
        "signatory_name": announcement.signatory_name,
        "signatory_position": announcement.signatory_position,
        "new_close": (
            timezone.localtime(announcement.new_close) if announcement.new_close else None
        ),
        "corrects": announcement.corrects_id,
        "published_at": timezone.localtime(announcement.published_at),
        "listing_count": len(announcement.listing or []),
    }


@router.get(
    "/public/announcements",
    response=AnnouncementList,
    auth=None,
    summary="Pengumuman KIPP yang sudah terbit",
)
def public_announcements(
    request: HttpRequest, params: Query[AnnouncementFilters]
) -> dict[str, Any]:
    """Published announcements of published editions, newest first (lists in the detail)."""
    qs = published_announcements()
    if params.edition:
        qs = qs.filter(edition__code=params.edition)
    if params.kind:
        qs = qs.filter(kind=params.kind)
    rows = qs[params.offset : params.offset + params.limit]
    return {"count": qs.count(), "items": [_out(a) for a in rows]}


@router.get(
    "/public/announcements/{announcement_id}",
    response={200: AnnouncementDetailOut, 404: ErrorOut},
    auth=None,
    summary="Satu pengumuman KIPP beserta daftar lampirannya",
)
def public_announcement(request: HttpRequest, announcement_id: int) -> dict[str, Any]:
    announcement = published_announcements().filter(pk=announcement_id).first()
    if announcement is None:
        raise HttpError(404, _("Pengumuman tidak ditemukan."))
    return {**_out(announcement), "listing": list(announcement.listing or [])}
