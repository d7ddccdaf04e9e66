"""The replication-link review queue's forms and its CSV/XLSX export."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from prima.core.enums import RegionLevel
from prima.core.interfaces.export import table_response
from prima.core.interfaces.forms import StyledFormMixin
from prima.core.interfaces.widgets import PlainSelect
from prima.core.models import Region
from prima.innovations.domain.link_review import NOTE_MAX, REASON_MIN
from prima.innovations.enums import LinkOrigin, LinkStatus
from prima.innovations.models import ReplicationLink
from prima.innovations.queries import province_code_of
from prima.innovations.queries_links import (
    DEFAULT_SORT,
    SIDE_REPLICA,
    SIDE_SOURCE,
    LinkFilters,
)

SORT_CHOICES = [
    ("lama", _("Terlama dicatat")),
    ("baru", _("Terbaru dicatat")),
    ("tanggal", _("Tanggal replikasi, terbaru")),
]


class LinkFilterForm(forms.Form):
    """Filters of the queue (GET; invalid values are ignored, never an error page)."""

    q = forms.CharField(label=_("Cari inovasi atau instansi"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Semua")), *LinkStatus.choices]
    )
    origin = forms.ChoiceField(
        label=_("Asal data"), required=False, choices=[("", _("Semua")), *LinkOrigin.choices]
    )
    province = forms.ChoiceField(label=_("Provinsi"), required=False, widget=PlainSelect)
    side = forms.ChoiceField(
        label=_("Sisi"),
        required=False,
        choices=[
            ("", _("Semua")),
            (SIDE_SOURCE, _("Inovasi asal milik kami")),
            (SIDE_REPLICA, _("Replika milik kami")),
        ],
    )
    sort = forms.ChoiceField(label=_("Urutkan"), required=False, choices=SORT_CHOICES)

    def __init__(self, *args: Any, national: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        provinces = Region.objects.filter(level=RegionLevel.PROVINCE).values_list(
            "province_code", "name"
        )
        cast(forms.ChoiceField, self.fields["province"]).choices = [
            ("", _("Semua provinsi")),
            *provinces,
        ]
        if national:
            # The secretariat owns no side of a link.
            del self.fields["side"]
        for field in self.fields.values():
            css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            field.widget.attrs["class"] = f"{css} {css}-sm"

    def filters(self) -> LinkFilters:
        """The valid values as filters; invalid ones are dropped."""
        self.is_valid()
        cd = getattr(self, "cleaned_data", {})
        return LinkFilters(
            status=cd.get("status") or "",
            origin=cd.get("origin") or "",
            province=cd.get("province") or "",
            q=cd.get("q") or "",
            side=cd.get("side") or "",
            sort=cd.get("sort") or DEFAULT_SORT,
        )


class ReviewNoteForm(StyledFormMixin, forms.Form):
    """An optional note with a confirmation or a verification."""

    note = forms.CharField(
        label=_("Catatan (opsional)"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReviewReasonForm(StyledFormMixin, forms.Form):
    """The reason a rejection or a reopening needs (checked again by the domain)."""

    reason = forms.CharField(
        label=_("Alasan"),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "minlength": REASON_MIN}),
        help_text=_("Minimal 20 karakter; ditampilkan kepada kedua instansi."),
        error_messages={"required": _("Alasan wajib diisi, minimal 20 karakter.")},
    )


# --------------------------------------------------------------------------- export

HEADER = [
    "id",
    "status",
    "asal_data",
    "inovasi_replika",
    "instansi_replika",
    "unit_replika",
    "kode_provinsi_replika",
    "inovasi_asal",
    "instansi_asal",
    "unit_asal",
    "kode_provinsi_asal",
    "tanggal_replikasi",
    "cakupan",
    "yang_diadaptasi",
    "perbedaan",
    "bukti",
    "ditinjau_oleh",
    "ditinjau_pada",
    "catatan_tinjauan",
    "dicatat_pada",
]


def _moment(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def link_rows(qs: QuerySet[ReplicationLink]) -> Iterator[list[Any]]:
    """One row per link; `qs` must carry the link relations (see queries_links)."""
    for link in qs.iterator(chunk_size=2000):
        replica, source = link.replica, link.source
        yield [
            link.pk,
            link.get_status_display(),
            link.get_origin_display(),
            replica.name,
            replica.institution.name,
            replica.unit.name,
            province_code_of(replica),
            source.name,
            source.institution.name,
            source.unit.name,
            province_code_of(source),
            link.replicated_on.isoformat(),
            link.get_scope_display() if link.scope else "",
            link.adaptation,
            link.differences,
            link.evidence_note,
            str(link.reviewed_by) if link.reviewed_by else "",
            _moment(link.reviewed_at),
            link.review_note,
            _moment(link.created_at),
        ]


def export_links(qs: QuerySet[ReplicationLink], fmt: str) -> HttpResponse:
    """The filtered queue as CSV (default) or XLSX, named with today's date."""
    filename = f"tautan-replikasi-{timezone.localdate():%Y%m%d}"
    return table_response(fmt, filename, HEADER, link_rows(qs))
