"""KIPP API: documents as PDF (the official announcement letter, kipp.md §15)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from prima.core.access import access_for
from prima.core.api_auth import person_from_request
from prima.core.documents import pdf_response
from prima.kipp.domain.announcements import published_announcements
from prima.kipp.interfaces.announcement_pdf import pdf_filename, render_announcement_pdf
from prima.kipp.models import Announcement

router = Router(tags=["KIPP"])


class ErrorOut(Schema):
    detail: str


PDF_RESPONSE = {
    "responses": {
        200: {
            "description": "PDF pengumuman (draf bertanda «DRAF», hanya untuk Sekretariat)",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


@router.get(
    "/announcements/{announcement_id}/pdf",
    response={404: ErrorOut},
    auth=None,
    openapi_extra=PDF_RESPONSE,
    summary="PDF resmi satu pengumuman KIPP",
)
def announcement_pdf(request: HttpRequest, announcement_id: int) -> HttpResponse:
    """Anyone: a published announcement of a published edition. With a secretariat token
    (or session) also a draft, as a preview marked «DRAF», or one of a hidden edition."""
    announcement = published_announcements().filter(pk=announcement_id).first()
    if announcement is None:
        access = access_for(person_from_request(request))
        if access.is_secretariat or access.is_superuser:
            announcement = (
                Announcement.objects.select_related("edition", "corrects")
                .filter(pk=announcement_id, edition__programme="kipp")
                .first()
            )
    if announcement is None:
        raise HttpError(404, _("Pengumuman tidak ditemukan."))
    content = render_announcement_pdf(announcement, generated_at=timezone.now())
    return pdf_response(
        content, pdf_filename(announcement), private=announcement.published_at is None
    )
