"""What assessors (Tim Evaluasi, TPI) see and fill in: gate forms, the to-do list, sheets.

Shared by the assessor pages and the assessor API, so both show exactly the same data:

- :func:`assessor_assignment` finds one assignment for its assessor through the scoping
  helpers (a conflicted or unassigned one is a 404, never a 403);
- :func:`todo_queryset` is the to-do list (drafts first, then unscored, then final);
- :func:`proposal_view` reads the proposal's frozen snapshot and leaves out every identity
  (institution, unit, file names, and the identifying extra-form answers such as an
  application's name and address) while the stage is blind;
- :func:`sheet_state` and :func:`other_sheets` read the assessor's own sheet and, in a stage
  that shows them, the other assessors' final sheets.

The domain (``prima.evaluation.domain.sheets``/``appointments``) validates every write again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Case, CharField, Count, F, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from prima.core.access import access_for
from prima.core.enums import Role
from prima.core.interfaces.forms import StyledFormMixin
from prima.core.interfaces.widgets import PlainSelect
from prima.core.models import Institution
from prima.evaluation.domain import instruments as pure
from prima.evaluation.domain.sheets import Criterion, criteria_for, is_rubric, total_of
from prima.evaluation.enums import ConflictNature, SheetStatus, StageStatus
from prima.evaluation.models import (
    Appointment,
    Assignment,
    Edition,
    Score,
    ScoreSheet,
    Stage,
)
from prima.evaluation.queries import (
    appointment_for,
    assignments_for_assessor,
    conflict_reasons,
    subjects_for_assessor,
)
from prima.kipp.domain import extra_forms
from prima.kipp.enums import AttachmentKind
from prima.kipp.models import Proposal
from prima.kipp.queries import proposals_for_assessor, scoring_stage

VALUE_PREFIX = "value_"
COMMENT_PREFIX = "comment_"
EVIDENCE_PREFIX = "evidence_"
MIN_CORRECTION_REASON = 10

# To-do states: the order is the list order (work in progress first).
TODO_DRAFT = "draft"
TODO_OPEN = "todo"
TODO_FINAL = "final"
TODO_EXCUSED = "excused"
TODO_LABELS: Mapping[str, Any] = {
    TODO_DRAFT: _("Draf"),
    TODO_OPEN: _("Belum dinilai"),
    TODO_FINAL: _("Final"),
    TODO_EXCUSED: _("Dibebaskan"),
}

TODO_CONDITIONS: Mapping[str, Q] = {
    TODO_DRAFT: Q(is_excused=False, sheet__status=SheetStatus.DRAFT),
    TODO_OPEN: Q(is_excused=False, sheet__isnull=True),
    TODO_FINAL: Q(is_excused=False, sheet__status=SheetStatus.FINAL),
    TODO_EXCUSED: Q(is_excused=True),
}

# kipp.md §7.1: the attendance item of the presentation rubric is scored by who presents;
# shown beside the input. Other items (e.g. the feasibility rubric's) have no hint.
RUBRIC_HINTS: Mapping[str, Any] = {
    "kehadiran_pimpinan": _(
        "100 jika pimpinan instansi hadir dan menyajikan; 50 jika diwakili wakil pimpinan, "
        "sekretaris jenderal/sekretaris utama atau sekretaris daerah; selain itu 0."
    ),
}


# --------------------------------------------------------------------------- who is an assessor


def is_assessor(person: Any) -> bool:
    """Holds an evaluator/panelist role or an active appointment in some edition."""
    access = access_for(person)
    if access.person_id is None:
        return False
    if access.has_role(Role.EVALUATOR) or access.has_role(Role.PANELIST):
        return True
    return Appointment.objects.filter(person_id=access.person_id, is_active=True).exists()


def my_appointments(person: Any) -> QuerySet[Appointment]:
    """The person's active appointments, newest edition first."""
    access = access_for(person)
    if access.person_id is None:
        return Appointment.objects.none()
    return (
        Appointment.objects.filter(person_id=access.person_id, is_active=True)
        .select_related("edition")
        .order_by("-edition__year", "-edition_id")
    )


class GateClosed(Exception):
    """The assessor has not yet accepted the code of conduct or declared conflicts."""

    def __init__(self, appointment: Appointment) -> None:
        super().__init__(str(appointment))
        self.appointment = appointment


