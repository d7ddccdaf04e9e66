"""Factories for every model; tests build real objects, never mocks of our own code."""

from __future__ import annotations

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from prima.core.enums import InstitutionKind, RegionLevel, Role, Scope, ServiceType, UnitKind
from prima.core.models import (
    Citizen,
    Institution,
    Membership,
    Person,
    Region,
    Service,
    ServiceUnit,
)
from prima.innovations.models import AwardRecord, Innovation, ReplicationLink
from prima.skm.domain.periods import parse_period
from prima.skm.enums import SurveyState
from prima.skm.models import Survey

PASSWORD = "Rahasia12345"


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{90 + n // 100:02d}.{n % 100:02d}")
    name = factory.Sequence(lambda n: f"Kota Contoh {n}")
    level = RegionLevel.CITY
    province_code = factory.LazyAttribute(lambda o: o.code[:2])
    population = 250_000


class InstitutionFactory(DjangoModelFactory):
    class Meta:
        model = Institution

    kind = InstitutionKind.CITY
    name = factory.Sequence(lambda n: f"Pemerintah Kota Contoh {n}")
    short_name = factory.Sequence(lambda n: f"Kota Contoh {n}")
    region = factory.SubFactory(RegionFactory)
    province_code = factory.LazyAttribute(lambda o: o.region.province_code if o.region else "")


class ServiceUnitFactory(DjangoModelFactory):
    class Meta:
        model = ServiceUnit

    institution = factory.SubFactory(InstitutionFactory)
    name = factory.Sequence(lambda n: f"Dinas Layanan {n}")
    kind = UnitKind.DINAS
    service_type = ServiceType.ADMINISTRATIVE
    region = factory.LazyAttribute(lambda o: o.institution.region)
    user_population = 12_000


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"pengguna{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@contoh.go.id")
    full_name = factory.Sequence(lambda n: f"Pengguna Contoh {n}")
    position = "Analis Kebijakan"
    phone = "081234567890"
    must_complete_profile = False
    must_change_password = False
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    role = Role.SECRETARIAT
    scope = Scope.NATIONAL


def person_with_role(role: str, *, institution=None, unit=None, **person_kwargs) -> Person:
    """A person holding one role at the scope the target implies."""
    person = PersonFactory(**person_kwargs)
    if unit is not None:
        MembershipFactory(
            person=person, role=role, scope=Scope.UNIT, unit=unit, institution=unit.institution
        )
    elif institution is not None:
        MembershipFactory(
            person=person, role=role, scope=Scope.INSTITUTION, institution=institution
        )
    else:
        MembershipFactory(person=person, role=role, scope=Scope.NATIONAL)
    return person


class CitizenFactory(DjangoModelFactory):
    """A citizen account verified by a one-time code to its (unique) mobile number."""

    class Meta:
        model = Citizen

    phone = factory.Sequence(lambda n: f"+62812{n:08d}")
    phone_verified_at = factory.LazyFunction(lambda: dt.datetime.now(dt.UTC))


class InnovationFactory(DjangoModelFactory):
    class Meta:
        model = Innovation

    unit = factory.SubFactory(ServiceUnitFactory)
    institution = factory.LazyAttribute(lambda o: o.unit.institution)
    name = factory.Sequence(lambda n: f"Inovasi Layanan Cepat {n}")
    acronym = factory.Sequence(lambda n: f"ILC{n}")
    summary = "Layanan perizinan daring yang memangkas waktu tunggu warga."
    problem = "Antrean panjang dan berkas yang hilang."
    approach = "Pengajuan dan pelacakan berkas secara daring."
    results = "Waktu layanan turun dari 14 hari menjadi 3 hari."
    beneficiaries = "Warga pemohon izin."
    started_on = dt.date(2021, 3, 1)
    is_digital = True
    sdg_goals = factory.LazyFunction(lambda: [16])


class ReplicationLinkFactory(DjangoModelFactory):
    class Meta:
        model = ReplicationLink

    replica = factory.SubFactory(InnovationFactory)
    source = factory.SubFactory(InnovationFactory)
    replicated_on = dt.date(2023, 1, 10)
    adaptation = "Alur pendaftaran daring dan pelacakan berkas."
    differences = "Ditambah layanan antar-jemput dokumen."


class AwardRecordFactory(DjangoModelFactory):
    class Meta:
        model = AwardRecord

    innovation = factory.SubFactory(InnovationFactory)
    programme = "kipp"
    year = 2019
    tier = "top99"
    level = "finalist"


class ServiceFactory(DjangoModelFactory):
    """A service of a unit's catalogue (mpp.md §3)."""

    class Meta:
        model = Service

    unit = factory.SubFactory(ServiceUnitFactory)
    institution = factory.LazyAttribute(lambda o: o.unit.institution)
    code = factory.Sequence(lambda n: f"LAYANAN-{n}")
    name = factory.Sequence(lambda n: f"Layanan Contoh {n}")


class SurveyFactory(DjangoModelFactory):
    """An SKM survey of a unit for a period (default 2025-Q2, collecting, skm-2017).

    ``period_code`` sets the dates; the public id is random as in production.
    """

    class Meta:
        model = Survey

    unit = factory.SubFactory(ServiceUnitFactory)
    institution = factory.LazyAttribute(lambda o: o.unit.institution)
    province_code = factory.LazyAttribute(lambda o: o.unit.institution.province_code)
    period_code = "2025-Q2"
    period_kind = factory.LazyAttribute(lambda o: parse_period(o.period_code).kind)
    period_start = factory.LazyAttribute(lambda o: parse_period(o.period_code).first_day)
    period_end = factory.LazyAttribute(lambda o: parse_period(o.period_code).last_day)
    instrument = "skm-2017"
    population = 300
    sample_target = 169
    state = SurveyState.COLLECTING
    public_id = factory.Sequence(lambda n: f"survei{n:06d}x")
