"""Award test data: an edition's categories and awards, through the domain functions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from prima.awards.domain.categories import CategorySpec, create_categories
from prima.awards.domain.proposals import ProposedRecipient, decide_awards, propose_awards
from prima.awards.models import Award, AwardCategory
from prima.evaluation.models import Edition
from prima.innovations.models import Innovation
from tests.factories import InnovationFactory, InstitutionFactory
from tests.pkri.factories import PkriEditionFactory


def edition_with_categories(
    actor: Any, **kwargs: Any
) -> tuple[Edition, AwardCategory, AwardCategory]:
    """A PKRI edition with an institution category (pembinaan) and an innovation one."""
    edition = PkriEditionFactory(stages="results", **kwargs)
    coaching, sustained = create_categories(
        edition,
        [
            CategorySpec(
                code="pembinaan",
                title="Penyelenggara Inovasi Pelayanan Publik Terbaik Tahun 2024",
                recipient="institution",
                group="pembinaan",
                count=3,
                slots={"city": 2, "regency": 1},
                min_score=Decimal("70"),
                position=1,
            ),
            CategorySpec(
                code="keberlanjutan",
                title="Top Inovasi Pelayanan Publik Kategori Kelompok Keberlanjutan 2024",
                recipient="innovation",
                group="keberlanjutan",
                count=3,
                position=2,
            ),
        ],
        actor=actor,
    )
    return edition, coaching, sustained


def propose_innovations(
    category: AwardCategory, innovations: list[Innovation], actor: Any
) -> list[Award]:
    return propose_awards(
        category,
        [
            ProposedRecipient(
                institution_id=i.institution_id,
                innovation_id=i.pk,
                unit_id=i.unit_id,
                rank=n,
                score=Decimal(90) - n,
            )
            for n, i in enumerate(innovations, start=1)
        ],
        actor=actor,
    )


def decided_innovation_awards(
    category: AwardCategory, actor: Any, count: int = 2, names: list[str] | None = None
) -> list[Award]:
    innovations = [
        InnovationFactory(name=names[n]) if names else InnovationFactory() for n in range(count)
    ]
    propose_innovations(category, innovations, actor)
    decide_awards(category, actor=actor)
    return list(Award.objects.filter(category=category).order_by("rank"))


def decided_institution_awards(
    category: AwardCategory, actor: Any, names: list[str]
) -> list[Award]:
    institutions = [InstitutionFactory(name=name, short_name=name) for name in names]
    propose_awards(
        category,
        [
            ProposedRecipient(institution_id=inst.pk, stratum="city", rank=n, score=Decimal(80 - n))
            for n, inst in enumerate(institutions, start=1)
        ],
        actor=actor,
    )
    decide_awards(category, actor=actor)
    return list(Award.objects.filter(category=category).order_by("rank"))
