"""Forms of the citizen pages: mobile number, one-time code, e-mail, closing the account."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from prima.core.domain.citizens import normalise_phone
from prima.core.domain.errors import DomainError
from prima.core.interfaces.forms import StyledFormMixin


class PhoneForm(StyledFormMixin, forms.Form):
    phone = forms.CharField(
        label=gettext_lazy("Nomor ponsel"),
        max_length=24,
        help_text=gettext_lazy(
            "Nomor seluler Indonesia, misalnya 0812 3456 7890. Kode masuk dikirim lewat SMS."
        ),
        widget=forms.TextInput(
            attrs={"inputmode": "tel", "autocomplete": "tel", "placeholder": "08…"}
        ),
        error_messages={"required": gettext_lazy("Nomor ponsel wajib diisi.")},
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_phone(self) -> str:
        try:
            return normalise_phone(self.cleaned_data["phone"])
        except DomainError as error:
            raise forms.ValidationError(error.message) from None


class CodeForm(StyledFormMixin, forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Kode 6 angka"),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": "[0-9 ]*",
                "class": "form-control-lg",
            }
        ),
        error_messages={"required": gettext_lazy("Kode wajib diisi.")},
    )

    def __init__(self, *args: Any, label: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if label is not None:
            self.fields["code"].label = label


class EmailForm(StyledFormMixin, forms.Form):
    email = forms.CharField(
        label=gettext_lazy("Alamat surel"),
        max_length=254,
        help_text=gettext_lazy(
            "Kami kirim kode ke alamat ini untuk memastikan surel itu milik Anda."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}),
        error_messages={"required": gettext_lazy("Alamat surel wajib diisi.")},
    )


class CloseAccountForm(StyledFormMixin, forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy("Saya mengerti dan ingin menutup akun warga saya."),
        error_messages={
            "required": gettext_lazy("Centang pernyataan ini untuk menutup akun Anda.")
        },
    )
