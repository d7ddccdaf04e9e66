"""Forms of the innovation registry: input boundary for the UI, validated again by the domain."""

from __future__ import annotations

import dataclasses
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from prima.core.enums import InstitutionKind, RegionLevel
from prima.core.interfaces.forms import StyledFormMixin
from prima.core.interfaces.widgets import PlainSelect
from prima.core.models import Institution, Region, ServiceUnit
from prima.innovations.domain.innovations import InnovationData
from prima.innovations.enums import SDG_NAMES, AwardLevel, InnovationStatus, Programme
from prima.innovations.models import Category
from prima.innovations.queries import (
    DEFAULT_SORT,
    InnovationFilters,
    hubs_for_filter,
    public_tier_codes,
)

# Lazy labels: built at import time, rendered in the language of each request.
SDG_CHOICES = [(n, format_lazy("{}. {}", n, name)) for n, name in SDG_NAMES.items()]
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PUBLIC_SORTS = [
    ("baru", _("Terbaru dicatat")),
    ("nama", _("Nama A–Z")),
    ("-nama", _("Nama Z–A")),
    ("-mulai", _("Mulai diterapkan, terbaru")),
    ("mulai", _("Mulai diterapkan, terlama")),
    ("instansi", _("Instansi")),
]
YES_NO = [("", _("Semua")), ("ya", _("Ya")), ("tidak", _("Tidak"))]


class CategoryChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class InnovationForm(StyledFormMixin, forms.Form):
    """The content of an innovation; `version` carries the loaded version for edits."""

    name = forms.CharField(label=_("Nama inovasi"), max_length=200)
    acronym = forms.CharField(label=_("Akronim"), max_length=60, required=False)
    summary = forms.CharField(
        label=_("Ringkasan"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Apa inovasinya dan siapa yang merasakan manfaatnya, dalam beberapa kalimat."),
    )
    problem = forms.CharField(
        label=_("Masalah yang diatasi"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    approach = forms.CharField(
        label=_("Pendekatan/cara kerja"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    results = forms.CharField(
        label=_("Hasil yang dicapai"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    beneficiaries = forms.CharField(
        label=_("Penerima manfaat"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    started_on = forms.DateField(
        label=_("Mulai diterapkan"),
        widget=DATE_WIDGET,
        help_text=_("Tanggal inovasi mulai dijalankan; tidak boleh di masa depan."),
    )
    is_digital = forms.BooleanField(
        label=_("Inovasi digital (memakai aplikasi atau teknologi informasi)"), required=False
    )
    categories = CategoryChoiceField(
        label=_("Kategori"),
        queryset=Category.objects.all(),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        required=False,
    )
    sdg_goals = forms.TypedMultipleChoiceField(
        label=_("Tujuan Pembangunan Berkelanjutan (SDGs)"),
        choices=SDG_CHOICES,
        coerce=int,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        required=False,
    )
    open_to_replication = forms.BooleanField(
        label=_("Terbuka untuk direplikasi instansi lain"),
        required=False,
        help_text=_(
            "Tampil di katalog publik sebagai ajakan untuk mengamati, meniru dan memodifikasi "
            "(ATM) inovasi ini."
        ),
    )
    replication_contact = forms.CharField(
        label=_("Kontak resmi replikasi"),
        max_length=200,
        required=False,
        help_text=_(
            "Unit atau pejabat, surel dinas dan telepon kantor yang dapat dihubungi instansi "
            "yang ingin mereplikasi. Tampil di katalog publik: jangan cantumkan nomor pribadi. "
            "Wajib bila inovasi terbuka untuk direplikasi."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def to_data(self) -> InnovationData:
        """The cleaned values as the domain takes them."""
        cd = getattr(self, "cleaned_data", {})
        return InnovationData(
            name=cd["name"],
            acronym=cd["acronym"],
            summary=cd["summary"],
            problem=cd["problem"],
            approach=cd["approach"],
            results=cd["results"],
            beneficiaries=cd["beneficiaries"],
            started_on=cd["started_on"],
            is_digital=cd["is_digital"],
            categories=[c.code for c in cd["categories"]],
            sdg_goals=list(cd["sdg_goals"]),
            open_to_replication=cd["open_to_replication"],
            replication_contact=cd["replication_contact"],
        )


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} — {obj.institution.short_name or obj.institution.name}"


class InnovationCreateForm(InnovationForm):
    """A new innovation: the owner unit is chosen among the units the person may register for."""

    def __init__(
        self, *args: Any, units: QuerySet[ServiceUnit], pick_by_id: bool = False, **kwargs: Any
    ) -> None:
        field: forms.ModelChoiceField
        if pick_by_id:
            # The secretariat registers for any of ~25,000 units: a list would be unusable.
            field = forms.ModelChoiceField(
                label=_("ID unit pemilik"),
                queryset=units,
                widget=forms.NumberInput(attrs={"min": 1}),
                help_text=_("Nomor ID unit pelayanan, seperti tercantum di halaman registri unit."),
                error_messages={
                    "invalid_choice": _("Unit dengan ID ini tidak ada atau tidak aktif.")
                },
            )
        else:
            field = UnitChoiceField(
                label=_("Unit pemilik"), queryset=units, empty_label=_("— pilih unit —")
            )
        # The fields must be complete before StyledFormMixin runs: it reads `errors` (and so
        # validates) during __init__.
        base = {name: f for name, f in type(self).base_fields.items() if name != "version"}
        self.base_fields = {"unit": field, **base}  # type: ignore[misc]
        super().__init__(*args, **kwargs)


class StatusForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status baru"), choices=InnovationStatus.choices)
    reason = forms.CharField(
        label=_("Alasan"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Wajib untuk status dihentikan sementara atau berhenti."),
    )
    changed_on = forms.DateField(
        label=_("Berlaku sejak"),
        widget=DATE_WIDGET,
        required=False,
        help_text=_("Kosongkan untuk hari ini."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class EvidenceForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Berkas"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.webp"}),
        help_text=_("PDF, JPEG, PNG atau WebP; jenis berkas diperiksa dari isinya."),
    )
    description = forms.CharField(label=_("Keterangan"), max_length=255, required=False)
    is_public = forms.BooleanField(
        label=_("Boleh dilihat publik di katalog inovasi"), required=False
    )


class ReplicationForm(StyledFormMixin, forms.Form):
    """The source is picked from search results shown on the same page."""

    source = forms.IntegerField(
        label=_("Inovasi sumber"),
        widget=forms.HiddenInput,
        error_messages={"required": _("Pilih inovasi sumber dari hasil pencarian.")},
    )
    replicated_on = forms.DateField(label=_("Tanggal replikasi"), widget=DATE_WIDGET)
    adaptation = forms.CharField(
        label=_("Yang diadaptasi"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bagian inovasi sumber yang diamati dan ditiru."),
    )
    differences = forms.CharField(
        label=_("Perbedaan/modifikasi"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Apa yang diubah agar sesuai dengan kondisi setempat."),
    )


class AwardForm(StyledFormMixin, forms.Form):
    programme = forms.ChoiceField(label=_("Program"), choices=Programme.choices)
    year = forms.IntegerField(label=_("Tahun"), min_value=2000, max_value=2100)
    tier = forms.CharField(
        label=_("Peringkat/tier"),
        max_length=40,
        help_text=_("Kode peringkat dari keputusan, misalnya top99, top45, top5_replikasi."),
    )
    level = forms.ChoiceField(label=_("Tingkat"), choices=AwardLevel.choices)
    group = forms.CharField(
        label=_("Kelompok"),
        max_length=30,
        required=False,
        help_text=_("Kelompok peserta bila ada, misalnya umum, replikasi, khusus."),
    )
    decree_ref = forms.CharField(label=_("Nomor keputusan"), max_length=120, required=False)
    decree_date = forms.DateField(
        label=_("Tanggal keputusan"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


def _yes_no(value: str | None) -> bool | None:
    return {"ya": True, "tidak": False}.get(value or "")


class PublicFilterForm(forms.Form):
    """Filters of the public catalogue (GET; invalid values are ignored, never an error page)."""

    q = forms.CharField(label=_("Cari"), required=False, max_length=100)
    category = forms.ChoiceField(label=_("Kategori"), required=False)
    province = forms.ChoiceField(label=_("Provinsi"), required=False, widget=PlainSelect)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Semua")), *InnovationStatus.choices],
    )
    digital = forms.ChoiceField(label=_("Digital"), required=False, choices=YES_NO)
    year = forms.IntegerField(label=_("Tahun mulai"), required=False, min_value=1900)
    sort = forms.ChoiceField(label=_("Urutkan"), required=False, choices=PUBLIC_SORTS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        categories = Category.objects.order_by("position", "name").values_list("code", "name")
        self._choice("category").choices = [("", _("Semua kategori")), *categories]
        provinces = Region.objects.filter(level=RegionLevel.PROVINCE).values_list(
            "province_code", "name"
        )
        self._choice("province").choices = [("", _("Semua provinsi")), *provinces]
        for field in self.fields.values():
            css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            field.widget.attrs["class"] = f"{css} {css}-sm"

    def _choice(self, name: str) -> forms.ChoiceField:
        return cast(forms.ChoiceField, self.fields[name])

    def filters(self) -> InnovationFilters:
        """The valid values as filters; invalid ones are dropped."""
        self.is_valid()
        cd = getattr(self, "cleaned_data", {})
        return InnovationFilters(
            q=cd.get("q") or "",
            category=cd.get("category") or "",
            province=cd.get("province") or "",
            status=cd.get("status") or "",
            digital=_yes_no(cd.get("digital")),
            year=cd.get("year"),
            sort=cd.get("sort") or DEFAULT_SORT,
        )


class CatalogueFilterForm(PublicFilterForm):
    """The public catalogue's filters (pkri.md §9): the shared ones plus institution type,
    tier and award year (of the same award), JIPP hub and whether it has replicas."""

    kind = forms.ChoiceField(
        label=_("Jenis instansi"),
        required=False,
        choices=[("", _("Semua jenis")), *InstitutionKind.choices],
    )
    tier = forms.ChoiceField(label=_("Peringkat penghargaan"), required=False)
    award_year = forms.IntegerField(
        label=_("Tahun penghargaan"), required=False, min_value=2000, max_value=2100
    )
    hub = forms.TypedChoiceField(
        label=_("Simpul JIPP"), required=False, coerce=int, empty_value=None
    )
    has_replicas = forms.ChoiceField(label=_("Sudah direplikasi"), required=False, choices=YES_NO)

    field_order = [
        "q",
        "category",
        "province",
        "kind",
        "status",
        "tier",
        "award_year",
        "hub",
        "has_replicas",
        "digital",
        "year",
        "sort",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choice("tier").choices = [
            ("", _("Semua peringkat")),
            *((code, code) for code in public_tier_codes()),
        ]
        self._choice("hub").choices = [
            ("", _("Semua simpul")),
            *((hub.pk, f"{hub.province.name} ({hub.year})") for hub in hubs_for_filter()),
        ]

    def filters(self) -> InnovationFilters:
        base = super().filters()
        cd = getattr(self, "cleaned_data", {})
        return dataclasses.replace(
            base,
            kind=cd.get("kind") or "",
            tier=cd.get("tier") or "",
            award_year=cd.get("award_year"),
            hub=cd.get("hub"),
            has_replicas=_yes_no(cd.get("has_replicas")),
        )


class InnovationFilterForm(PublicFilterForm):
    """The internal list's filters; institution and unit choices follow the person's scope."""

    institution = forms.TypedChoiceField(
        label=_("Instansi"), required=False, coerce=int, empty_value=None, widget=PlainSelect
    )
    unit = forms.TypedChoiceField(
        label=_("Unit"), required=False, coerce=int, empty_value=None, widget=PlainSelect
    )
    published = forms.ChoiceField(label=_("Dipublikasikan"), required=False, choices=YES_NO)

    field_order = [
        "q",
        "institution",
        "unit",
        "category",
        "province",
        "status",
        "digital",
        "published",
        "year",
        "sort",
    ]

    def __init__(
        self,
        *args: Any,
        institutions: QuerySet[Institution],
        units: QuerySet[ServiceUnit],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._choice("sort").choices = [*PUBLIC_SORTS, ("diperbarui", _("Terakhir diperbarui"))]
        self._choice("institution").choices = [
            ("", _("Semua instansi")),
            *institutions.values_list("id", "name"),
        ]
        self._choice("unit").choices = [("", _("Semua unit")), *units.values_list("id", "name")]

    def filters(self) -> InnovationFilters:
        base = super().filters()
        cd = getattr(self, "cleaned_data", {})
        return InnovationFilters(
            q=base.q,
            institution=cd.get("institution"),
            unit=cd.get("unit"),
            category=base.category,
            status=base.status,
            digital=base.digital,
            province=base.province,
            published=_yes_no(cd.get("published")),
            year=base.year,
            sort=base.sort,
        )
