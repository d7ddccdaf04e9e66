"""Reading awards: the published list of an edition, and an institution's awards across
programmes. Pages, downloads and the API all read these, so they show the same rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _

from prima.awards.domain.permissions import RESULTS_STATES, results_public
from prima.awards.enums import AwardStatus
from prima.awards.models import Award, AwardCategory, Certificate
from prima.core.enums import InstitutionKind
from prima.core.models import Institution
from prima.evaluation.models import Edition
from prima.innovations.models import AwardRecord, Innovation


def publication_rules(edition: Edition) -> Mapping[str, Any]:
    """The edition's `publication` rules; by default only membership is published."""
    rules = (edition.rules or {}).get("publication") or {}
    return rules if isinstance(rules, Mapping) else {}


def edition_for(person: Any, code: str) -> Edition:
    """The edition whose award list `person` may read (`results_public`): 404 otherwise
    (a list not yet public does not exist publicly)."""
    edition = Edition.objects.filter(code=code).first()
    if edition is None or not results_public(person, edition):
        raise Http404
    return edition


def shows_ranks(edition: Edition) -> bool:
    return bool(publication_rules(edition).get("publish_ranks", False))


def list_order(award: Award, *, ranked: bool) -> tuple[Any, ...]:
    """The order of a category's awards on the public list (and of their certificate
    numbers): stratum and rank when ranks are published, else alphabetical, so neither
    the list nor a piagam number reveals a hidden rank."""
    if ranked:
        return (award.stratum, award.rank is None, award.rank or 0, award.pk)
    return (
        (award.innovation.name if award.innovation else award.institution.name).casefold(),
        award.institution.name.casefold(),
        award.pk,
    )


@dataclass
class ListedAward:
    number: int
    rank: int | None
    stratum: str
    recipient: str
    innovation: str
    institution: str
    institution_kind: str
    score: Decimal | None
    institution_id: int = 0
    innovation_id: int | None = None
    is_demo_placeholder: bool = False


@dataclass
class ListedCategory:
    category: AwardCategory
    rows: list[ListedAward] = field(default_factory=list)


@dataclass
class AwardList:
    """An edition's decided awards per category, as the public may see them."""

    edition: Edition
    show_ranks: bool
    show_scores: bool
    categories: list[ListedCategory]

    @property
    def total(self) -> int:
        return sum(len(c.rows) for c in self.categories)

    @property
    def has_demo(self) -> bool:
        """Some rows are illustrative demo data, not real recipients."""
        return any(row.is_demo_placeholder for c in self.categories for row in c.rows)

    def header(self) -> list[str]:
        columns = [_("Kategori"), _("No.")]
        if self.show_ranks:
            columns += [_("Strata"), _("Peringkat")]
        columns += [_("Inovasi"), _("Instansi"), _("Jenis instansi")]
        if self.show_scores:
            columns.append(_("Nilai"))
        return columns

    def rows_of(self, listed: ListedCategory) -> list[list[Any]]:
        """One category's rows, without the category column."""
        cells: list[list[Any]] = []
        for row in listed.rows:
            line: list[Any] = [row.number]
            if self.show_ranks:
                line += [row.stratum, row.rank]
            line += [row.innovation, row.institution, row.institution_kind]
            if self.show_scores:
                line.append(row.score)
            cells.append(line)
        return cells

    def export_header(self) -> list[str]:
        """The CSV/XLSX columns: the page's, then whether the row is demo data."""
        return [*self.header(), _("Data demo")]

    def table(self) -> list[list[Any]]:
        """The rows of the CSV/XLSX downloads: the page's columns and order, then the
        demo flag ("ya" for illustrative rows)."""
        return [
            [listed.category.title, *line, _("ya") if row.is_demo_placeholder else _("tidak")]
            for listed in self.categories
            for row, line in zip(listed.rows, self.rows_of(listed), strict=True)
        ]


