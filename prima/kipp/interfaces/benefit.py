"""Forms and tables of the public benefit rating (kipp.md §14).

The forms only collect input: `prima.kipp.domain.benefit` validates every answer, the
window and the daily cap again, and its refusals are shown on the field they name. The
tables are shared by the pages, the downloads and the API, so each holds the same columns.
Nothing here ever carries a phone number or an address hash (§14 rule 8).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from prima.core.interfaces.forms import StyledFormMixin
from prima.kipp.domain.benefit import COMMENT_MAX, BenefitSummary
from prima.kipp.models import Proposal
from prima.kipp.models.benefit import (
    BenefitRating,
    RatingExclusion,
    RatingRelationship,
    RatingSuspicion,
)

BENEFIT_SCALE = (
    (1, gettext_lazy("Sangat tidak bermanfaat")),
    (2, gettext_lazy("Kurang bermanfaat")),
    (3, gettext_lazy("Cukup bermanfaat")),
    (4, gettext_lazy("Bermanfaat")),
    (5, gettext_lazy("Sangat bermanfaat")),
)
ADOPTION_SCALE = (
    (1, gettext_lazy("Sangat tidak layak ditiru")),
    (2, gettext_lazy("Kurang layak ditiru")),
    (3, gettext_lazy("Cukup layak ditiru")),
    (4, gettext_lazy("Layak ditiru")),
    (5, gettext_lazy("Sangat layak ditiru")),
)


def citizen_label(citizen_id: int) -> str:
    """How a rater is shown to staff: the account number, never the phone number."""
    return _("Warga #%(id)s") % {"id": citizen_id}


# --------------------------------------------------------------------------- forms


class RatingForm(StyledFormMixin, forms.Form):
    """Q0–Q2, the affiliation declaration and an unpublished comment (§14 form)."""

    relationship = forms.ChoiceField(
        label=gettext_lazy("Bagaimana Anda mengenal inovasi ini?"),
        choices=RatingRelationship.choices,
        widget=forms.RadioSelect(attrs={"class": "btn-check"}),
        error_messages={"required": gettext_lazy("Pilih bagaimana Anda mengenal inovasi ini.")},
    )
    benefit = forms.TypedChoiceField(
        label=gettext_lazy("Seberapa bermanfaat inovasi ini bagi masyarakat?"),
        choices=BENEFIT_SCALE,
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "btn-check"}),
        error_messages={"required": gettext_lazy("Pilih nilai kebermanfaatan 1–5.")},
    )
    adoption = forms.TypedChoiceField(
        label=gettext_lazy("Seberapa layak inovasi ini ditiru daerah lain?"),
        choices=ADOPTION_SCALE,
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "btn-check"}),
        error_messages={"required": gettext_lazy("Pilih nilai kelayakan ditiru 1–5.")},
    )
    affiliated = forms.BooleanField(
        label=gettext_lazy(
            "Saya bekerja di, atau memiliki hubungan kerja dengan, instansi pengusul inovasi ini."
        ),
        required=False,
        help_text=gettext_lazy(
            "Penilaian dari pihak yang berafiliasi tetap disimpan tetapi tidak dihitung."
        ),
    )
    comment = forms.CharField(
        label=gettext_lazy("Komentar (opsional)"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": COMMENT_MAX}),
        help_text=gettext_lazy(
            "Paling banyak 500 karakter. Komentar hanya dibaca Sekretariat KIPP dan tidak "
            "pernah dipublikasikan."
        ),
        error_messages={"max_length": gettext_lazy("Komentar paling banyak 500 karakter.")},
    )

    @classmethod
    def initial_from(cls, rating: BenefitRating | None) -> dict[str, Any] | None:
        """The answers of an earlier rating, to change them (re-rating replaces it)."""
        if rating is None:
            return None
        return {
            "relationship": rating.relationship,
            "benefit": rating.benefit,
            "adoption": rating.adoption,
            "affiliated": rating.affiliated,
            "comment": rating.comment,
        }


class ReleaseForm(StyledFormMixin, forms.Form):
    """The secretariat releases suspect ratings into the score, with a logged reason."""

    ratings = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Penilaian yang dilepas"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages={"required": gettext_lazy("Pilih sedikitnya satu penilaian.")},
    )
    reason = forms.CharField(
        label=gettext_lazy("Alasan pelepasan"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Minimal 20 karakter; dicatat di jejak audit bersama penilaian yang dilepas."
        ),
        error_messages={"required": gettext_lazy("Tuliskan alasan pelepasan.")},
    )

    def __init__(self, *args: Any, rating_ids: Iterable[int] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only ratings listed on the page can be ticked; the domain checks them again.
        self.fields["ratings"].choices = [(pk, str(pk)) for pk in rating_ids]  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- public results


def result_header() -> list[str]:
    return [
        _("Nomor"),
        _("Inovasi"),
        _("Instansi"),
        _("Kategori"),
        _("Penilaian sah"),
        _("Nilai kebermanfaatan"),
    ]


def result_item(row: Any, categories: Mapping[str, str]) -> dict[str, Any]:
    """One finalist's published result (a `PublicBenefitRow`); score None below the minimum."""
    proposal = row.proposal
    return {
        "proposal": proposal.pk,
        "title": proposal.title,
        "institution": proposal.institution.name,
        "category": proposal.category,
        "category_label": categories.get(proposal.category, proposal.category),
        "valid_ratings": row.valid,
        "score": row.score,
    }


