"""The score tables the secretariat sees, built once for the page and its exports
(kipp.md §10.2, §10.3; issue 3: "XLSX exports of every score table the secretariat sees").

Each table is a header plus rows of plain cells; the page renders the same rows the CSV
and XLSX exports write, so an export holds exactly what is shown:

- :func:`score_table` — one row per proposal of a stage: each assessor's total T_e (with
  the normalised total beside it), the official aggregate, spread, disagreement flag,
  normalised and consolidated scores, review counts and pending reviewers; flagged
  proposals lead the consolidation queue;
- :func:`sheet_rows` — every final or draft sheet of a stage, one row per criterion;
- :func:`progress_rows` — assigned / final / draft / excused per assessor;
- :func:`final_score_table` — §13 components and the final score of each finalist.

Queries do not grow with the number of rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Count, F, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from prima.core.interfaces.forms import StyledFormMixin
from prima.evaluation.domain.catalogue import instrument_of
from prima.evaluation.domain.results import SubjectResult, stage_results
from prima.evaluation.domain.sheets import criteria_for
from prima.evaluation.enums import AssessorRole, SheetStatus
from prima.evaluation.models import Appointment, Assignment, Edition, Score, Stage
from prima.kipp.domain.decisions import FinalScoreRow
from prima.kipp.enums import ProposalState
from prima.kipp.interfaces.sheet_forms import category_choices, group_choices
from prima.kipp.models import Proposal

SORTS: Mapping[str, Any] = {
    "antrean": _("Antrean konsolidasi (selisih besar dulu)"),
    "nilai": _("Nilai tertinggi"),
    "judul": _("Judul"),
}
FLAGS: Mapping[str, Any] = {
    "selisih": _("Selisih besar"),
    "belum": _("Masih ada penilai belum final"),
    "konsolidasi": _("Sudah dikonsolidasi"),
}


def fmt(value: Decimal | None, places: int = 2) -> str:
    """A score as text with a decimal point ('' when missing), as shown and exported."""
    if value is None:
        return ""
    return str(value.quantize(Decimal(1).scaleb(-places)))


@dataclass(frozen=True)
class ReviewerScore:
    name: str
    total: Decimal
    normalised: Decimal | None
    not_normalised: bool

    def text(self) -> str:
        shown = f"{self.name} {fmt(self.total)}"
        if self.normalised is not None and not self.not_normalised:
            shown += f" (N {fmt(self.normalised)})"
        return shown


@dataclass(frozen=True)
class ScoreRow:
    result: SubjectResult
    proposal_id: int | None
    institution: str
    state: str
    reviewers: tuple[ReviewerScore, ...]

    @property
    def pending_names(self) -> str:
        return ", ".join(r.name for r in self.result.pending)

    def cells(self) -> list[Any]:
        r = self.result
        return [
            r.subject_id,
            r.title,
            self.institution,
            r.group,
            r.category,
            self.state,
            "; ".join(reviewer.text() for reviewer in self.reviewers),
            fmt(r.official),
            fmt(r.spread),
            r.disagreement,
            fmt(r.normalised_score),
            fmt(r.consolidated),
            fmt(r.decision_score),
            r.assigned,
            r.finalised,
            r.excused,
            self.pending_names,
        ]


def score_header() -> list[str]:
    return [
        gettext("No. subjek"),
        gettext("Judul inovasi"),
        gettext("Instansi"),
        gettext("Kelompok"),
        gettext("Kategori"),
        gettext("Status"),
        gettext("Nilai per penilai (T_e)"),
        gettext("Nilai resmi"),
        gettext("Rentang"),
        gettext("Selisih besar"),
        gettext("Nilai ternormalisasi"),
        gettext("Nilai konsolidasi"),
        gettext("Nilai keputusan"),
        gettext("Ditugaskan"),
        gettext("Final"),
        gettext("Dibebaskan"),
        gettext("Penilai belum final"),
    ]


class ScoreFilterForm(StyledFormMixin, forms.Form):
    group = forms.ChoiceField(label=_("Kelompok"), required=False)
    category = forms.ChoiceField(label=_("Kategori"), required=False)
    flag = forms.ChoiceField(
        label=_("Tanda"),
        required=False,
        choices=[("", _("Semua")), *FLAGS.items()],
    )
    q = forms.CharField(label=_("Cari judul"), required=False, max_length=100)
    sort = forms.ChoiceField(label=_("Urutan"), required=False, choices=list(SORTS.items()))

    def __init__(self, *args: Any, edition: Edition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        group = self.fields["group"]
        category = self.fields["category"]
        assert isinstance(group, forms.ChoiceField) and isinstance(category, forms.ChoiceField)
        group.choices = [("", _("Semua kelompok")), *group_choices(edition)]
        category.choices = [("", _("Semua kategori")), *category_choices(edition)]

    def options(self) -> dict[str, str]:
        if not self.is_valid():
            return {}
        return {k: str(v) for k, v in self.cleaned_data.items() if v}


def _keep(row: ScoreRow, options: Mapping[str, str]) -> bool:
    r = row.result
    if options.get("group") and r.group != options["group"]:
        return False
    if options.get("category") and r.category != options["category"]:
        return False
    if options.get("q") and options["q"].strip().lower() not in r.title.lower():
        return False
    flag = options.get("flag")
    if flag == "selisih" and not r.disagreement:
        return False
    if flag == "belum" and not r.pending:
        return False
    return not (flag == "konsolidasi" and r.consolidated is None)


def _order(rows: list[ScoreRow], sort: str) -> list[ScoreRow]:
    def score(row: ScoreRow) -> Decimal:
        value = row.result.decision_score
        return value if value is not None else Decimal(-1)

    if sort == "judul":
        return sorted(rows, key=lambda r: (r.result.title.lower(), r.result.subject_id))
    if sort == "nilai":
        return sorted(rows, key=lambda r: (-score(r), r.result.subject_id))
    # The consolidation queue: disagreements first, then the widest spread, then by score.
    return sorted(
        rows,
        key=lambda r: (
            not r.result.disagreement,
            -(r.result.spread or Decimal(0)),
            -score(r),
            r.result.subject_id,
        ),
    )


def _names(stage: Stage) -> dict[int, str]:
    return {
        pk: (full_name or username)
        for pk, full_name, username in Appointment.objects.filter(
            edition_id=stage.edition_id
        ).values_list("pk", "person__full_name", "person__username")
    }


def score_table(stage: Stage, options: Mapping[str, str] | None = None) -> list[ScoreRow]:
    """The stage's score table, filtered and ordered as the page asks."""
    options = options or {}
    results = stage_results(stage)
    names = _names(stage)
    proposals = {
        subject_id: (pk, institution, state)
        for subject_id, pk, institution, state in Proposal.objects.filter(
            subject_id__in=[r.subject_id for r in results]
        ).values_list("subject_id", "pk", "institution__name", "state")
    }
    rows: list[ScoreRow] = []
    for result in results:
        pk, institution, state = proposals.get(result.subject_id, (None, "", ""))
        reviewers = tuple(
            ReviewerScore(
                name=names.get(appointment_id, f"#{appointment_id}"),
                total=total,
                normalised=(
                    result.normalised[appointment_id].value
                    if appointment_id in result.normalised
                    else None
                ),
                not_normalised=(
                    appointment_id not in result.normalised
                    or not result.normalised[appointment_id].normalised
                ),
            )
            for appointment_id, total in result.totals.items()
        )
        label = str(ProposalState(state).label) if state else ""
        row = ScoreRow(result, pk, institution, label, reviewers)
        if _keep(row, options):
            rows.append(row)
    return _order(rows, options.get("sort", "antrean"))