def scoring_stages(edition: Edition) -> list[Stage]:
    """Stages of the edition in which assessors score and that have started."""
    return list(
        Stage.objects.filter(
            edition=edition,
            assessors_score=True,
            status__in=[StageStatus.OPEN, StageStatus.CLOSED],
        ).order_by("position")
    )


def chosen_stage(edition: Edition, code: str | None) -> Stage | None:
    """The stage asked for by code, else the open scoring stage, else the latest one."""
    stages = scoring_stages(edition)
    if code:
        return next((s for s in stages if s.code == code), None)
    current = scoring_stage(edition)
    if current is not None:
        return current
    return stages[-1] if stages else None


def assessor_assignment(person: Any, pk: int, *, edition: Edition | None = None) -> Assignment:
    """One of the person's assignments, scoped by conflicts and deployment.

    Raises :class:`GateClosed` before anything about the assignment is looked at when the
    assessor is not yet cleared, and ``Http404`` when the assignment is not theirs, is
    conflicted, or lies in a stage that has not started.
    """
    access = access_for(person)
    if access.person_id is None:
        raise Http404
    own = Assignment.objects.filter(
        pk=pk, appointment__person_id=access.person_id, appointment__is_active=True
    )
    if edition is not None:
        own = own.filter(stage__edition=edition)
    row = own.values_list("appointment__edition_id", "stage_id").first()
    if row is None:
        raise Http404
    appointment = appointment_for(person, row[0])
    if appointment is None:
        raise Http404
    if not appointment.is_ready:
        raise GateClosed(appointment)
    stage = Stage.objects.select_related("edition__instrument").get(pk=row[1])
    if stage.status not in (StageStatus.OPEN, StageStatus.CLOSED) or not stage.assessors_score:
        raise Http404
    assignment = (
        assignments_for_assessor(appointment, stage)
        .select_related("subject", "appointment")
        .filter(pk=pk)
        .first()
    )
    if assignment is None:
        raise Http404
    assignment.stage = stage
    assignment.appointment = appointment
    return assignment


def proposal_of(person: Any, assignment: Assignment) -> Proposal:
    """The proposal behind an assignment, read through the assessor scopes."""
    stage = assignment.stage
    current = scoring_stage(stage.edition)
    if current is not None and current.pk == stage.pk:
        proposals = proposals_for_assessor(person, stage.edition)
    else:
        subjects = subjects_for_assessor(assignment.appointment, stage)
        proposals = Proposal.objects.filter(subject__in=subjects)
    proposal = proposals.select_related("slot").filter(subject_id=assignment.subject_id).first()
    if proposal is None:
        raise Http404
    return proposal


# --------------------------------------------------------------------------- the to-do list


def todo_queryset(appointment: Appointment, stage: Stage) -> QuerySet[Assignment]:
    """The assessor's assignments in the stage with their to-do state, in list order."""
    return (
        assignments_for_assessor(appointment, stage)
        .select_related("subject")
        .annotate(
            todo=Case(
                When(is_excused=True, then=Value(TODO_EXCUSED)),
                When(sheet__status=SheetStatus.DRAFT, then=Value(TODO_DRAFT)),
                When(sheet__status=SheetStatus.FINAL, then=Value(TODO_FINAL)),
                default=Value(TODO_OPEN),
                output_field=CharField(),
            ),
            todo_rank=Case(
                When(is_excused=True, then=Value(3)),
                When(sheet__status=SheetStatus.DRAFT, then=Value(0)),
                When(sheet__status=SheetStatus.FINAL, then=Value(2)),
                default=Value(1),
                output_field=IntegerField(),
            ),
            sheet_version=F("sheet__current_version"),
            sheet_total=F("sheet__total"),
            sheet_finalised_at=F("sheet__finalised_at"),
        )
        .order_by("todo_rank", "subject__title", "pk")
    )


def filter_todo(
    queryset: QuerySet[Assignment],
    *,
    status: str = "",
    group: str = "",
    category: str = "",
    q: str = "",
) -> QuerySet[Assignment]:
    if status in TODO_CONDITIONS:
        queryset = queryset.filter(TODO_CONDITIONS[status])
    if group:
        queryset = queryset.filter(subject__group=group)
    if category:
        queryset = queryset.filter(subject__category=category)
    if q.strip():
        queryset = queryset.filter(subject__title__icontains=q.strip())
    return queryset


@dataclass(frozen=True)
class Progress:
    final: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.final / self.total) if self.total else 0


