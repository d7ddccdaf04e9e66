"""Public results of a PKRI edition: who may read them and the rows of one group.

An edition is public once `edition.is_published`; its results (lists, institution pages)
once it is also in `RESULTS_STATES`. National readers (secretariat, analysts, viewers)
read both at any time. When the edition's publication rules hide scores or ranks
(pkri.md §7.4: imported 2024 results carry membership only) the rows carry neither and
come in alphabetical order.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from prima.awards.domain.permissions import results_public
from prima.awards.enums import AwardStatus
from prima.awards.models import Award
from prima.core.access import access_for
from prima.evaluation.models import Edition
from prima.pkri.domain.config import RANKED_KINDS
from prima.pkri.domain.statistics import display_name, edition_rules, in_scope_forms
from prima.pkri.enums import FORM_OF_GROUP, SUBMITTED_STATES, FormState, Group
from prima.pkri.models import Locus, ScopeObject, SelfAssessment


def may_read_edition(person: Any, edition: Edition) -> bool:
    """National readers always; everyone else once the edition is published."""
    return access_for(person).reads_nationally or edition.is_published


def may_read_results(person: Any, edition: Edition) -> bool:
    """National readers always; everyone else once published and in a results state
    (the awards app's one predicate, so award lists and result pages open together)."""
    return results_public(person, edition)


def edition_of_year(year: int, person: Any) -> Edition | None:
    """The PKRI edition of a year the person may read (the published one first)."""
    editions = Edition.objects.filter(programme="pkri", year=year)
    if not access_for(person).reads_nationally:
        editions = editions.filter(is_published=True)
    return editions.order_by("-is_published", "-pk").first()


@dataclass(frozen=True)
class Publication:
    """What the edition's rules allow a public list to show."""

    scores: bool
    ranks: bool


def publication_of(edition: Edition) -> Publication:
    rules = edition_rules(edition)
    if rules is None:
        return Publication(scores=False, ranks=False)
    return Publication(scores=rules.publish_scores, ranks=rules.publish_ranks)


@dataclass(frozen=True)
class ResultRow:
    """One participant of a group as the public lists show it."""

    institution_id: int
    institution_name: str
    institution_kind: str
    region_code: str | None
    innovation_id: int | None
    innovation_name: str
    unit_name: str
    rank_in_kind: int | None
    score: Decimal | None
    award: str | None
    award_title: str

    def as_item(self) -> dict[str, Any]:
        """The API item (pkri API `/editions/{year}/results`)."""
        item: dict[str, Any] = {
            "rank_in_kind": self.rank_in_kind,
            "institution": {
                "id": self.institution_id,
                "name": self.institution_name,
                "kind": self.institution_kind,
                "region_code": self.region_code,
            },
            "score": None if self.score is None else f"{self.score:.2f}",
            "award": self.award,
        }
        if self.innovation_id is not None:
            item["innovation"] = {"id": self.innovation_id, "name": self.innovation_name}
        return item


def _group_awards(edition: Edition, group: str) -> list[Award]:
    return list(
        Award.objects.filter(edition=edition, status=AwardStatus.DECIDED)
        .filter(Q(category__group=group) | Q(category__group="", category__code=group))
        .select_related("category", "institution__region", "innovation", "unit")
    )


def _kind_position(kind: str) -> int:
    return RANKED_KINDS.index(kind) if kind in RANKED_KINDS else len(RANKED_KINDS)


def group_results(edition: Edition, group: str, *, kind: str = "") -> list[ResultRow]:
    """The assessed participants of a group (submitted forms) and every decided awardee.

    Ordered by kind and rank (ranks published) or alphabetically (membership only).
    Two queries whatever the number of rows.
    """
    if group not in Group.values:
        raise ValueError(group)
    published = publication_of(edition)
    is_objects = group != Group.PEMBINAAN
    forms = in_scope_forms(edition).filter(
        kind=FORM_OF_GROUP[Group(group)], state__in=list(SUBMITTED_STATES)
    )
    if kind:
        forms = forms.filter(locus__institution__kind=kind)
    # Only the columns a row shows: the answers, snapshots and innovation texts are large
    # and would dominate the page at national size (bench/pkri.py).
    forms = forms.select_related(
        "locus__institution__region", "object__innovation", "object__unit"
    ).only(
        "rank",
        "final_score",
        "locus__institution__name",
        "locus__institution__short_name",
        "locus__institution__kind",
        "locus__institution__region__code",
        "object__innovation__name",
        "object__unit__name",
    )
    awards = _group_awards(edition, group)
    by_key = {(a.innovation_id if is_objects else a.institution_id): a for a in awards}
    rows: list[ResultRow] = []
    seen: set[int] = set()
    for form in forms:
        institution = form.locus.institution
        key = form.object.innovation_id if (is_objects and form.object) else institution.pk
        seen.add(key)
        award = by_key.get(key)
        innovation = form.object.innovation if form.object else None
        rows.append(
            ResultRow(
                institution_id=institution.pk,
                institution_name=display_name(institution.short_name, institution.name),
                institution_kind=institution.kind,
                region_code=institution.region.code if institution.region else None,
                innovation_id=innovation.pk if innovation else None,
                innovation_name=innovation.name if innovation else "",
                unit_name=form.object.unit.name if form.object else "",
                rank_in_kind=form.rank if published.ranks else None,
                score=form.final_score if published.scores else None,
                award=award.category.code if award else None,
                award_title=award.category.title if award else "",
            )
        )
    # An awardee without an assessed form (an imported result or a plenary addition).
    for key, award in by_key.items():
        institution = award.institution
        if key in seen or (kind and institution.kind != kind):
            continue
        rows.append(
            ResultRow(
                institution_id=institution.pk,
                institution_name=display_name(institution.short_name, institution.name),
                institution_kind=institution.kind,
                region_code=institution.region.code if institution.region else None,
                innovation_id=award.innovation_id,
                innovation_name=award.innovation.name if award.innovation else "",
                unit_name=award.unit.name if award.unit else "",
                rank_in_kind=award.rank if published.ranks else None,
                score=award.score if published.scores else None,
                award=award.category.code,
                award_title=award.category.title,
            )
        )
    if published.ranks:
        rows.sort(
            key=lambda r: (
                _kind_position(r.institution_kind) if not is_objects else 0,
                r.rank_in_kind is None,
                r.rank_in_kind or 0,
                r.innovation_name.casefold(),
                r.institution_name.casefold(),
            )
        )
    else:
        rows.sort(key=lambda r: (r.innovation_name.casefold(), r.institution_name.casefold()))
    return rows


# --------------------------------------------------------------------------- institution page


def outcome_of(form: SelfAssessment | None, award: Award | None) -> str:
    """What happened to a form, in public words (results are final on this page)."""
    if award is not None:
        return award.category.title
    if form is None:
        return _("Tidak dinilai")
    if form.state == FormState.FORM_MISSING:
        return _("Formulir tidak dikirim")
    if form.state == FormState.NOT_SHORTLISTED:
        return _("Tidak masuk daftar wawancara")
    if form.interview_score is not None or form.state in (
        FormState.INTERVIEWED,
        FormState.NOT_AWARDED,
    ):
        return _("Dinilai; tidak menerima penghargaan")
    if form.state in (FormState.ANNOUNCED, FormState.DRAFT, FormState.AT_INSTITUTION):
        return _("Formulir belum dikirim")
    return _("Dinilai; tidak menerima penghargaan")


@dataclass(frozen=True)
class InstitutionObjectRow:
    """One monitored innovation of an institution as its public page shows it."""

    object_id: int
    innovation_name: str
    unit_name: str
    group: str
    group_label: str
    score: Decimal | None
    outcome: str


@dataclass(frozen=True)
class InstitutionResults:
    """An institution's public results in an edition; hidden scores/ranks are None."""

    in_pembinaan: bool
    coaching_outcome: str
    coaching_score: Decimal | None
    coaching_rank: int | None
    objects: list[InstitutionObjectRow]


def institution_results(edition: Edition, locus: Locus) -> InstitutionResults:
    """The coaching outcome and the monitored objects of one locus, with score and rank
    only where the edition's publication rules allow them (`publication_of`)."""
    published = publication_of(edition)
    awards = list(
        Award.objects.filter(
            edition=edition, institution_id=locus.institution_id, status=AwardStatus.DECIDED
        )
        .select_related("category")
        .order_by("category__position", "pk")
    )
    coaching_award = next(
        (a for a in awards if (a.category.group or a.category.code) == Group.PEMBINAAN), None
    )
    by_innovation = {a.innovation_id: a for a in awards if a.innovation_id}
    coaching_form = (
        SelfAssessment.objects.filter(locus=locus, object__isnull=True).first()
        if locus.in_pembinaan
        else None
    )
    objects = (
        ScopeObject.objects.filter(locus=locus, excluded=False)
        .select_related("innovation", "unit", "form")
        .order_by("group", "innovation__name", "pk")
    )
    rows = []
    for obj in objects:
        form = getattr(obj, "form", None)
        rows.append(
            InstitutionObjectRow(
                object_id=obj.pk,
                innovation_name=obj.innovation.name,
                unit_name=obj.unit.name,
                group=obj.group,
                group_label=str(Group(obj.group).label),
                score=form.final_score if (form is not None and published.scores) else None,
                outcome=outcome_of(form, by_innovation.get(obj.innovation_id)),
            )
        )
    return InstitutionResults(
        in_pembinaan=locus.in_pembinaan,
        coaching_outcome=outcome_of(coaching_form, coaching_award) if locus.in_pembinaan else "",
        coaching_score=(
            coaching_form.final_score if (coaching_form is not None and published.scores) else None
        ),
        coaching_rank=(
            coaching_form.rank if (coaching_form is not None and published.ranks) else None
        ),
        objects=rows,
    )
