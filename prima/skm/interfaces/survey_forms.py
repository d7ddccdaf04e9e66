"""Forms of the staff survey pages: input boundary only; the domain validates again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from prima.core.enums import RegionLevel
from prima.core.interfaces.forms import StyledFormMixin
from prima.core.interfaces.widgets import PlainSelect
from prima.core.models import Institution, Region, Service, ServiceUnit
from prima.skm.enums import PublicationMedium, SurveyState, WeightRule

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
CHECKBOXES = forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})


def province_choices() -> list[tuple[str, str]]:
    """Every province by its two-digit code, for list filters (one query)."""
    provinces = Region.objects.filter(level=RegionLevel.PROVINCE).order_by("province_code")
    return [("", str(_("Semua provinsi")))] + [
        (r.province_code, f"{r.province_code} {r.name}") for r in provinces
    ]


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} — {obj.institution.short_name or obj.institution.name}"


class ServiceChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} — {obj.name}"


def _services_field(services: QuerySet[Service]) -> ServiceChoiceField:
    return ServiceChoiceField(
        label=_("Jenis layanan yang disurvei"),
        queryset=services,
        required=False,
        widget=CHECKBOXES,
        help_text=_("Kosongkan untuk menyurvei semua layanan unit."),
    )


class SurveySettingsForm(StyledFormMixin, forms.Form):
    """What can change until the result is calculated; ``version`` for optimistic locking."""

    population = forms.IntegerField(
        label=_("Populasi pengguna layanan pada periode ini (N)"),
        min_value=1,
        required=False,
        help_text=_(
            "Jumlah pengguna layanan dalam periode survei; target sampel dihitung dengan rumus "
            "Krejcie–Morgan. Kosongkan untuk memakai populasi per tahun unit dibagi 4 "
            "(triwulan), 2 (semester) atau 1 (tahun), dibulatkan ke atas."
        ),
    )
    requires_token = forms.BooleanField(
        label=_("Hanya dengan kode sekali pakai atau tautan setelah layanan"), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, services: QuerySet[Service], **kwargs: Any) -> None:
        base = dict(type(self).base_fields)
        self.base_fields = {  # type: ignore[misc]
            "population": base["population"],
            "services": _services_field(services),
            "requires_token": base["requires_token"],
            "version": base["version"],
        }
        super().__init__(*args, **kwargs)


class SurveyCreateForm(StyledFormMixin, forms.Form):
    """A new survey. Services are offered once the unit is known (one unit, or ?unit=)."""

    period_code = forms.CharField(
        label=_("Periode"),
        max_length=7,
        help_text=_("Triwulan 2026-Q1 … 2026-Q4, semester 2026-S1 atau 2026-S2, atau tahun 2026."),
    )
    instrument = forms.ChoiceField(label=_("Instrumen"))
    population = SurveySettingsForm.base_fields["population"]
    requires_token = SurveySettingsForm.base_fields["requires_token"]

    def __init__(
        self,
        *args: Any,
        units: QuerySet[ServiceUnit],
        instruments: list[str],
        services: QuerySet[Service] | None = None,
        pick_by_id: bool = False,
        **kwargs: Any,
    ) -> None:
        unit: forms.ModelChoiceField
        if pick_by_id:
            # The secretariat plans for any of ~25,000 units: a list would be unusable.
            unit = forms.ModelChoiceField(
                label=_("ID unit pelayanan"),
                queryset=units,
                widget=forms.NumberInput(attrs={"min": 1}),
                help_text=_("Nomor ID unit, seperti tercantum di halaman registri unit."),
                error_messages={
                    "invalid_choice": _("Unit dengan ID ini tidak ada atau tidak aktif.")
                },
            )
        else:
            unit = UnitChoiceField(
                label=_("Unit pelayanan"), queryset=units, empty_label=_("— pilih unit —")
            )
        base = dict(type(self).base_fields)
        fields: dict[str, forms.Field] = {"unit": unit, "period_code": base["period_code"]}
        fields["instrument"] = forms.ChoiceField(
            label=_("Instrumen"), choices=[(code, code) for code in instruments]
        )
        fields["population"] = base["population"]
        if services is not None:
            fields["services"] = _services_field(services)
        fields["requires_token"] = base["requires_token"]
        self.base_fields = fields  # type: ignore[misc]
        super().__init__(*args, **kwargs)


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Alasan"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Paling sedikit 10 karakter; tercatat di log audit."),
    )


class PublishForm(StyledFormMixin, forms.Form):
    published_on = forms.DateField(label=_("Tanggal publikasi"), widget=DATE_WIDGET)
    publication_media = forms.MultipleChoiceField(
        label=_("Media publikasi"),
        choices=PublicationMedium.choices,
        widget=CHECKBOXES,
        help_text=_("Pilih semua media tempat hasil diumumkan."),
    )
    url = forms.URLField(
        label=_("Tautan publikasi"),
        required=False,
        assume_scheme="https",
        help_text=_("Alamat halaman web atau unggahan media sosial, bila ada."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"published_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class InstrumentSettingForm(StyledFormMixin, forms.Form):
    weight_rule = forms.ChoiceField(label=_("Aturan bobot"), choices=WeightRule.choices)
    accepts_new_surveys = forms.BooleanField(label=_("Dipakai untuk survei baru"), required=False)


STATE_CHOICES = [("", _("Semua status")), *SurveyState.choices]


class SurveyFilterForm(forms.Form):
    """List filters; institution choices are limited to the person's scope."""

    q = forms.CharField(label=_("Cari unit"), required=False, max_length=100)
    period = forms.CharField(
        label=_("Periode atau tahun"),
        required=False,
        max_length=7,
        help_text=_("Mis. 2026-Q4 atau 2026"),
    )
    state = forms.ChoiceField(label=_("Status"), choices=STATE_CHOICES, required=False)
    province = forms.ChoiceField(label=_("Provinsi"), required=False, widget=PlainSelect)

    def __init__(self, *args: Any, institutions: QuerySet[Institution], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        province = self.fields["province"]
        assert isinstance(province, forms.ChoiceField)
        province.choices = province_choices()
        self.fields["institution"] = forms.ModelChoiceField(
            label=_("Instansi"),
            queryset=institutions,
            required=False,
            empty_label=_("Semua instansi"),
            widget=PlainSelect,
        )
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = f"{css} form-control-sm"
