"""Forms of the secretariat's review pages: excusing a review, pinning a pair (kipp.md §10.1).

They only collect input; `prima.evaluation.domain.reviews` and `runs` validate every write
again and their refusals (conflicts named by code) are shown on the field they name.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import Case, CharField, F, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from prima.core.interfaces.forms import StyledFormMixin
from prima.evaluation.domain.reviews import MIN_EXCUSE_REASON
from prima.evaluation.domain.runs import stage_roles
from prima.evaluation.enums import PinKind, SheetStatus
from prima.evaluation.models import Appointment, Assignment, Stage, Subject
from prima.kipp.domain.decisions import stage_candidates
from prima.kipp.interfaces.sheet_forms import TODO_DRAFT, TODO_EXCUSED, TODO_FINAL, TODO_OPEN

SUBJECT_RESULTS = 20


def live_assignments(stage: Stage) -> QuerySet[Assignment]:
    """The stage's live assignments with subject and assessor, each annotated with its
    to-do state (`todo`, as the assessor's list names it) and `sheet_status`; the
    secretariat's page and API both list these."""
    return (
        Assignment.objects.filter(stage=stage)
        .select_related("subject", "appointment__person")
        .annotate(
            sheet_status=F("sheet__status"),
            todo=Case(
                When(is_excused=True, then=Value(TODO_EXCUSED)),
                When(sheet__status=SheetStatus.DRAFT, then=Value(TODO_DRAFT)),
                When(sheet__status=SheetStatus.FINAL, then=Value(TODO_FINAL)),
                default=Value(TODO_OPEN),
                output_field=CharField(),
            ),
        )
    )


class ReplacementField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        name = obj.person.full_name or obj.person.username
        load = getattr(obj, "load", None)
        return f"{name} ({load} penugasan)" if load is not None else str(name)


class ExcuseForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Alasan pembebasan"),
        min_length=MIN_EXCUSE_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Minimal 10 karakter; disimpan pada penugasan dan di log audit."),
    )
    replacement = ReplacementField(
        label=_("Penilai pengganti (opsional)"),
        queryset=Appointment.objects.none(),
        required=False,
        empty_label=_("— tanpa pengganti —"),
        help_text=_(
            "Hanya penilai yang siap, tidak berkonflik, dan belum menilai proposal ini. "
            "Pengganti dipin wajib agar proses penugasan berikutnya mempertahankannya."
        ),
    )

    def __init__(self, *args: Any, candidates: Sequence[Appointment] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["replacement"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Appointment.objects.filter(pk__in=[a.pk for a in candidates])
        # Keep the candidates' order and their `load`, shown in the labels.
        ordered = {a.pk: a for a in candidates}
        field.choices = [
            ("", field.empty_label or ""),
            *((a.pk, field.label_from_instance(a)) for a in ordered.values()),
        ]


class SubjectRadioField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"#{obj.pk} {obj.title}"


class StageAssessorField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.person.full_name or obj.person.username} — {obj.get_role_display()}"


def search_subjects(stage: Stage, q: str) -> QuerySet[Subject]:
    """The stage's candidate subjects whose number or title matches `q` (at most 20)."""
    q = (q or "").strip().removeprefix("#")
    if not q:
        return Subject.objects.none()
    condition = Q(title__icontains=q)
    if q.isdigit():
        condition |= Q(pk=int(q))
    ids = list(
        stage_candidates(stage).filter(condition).values_list("pk", flat=True)[:SUBJECT_RESULTS]
    )
    return Subject.objects.filter(pk__in=ids).order_by("title", "pk")


class PinForm(StyledFormMixin, forms.Form):
    subject = SubjectRadioField(
        label=_("Proposal (subjek)"),
        queryset=Subject.objects.none(),
        widget=forms.RadioSelect,
        help_text=_("Cari dulu nomor atau judul proposal, lalu pilih satu."),
    )
    appointment = StageAssessorField(label=_("Penilai"), queryset=Appointment.objects.none())
    kind = forms.ChoiceField(label=_("Jenis pin"), choices=PinKind.choices, initial=PinKind.FORCE)
    reason = forms.CharField(label=_("Alasan"), max_length=300)

    def __init__(
        self, *args: Any, stage: Stage, found: QuerySet[Subject] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        subject = self.fields["subject"]
        appointment = self.fields["appointment"]
        assert isinstance(subject, forms.ModelChoiceField)
        assert isinstance(appointment, forms.ModelChoiceField)
        # On submit any subject of the edition is accepted; the search decides what is listed.
        subject.queryset = (
            Subject.objects.filter(edition_id=stage.edition_id)
            if self.is_bound
            else (found if found is not None else Subject.objects.none())
        )
        appointment.queryset = (
            Appointment.objects.filter(
                edition_id=stage.edition_id, role__in=stage_roles(stage), is_active=True
            )
            .select_related("person")
            .order_by("person__full_name", "pk")
        )