# --------------------------------------------------------------------------- sheets


def sheet_header() -> list[str]:
    return [
        gettext("No. subjek"),
        gettext("Judul inovasi"),
        gettext("Kelompok"),
        gettext("Penilai"),
        gettext("Status lembar"),
        gettext("Versi"),
        gettext("Kriteria"),
        gettext("Nama kriteria"),
        gettext("Bobot (%)"),
        gettext("Nilai"),
        gettext("Komentar"),
        gettext("Nilai tertimbang lembar (T_e)"),
    ]


def sheet_rows(stage: Stage, *, subject_id: int | None = None) -> list[list[Any]]:
    """Every sheet of the stage (current version), one row per criterion, in order."""
    instrument = instrument_of(stage.edition.instrument)
    scores = Score.objects.filter(
        version__sheet__stage=stage, version__number=F("version__sheet__current_version")
    )
    if subject_id is not None:
        scores = scores.filter(version__sheet__subject_id=subject_id)
    rows = scores.order_by(
        "version__sheet__subject_id", "version__sheet__appointment_id", "id"
    ).values_list(
        "version__sheet__subject_id",
        "version__sheet__subject__title",
        "version__sheet__subject__group",
        "version__sheet__appointment__person__full_name",
        "version__sheet__appointment__person__username",
        "version__sheet__status",
        "version__number",
        "criterion",
        "value",
        "note",
        "version__sheet__total",
    )
    criteria: dict[str, dict[str, Any]] = {}
    status_labels = dict(SheetStatus.choices)
    out: list[list[Any]] = []
    for sid, title, group, full, user, status, number, code, value, note, total in rows:
        if group not in criteria:
            criteria[group] = {c.code: c for c in criteria_for(stage.scoring, group, instrument)}
        criterion = criteria[group].get(code)
        out.append(
            [
                sid,
                title,
                group,
                full or user,
                str(status_labels.get(status, status)),
                number,
                code,
                criterion.label if criterion else code,
                fmt(criterion.weight) if criterion else "",
                fmt(value, 0) if value is not None and value == value.to_integral() else fmt(value),
                note,
                fmt(total, 4) if status == SheetStatus.FINAL else "",
            ]
        )
    return out


