"""Forms of the secretariat's decision pages and the panel's interview sheet."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from prima.evaluation.domain.sheets import Criterion
from prima.evaluation.models import Appointment, Edition
from prima.pkri.domain.decisions import form_label
from prima.pkri.domain.interviews import panelist_choices
from prima.pkri.enums import FormState
from prima.pkri.models import SelfAssessment


class LetterForm(forms.Form):
    """Number and date of an announcement or decree."""

    number = forms.CharField(label=_("Nomor"), max_length=60)
    date = forms.DateField(label=_("Tanggal"), widget=forms.DateInput(attrs={"type": "date"}))


class CloseInterviewsForm(forms.Form):
    force = forms.BooleanField(
        label=_("Tutup paksa walaupun masih ada lembar nilai draf"), required=False
    )
    reason = forms.CharField(label=_("Alasan tutup paksa"), required=False, max_length=500)


class _FormChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return form_label(obj)


class _PanelistChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        person = obj.person
        return str(person.full_name or person.get_username())


class SlotForm(forms.Form):
    """Schedule one interview: the shortlisted form, start (WIB), link, panel, presenter."""

    form = _FormChoice(label=_("Peserta"), queryset=SelfAssessment.objects.none())
    starts_at = forms.DateTimeField(
        label=_("Mulai (WIB)"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    link = forms.CharField(label=_("Tautan rapat daring"), max_length=300, required=False)
    panelists = _PanelistChoice(
        label=_("Panelis"),
        queryset=Appointment.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    presenter_name = forms.CharField(label=_("Nama penyaji"), max_length=150, required=False)
    presenter_position = forms.CharField(label=_("Jabatan penyaji"), max_length=150, required=False)

    def __init__(self, *args: Any, edition: Edition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field = self.fields["form"]
        assert isinstance(form_field, forms.ModelChoiceField)
        form_field.queryset = (
            SelfAssessment.objects.filter(
                edition=edition, state=FormState.SHORTLISTED, slot__isnull=True
            )
            .select_related("object__innovation", "locus__institution")
            .order_by("object__group", "object__innovation__name", "pk")
        )
        panel_field = self.fields["panelists"]
        assert isinstance(panel_field, forms.ModelMultipleChoiceField)
        panel_field.queryset = panelist_choices(edition)


class InterviewSheetForm(forms.Form):
    """The panelist's rubric: one 0–100 value per item, and the overall note."""

    note = forms.CharField(
        label=_("Catatan umum"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self,
        *args: Any,
        criteria: tuple[Criterion, ...],
        minimum: Decimal,
        maximum: Decimal,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"value_{criterion.code}"] = forms.DecimalField(
                label=f"{criterion.label} ({criterion.weight}%)",
                required=False,
                min_value=minimum,
                max_value=maximum,
                decimal_places=2,
            )

    def values(self) -> dict[str, Decimal | int | None]:
        found: dict[str, Decimal | int | None] = {}
        for criterion in self.criteria:
            value = self.cleaned_data.get(f"value_{criterion.code}")
            if isinstance(value, Decimal) and value == value.to_integral_value():
                found[criterion.code] = int(value)
            else:
                found[criterion.code] = value
        return found
