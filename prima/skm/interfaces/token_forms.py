"""The form with which unit staff issue a batch of one-time survey codes (skm.md §7)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from prima.core.interfaces.forms import StyledFormMixin
from prima.core.models import ServiceUnit
from prima.skm.domain.tokens import (
    BATCH_MAX_LENGTH,
    CODE_VALID_DAYS,
    MAX_CODES_PER_BATCH,
    MAX_VALID_DAYS,
)


class IssueCodesForm(StyledFormMixin, forms.Form):
    count = forms.IntegerField(
        label=_("Jumlah kode"),
        min_value=1,
        max_value=MAX_CODES_PER_BATCH,
        initial=40,
        help_text=_("Satu kode per pengguna layanan; sekitar 20 kode per halaman A4."),
    )
    issued_on = forms.DateField(
        label=_("Berlaku mulai"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    valid_days = forms.IntegerField(
        label=_("Masa berlaku (hari)"),
        min_value=1,
        max_value=MAX_VALID_DAYS,
        initial=CODE_VALID_DAYS,
    )
    service_code = forms.ChoiceField(label=_("Jenis layanan"), required=False)
    batch = forms.CharField(
        label=_("Nama kelompok"),
        required=False,
        max_length=BATCH_MAX_LENGTH,
        help_text=_('Mis. "Loket 2 Desember"; kosongkan untuk tanggal dan jam terbit.'),
    )

    def __init__(self, *args: Any, unit: ServiceUnit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("issued_on", timezone.localdate())
        service = self.fields["service_code"]
        assert isinstance(service, forms.ChoiceField)
        service.choices = [
            ("", _("Semua layanan (pengguna memilih sendiri)")),
            *unit.services.filter(is_active=True).order_by("name").values_list("code", "name"),
        ]