def result_cells(item: Mapping[str, Any]) -> list[Any]:
    return [
        item["proposal"],
        item["title"],
        item["institution"],
        item["category_label"],
        item["valid_ratings"],
        item["score"] if item["score"] is not None else "",
    ]


def json_number(value: Decimal | None) -> str | None:
    """Scores in JSON as strings with 2 decimals ("71.25"), as the API gives them."""
    return None if value is None else f"{value:.2f}"


# --------------------------------------------------------------------------- monitoring


def summary_item(
    proposal: Proposal, summary: BenefitSummary | None, minimum: int
) -> dict[str, Any]:
    """A finalist's counts for the monitor page and the API (zeros when nobody rated it);
    ``excluded`` holds every rule-3 reason, in `RatingExclusion` order."""
    excluded = summary.excluded if summary else {}
    return {
        "proposal": proposal.pk,
        "title": proposal.title,
        "institution": proposal.institution.name,
        "total": summary.total if summary else 0,
        "valid": summary.valid if summary else 0,
        "excluded": {code: excluded.get(code, 0) for code in RatingExclusion.values},
        "suspect": summary.suspect if summary else 0,
        "released": summary.released if summary else 0,
        "score": summary.score if summary else None,
        "minimum_reached": summary is not None and summary.valid >= minimum,
    }


# --------------------------------------------------------------------------- staff export


def rating_header() -> list[str]:
    return [
        _("Nomor penilaian"),
        _("Penilai"),
        _("Nomor proposal"),
        _("Inovasi"),
        _("Instansi"),
        _("Hubungan dengan inovasi (P0)"),
        _("Kebermanfaatan (P1)"),
        _("Layak ditiru (P2)"),
        _("Berafiliasi"),
        _("Komentar"),
        _("Nilai r"),
        _("Dikecualikan"),
        _("Mencurigakan"),
        _("Dilepas pada"),
        _("Alasan pelepasan"),
        _("Pertama dinilai"),
        _("Terakhir dinilai"),
    ]


def _local(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def rating_cells(rating: BenefitRating) -> list[Any]:
    """One rating for staff: answers and flags; the rater only as «Warga #id»."""
    return [
        rating.pk,
        citizen_label(rating.citizen_id),
        rating.proposal_id,
        rating.proposal.title,
        rating.proposal.institution.name,
        str(RatingRelationship(rating.relationship).label),
        rating.benefit,
        rating.adoption,
        rating.affiliated,
        rating.comment,
        rating.value,
        str(RatingExclusion(rating.exclusion).label) if rating.exclusion else "",
        str(RatingSuspicion(rating.suspicion).label) if rating.suspicion else "",
        _local(rating.released_at),
        rating.release_reason,
        _local(rating.created_at),
        _local(rating.rated_at),
    ]
