"""Forms of the hub (Simpul JIPP) pages: the input boundary; `domain.hubs` checks again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from prima.core.enums import RegionLevel
from prima.core.interfaces.forms import StyledFormMixin
from prima.core.models import Institution, Region
from prima.innovations.domain.hubs import FIRST_YEAR
from prima.innovations.models import JippHub
from prima.innovations.queries_hubs import member_candidates


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class InstitutionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.get_kind_display()})"


class HubForm(StyledFormMixin, forms.Form):
    province = RegionChoiceField(label=_("Provinsi"), queryset=Region.objects.none())
    decree_ref = forms.CharField(
        label=_("Keputusan penetapan"),
        max_length=120,
        help_text=_("Nomor keputusan yang menetapkan simpul, mis. KepmenPANRB 94/2020."),
    )
    year = forms.IntegerField(label=_("Tahun penetapan"), min_value=FIRST_YEAR)
    universities = forms.CharField(
        label=_("Perguruan tinggi pendamping"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Satu nama per baris; kosongkan bila belum ada."),
    )

    def __init__(self, *args: Any, hub: JippHub | None = None, **kwargs: Any) -> None:
        if hub is not None:
            kwargs.setdefault(
                "initial",
                {
                    "province": hub.province_id,
                    "decree_ref": hub.decree_ref,
                    "year": hub.year,
                    "universities": "\n".join(hub.universities),
                },
            )
        super().__init__(*args, **kwargs)
        # Provinces that are no hub yet, plus this hub's own.
        taken = JippHub.objects.all() if hub is None else JippHub.objects.exclude(pk=hub.pk)
        field = self.fields["province"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            Region.objects.filter(level=RegionLevel.PROVINCE)
            .exclude(pk__in=taken.values("province_id"))
            .order_by("name")
        )

    def clean_universities(self) -> list[str]:
        """One name per line; blank lines are dropped (the domain refuses repeats)."""
        text = self.cleaned_data.get("universities") or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class MemberAddForm(StyledFormMixin, forms.Form):
    institution = InstitutionChoiceField(
        label=_("Instansi di provinsi ini"), queryset=Institution.objects.none()
    )

    def __init__(self, *args: Any, hub: JippHub, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["institution"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = member_candidates(hub)


class MemberImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Berkas anggota (CSV atau XLSX)"),
        help_text=_(
            "Kolom instansi: nomor id instansi atau namanya persis seperti di registri, "
            "satu instansi per baris."
        ),
    )
    replace = forms.BooleanField(
        label=_("Ganti seluruh anggota dengan isi berkas (tanpa centang: tambahkan)"),
        required=False,
    )
