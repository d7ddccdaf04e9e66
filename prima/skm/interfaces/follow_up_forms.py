"""Forms of the follow-up plan pages (skm.md §8); the domain validates again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from prima.core.interfaces.forms import StyledFormMixin
from prima.skm.domain.follow_up import DECREE_LIMIT, OWNER_LIMIT, TEXT_LIMIT, ItemInput
from prima.skm.domain.instruments import SkmInstrument
from prima.skm.enums import RtlStatus

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StartPlanForm(StyledFormMixin, forms.Form):
    draft_priorities = forms.BooleanField(
        label=_("Buat draf butir untuk setiap unsur prioritas"),
        required=False,
        initial=True,
    )
    note = forms.CharField(
        label=_("Catatan"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ItemForm(StyledFormMixin, forms.Form):
    """An item's content; ``version`` carries the optimistic lock when editing."""

    elements = forms.MultipleChoiceField(
        label=_("Unsur"), widget=forms.CheckboxSelectMultiple, choices=()
    )
    service_code = forms.ChoiceField(label=_("Jenis layanan"), required=False, choices=())
    problem = forms.CharField(
        label=_("Masalah"), max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 3})
    )
    action = forms.CharField(
        label=_("Rencana aksi"), max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 3})
    )
    owner = forms.CharField(label=_("Penanggung jawab"), max_length=OWNER_LIMIT)
    planned_start = forms.DateField(label=_("Rencana mulai"), widget=DATE)
    planned_end = forms.DateField(label=_("Rencana selesai"), widget=DATE)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        data: Any = None,
        *,
        instrument: SkmInstrument,
        service_codes: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        field = self.fields["elements"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [
            (element.code, f"{element.code} — {element.name}") for element in instrument.elements
        ]
        service = self.fields["service_code"]
        assert isinstance(service, forms.ChoiceField)
        service.choices = [("", _("Seluruh unit")), *service_codes]

    def to_input(self) -> ItemInput:
        cd = self.cleaned_data
        return ItemInput(
            elements=list(cd["elements"]),
            service_code=cd["service_code"] or "",
            problem=cd["problem"],
            action=cd["action"],
            owner=cd["owner"],
            planned_start=cd["planned_start"],
            planned_end=cd["planned_end"],
        )


class StatusForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=RtlStatus.choices)
    realised_on = forms.DateField(
        label=_("Tanggal terealisasi"),
        required=False,
        widget=DATE,
        help_text=_("Wajib untuk status Selesai; tidak boleh di masa depan."),
    )
    cancel_reason = forms.CharField(
        label=_("Alasan pembatalan"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Wajib untuk status Dibatalkan."),
    )
    evidence_note = forms.CharField(
        label=_("Keterangan bukti"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    evidence = forms.FileField(
        label=_("Berkas bukti"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/*"}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evidence"].help_text = _(
            "PDF atau gambar (JPEG, PNG, WebP), paling besar %(limit)s; "
            "berkas baru menggantikan yang lama."
        ) % {"limit": filesizeformat(settings.UPLOAD_MAX_BYTES)}


class AdoptForm(StyledFormMixin, forms.Form):
    adopted_on = forms.DateField(label=_("Tanggal penetapan"), widget=DATE)
    decree_number = forms.CharField(label=_("Nomor penetapan"), max_length=DECREE_LIMIT)
