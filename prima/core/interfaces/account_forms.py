"""Forms of the account pages: requests, operators, people and roles, passwords, tokens."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm
from django.contrib.auth.forms import SetPasswordForm
from django.utils.translation import gettext_lazy

from prima.core.domain import accounts
from prima.core.enums import Role
from prima.core.interfaces.forms import StyledFormMixin
from prima.core.models import Institution, Person, ServiceUnit
from prima.core.queries import units_manageable_by

# Above this many units a drop-down is unusable; the form asks for the unit's number.
UNIT_SELECT_LIMIT = 300


class AccountRequestForm(StyledFormMixin, forms.Form):
    institution = forms.ModelChoiceField(
        label=gettext_lazy("Instansi"),
        queryset=Institution.objects.filter(is_active=True).order_by("name"),
        empty_label=gettext_lazy("— pilih instansi —"),
    )
    full_name = forms.CharField(label=gettext_lazy("Nama pejabat"), max_length=150)
    position = forms.CharField(
        label=gettext_lazy("Jabatan"),
        max_length=150,
        help_text=gettext_lazy("Misalnya Kepala Bagian Organisasi Sekretariat Daerah."),
    )
    email = forms.EmailField(
        label=gettext_lazy("Surel resmi"),
        max_length=150,
        help_text=gettext_lazy(
            "Surel dinas (bukan surel pribadi). Tautan aktivasi akun dikirim ke alamat ini."
        ),
    )
    phone = forms.CharField(label=gettext_lazy("Nomor telepon"), max_length=30)
    letter_number = forms.CharField(label=gettext_lazy("Nomor surat"), max_length=100)
    letter = forms.FileField(
        label=gettext_lazy("Surat permohonan bertanda tangan (PDF)"),
        help_text=gettext_lazy(
            "Surat dari pimpinan instansi yang menunjuk pejabat ini sebagai Admin Lokal, "
            "dipindai dalam format PDF."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )


class DecisionForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Alasan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        institution = obj.institution
        return f"{obj.name} — {institution.short_name or institution.name}"


class _OperatorFields(forms.Form):
    unit = UnitChoiceField(
        label=gettext_lazy("Unit pelayanan (UPP)"),
        queryset=ServiceUnit.objects.none(),
        empty_label=gettext_lazy("— pilih unit —"),
    )
    full_name = forms.CharField(label=gettext_lazy("Nama lengkap"), max_length=150)
    email = forms.EmailField(
        label=gettext_lazy("Surel"),
        max_length=150,
        help_text=gettext_lazy("Tautan aktivasi akun dikirim ke alamat ini."),
    )
    position = forms.CharField(label=gettext_lazy("Jabatan"), max_length=150, required=False)
    phone = forms.CharField(label=gettext_lazy("Nomor telepon"), max_length=30, required=False)
    nip = forms.CharField(label=gettext_lazy("NIP"), max_length=30, required=False)

    def __init__(self, *args: Any, actor: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = (
            units_manageable_by(actor).filter(is_active=True).order_by("institution__name", "name")
        )
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = units
        if units.count() > UNIT_SELECT_LIMIT:
            field.widget = forms.NumberInput(attrs={"min": 1})
            field.help_text = gettext_lazy(
                "Nomor ID unit pelayanan, seperti tertulis di halaman unit tersebut."
            )


class OperatorForm(StyledFormMixin, _OperatorFields):
    """Mixin first: the unit choices are set before the mixin triggers validation."""


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Alasan"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class RequiredReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=gettext_lazy("Alasan"), widget=forms.Textarea(attrs={"rows": 3}))


class PersonCreateForm(StyledFormMixin, forms.Form):
    full_name = forms.CharField(label=gettext_lazy("Nama lengkap"), max_length=150)
    email = forms.EmailField(
        label=gettext_lazy("Surel"),
        max_length=150,
        help_text=gettext_lazy("Tautan aktivasi akun dikirim ke alamat ini."),
    )
    position = forms.CharField(label=gettext_lazy("Jabatan"), max_length=150, required=False)
    phone = forms.CharField(label=gettext_lazy("Nomor telepon"), max_length=30, required=False)
    nip = forms.CharField(label=gettext_lazy("NIP"), max_length=30, required=False)
    expertise = forms.CharField(
        label=gettext_lazy("Kata kunci keahlian"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Untuk evaluator dan panelis, dipisahkan koma."),
    )
    roles = forms.MultipleChoiceField(
        label=gettext_lazy("Peran nasional"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[
            (value, label) for value, label in Role.choices if value in accounts.GRANTABLE_ROLES
        ],
    )
    reason = forms.CharField(
        label=gettext_lazy("Dasar penugasan"),
        required=False,
        help_text=gettext_lazy("Misalnya nomor SK tim evaluasi."),
    )


class GrantForm(StyledFormMixin, forms.Form):
    role = forms.ChoiceField(
        label=gettext_lazy("Peran"),
        choices=[
            (value, label) for value, label in Role.choices if value in accounts.GRANTABLE_ROLES
        ],
    )
    institution = forms.ModelChoiceField(
        label=gettext_lazy("Instansi (untuk analis atau pemantau satu instansi)"),
        queryset=Institution.objects.filter(is_active=True).order_by("name"),
        required=False,
        empty_label=gettext_lazy("— nasional —"),
    )
    reason = forms.CharField(label=gettext_lazy("Dasar penugasan"), required=False)


class RevokeForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=gettext_lazy("Alasan pencabutan"))


class StyledSetPasswordForm(StyledFormMixin, SetPasswordForm):
    pass


class PasswordResetForm(StyledFormMixin, DjangoPasswordResetForm):
    pass


class TokenForm(StyledFormMixin, forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Nama token"),
        max_length=100,
        help_text=gettext_lazy("Misalnya nama aplikasi atau skrip yang akan memakainya."),
    )
