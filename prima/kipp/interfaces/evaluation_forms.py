"""Forms of the secretariat's evaluation pages (kipp.md §10.1, §10.3, §11.3).

They only collect input; the domain (`prima.evaluation.domain.*`, `prima.kipp.domain.
decisions`) validates every write again and its refusals are shown on the field they name.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from prima.core.interfaces.forms import StyledFormMixin
from prima.core.models import Institution, Person
from prima.evaluation.enums import AssessorRole, ConflictNature
from prima.evaluation.models import Appointment, Edition, Subject
from prima.kipp.interfaces.sheet_forms import category_choices

MIN_JUSTIFICATION = 20
SWAP_ROWS = 3
PERSON_RESULTS = 20


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        name = obj.full_name or obj.username
        return f"{name} ({obj.email})" if obj.email else str(name)


class InstitutionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class InstitutionsChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


def search_people(q: str) -> QuerySet[Person]:
    """Active people whose name, username or e-mail contains `q` (at most 20)."""
    q = q.strip()
    if len(q) < 2:
        return Person.objects.none()
    matching = (
        Person.objects.filter(is_active=True)
        .filter(Q(full_name__icontains=q) | Q(username__icontains=q) | Q(email__icontains=q))
        .order_by("full_name", "pk")
    )
    ids = list(matching.values_list("pk", flat=True)[:PERSON_RESULTS])
    return Person.objects.filter(pk__in=ids).order_by("full_name", "pk")


class AppointForm(StyledFormMixin, forms.Form):
    person = PersonChoiceField(
        label=_("Orang yang ditunjuk"),
        queryset=Person.objects.none(),
        widget=forms.RadioSelect,
        help_text=_("Cari dulu nama, nama pengguna atau surel, lalu pilih satu."),
    )
    role = forms.ChoiceField(label=_("Peran"), choices=AssessorRole.choices)
    affiliation = InstitutionChoiceField(
        label=_("Instansi asal"),
        queryset=Institution.objects.order_by("name"),
        required=False,
        help_text=_("Instansi tempat penilai bekerja; proposalnya tidak akan ditugaskan."),
    )
    past_institutions = InstitutionsChoiceField(
        label=_("Instansi tempat bekerja 3 tahun terakhir"),
        queryset=Institution.objects.order_by("name"),
        required=False,
    )
    home_province = forms.CharField(
        label=_("Provinsi domisili (kode 2 angka)"),
        max_length=2,
        required=False,
        help_text=_("Misalnya 35 untuk Jawa Timur; proposal pemerintah daerahnya dikecualikan."),
    )
    university = forms.CharField(
        label=_("Perguruan tinggi/lembaga"), max_length=200, required=False
    )
    expertise = forms.CharField(
        label=_("Kata kunci keahlian"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Dipakai untuk mencocokkan proposal dengan keahlian penilai."),
    )
    categories = forms.MultipleChoiceField(
        label=_("Kategori keahlian"), required=False, widget=forms.CheckboxSelectMultiple
    )
    min_load = forms.IntegerField(label=_("Beban minimum"), min_value=0, initial=0)
    max_load = forms.IntegerField(
        label=_("Beban maksimum"),
        min_value=0,
        required=False,
        help_text=_("Kosongkan untuk otomatis: ⌈1,2·k·P/E⌉."),
    )

    def __init__(
        self, *args: Any, edition: Edition, people: QuerySet[Person] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        person = self.fields["person"]
        assert isinstance(person, forms.ModelChoiceField)
        # On submit any active person is accepted; the search decides what is listed.
        person.queryset = (
            Person.objects.filter(is_active=True)
            if self.is_bound
            else people or Person.objects.none()
        )
        categories = self.fields["categories"]
        assert isinstance(categories, forms.MultipleChoiceField)
        categories.choices = category_choices(edition)


class DeactivateForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Alasan penonaktifan"), widget=forms.Textarea(attrs={"rows": 3})
    )


class SubjectNumberField(forms.ModelChoiceField):
    """A subject picked by its number, as shown in the score table."""

    widget = forms.NumberInput

    def label_from_instance(self, obj: Any) -> str:
        return f"#{obj.pk} {obj.title}"


class AppointmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.person.full_name or obj.person.username} — {obj.get_role_display()}"


class ConflictForm(StyledFormMixin, forms.Form):
    appointment = AppointmentChoiceField(label=_("Penilai"), queryset=Appointment.objects.none())
    subject = SubjectNumberField(
        label=_("Nomor proposal (subjek)"),
        queryset=Subject.objects.none(),
        required=False,
        help_text=_("Isi nomor subjek, atau pilih instansi di bawah (salah satu)."),
    )
    institution = InstitutionChoiceField(
        label=_("Instansi"), queryset=Institution.objects.order_by("name"), required=False
    )
    nature = forms.ChoiceField(label=_("Sifat hubungan"), choices=ConflictNature.choices)
    reason = forms.CharField(label=_("Keterangan"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, edition: Edition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        appointment = self.fields["appointment"]
        subject = self.fields["subject"]
        assert isinstance(appointment, forms.ModelChoiceField)
        assert isinstance(subject, forms.ModelChoiceField)
        appointment.queryset = (
            Appointment.objects.filter(edition=edition, is_active=True)
            .select_related("person")
            .order_by("person__full_name", "pk")
        )
        subject.queryset = Subject.objects.filter(edition=edition)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("subject")) == bool(data.get("institution")):
            raise forms.ValidationError(_("Isi tepat satu: nomor proposal atau instansi."))
        return data


class RunForm(StyledFormMixin, forms.Form):
    label = forms.CharField(label=_("Label"), max_length=120)
    demand = forms.IntegerField(
        label=_("Penilai per proposal (k)"),
        min_value=1,
        required=False,
        help_text=_("Kosongkan untuk memakai aturan penyelenggaraan."),
    )
    max_load = forms.IntegerField(
        label=_("Beban maksimum per penilai"),
        min_value=0,
        required=False,
        help_text=_("Kosongkan untuk otomatis (⌈1,2·k·P/E⌉) atau aturan penyelenggaraan."),
    )

    def parameters(self) -> dict[str, Any]:
        params: dict[str, Any] = {}
        if self.cleaned_data.get("demand") is not None:
            params["demand"] = self.cleaned_data["demand"]
        if self.cleaned_data.get("max_load") is not None:
            params["max_load"] = self.cleaned_data["max_load"]
        return params


class ConfirmForm(StyledFormMixin, forms.Form):
    confirm = forms.BooleanField(
        label=_("Saya memahami akibat tindakan ini dan ingin melanjutkan."), required=True
    )


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Alasan"), max_length=300, required=False)


class ConsolidationForm(StyledFormMixin, forms.Form):
    score = forms.DecimalField(
        label=_("Nilai konsolidasi"), min_value=Decimal(0), max_value=Decimal(100), decimal_places=2
    )
    justification = forms.CharField(
        label=_("Justifikasi"),
        min_length=MIN_JUSTIFICATION,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Minimal 20 karakter."),
    )
    attendees = forms.CharField(
        label=_("Peserta rapat"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Satu nama per baris."),
    )
    minutes_ref = forms.CharField(label=_("Nomor notulen"), max_length=120)


class SwapForm(StyledFormMixin, forms.Form):
    removed = forms.TypedChoiceField(
        label=_("Dikeluarkan"), required=False, coerce=int, empty_value=None
    )
    added = forms.TypedChoiceField(
        label=_("Dimasukkan"), required=False, coerce=int, empty_value=None
    )
    justification = forms.CharField(
        label=_("Justifikasi"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self,
        *args: Any,
        selected: Sequence[tuple[int, str]] = (),
        others: Sequence[tuple[int, str]] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        removed = self.fields["removed"]
        added = self.fields["added"]
        assert isinstance(removed, forms.ChoiceField) and isinstance(added, forms.ChoiceField)
        removed.choices = [("", "—"), *selected]
        added.choices = [("", "—"), *others]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        used = data.get("removed") is not None or data.get("added") is not None
        text = (data.get("justification") or "").strip()
        if used and len(text) < MIN_JUSTIFICATION:
            self.add_error(
                "justification", _("Justifikasi minimal %(n)d karakter.") % {"n": MIN_JUSTIFICATION}
            )
        return data

    def override(self) -> dict[str, Any] | None:
        data = self.cleaned_data
        if data.get("removed") is None and data.get("added") is None:
            return None
        return {
            "removed": data.get("removed"),
            "added": data.get("added"),
            "justification": data.get("justification", ""),
        }


class AdoptForm(StyledFormMixin, forms.Form):
    minutes_ref = forms.CharField(label=_("Nomor notulen pleno"), max_length=120)
    acknowledge = forms.BooleanField(
        label=_("Saya menyadari daftar ini melanggar batasan komposisi dan tetap menyimpannya."),
        required=False,
    )


def swap_forms(
    data: Any, selected: Sequence[tuple[int, str]], others: Sequence[tuple[int, str]]
) -> list[SwapForm]:
    return [
        SwapForm(data, prefix=f"swap{i}", selected=selected, others=others)
        for i in range(1, SWAP_ROWS + 1)
    ]
