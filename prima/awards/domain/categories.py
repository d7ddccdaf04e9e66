"""Award categories of an edition (DESIGN.md §8): what is awarded, to whom, how many.

Programmes create their categories from their edition rules (PKRI: one per group, see
`prima.pkri.domain.editions.create_edition`); calling again with the same codes updates
them, so re-creating an edition's categories is harmless.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from prima.awards.domain.permissions import require_secretariat
from prima.awards.enums import Recipient
from prima.awards.models import AwardCategory
from prima.core.domain import audit
from prima.core.domain.errors import DomainError
from prima.evaluation.models import Edition

CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
AUDITED = ("code", "title", "recipient", "group", "count", "slots", "min_score", "position")


@dataclass(frozen=True)
class CategorySpec:
    """One category as a programme's rules describe it.

    `slots` splits `count` per institution kind (it must then add up to `count`).
    """

    code: str
    title: str
    recipient: str
    group: str = ""
    count: int = 0
    slots: Mapping[str, int] = field(default_factory=dict)
    min_score: Decimal | None = None
    position: int = 0


def _check(spec: CategorySpec) -> None:
    if not CODE.match(spec.code):
        raise DomainError(
            _("Kode kategori «%(code)s» hanya boleh huruf kecil, angka dan tanda hubung.")
            % {"code": spec.code},
            field="code",
        )
    if not spec.title.strip():
        raise DomainError(_("Nama penghargaan wajib diisi."), field="title")
    if spec.recipient not in Recipient.values:
        raise DomainError(
            _("Penerima «%(value)s» tidak dikenal (instansi atau inovasi).")
            % {"value": spec.recipient},
            field="recipient",
        )
    if spec.count < 0 or any(int(n) < 0 for n in spec.slots.values()):
        raise DomainError(_("Jumlah penghargaan tidak boleh negatif."), field="count")
    if spec.slots and sum(int(n) for n in spec.slots.values()) != spec.count:
        raise DomainError(
            _(
                "Jumlah per jenis instansi (%(sum)s) tidak sama dengan jumlah penghargaan "
                "(%(count)s)."
            )
            % {"sum": sum(int(n) for n in spec.slots.values()), "count": spec.count},
            field="slots",
        )


def _values(spec: CategorySpec) -> dict[str, Any]:
    return {
        "title": spec.title.strip(),
        "recipient": spec.recipient,
        "group": spec.group,
        "count": spec.count,
        "slots": {str(k): int(v) for k, v in spec.slots.items()},
        "min_score": spec.min_score,
        "position": spec.position,
    }


def create_categories(
    edition: Edition, specs: Sequence[CategorySpec], *, actor: Any
) -> list[AwardCategory]:
    """Create (or update, by code) the edition's categories; audited one by one.

    ``actor=None`` is the system (an edition created from its file on the command line),
    as for instruments and editions themselves.
    """
    if actor is not None:
        require_secretariat(actor)
    codes = [spec.code for spec in specs]
    duplicated = sorted({code for code in codes if codes.count(code) > 1})
    if duplicated:
        raise DomainError(
            _("Kode kategori ganda: %(codes)s.") % {"codes": ", ".join(duplicated)}, field="code"
        )
    for spec in specs:
        _check(spec)
    result: list[AwardCategory] = []
    with transaction.atomic():
        existing = {c.code: c for c in AwardCategory.objects.filter(edition=edition)}
        for spec in specs:
            category = existing.get(spec.code)
            if category is None:
                category = AwardCategory.objects.create(
                    edition=edition, code=spec.code, **_values(spec)
                )
                audit.record(
                    actor=actor,
                    action="awards.category.create",
                    obj=category,
                    after=audit.snapshot(category, AUDITED),
                )
            else:
                before = audit.snapshot(category, AUDITED)
                for name, value in _values(spec).items():
                    setattr(category, name, value)
                category.save()
                after = audit.snapshot(category, AUDITED)
                if after != before:
                    audit.record(
                        actor=actor,
                        action="awards.category.update",
                        obj=category,
                        before=before,
                        after=after,
                    )
            result.append(category)
    return result
