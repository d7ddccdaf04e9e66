"""Public results of a PKRI edition: who may read them and the rows of one group.

An edition is public once `edition.is_published`; its results (lists, institution pages)
once it is also in `RESULTS_STATES`. National readers (secretariat, analysts, viewers)
read both at any time. When the edition's publication rules hide scores or ranks
(pkri.md §7.4: imported 2024 results carry membership only) the rows carry neither and
come in alphabetical order.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, overload

from django.db import connection
from django.db.models import (
    Case,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Collate, Lower, NullIf
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


def _group_awards(edition: Edition, group: str) -> QuerySet[Award]:
    """The decided awards of a group's categories, in the awards' own order."""
    return Award.objects.filter(edition=edition, status=AwardStatus.DECIDED).filter(
        Q(category__group=group) | Q(category__group="", category__code=group)
    )


def _sort_text(expression: Any) -> Any:
    """Case-insensitive sort key in code point order (like Python's ``str`` comparison),
    whatever the database's collation."""
    lowered = Lower(expression)
    return Collate(lowered, "C") if connection.vendor == "postgresql" else lowered


# Columns of the ordered participant list: sort keys, then which source row and its pk.
_SORT_COLUMNS = ("o_kind", "o_norank", "o_rank", "o_innovation", "o_institution")
_COLUMNS = (*_SORT_COLUMNS, "o_source", "o_pk")
_FORM, _AWARD = 0, 1
# What a row shows, read as plain values (no model instances): the form's or the award's.
_FORM_VALUES = (
    "pk",
    "rank",
    "final_score",
    "locus__institution_id",
    "locus__institution__name",
    "locus__institution__short_name",
    "locus__institution__kind",
    "locus__institution__region__code",
    "object_id",
    "object__innovation_id",
    "object__innovation__name",
    "object__unit__name",
)
_AWARD_VALUES = (
    "pk",
    "rank",
    "score",
    "institution_id",
    "institution__name",
    "institution__short_name",
    "institution__kind",
    "institution__region__code",
    "innovation_id",
    "innovation__name",
    "unit__name",
    "category__code",
    "category__title",
)


class GroupResults:
    """The participants of one group: the assessed ones (submitted forms) and every decided
    awardee without an assessed form (an imported result or a plenary addition).

    Ordered by kind and rank (ranks published) or alphabetically (membership only), then
    forms before awardees. The database counts, orders and slices the rows, so a slice
    (a page; Django's ``Paginator`` takes this object) costs the same few queries however
    large the group; iterating gives every row (downloads, API).
    """

    def __init__(self, edition: Edition, group: str, *, kind: str = "") -> None:
        if group not in Group.values:
            raise ValueError(group)
        self.edition = edition
        self.group = group
        self.kind = kind
        self.published = publication_of(edition)
        self.is_objects = group != Group.PEMBINAAN
        forms = in_scope_forms(edition).filter(
            kind=FORM_OF_GROUP[Group(group)], state__in=list(SUBMITTED_STATES)
        )
        if kind:
            forms = forms.filter(locus__institution__kind=kind)
        self._forms = forms
        self._awards = _group_awards(edition, group)
        self._count: int | None = None

    # The participant key: the innovation of an object group, the institution otherwise.
    @property
    def _form_key(self) -> str:
        return "object__innovation_id" if self.is_objects else "locus__institution_id"

    @property
    def _award_key(self) -> str:
        return "innovation_id" if self.is_objects else "institution_id"

    def _one_per_key(self) -> QuerySet[Award]:
        """The group's awards, one per key: the last in the awards' order."""
        awards = self._awards
        key = self._award_key
        last = Subquery(awards.filter(**{key: OuterRef(key)}).reverse().values("pk")[:1])
        one_per_key = Q(**{f"{key}__isnull": False, "pk": last})
        if self.is_objects:  # awards without an innovation share one (empty) key
            last_none = Subquery(awards.filter(innovation__isnull=True).reverse().values("pk")[:1])
            one_per_key |= Q(innovation__isnull=True, pk=last_none)
        return awards.filter(one_per_key)

    def _has_form(self) -> Exists:
        return Exists(self._forms.filter(**{self._form_key: OuterRef(self._award_key)}))

    def _award_only(self) -> QuerySet[Award]:
        """The awards shown as rows of their own: no form of theirs is listed here."""
        found = self._one_per_key().exclude(self._has_form())
        return found.filter(institution__kind=self.kind) if self.kind else found

    def _sort_keys(self, *, rank: str, innovation: str, institution: str, kind: str) -> Any:
        ranks = self.published.ranks
        kind_position = Case(
            *(When(**{kind: code}, then=Value(i)) for i, code in enumerate(RANKED_KINDS)),
            default=Value(len(RANKED_KINDS)),
        )
        return {
            "o_kind": kind_position if (ranks and not self.is_objects) else Value(0),
            "o_norank": (
                Case(When(**{f"{rank}__isnull": True}, then=Value(1)), default=Value(0))
                if ranks
                else Value(0)
            ),
            "o_rank": Coalesce(F(rank), Value(0)) if ranks else Value(0),
            "o_innovation": _sort_text(Coalesce(F(innovation), Value(""))),
            "o_institution": _sort_text(
                Coalesce(
                    NullIf(F(f"{institution}__short_name"), Value("")), F(f"{institution}__name")
                )
            ),
        }

    def _ordered(self) -> Any:
        forms = (
            self._forms.order_by()
            .annotate(
                **self._sort_keys(
                    rank="rank",
                    innovation="object__innovation__name",
                    institution="locus__institution",
                    kind="locus__institution__kind",
                ),
                o_source=Value(_FORM),
                o_pk=F("pk"),
            )
            .values_list(*_COLUMNS)
        )
        awards = (
            self._award_only()
            .order_by()
            .annotate(
                **self._sort_keys(
                    rank="rank",
                    innovation="innovation__name",
                    institution="institution",
                    kind="institution__kind",
                ),
                o_source=Value(_AWARD),
                o_pk=F("pk"),
            )
            .values_list(*_COLUMNS)
        )
        return forms.union(awards, all=True).order_by(*_COLUMNS)

    def count(self) -> int:
        """The number of participants (one query, once)."""
        if self._count is None:
            # Only the keys: counting needs neither the sort keys nor the order.
            forms = self._forms.order_by().values_list("pk")
            awards = self._award_only().order_by().values_list("pk")
            self._count = forms.union(awards, all=True).count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def awarded(self) -> int:
        """The participants with an award (one query): each award, one per key, names a
        listed form or is listed itself."""
        awards = self._one_per_key()
        if self.kind:
            awards = awards.filter(Q(self._has_form()) | Q(institution__kind=self.kind))
        return awards.count()

    @overload
    def __getitem__(self, index: int) -> ResultRow: ...

    @overload
    def __getitem__(self, index: slice) -> list[ResultRow]: ...

    def __getitem__(self, index: int | slice) -> ResultRow | list[ResultRow]:
        if isinstance(index, slice):
            return self._rows(list(self._ordered()[index]))
        if index < 0:
            raise IndexError("GroupResults takes no negative index")
        found = self._rows(list(self._ordered()[index : index + 1]))
        if not found:
            raise IndexError(index)
        return found[0]

    def __iter__(self) -> Iterator[ResultRow]:
        return iter(self._rows(list(self._ordered())))

    def _rows(self, picked: list[tuple[Any, ...]]) -> list[ResultRow]:
        """The rows of the picked (source, pk) pairs, in their order (two queries)."""
        form_pks = [row[-1] for row in picked if row[-2] == _FORM]
        award_pks = [row[-1] for row in picked if row[-2] == _AWARD]
        forms = {
            form["pk"]: form
            for form in (
                SelfAssessment.objects.filter(pk__in=form_pks).values(*_FORM_VALUES)
                if form_pks
                else []
            )
        }
        keys = [self._key_of(form) for form in forms.values()]
        wanted = Q(pk__in=award_pks) | Q(**{f"{self._award_key}__in": keys})
        awards = list(self._awards.filter(wanted).values(*_AWARD_VALUES)) if picked else []
        # The last award of a key in the awards' order is the one shown (as for award rows).
        key = "innovation_id" if self.is_objects else "institution_id"
        by_key = {award[key]: award for award in awards}
        by_pk = {award["pk"]: award for award in awards}
        rows: list[ResultRow] = []
        for *_sort, source, pk in picked:
            if source == _FORM:
                form = forms[pk]
                rows.append(self._form_row(form, by_key.get(self._key_of(form))))
            else:
                rows.append(self._award_row(by_pk[pk]))
        return rows

    def _key_of(self, form: Mapping[str, Any]) -> int:
        if self.is_objects and form["object_id"] is not None:
            return int(form["object__innovation_id"])
        return int(form["locus__institution_id"])

    def _form_row(self, form: Mapping[str, Any], award: Mapping[str, Any] | None) -> ResultRow:
        return ResultRow(
            institution_id=form["locus__institution_id"],
            institution_name=display_name(
                form["locus__institution__short_name"], form["locus__institution__name"]
            ),
            institution_kind=form["locus__institution__kind"],
            region_code=form["locus__institution__region__code"],
            innovation_id=form["object__innovation_id"],
            innovation_name=form["object__innovation__name"] or "",
            unit_name=form["object__unit__name"] or "",
            rank_in_kind=form["rank"] if self.published.ranks else None,
            score=form["final_score"] if self.published.scores else None,
            award=award["category__code"] if award else None,
            award_title=award["category__title"] if award else "",
        )

    def _award_row(self, award: Mapping[str, Any]) -> ResultRow:
        return ResultRow(
            institution_id=award["institution_id"],
            institution_name=display_name(
                award["institution__short_name"], award["institution__name"]
            ),
            institution_kind=award["institution__kind"],
            region_code=award["institution__region__code"],
            innovation_id=award["innovation_id"],
            innovation_name=award["innovation__name"] or "",
            unit_name=award["unit__name"] or "",
            rank_in_kind=award["rank"] if self.published.ranks else None,
            score=award["score"] if self.published.scores else None,
            award=award["category__code"],
            award_title=award["category__title"],
        )


def group_results(edition: Edition, group: str, *, kind: str = "") -> GroupResults:
    """The participants of a group, ordered, counted and sliced in the database
    (:class:`GroupResults`); ``list()`` of it gives every row."""
    return GroupResults(edition, group, kind=kind)


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