@dataclass
class SheetDetail:
    """One assessor's sheet for the per-section breakdown page."""

    sheet_id: int
    name: str
    status: str
    version: int
    total: Decimal | None
    values: dict[str, Decimal | None] = field(default_factory=dict)
    comments: dict[str, str] = field(default_factory=dict)


def sheet_details(stage: Stage, subject_id: int) -> list[SheetDetail]:
    """The subject's sheets with their current values, by assessor (two queries)."""
    details: dict[int, SheetDetail] = {}
    rows = (
        Score.objects.filter(
            version__sheet__stage=stage,
            version__sheet__subject_id=subject_id,
            version__number=F("version__sheet__current_version"),
        )
        .order_by("version__sheet__appointment_id", "id")
        .values_list(
            "version__sheet_id",
            "version__sheet__appointment__person__full_name",
            "version__sheet__appointment__person__username",
            "version__sheet__status",
            "version__number",
            "version__sheet__total",
            "criterion",
            "value",
            "note",
        )
    )
    for sheet_id, full, user, status, number, total, code, value, note in rows:
        detail = details.get(sheet_id)
        if detail is None:
            detail = details[sheet_id] = SheetDetail(
                sheet_id,
                full or user,
                str(dict(SheetStatus.choices).get(status, status)),
                number,
                total if status == SheetStatus.FINAL else None,
            )
        detail.values[code] = value
        detail.comments[code] = note
    return list(details.values())


# --------------------------------------------------------------------------- progress


@dataclass(frozen=True)
class ProgressRow:
    appointment_id: int
    name: str
    role: str
    assigned: int
    final: int
    draft: int
    excused: int

    @property
    def open(self) -> int:
        return self.assigned - self.final - self.draft - self.excused

    def cells(self) -> list[Any]:
        return [
            self.name,
            self.role,
            self.assigned,
            self.final,
            self.draft,
            self.open,
            self.excused,
        ]


def progress_header() -> list[str]:
    return [
        gettext("Penilai"),
        gettext("Peran"),
        gettext("Ditugaskan"),
        gettext("Final"),
        gettext("Draf"),
        gettext("Belum dinilai"),
        gettext("Dibebaskan"),
    ]


def progress_rows(stage: Stage) -> list[ProgressRow]:
    """Per assessor: assigned, final, draft and excused reviews in the stage (one query)."""
    rows = (
        Assignment.objects.filter(stage=stage)
        .values("appointment_id", "appointment__person__full_name", "appointment__person__username")
        .annotate(
            assigned=Count("pk"),
            excused=Count("pk", filter=Q(is_excused=True)),
            final=Count("pk", filter=Q(is_excused=False, sheet__status=SheetStatus.FINAL)),
            draft=Count("pk", filter=Q(is_excused=False, sheet__status=SheetStatus.DRAFT)),
            role=F("appointment__role"),
        )
        .order_by("appointment__person__full_name", "appointment_id")
    )
    roles = dict(AssessorRole.choices)
    return [
        ProgressRow(
            appointment_id=row["appointment_id"],
            name=row["appointment__person__full_name"] or row["appointment__person__username"],
            role=str(roles.get(row["role"], row["role"])),
            assigned=row["assigned"],
            final=row["final"],
            draft=row["draft"],
            excused=row["excused"],
        )
        for row in rows
    ]


def progress_total(rows: Sequence[ProgressRow]) -> dict[str, int]:
    total: defaultdict[str, int] = defaultdict(int)
    for row in rows:
        total["assigned"] += row.assigned
        total["final"] += row.final
        total["draft"] += row.draft
        total["excused"] += row.excused
        total["open"] += row.open
    return dict(total)


# --------------------------------------------------------------------------- final scores


def final_score_header(components: Sequence[str]) -> list[str]:
    return [
        gettext("No. subjek"),
        gettext("Judul inovasi"),
        gettext("Instansi"),
        gettext("Kelompok"),
        gettext("Status"),
        *[gettext("Komponen %(name)s") % {"name": name} for name in components],
        gettext("Bobot terpakai"),
        gettext("Nilai akhir"),
    ]


def final_score_cells(row: FinalScoreRow, components: Sequence[str]) -> list[Any]:
    weights = "; ".join(f"{name} {fmt(weight, 4)}" for name, weight in row.weights.items())
    return [
        row.proposal.subject_id,
        row.proposal.title,
        row.proposal.institution.name,
        row.proposal.group,
        row.proposal.get_state_display(),
        *[fmt(row.components.get(name)) for name in components],
        weights,
        fmt(row.score),
    ]
