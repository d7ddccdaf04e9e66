"""Form progress as a provincial coordinator reads it (pkri.md §2, §5.2). Pure: no ORM.

A coordinator follows where the forms of the loci in its province stand, never what they
say nor how they were judged: every state after submission (desk review, shortlist,
ranking, award…) reads as "submitted", so the progress view reveals no outcome.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from prima.pkri.enums import SUBMITTED_STATES, FormState

ANNOUNCED = "announced"
DRAFT = "draft"
AT_INSTITUTION = "at_institution"
RETURNED = "returned"
SUBMITTED = "submitted"
MISSING = "missing"


@dataclass(frozen=True)
class Bucket:
    code: str
    label: str | Promise
    states: frozenset[str]


BUCKETS: tuple[Bucket, ...] = (
    Bucket(ANNOUNCED, _("Diumumkan"), frozenset({FormState.ANNOUNCED})),
    Bucket(DRAFT, _("Draf"), frozenset({FormState.DRAFT})),
    Bucket(AT_INSTITUTION, _("Di Admin Lokal"), frozenset({FormState.AT_INSTITUTION})),
    Bucket(RETURNED, _("Dikembalikan"), frozenset({FormState.RETURNED})),
    Bucket(SUBMITTED, _("Dikirim"), frozenset(SUBMITTED_STATES)),
    Bucket(MISSING, _("Tidak dikirim"), frozenset({FormState.FORM_MISSING})),
)
BUCKET_CODES: tuple[str, ...] = tuple(b.code for b in BUCKETS)
_BUCKET_OF = {state: b.code for b in BUCKETS for state in b.states}


def bucket_of(state: str | None) -> str | None:
    """The progress bucket of a form state; None for no form or an excluded one."""
    return _BUCKET_OF.get(state) if state else None


def bucket_label(code: str | None) -> str:
    return next((str(b.label) for b in BUCKETS if b.code == code), "")


@dataclass(frozen=True)
class LocusProgress:
    """One locus of a province: its object forms per bucket and its coaching form's bucket."""

    locus_id: int
    institution_id: int
    institution: str
    short_name: str
    kind: str
    kind_label: str
    region_code: str
    objects: int
    forms: Mapping[str, int]
    # None when the locus is not in the coaching group (or its form was excluded).
    coaching: str | None

    @property
    def coaching_label(self) -> str:
        return bucket_label(self.coaching)

    @property
    def form_counts(self) -> tuple[int, ...]:
        """The object-form counts in the order of :data:`BUCKETS` (for tables)."""
        return tuple(self.forms.get(code, 0) for code in BUCKET_CODES)


@dataclass(frozen=True)
class ProgressTotals:
    loci: int
    objects: int
    forms: Mapping[str, int]
    coaching: Mapping[str, int]

    @property
    def form_counts(self) -> tuple[int, ...]:
        return tuple(self.forms[code] for code in BUCKET_CODES)


def totals(rows: Iterable[LocusProgress]) -> ProgressTotals:
    """Sums over the rows: loci, objects, object forms and coaching forms per bucket."""
    forms = dict.fromkeys(BUCKET_CODES, 0)
    coaching = dict.fromkeys(BUCKET_CODES, 0)
    loci = objects = 0
    for row in rows:
        loci += 1
        objects += row.objects
        for code in BUCKET_CODES:
            forms[code] += row.forms.get(code, 0)
        if row.coaching is not None:
            coaching[row.coaching] += 1
    return ProgressTotals(loci=loci, objects=objects, forms=forms, coaching=coaching)