def award_list(edition: Edition) -> AwardList:
    """Decided awards per category. Without `publish_ranks` the rows are alphabetical
    (membership only) and no rank is shown; scores only with `publish_scores`."""
    rules = publication_rules(edition)
    show_ranks = shows_ranks(edition)
    show_scores = bool(rules.get("publish_scores", False))
    kinds = dict(InstitutionKind.choices)
    categories = list(
        AwardCategory.objects.filter(edition=edition).prefetch_related(
            Prefetch(
                "awards",
                queryset=Award.objects.filter(status=AwardStatus.DECIDED).select_related(
                    "institution", "innovation"
                ),
                to_attr="decided",
            )
        )
    )
    listed: list[ListedCategory] = []
    for category in categories:
        awards: list[Award] = list(category.decided)
        awards.sort(key=lambda a: list_order(a, ranked=show_ranks))
        rows = [
            ListedAward(
                number=i,
                rank=a.rank if show_ranks else None,
                stratum=str(kinds.get(a.stratum, a.stratum)) if show_ranks else "",
                recipient=a.innovation.name if a.innovation else a.institution.name,
                innovation=a.innovation.name if a.innovation else "",
                institution=a.institution.name,
                institution_kind=str(kinds.get(a.institution.kind, a.institution.kind)),
                score=a.score if show_scores else None,
                institution_id=a.institution_id,
                innovation_id=a.innovation_id,
                is_demo_placeholder=a.is_demo_placeholder,
            )
            for i, a in enumerate(awards, start=1)
        ]
        listed.append(ListedCategory(category=category, rows=rows))
    return AwardList(edition, show_ranks, show_scores, listed)


@dataclass(frozen=True)
class AwardRow:
    """One award of an institution, from any programme: a decided `Award` of a published
    edition (with its certificate number when issued) or an `AwardRecord` tier."""

    source: str  # "award" or "record"
    programme: str
    year: int
    title: str
    innovation: str
    edition_code: str
    decree_number: str
    decree_date: dt.date | None
    certificate_code: str = ""


def awards_of_institution(institution: Institution) -> list[AwardRow]:
    """Decided awards of editions whose results are public (`results_are_public`) and
    non-revoked award records of the institution's innovations, newest year first."""
    rows: list[AwardRow] = []
    awards = Award.objects.filter(
        institution=institution,
        status=AwardStatus.DECIDED,
        edition__is_published=True,
        edition__state__in=RESULTS_STATES,
    ).select_related("category", "innovation", "edition")
    certificates = dict(
        Certificate.objects.filter(award__in=awards, revoked_at__isnull=True).values_list(
            "award_id", "code"
        )
    )
    for award in awards:
        rows.append(
            AwardRow(
                source="award",
                programme=award.edition.get_programme_display(),
                year=award.edition.year,
                title=award.category.title,
                innovation=award.innovation.name if award.innovation else "",
                edition_code=award.edition.code,
                decree_number=award.decree_number,
                decree_date=award.decree_date,
                certificate_code=certificates.get(award.pk, ""),
            )
        )
    records = AwardRecord.objects.filter(
        innovation__institution=institution, revoked=False
    ).select_related("innovation")
    for record in records:
        rows.append(
            AwardRow(
                source="record",
                programme=record.get_programme_display(),
                year=record.year,
                title=f"{record.get_level_display()} — {record.tier}",
                innovation=record.innovation.name,
                edition_code="",
                decree_number=record.decree_ref,
                decree_date=record.decree_date,
            )
        )
    rows.sort(key=lambda r: (-r.year, r.programme, r.title, r.innovation))
    return rows


def override_recipient(
    *, institution_id: int | None, innovation_id: int | None
) -> tuple[Institution | None, Innovation | None]:
    """The institution and innovation an override (`add_award`) names: a named innovation
    with its owning institution, else the named institution. None for what is not named or
    not found; an unknown innovation gives no institution either."""
    innovation = Innovation.objects.filter(pk=innovation_id).first() if innovation_id else None
    if innovation_id and innovation is None:
        return None, None
    owner_id = innovation.institution_id if innovation else institution_id
    institution = Institution.objects.filter(pk=owner_id).first() if owner_id else None
    return institution, innovation
