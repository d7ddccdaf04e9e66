"""Writing the demo plan to the database: bulk inserts in one transaction, one audit entry.

The demo bypasses the per-record domain functions on purpose: tens of thousands of rows
are written with `bulk_create`, and the load is audited as one action (`demo.loaded`,
with the counts), which also marks the database as holding the demo.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction

from prima.core.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from prima.core.demo.plan import DEFAULT_SIZE, SEED, DemoPlan, build_plan
from prima.core.domain import audit
from prima.core.domain.errors import DomainError
from prima.core.domain.registry import load_regions
from prima.core.enums import Scope
from prima.core.models import AuditEntry, Institution, Membership, Person, Region, ServiceUnit
from prima.innovations.demo import load_jipp_demo
from prima.innovations.models import AwardRecord, Category, Innovation, ReplicationLink
from prima.kipp.demo.loader import load_kipp_demo
from prima.pkri.demo.loader import load_pkri_demo
from prima.skm.demo import load_skm_demo

DEMO_ACTION = "demo.loaded"
BATCH = 1000


@dataclass(frozen=True)
class DemoLoad:
    """What `load_demo` did: `created` is False when the demo was already there."""

    created: bool
    counts: dict[str, Any]
    seconds: float
    entry: AuditEntry


def demo_entry() -> AuditEntry | None:
    """The audit entry that marks this database as holding the demo, if any."""
    return AuditEntry.objects.filter(action=DEMO_ACTION).order_by("id").first()


def demo_mode_enabled() -> bool:
    """Demo passwords may exist only when the deployment says it is a demo."""
    return bool(getattr(settings, "PRIMA_DEMO", False))


def _refuse_conflicts(plan: DemoPlan) -> None:
    names = [spec.name for spec in plan.institutions]
    taken = list(Institution.objects.filter(name__in=names).values_list("name", flat=True)[:3])
    if taken:
        raise DomainError(
            "Basis data sudah berisi instansi dengan nama yang sama dengan data demo "
            f"({', '.join(taken)}). Muat data demo ke basis data yang masih kosong."
        )
    usernames = [account.username for account in DEMO_ACCOUNTS]
    taken = list(Person.objects.filter(username__in=usernames).values_list("username", flat=True))
    if taken:
        raise DomainError(
            f"Nama pengguna demo sudah dipakai: {', '.join(sorted(taken))}. "
            "Muat data demo ke basis data yang masih kosong."
        )


def _write_institutions(plan: DemoPlan, region_ids: dict[str, int]) -> dict[str, int]:
    def build(spec: Any, parent_id: int | None) -> Institution:
        return Institution(
            kind=spec.kind,
            name=spec.name,
            short_name=spec.short_name,
            region_id=region_ids.get(spec.region_code),
            province_code=spec.province_code,
            parent_id=parent_id,
            is_disadvantaged=spec.is_disadvantaged,
            is_border=spec.is_border,
            official_email_domain=spec.email_domain,
        )

    # Parents (local governments) first, so enterprises can point to them.
    first = [build(spec, None) for spec in plan.institutions if not spec.parent_name]
    Institution.objects.bulk_create(first, batch_size=BATCH)
    ids = {institution.name: institution.pk for institution in first}
    second = [build(spec, ids[spec.parent_name]) for spec in plan.institutions if spec.parent_name]
    Institution.objects.bulk_create(second, batch_size=BATCH)
    ids.update({institution.name: institution.pk for institution in second})
    return ids


def _write_units(
    plan: DemoPlan, institution_ids: dict[str, int], region_ids: dict[str, int]
) -> dict[tuple[str, str], int]:
    rows = [
        ServiceUnit(
            institution_id=institution_ids[spec.institution_name],
            name=spec.name,
            kind=spec.kind,
            service_type=spec.service_type,
            region_id=region_ids.get(spec.region_code),
            user_population=spec.user_population,
            address=spec.address,
        )
        for spec in plan.units
    ]
    ServiceUnit.objects.bulk_create(rows, batch_size=BATCH)
    return {
        (spec.institution_name, spec.name): row.pk
        for spec, row in zip(plan.units, rows, strict=True)
    }


def _write_accounts(
    institution_ids: dict[str, int], unit_ids: dict[tuple[str, str], int], password: str
) -> list[Person]:
    # One hash for all: the demo password is public anyway, and hashing is deliberately slow.
    hashed = make_password(password)
    people = [
        Person(
            username=account.username,
            email=account.email,
            full_name=account.full_name,
            position=account.position,
            phone="0812-0000-2025",
            password=hashed,
            must_complete_profile=False,
            must_change_password=False,
        )
        for account in DEMO_ACCOUNTS
    ]
    Person.objects.bulk_create(people)
    memberships = []
    for account, person in zip(DEMO_ACCOUNTS, people, strict=True):
        if account.unit_name:
            scope = Scope.UNIT
            unit_id: int | None = unit_ids[(account.institution_name, account.unit_name)]
        elif account.institution_name:
            scope, unit_id = Scope.INSTITUTION, None
        else:
            scope, unit_id = Scope.NATIONAL, None
        memberships.append(
            Membership(
                person=person,
                role=account.role,
                scope=scope,
                institution_id=institution_ids.get(account.institution_name),
                unit_id=unit_id,
            )
        )
    Membership.objects.bulk_create(memberships)
    return people


def _write_innovations(
    plan: DemoPlan, institution_ids: dict[str, int], unit_ids: dict[tuple[str, str], int]
) -> list[Innovation]:
    rows = [
        Innovation(
            unit_id=unit_ids[(spec.institution_name, spec.unit_name)],
            institution_id=institution_ids[spec.institution_name],
            name=spec.name,
            acronym=spec.acronym,
            summary=spec.summary,
            problem=spec.problem,
            approach=spec.approach,
            results=spec.results,
            beneficiaries=spec.beneficiaries,
            started_on=spec.started_on,
            is_digital=spec.is_digital,
            sdg_goals=list(spec.sdg_goals),
            status=spec.status,
            status_reason=spec.status_reason,
            status_changed_on=spec.status_changed_on,
            is_published=spec.is_published,
        )
        for spec in plan.innovations
    ]
    Innovation.objects.bulk_create(rows, batch_size=BATCH)
    # `created_at` is set on insert; the registration times of the plan are written after.
    for spec, row in zip(plan.innovations, rows, strict=True):
        if spec.registered_at is not None:
            row.created_at = spec.registered_at
    Innovation.objects.bulk_update(rows, ["created_at"], batch_size=BATCH)

    category_ids = dict(Category.objects.values_list("code", "id"))
    through = Innovation.categories.through
    Innovation.categories.through.objects.bulk_create(
        [
            through(innovation_id=row.pk, category_id=category_ids[code])
            for spec, row in zip(plan.innovations, rows, strict=True)
            for code in spec.categories
            if code in category_ids
        ],
        batch_size=BATCH,
    )
    AwardRecord.objects.bulk_create(
        [
            AwardRecord(
                innovation_id=rows[award.innovation].pk,
                programme="kipp",
                year=award.year,
                tier=award.tier,
                level=award.level,
            )
            for award in plan.awards
        ],
        batch_size=BATCH,
    )
    ReplicationLink.objects.bulk_create(
        [
            ReplicationLink(
                replica_id=rows[link.replica].pk,
                source_id=rows[link.source].pk,
                replicated_on=link.replicated_on,
                adaptation=link.adaptation,
                differences=link.differences,
            )
            for link in plan.links
        ],
        batch_size=BATCH,
    )
    return rows


def load_demo(
    *,
    actor: Person | None,
    size: int = DEFAULT_SIZE,
    seed: int = SEED,
    password: str = DEMO_PASSWORD,
    force: bool = False,
) -> DemoLoad:
    """Load the national demo dataset once; a database that already holds it is left alone.

    Refused outside demo mode (`PRIMA_DEMO=1`) unless `force` is given, because it creates
    accounts with a published password. Everything is written in one transaction with one
    `demo.loaded` audit entry carrying the counts.
    """
    if not (force or demo_mode_enabled()):
        raise DomainError(
            "Data demo hanya dapat dimuat dalam mode demo: jalankan dengan PRIMA_DEMO=1 "
            "(atau --force bila Anda yakin basis data ini bukan basis data produksi)."
        )
    started = time.perf_counter()
    existing = demo_entry()
    if existing is not None:
        return DemoLoad(False, existing.after or {}, time.perf_counter() - started, existing)
    plan = build_plan(size=size, seed=seed)
    with transaction.atomic():
        _refuse_conflicts(plan)
        load_regions(actor=actor)
        region_ids = dict(Region.objects.values_list("code", "id"))
        institution_ids = _write_institutions(plan, region_ids)
        unit_ids = _write_units(plan, institution_ids, region_ids)
        people = _write_accounts(institution_ids, unit_ids, password)
        innovations = _write_innovations(plan, institution_ids, unit_ids)
        kinds = Counter(str(spec.kind) for spec in plan.institutions)
        counts: dict[str, Any] = {
            "seed": seed,
            "regions": len(region_ids),
            "institutions": len(institution_ids),
            **{f"institutions_{kind}": n for kind, n in sorted(kinds.items())},
            "units": len(unit_ids),
            "people": len(people),
            "innovations": len(innovations),
            "published": sum(1 for spec in plan.innovations if spec.is_published),
            "awards": len(plan.awards),
            "replication_links": len(plan.links),
        }
        counts.update(load_kipp_demo(plan, innovations))
        counts.update(load_pkri_demo(plan, innovations))
        counts.update(load_jipp_demo(plan, innovations))
        counts.update(load_skm_demo(plan, unit_ids))
        entry = audit.record(
            actor=actor,
            action=DEMO_ACTION,
            object_type="demo",
            object_id=f"seed-{seed}",
            object_repr="Data demo nasional",
            after=counts,
        )
    return DemoLoad(True, counts, time.perf_counter() - started, entry)
