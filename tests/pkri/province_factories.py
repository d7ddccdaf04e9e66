"""Builders for the provincial coordinator's tests: province governments, a coordinator
(`viewer` at the province government) and an edition with loci in two provinces."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from prima.core.enums import InstitutionKind, RegionLevel, Role
from prima.core.models import Institution, Person, Region
from prima.evaluation.enums import EditionState
from prima.evaluation.models import Edition
from prima.pkri.enums import FormState
from prima.pkri.models import Locus, SelfAssessment
from tests.factories import InstitutionFactory, RegionFactory, person_with_role
from tests.pkri.desk_factories import locus_of, scope_object
from tests.pkri.factories import PkriEditionFactory, coaching_form


def province_region(code: str, name: str) -> Region:
    return RegionFactory(code=code, name=name, level=RegionLevel.PROVINCE, province_code=code)


def province_government(code: str = "35", name: str = "Jawa Timur") -> Institution:
    region = province_region(code, name)
    return InstitutionFactory(
        kind=InstitutionKind.PROVINCE,
        name=f"Pemerintah Provinsi {name}",
        short_name=f"Provinsi {name}",
        region=region,
    )


def regency(province_code: str, n: int, name: str | None = None) -> Institution:
    region = RegionFactory(
        code=f"{province_code}.{n:02d}",
        name=name or f"Kabupaten Uji {province_code}.{n:02d}",
        level=RegionLevel.REGENCY,
        province_code=province_code,
    )
    return InstitutionFactory(
        kind=InstitutionKind.REGENCY,
        name=f"Pemerintah {region.name}",
        short_name=region.name,
        region=region,
    )


def coordinator(province: Institution, **kwargs: Any) -> Person:
    """The province's coordinator: `viewer` at the province government."""
    return person_with_role(Role.VIEWER, institution=province, **kwargs)


def object_form(edition: Edition, institution: Institution, state: str) -> SelfAssessment:
    obj = scope_object(edition, institution)
    return SelfAssessment.objects.create(
        edition=edition, kind="sustainability", locus=obj.locus, object=obj, state=state
    )


@dataclass
class ProvinceWorld:
    edition: Edition
    province: Institution
    coordinator: Person
    jatim_loci: list[Locus]
    other_locus: Locus


def province_world(
    institution_a: Institution,
    institution_b: Institution,
    *,
    state: str = EditionState.FORMS_OPEN,
) -> ProvinceWorld:
    """Jawa Timur (35): the province government (coaching submitted, one object form
    submitted and desk-scored, one returned), Kota Surabaya (`institution_b`: a draft and
    a missing form, no coaching) and a regency (coaching in draft, an excluded object).
    Sumatera Barat (13): Kota Payakumbuh (`institution_a`), which the Jawa Timur
    coordinator never sees."""
    edition = PkriEditionFactory(stages=state)
    province = province_government("35", "Jawa Timur")
    kab = regency("35", 1, "Kabupaten Malang")
    scored = object_form(edition, province, FormState.DESK_EVALUATED)
    scored.desk_score = 91
    scored.data = {"still_running": True, "secret_note": "RAHASIA-ISIAN"}
    scored.save(update_fields=["desk_score", "data"])
    object_form(edition, province, FormState.RETURNED)
    coaching_form(locus_of(edition, province), state=FormState.SUBMITTED)
    object_form(edition, institution_b, FormState.DRAFT)
    object_form(edition, institution_b, FormState.FORM_MISSING)
    object_form(edition, kab, FormState.ANNOUNCED)
    excluded = object_form(edition, kab, FormState.EXCLUDED)
    excluded.object.excluded = True
    excluded.object.save(update_fields=["excluded"])
    coaching_form(locus_of(edition, kab), state=FormState.DRAFT)
    other = object_form(edition, institution_a, FormState.SUBMITTED)
    return ProvinceWorld(
        edition=edition,
        province=province,
        coordinator=coordinator(province, username="koordinator_jatim"),
        jatim_loci=[locus_of(edition, i) for i in (province, institution_b, kab)],
        other_locus=other.locus,
    )
