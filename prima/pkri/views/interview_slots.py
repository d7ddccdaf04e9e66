"""Moving and cancelling a PKRI interview slot (pkri.md §7.3), from the schedule page.

- ``/pkri/{kode}/keputusan/wawancara/{id}/ubah/``: new start (WIB), link, presenter, reason;
- ``/pkri/{kode}/keputusan/wawancara/{id}/batal/``: reason, then the slot is cancelled.

The secretariat only (other readers of the decision pages get 403); the domain
(`reschedule_interview_slot`, `cancel_interview_slot`) checks the stage, the panel's
sheets and the times again, and e-mails the participants and the panelists.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from prima.core.domain.errors import DomainError
from prima.core.interfaces.forms import StyledFormMixin
from prima.evaluation.models import Edition
from prima.pkri.domain.decisions import form_label, pkri_rules
from prima.pkri.domain.interviews import (
    MAX_LINK,
    MAX_PRESENTER,
    MAX_REASON,
    cancel_interview_slot,
    panel_of_slots,
    reschedule_interview_slot,
    slot_change_refusal,
)
from prima.pkri.models import InterviewSlot
from prima.pkri.views.decisions import reader_edition


class ReasonField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", gettext_lazy("Alasan"))
        kwargs.setdefault("max_length", MAX_REASON)
        kwargs.setdefault(
            "help_text", gettext_lazy("Dikirim kepada peserta dan panelis; minimal 10 karakter.")
        )
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3}))
        super().__init__(**kwargs)


class RescheduleForm(StyledFormMixin, forms.Form):
    starts_at = forms.DateTimeField(
        label=gettext_lazy("Mulai baru (WIB)"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    link = forms.CharField(
        label=gettext_lazy("Tautan rapat daring"), max_length=MAX_LINK, required=False
    )
    presenter_name = forms.CharField(
        label=gettext_lazy("Nama penyaji"), max_length=MAX_PRESENTER, required=False
    )
    presenter_position = forms.CharField(
        label=gettext_lazy("Jabatan penyaji"), max_length=MAX_PRESENTER, required=False
    )
    reason = ReasonField()


class CancelForm(StyledFormMixin, forms.Form):
    reason = ReasonField()


def _slot(request: HttpRequest, code: str, pk: int) -> tuple[Edition, InterviewSlot]:
    """The edition and its slot, for the secretariat only (403 for readers, 404 unknown)."""
    edition, can_act = reader_edition(request, code)
    if not can_act:
        raise PermissionDenied
    slot = get_object_or_404(
        InterviewSlot.objects.select_related(
            "form__edition", "form__object__innovation", "form__locus__institution"
        ),
        pk=pk,
        form__edition=edition,
    )
    return edition, slot


def _context(edition: Edition, slot: InterviewSlot, form: forms.Form) -> dict[str, Any]:
    rules = pkri_rules(edition)
    return {
        "edition": edition,
        "can_act": True,
        "slot": slot,
        "label": form_label(slot.form),
        "panelists": panel_of_slots(edition).get(slot.form_id, []),
        "refusal": slot_change_refusal(slot),
        "window": rules.interviews,
        "form": form,
    }


def _refuse(form: forms.Form, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def interview_reschedule(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """Move the slot to a new start; link and presenter may change at the same time."""
    edition, slot = _slot(request, code, pk)
    initial = {
        "starts_at": timezone.localtime(slot.starts_at),
        "link": slot.link,
        "presenter_name": slot.presenter_name,
        "presenter_position": slot.presenter_position,
    }
    form = RescheduleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            reschedule_interview_slot(
                slot,
                starts_at=data["starts_at"],
                link=data["link"],
                presenter_name=data["presenter_name"],
                presenter_position=data["presenter_position"],
                reason=data["reason"],
                actor=request.user,
            )
        except DomainError as error:
            _refuse(form, error)
        else:
            messages.success(
                request, _("Jadwal wawancara diubah; peserta dan panelis diberi tahu lewat e-mail.")
            )
            return redirect("pkri_decisions_interviews", code=edition.code)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "pkri/decisions/interview_reschedule.html",
        _context(edition, slot, form),
        status=status,
    )


def interview_cancel(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """Cancel the slot after confirming with a reason."""
    edition, slot = _slot(request, code, pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cancel_interview_slot(slot, reason=form.cleaned_data["reason"], actor=request.user)
        except DomainError as error:
            _refuse(form, error)
        else:
            messages.success(
                request,
                _(
                    "Jadwal wawancara dibatalkan; peserta dan panelis diberi tahu lewat e-mail. "
                    "Jadwalkan kembali peserta ini bila wawancaranya tetap diperlukan."
                ),
            )
            return redirect("pkri_decisions_interviews", code=edition.code)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "pkri/decisions/interview_cancel.html",
        _context(edition, slot, form),
        status=status,
    )