def progress_of(appointment: Appointment, stage: Stage) -> Progress:
    """Final sheets out of the assessor's non-excused assignments in the stage."""
    counts = assignments_for_assessor(appointment, stage).aggregate(
        total=Count("pk", filter=Q(is_excused=False)),
        final=Count("pk", filter=Q(is_excused=False, sheet__status=SheetStatus.FINAL)),
    )
    return Progress(final=counts["final"] or 0, total=counts["total"] or 0)


class TodoFilterForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    group = forms.ChoiceField(label=_("Kelompok"), required=False)
    category = forms.ChoiceField(label=_("Kategori"), required=False)
    q = forms.CharField(label=_("Cari judul"), required=False, max_length=100)

    def __init__(self, *args: Any, edition: Edition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choices("status", [("", _("Semua status")), *TODO_LABELS.items()])
        self._choices("group", [("", _("Semua kelompok")), *group_choices(edition)])
        self._choices("category", [("", _("Semua kategori")), *category_choices(edition)])

    def _choices(self, name: str, choices: Sequence[tuple[str, Any]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = list(choices)


def group_choices(edition: Edition) -> list[tuple[str, str]]:
    groups = edition.rules.get("groups") or {}
    if isinstance(groups, Mapping):
        return [
            (str(code), str(rule.get("label", code)) if isinstance(rule, Mapping) else str(code))
            for code, rule in groups.items()
        ]
    return [(str(code), str(code)) for code in groups]


def category_choices(edition: Edition) -> list[tuple[str, str]]:
    """Categories of the edition: `{code, label}` items (2025) or bare codes (2021)."""
    choices: list[tuple[str, str]] = []
    for item in edition.rules.get("categories") or []:
        if isinstance(item, Mapping):
            choices.append((str(item.get("code")), str(item.get("label", item.get("code")))))
        else:
            choices.append((str(item), str(item).replace("_", " ")))
    return choices


# --------------------------------------------------------------------------- the proposal


@dataclass(frozen=True)
class AnswerView:
    code: str
    label: str
    text: str
    max_words: int
    weight: Decimal


@dataclass(frozen=True)
class AttachmentView:
    kind: str
    label: str
    # The file name may name the proposer (e.g. "SK Wali Kota …"), so it is left out
    # while the stage is blind.
    name: str | None
    size: int


@dataclass(frozen=True)
class IdentityView:
    institution: str
    unit: str
    presenter_name: str = ""
    presenter_position: str = ""


@dataclass(frozen=True)
class ExtraFormView:
    """An extra form's frozen answers; identifying ones are ``hidden`` while blind."""

    code: str
    title: str
    lines: tuple[extra_forms.AnswerLine, ...]


@dataclass(frozen=True)
class ProposalView:
    """A proposal as an assessor may see it in a stage (``identity`` None when blind)."""

    title: str
    group: str
    group_label: str
    category: str
    category_label: str
    sdg_goals: tuple[int, ...]
    video_url: str
    video_minutes: str | None
    answers: tuple[AnswerView, ...]
    attachments: tuple[AttachmentView, ...]
    identity: IdentityView | None
    frozen: bool
    snapshot_hash: str
    extra_forms: tuple[ExtraFormView, ...] = ()


def proposal_view(proposal: Proposal, stage: Stage, instrument: pure.Instrument) -> ProposalView:
    """The frozen content of a proposal for an assessor of ``stage``.

    Reads only the submission snapshot, never the live record; while
    ``stage.identities_visible`` is off no institution, unit or person name is included.
    """
    snapshot: Mapping[str, Any] = proposal.snapshot or {}
    extra_answers = snapshot.get("extra_answers")
    if not isinstance(extra_answers, Mapping):
        extra_answers = {}
    group = str(snapshot.get("group") or proposal.group)
    category = str(snapshot.get("category") or proposal.category)
    answers = snapshot.get("answers") or {}
    try:
        sections = instrument.visible_sections(group)
    except KeyError:
        sections = ()
    group_labels = {g.code: g.label for g in instrument.groups}
    category_labels = dict(category_choices(stage.edition))
    kinds = dict(AttachmentKind.choices)
    blind = not stage.identities_visible
    identity: IdentityView | None = None
    if not blind:
        slot = proposal.slot if _has_slot(proposal) else None
        identity = IdentityView(
            institution=str((snapshot.get("institution") or {}).get("name") or ""),
            unit=str((snapshot.get("unit") or {}).get("name") or ""),
            presenter_name=slot.presenter_name if slot is not None else "",
            presenter_position=slot.presenter_position if slot is not None else "",
        )
    return ProposalView(
        title=str(snapshot.get("title") or ""),
        group=group,
        group_label=group_labels.get(group, group),
        category=category,
        category_label=category_labels.get(category, category),
        sdg_goals=tuple(int(n) for n in snapshot.get("sdg_goals") or ()),
        video_url=str(snapshot.get("video_url") or ""),
        video_minutes=snapshot.get("video_minutes"),
        answers=tuple(
            AnswerView(
                code=s.code,
                label=s.label,
                text=str(answers.get(s.code) or ""),
                max_words=s.max_words,
                weight=s.weights[group] or Decimal(0),
            )
            for s in sections
        ),
        attachments=tuple(
            AttachmentView(
                kind=str(a.get("kind", "")),
                label=str(kinds.get(a.get("kind", ""), a.get("kind", ""))),
                name=None if blind else str(a.get("name", "")),
                size=int(a.get("size") or 0),
            )
            for a in snapshot.get("attachments") or ()
        ),
        identity=identity,
        frozen=bool(proposal.snapshot),
        snapshot_hash=proposal.snapshot_hash,
        extra_forms=tuple(
            ExtraFormView(
                code=form.code,
                title=str(form.title),
                lines=tuple(
                    extra_forms.answer_lines(
                        form, extra_answers.get(form.code) or {}, hide_identifying=blind
                    )
                ),
            )
            for form in extra_forms.forms_for(stage.edition.rules.get("extra_forms") or ())
        ),
    )


def _has_slot(proposal: Proposal) -> bool:
    try:
        proposal.slot  # noqa: B018 - reverse one-to-one: raises when absent
    except Proposal.slot.RelatedObjectDoesNotExist:
        return False
    return True


@dataclass(frozen=True)
class Anchor:
    label: str
    min: Decimal
    max: Decimal


def anchors(instrument: pure.Instrument) -> tuple[Anchor, ...]:
    """The scale's verbal anchors (0–20 sangat lemah … 81–100 sangat baik)."""
    return tuple(Anchor(lv.label, lv.min, lv.max) for lv in instrument.scale.levels)


def stage_criteria(stage: Stage, group: str, instrument: pure.Instrument) -> tuple[Criterion, ...]:
    """What the stage's sheets score: the group's sections, or the items of the rubric the
    stage names (``rubric:feasibility`` in 2025, the presentation rubric otherwise)."""
    return criteria_for(stage.scoring, group, instrument)


def scores_rubric(stage: Stage) -> bool:
    """Whether the stage's sheets score a rubric (presentation or feasibility), not the
    proposal sections: then the answers are not matched to criteria by code."""
    return is_rubric(stage.scoring)


def rubric_hint(stage: Stage, code: str) -> Any:
    """The guidance shown beside a rubric item, or None (only the attendance item has one)."""
    return RUBRIC_HINTS.get(code) if scores_rubric(stage) else None


# --------------------------------------------------------------------------- sheets


@dataclass(frozen=True)
class VersionView:
    number: int
    created_at: Any
    reason: str
    total: Decimal | None


@dataclass(frozen=True)
class SheetState:
    """The assessor's own sheet: current values, comments, evidence and history."""

    sheet: ScoreSheet | None
    values: dict[str, Decimal | None] = field(default_factory=dict)
    comments: dict[str, str] = field(default_factory=dict)
    evidence: dict[str, str] = field(default_factory=dict)
    note: str = ""
    versions: tuple[VersionView, ...] = ()

    @property
    def status(self) -> str:
        if self.sheet is None:
            return TODO_OPEN
        return str(self.sheet.status)

    @property
    def is_final(self) -> bool:
        return self.sheet is not None and self.sheet.status == SheetStatus.FINAL

    @property
    def version(self) -> int | None:
        return self.sheet.current_version if self.sheet is not None else None

    @property
    def total(self) -> Decimal | None:
        return self.sheet.total if self.sheet is not None else None


def sheet_state(assignment: Assignment) -> SheetState:
    sheet = (
        ScoreSheet.objects.filter(assignment=assignment).select_related("stage", "subject").first()
    )
    if sheet is None:
        return SheetState(sheet=None)
    versions = list(sheet.versions.order_by("number"))
    current = next(v for v in versions if v.number == sheet.current_version)
    scores = list(current.scores.all())
    return SheetState(
        sheet=sheet,
        values={s.criterion: s.value for s in scores},
        comments={s.criterion: s.note for s in scores if s.note},
        evidence={s.criterion: s.evidence_ref for s in scores if s.evidence_ref},
        note=current.note,
        versions=tuple(VersionView(v.number, v.created_at, v.reason, v.total) for v in versions),
    )


@dataclass(frozen=True)
class OtherSheet:
    """Another assessor's final sheet, shown without their name."""

    label: str
    total: Decimal | None
    values: dict[str, Decimal | None]


def other_sheets(assignment: Assignment) -> tuple[OtherSheet, ...]:
    """Other assessors' final sheets for the subject, only where the stage shows them and
    never to an assessor conflicted with the subject."""
    stage = assignment.stage
    if not stage.others_scores_visible:
        return ()
    if conflict_reasons(assignment.appointment, assignment.subject):
        return ()
    sheets = list(
        ScoreSheet.objects.filter(
            stage=stage, subject_id=assignment.subject_id, status=SheetStatus.FINAL
        )
        .exclude(appointment_id=assignment.appointment_id)
        .order_by("pk")
    )
    if not sheets:
        return ()
    values: dict[int, dict[str, Decimal | None]] = {s.pk: {} for s in sheets}
    rows = Score.objects.filter(
        version__sheet__in=sheets, version__number=F("version__sheet__current_version")
    ).values_list("version__sheet_id", "criterion", "value")
    for sheet_id, criterion, value in rows:
        values[sheet_id][criterion] = value
    return tuple(
        OtherSheet(
            label=str(_("Penilai lain %(n)s") % {"n": index}),
            total=sheet.total,
            values=values[sheet.pk],
        )
        for index, sheet in enumerate(sheets, start=1)
    )


def preview_total(
    values: Mapping[str, Decimal | None], criteria: tuple[Criterion, ...]
) -> Decimal | None:
    """The weighted total the values would give, or None while any is missing."""
    if any(values.get(c.code) is None for c in criteria):
        return None
    return total_of({c.code: Decimal(values[c.code] or 0) for c in criteria}, criteria)


# --------------------------------------------------------------------------- forms


class AcceptCodeForm(StyledFormMixin, forms.Form):
    agree = forms.BooleanField(
        label=_(
            "Saya telah membaca kode etik di atas dan berjanji menaatinya selama dan sesudah "
            "penilaian."
        ),
        required=True,
    )


class ConflictNoneForm(StyledFormMixin, forms.Form):
    none = forms.BooleanField(
        label=_("Saya menyatakan tidak memiliki konflik kepentingan dengan instansi mana pun."),
        required=False,
    )


class InstitutionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class ConflictRowForm(StyledFormMixin, forms.Form):
    """One declared conflict: an institution from the registry, its nature and the reason."""

    institution = InstitutionChoiceField(
        label=_("Instansi"),
        queryset=Institution.objects.filter(is_active=True).order_by("name"),
        required=False,
        widget=PlainSelect,
        empty_label=_("— pilih instansi —"),
    )
    nature = forms.ChoiceField(
        label=_("Sifat hubungan"), choices=ConflictNature.choices, required=False
    )
    reason = forms.CharField(
        label=_("Keterangan"),
        required=False,
        max_length=1000,
        widget=forms.TextInput(attrs={"placeholder": _("mis. adik kandung bekerja di sana")}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        institution, reason = data.get("institution"), (data.get("reason") or "").strip()
        if institution is None and reason:
            self.add_error("institution", _("Pilih instansinya."))
        if institution is not None and not reason:
            self.add_error("reason", _("Keterangan wajib diisi."))
        return data

    def as_item(self) -> dict[str, Any] | None:
        data = self.cleaned_data
        if not data.get("institution"):
            return None
        return {
            "institution": data["institution"].pk,
            "nature": data.get("nature") or ConflictNature.OTHER,
            "reason": data["reason"].strip(),
        }


ConflictFormSet = forms.formset_factory(ConflictRowForm, extra=3, max_num=20)


def _number_field(criterion: Criterion, scale: pure.Scale, *, required: bool) -> forms.Field:
    label = criterion.label
    attrs = {"inputmode": "numeric", "class": "form-control"}
    if scale.type == "integer":
        return forms.IntegerField(
            label=label,
            min_value=int(scale.min),
            max_value=int(scale.max),
            required=required,
            widget=forms.NumberInput(attrs={**attrs, "step": 1}),
        )
    return forms.DecimalField(
        label=label,
        min_value=scale.min,
        max_value=scale.max,
        decimal_places=2,
        required=required,
        widget=forms.NumberInput(attrs={**attrs, "step": "0.01"}),
    )


class SheetForm(StyledFormMixin, forms.Form):
    """The draft: a value, a comment and an evidence reference per criterion, and the note.

    Drafts may be incomplete; finalising needs every value and the note (checked by the
    domain, which names what is missing).
    """

    note = forms.CharField(
        label=_("Catatan umum (wajib sebelum finalisasi)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(
        self, *args: Any, criteria: tuple[Criterion, ...], scale: pure.Scale, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        fields: dict[str, forms.Field] = {}
        for criterion in criteria:
            fields[VALUE_PREFIX + criterion.code] = _number_field(criterion, scale, required=False)
            fields[COMMENT_PREFIX + criterion.code] = forms.CharField(
                label=_("Komentar (opsional)"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
            )
            fields[EVIDENCE_PREFIX + criterion.code] = forms.CharField(
                label=_("Rujukan bukti (opsional)"),
                required=False,
                max_length=300,
                widget=forms.TextInput(attrs={"class": "form-control"}),
            )
        note = self.fields.pop("note")
        self.fields.update(fields)
        self.fields["note"] = note

    def rows(self) -> list[tuple[Criterion, Any, Any, Any]]:
        return [
            (
                c,
                self[VALUE_PREFIX + c.code],
                self[COMMENT_PREFIX + c.code],
                self[EVIDENCE_PREFIX + c.code],
            )
            for c in self.criteria
        ]

    def values(self) -> dict[str, int | Decimal | None]:
        return {c.code: self.cleaned_data.get(VALUE_PREFIX + c.code) for c in self.criteria}

    def comments(self) -> dict[str, str]:
        return {
            c.code: text
            for c in self.criteria
            if (text := (self.cleaned_data.get(COMMENT_PREFIX + c.code) or "").strip())
        }

    def evidence(self) -> dict[str, str]:
        return {
            c.code: text
            for c in self.criteria
            if (text := (self.cleaned_data.get(EVIDENCE_PREFIX + c.code) or "").strip())
        }

    @staticmethod
    def initial_from(state: SheetState) -> dict[str, Any]:
        initial: dict[str, Any] = {"note": state.note}
        for code, value in state.values.items():
            initial[VALUE_PREFIX + code] = _plain(value)
        for code, text in state.comments.items():
            initial[COMMENT_PREFIX + code] = text
        for code, text in state.evidence.items():
            initial[EVIDENCE_PREFIX + code] = text
        return initial


def _plain(value: Decimal | None) -> int | Decimal | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else value


class CorrectionForm(StyledFormMixin, forms.Form):
    """A correction of a final sheet: every value (changed or not), the note and a reason."""

    reason = forms.CharField(
        label=_("Alasan koreksi"),
        min_length=MIN_CORRECTION_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Minimal 10 karakter; dicatat bersama versi baru lembar nilai."),
    )
    note = forms.CharField(label=_("Catatan umum"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(
        self, *args: Any, criteria: tuple[Criterion, ...], scale: pure.Scale, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        reason, note = self.fields.pop("reason"), self.fields.pop("note")
        for criterion in criteria:
            self.fields[VALUE_PREFIX + criterion.code] = _number_field(
                criterion, scale, required=True
            )
        self.fields["note"] = note
        self.fields["reason"] = reason

    def value_fields(self) -> list[tuple[Criterion, Any]]:
        return [(c, self[VALUE_PREFIX + c.code]) for c in self.criteria]

    def values(self) -> dict[str, int | Decimal]:
        return {c.code: self.cleaned_data[VALUE_PREFIX + c.code] for c in self.criteria}


def field_for_error(error_field: str | None, criteria: tuple[Criterion, ...]) -> str | None:
    """The form field a domain error names (a criterion code, ``note`` or ``reason``)."""
    if error_field is None:
        return None
    if error_field in {c.code for c in criteria}:
        return VALUE_PREFIX + error_field
    if error_field in ("note", "reason"):
        return error_field
    return None
