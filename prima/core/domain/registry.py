"""Write actions for the national registry: regions, institutions (instansi), service units (UPP).

Every action validates first and writes nothing when a rule refuses; the write and its
audit entry commit together. Validation is also exposed on its own
(`institution_problems`, `unit_problems`) so importers can check every row of a file
before applying any of it.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from prima.core.access import access_for
from prima.core.domain import audit
from prima.core.domain.errors import DomainError, PermissionDenied, StaleVersion
from prima.core.enums import (
    GOVERNMENT_REGION_LEVEL,
    InstitutionKind,
    RegionLevel,
    ServiceType,
    UnitKind,
)
from prima.core.models import Institution, Person, Region, ServiceUnit

REGIONS_CSV = Path(__file__).resolve().parents[2] / "data" / "regions.csv"

INSTITUTION_FIELDS = (
    "kind",
    "name",
    "short_name",
    "region",
    "province_code",
    "parent",
    "is_disadvantaged",
    "is_border",
    "official_email_domain",
    "is_active",
)
UNIT_FIELDS = (
    "institution",
    "name",
    "kind",
    "service_type",
    "region",
    "user_population",
    "address",
    "is_active",
)
CENTRAL_KINDS = frozenset(
    {InstitutionKind.MINISTRY, InstitutionKind.AGENCY, InstitutionKind.STATE_ENTERPRISE}
)
_DOMAIN_RE = re.compile(r"^(?=.{1,100}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$")
_PROVINCE_CODE_RE = re.compile(r"^\d{2}$")
_DISTRICT_CODE_RE = re.compile(r"^\d{2}\.\d{2}$")


class InvalidRecord(DomainError):
    """Several rules refused one record; each problem names the field it is about."""

    def __init__(self, problems: list[DomainError]) -> None:
        super().__init__(" ".join(p.message for p in problems), field=problems[0].field)
        self.problems = problems


def _kind_label(kind: str) -> str:
    return str(InstitutionKind(kind).label) if kind in InstitutionKind.values else kind


def _level_label(level: str) -> str:
    return str(RegionLevel(level).label).lower() if level in RegionLevel.values else level


def _choices_text(values: Iterable[str]) -> str:
    return ", ".join(values)


# --------------------------------------------------------------------------- regions


@dataclass(frozen=True)
class RegionLoadResult:
    created: int
    updated: int
    unchanged: int
    provinces: int
    regencies: int
    cities: int

    @property
    def total(self) -> int:
        return self.provinces + self.regencies + self.cities


def _parse_region_rows(path: Path) -> list[dict[str, Any]]:
    """Read and check the reference file; every problem is reported with its line."""
    problems: list[str] = []
    rows: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {"code", "name", "level", "province_code", "population"} - set(
            reader.fieldnames or []
        )
        if missing:
            raise DomainError(
                f"{path.name}: kolom wajib tidak ada: {', '.join(sorted(missing))}.", field="file"
            )
        for line, raw in enumerate(reader, start=2):
            code = (raw["code"] or "").strip()
            name = (raw["name"] or "").strip()
            level = (raw["level"] or "").strip()
            province_code = (raw["province_code"] or "").strip()
            population_text = (raw["population"] or "").strip()
            where = f"{path.name} baris {line}"
            if level not in RegionLevel.values:
                problems.append(
                    f"{where}: tingkat '{level}' tidak dikenal; pilih salah satu: "
                    f"{_choices_text(RegionLevel.values)}."
                )
                continue
            pattern = _PROVINCE_CODE_RE if level == RegionLevel.PROVINCE else _DISTRICT_CODE_RE
            if not pattern.match(code):
                problems.append(f"{where}: kode '{code}' tidak sesuai format untuk {level}.")
                continue
            if province_code != code[:2]:
                problems.append(
                    f"{where}: kode provinsi '{province_code}' harus sama dengan '{code[:2]}'."
                )
            if not name:
                problems.append(f"{where}: nama wajib diisi.")
            population: int | None = None
            if population_text:
                if population_text.isdigit():
                    population = int(population_text)
                else:
                    problems.append(
                        f"{where}: jumlah penduduk '{population_text}' bukan bilangan bulat."
                    )
            if code in seen:
                problems.append(f"{where}: kode {code} sudah ada di baris {seen[code]}.")
            seen[code] = line
            rows.append(
                {
                    "code": code,
                    "name": name,
                    "level": level,
                    "province_code": province_code,
                    "population": population,
                }
            )
    provinces = {r["code"] for r in rows if r["level"] == RegionLevel.PROVINCE}
    for row in rows:
        if row["level"] != RegionLevel.PROVINCE and row["province_code"] not in provinces:
            problems.append(
                f"{path.name}: wilayah {row['code']} merujuk provinsi {row['province_code']} "
                "yang tidak ada di berkas."
            )
    if problems:
        shown = problems[:20]
        more = len(problems) - len(shown)
        suffix = f" (dan {more} masalah lain)" if more else ""
        raise DomainError(" ".join(shown) + suffix, field="file")
    return rows


def load_regions(path: Path | str | None = None, *, actor: Person | None) -> RegionLoadResult:
    """Load provinces, regencies and cities from the reference CSV (upsert by Kemendagri code).

    Running it again with the same file changes nothing. Regions missing from the file are
    kept (institutions and units may point to them). One audit entry summarises the run.
    """
    source = Path(path) if path is not None else REGIONS_CSV
    if not source.is_file():
        raise DomainError(f"Berkas wilayah {source} tidak ditemukan.", field="file")
    rows = _parse_region_rows(source)
    fields = ("name", "level", "province_code", "population")
    with transaction.atomic():
        existing = {region.code: region for region in Region.objects.select_for_update()}
        to_create: list[Region] = []
        to_update: list[Region] = []
        for row in rows:
            region = existing.get(row["code"])
            if region is None:
                to_create.append(Region(**row))
                continue
            if any(getattr(region, f) != row[f] for f in fields):
                for f in fields:
                    setattr(region, f, row[f])
                to_update.append(region)
        Region.objects.bulk_create(to_create, batch_size=500)
        Region.objects.bulk_update(to_update, fields, batch_size=500)
        levels = [row["level"] for row in rows]
        result = RegionLoadResult(
            created=len(to_create),
            updated=len(to_update),
            unchanged=len(rows) - len(to_create) - len(to_update),
            provinces=levels.count(RegionLevel.PROVINCE),
            regencies=levels.count(RegionLevel.REGENCY),
            cities=levels.count(RegionLevel.CITY),
        )
        audit.record(
            actor=actor,
            action="region.loaded",
            object_type="core.region",
            object_repr=source.name,
            after={
                "file": source.name,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "province": result.provinces,
                "regency": result.regencies,
                "city": result.cities,
            },
        )
    return result


# ---------------------------------------------------------------------- institutions


@dataclass(frozen=True)
class InstitutionData:
    """What a person states about an institution; province code and ids are derived."""

    kind: str
    name: str
    short_name: str = ""
    region: Region | None = None
    parent: Institution | None = None
    is_disadvantaged: bool = False
    is_border: bool = False
    official_email_domain: str = ""

    @classmethod
    def of(cls, institution: Institution) -> InstitutionData:
        return cls(
            kind=institution.kind,
            name=institution.name,
            short_name=institution.short_name,
            region=institution.region,
            parent=institution.parent,
            is_disadvantaged=institution.is_disadvantaged,
            is_border=institution.is_border,
            official_email_domain=institution.official_email_domain,
        )


def normalise_institution(data: InstitutionData) -> InstitutionData:
    """Trim text, lower-case the e-mail domain, give a regional enterprise its owner's region."""
    domain = data.official_email_domain.strip().lower().lstrip("@")
    region = data.region
    if data.kind == InstitutionKind.REGIONAL_ENTERPRISE and region is None and data.parent:
        region = data.parent.region
    return replace(
        data,
        kind=data.kind.strip(),
        name=" ".join(data.name.split()),
        short_name=" ".join(data.short_name.split()),
        official_email_domain=domain,
        region=region,
    )


def institution_problems(
    data: InstitutionData, *, instance: Institution | None = None
) -> list[DomainError]:
    """Every rule the (normalised) data breaks; empty when it may be saved."""
    problems: list[DomainError] = []
    # 0 matches no row, so a new record is compared with every existing one.
    own_pk: int = instance.pk if instance is not None else 0

    if not data.name:
        problems.append(DomainError(_("Nama instansi wajib diisi."), field="name"))
    elif len(data.name) > 200:
        problems.append(DomainError(_("Nama instansi paling banyak 200 karakter."), field="name"))
    elif Institution.objects.filter(name__iexact=data.name).exclude(pk=own_pk).exists():
        problems.append(
            DomainError(
                _("Nama '%(name)s' sudah dipakai instansi lain; nama instansi harus unik.")
                % {"name": data.name},
                field="name",
            )
        )
    if len(data.short_name) > 60:
        problems.append(
            DomainError(_("Nama singkat paling banyak 60 karakter."), field="short_name")
        )
    if data.official_email_domain and not _DOMAIN_RE.match(data.official_email_domain):
        problems.append(
            DomainError(
                _("Domain surel '%(domain)s' tidak sah; tulis seperti menpan.go.id, tanpa '@'.")
                % {"domain": data.official_email_domain},
                field="official_email_domain",
            )
        )

    if data.kind not in InstitutionKind.values:
        problems.append(
            DomainError(
                _("Jenis instansi '%(kind)s' tidak dikenal; pilih salah satu: %(choices)s.")
                % {"kind": data.kind, "choices": _choices_text(InstitutionKind.values)},
                field="kind",
            )
        )
        return problems

    label = _kind_label(data.kind)
    if data.kind in GOVERNMENT_REGION_LEVEL:
        level = GOVERNMENT_REGION_LEVEL[InstitutionKind(data.kind)]
        if data.region is None:
            problems.append(
                DomainError(
                    _("Instansi jenis %(kind)s wajib memiliki wilayah tingkat %(level)s.")
                    % {"kind": label, "level": _level_label(level)},
                    field="region",
                )
            )
        elif data.region.level != level:
            problems.append(
                DomainError(
                    _(
                        "Wilayah '%(region)s' (%(code)s) bertingkat %(region_level)s; instansi "
                        "jenis %(kind)s memerlukan wilayah tingkat %(level)s."
                    )
                    % {
                        "region": data.region.name,
                        "code": data.region.code,
                        "region_level": _level_label(data.region.level),
                        "kind": label,
                        "level": _level_label(level),
                    },
                    field="region",
                )
            )
        else:
            other = (
                Institution.objects.filter(kind=data.kind, region=data.region, is_active=True)
                .exclude(pk=own_pk)
                .first()
            )
            if other is not None:
                problems.append(
                    DomainError(
                        _(
                            "Wilayah %(region)s sudah memiliki instansi '%(other)s'; "
                            "satu wilayah hanya memiliki satu pemerintah daerah."
                        )
                        % {"region": data.region.name, "other": other.name},
                        field="region",
                    )
                )
        if data.parent is not None:
            problems.append(
                DomainError(_("Hanya BUMD yang memiliki instansi induk."), field="parent")
            )
    elif data.kind == InstitutionKind.REGIONAL_ENTERPRISE:
        parent = data.parent
        if parent is None:
            problems.append(
                DomainError(
                    _(
                        "BUMD wajib memiliki instansi induk: pemerintah provinsi, kabupaten, "
                        "atau kota."
                    ),
                    field="parent",
                )
            )
        elif parent.kind not in GOVERNMENT_REGION_LEVEL:
            problems.append(
                DomainError(
                    _(
                        "Instansi induk '%(parent)s' berjenis %(kind)s; "
                        "induk BUMD harus pemerintah provinsi, kabupaten, atau kota."
                    )
                    % {"parent": parent.name, "kind": _kind_label(parent.kind)},
                    field="parent",
                )
            )
        elif own_pk and parent.pk == own_pk:
            problems.append(
                DomainError(
                    _("Instansi tidak dapat menjadi induk dirinya sendiri."), field="parent"
                )
            )
        elif not parent.is_active:
            problems.append(
                DomainError(
                    _("Instansi induk '%(parent)s' tidak aktif.") % {"parent": parent.name},
                    field="parent",
                )
            )
        elif (
            data.region is not None
            and parent.region_id is not None
            and data.region.pk != parent.region_id
        ):
            problems.append(
                DomainError(
                    _(
                        "Wilayah BUMD mengikuti instansi induknya (%(parent)s); "
                        "kosongkan wilayah atau isi wilayah yang sama dengan induknya."
                    )
                    % {"parent": parent.name},
                    field="region",
                )
            )
    else:  # ministry, agency, state enterprise: national, no region
        if data.region is not None:
            problems.append(
                DomainError(
                    _("Instansi jenis %(kind)s tidak memiliki wilayah; kosongkan wilayah.")
                    % {"kind": label},
                    field="region",
                )
            )
        if data.parent is not None:
            problems.append(
                DomainError(_("Hanya BUMD yang memiliki instansi induk."), field="parent")
            )
        if data.is_disadvantaged or data.is_border:
            problems.append(
                DomainError(
                    _("Penanda daerah 3T dan perbatasan hanya untuk pemerintah daerah dan BUMD."),
                    field="is_disadvantaged",
                )
            )

    if (
        instance is not None
        and instance.kind in GOVERNMENT_REGION_LEVEL
        and data.kind not in GOVERNMENT_REGION_LEVEL
    ):
        children = instance.children.filter(is_active=True).count()
        if children:
            problems.append(
                DomainError(
                    ngettext(
                        "Instansi ini induk dari %(count)s BUMD aktif, jadi jenisnya harus tetap "
                        "pemerintah daerah.",
                        "Instansi ini induk dari %(count)s BUMD aktif, jadi jenisnya harus tetap "
                        "pemerintah daerah.",
                        children,
                    )
                    % {"count": children},
                    field="kind",
                )
            )
    return problems


def _require_secretariat(actor: Person) -> None:
    if not access_for(actor).is_secretariat:
        raise PermissionDenied(
            _("Hanya Sekretariat yang dapat menambah atau mengubah data instansi.")
        )


def _required_reason(reason: str) -> str:
    """The stripped reason a deactivation needs; refused when empty."""
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Alasan penonaktifan wajib diisi."), field="reason")
    return reason


def _switch_active(
    current: Institution | ServiceUnit,
    *,
    active: bool,
    actor: Person,
    action: str,
    reason: str,
    extra: dict[str, Any] | None = None,
) -> None:
    """Set `is_active` on the locked row and audit the switch in the same transaction."""
    current.is_active = active
    current.save(update_fields=["is_active", "updated_at"])
    audit.record(
        actor=actor,
        action=action,
        obj=current,
        before={"is_active": not active},
        after={"is_active": active, **(extra or {})},
        reason=reason,
    )


def _apply_institution(institution: Institution, data: InstitutionData) -> None:
    institution.kind = data.kind
    institution.name = data.name
    institution.short_name = data.short_name
    institution.region = data.region
    institution.province_code = data.region.province_code if data.region is not None else ""
    institution.parent = data.parent
    institution.is_disadvantaged = data.is_disadvantaged
    institution.is_border = data.is_border
    institution.official_email_domain = data.official_email_domain


def create_institution(data: InstitutionData, *, actor: Person) -> Institution:
    """Register a new institution (secretariat only). The province code follows the region."""
    _require_secretariat(actor)
    data = normalise_institution(data)
    problems = institution_problems(data)
    if problems:
        raise InvalidRecord(problems)
    with transaction.atomic():
        institution = Institution()
        _apply_institution(institution, data)
        institution.save()
        audit.record(
            actor=actor,
            action="institution.created",
            obj=institution,
            after=audit.snapshot(institution, INSTITUTION_FIELDS),
        )
    return institution


def _check_version(current: datetime, expected: datetime | None, what: str) -> None:
    if expected is not None and current != expected:
        if what == "unit":
            message = _(
                "Data unit ini telah diubah orang lain sejak Anda membukanya; muat ulang "
                "halaman, periksa perubahannya, lalu ulangi perubahan Anda."
            )
        else:
            message = _(
                "Data instansi ini telah diubah orang lain sejak Anda membukanya; muat ulang "
                "halaman, periksa perubahannya, lalu ulangi perubahan Anda."
            )
        raise StaleVersion(message)


def update_institution(
    institution: Institution,
    data: InstitutionData,
    *,
    actor: Person,
    expected_updated_at: datetime | None = None,
    reason: str = "",
) -> bool:
    """Change an institution (secretariat only); return False when nothing changed.

    `expected_updated_at` is the version the person edited: if someone saved in between,
    the change is refused instead of overwriting theirs. A local government's new region
    is carried to its regional enterprises.
    """
    _require_secretariat(actor)
    data = normalise_institution(data)
    with transaction.atomic():
        current = Institution.objects.select_for_update().get(pk=institution.pk)
        _check_version(current.updated_at, expected_updated_at, "instansi")
        problems = institution_problems(data, instance=current)
        if problems:
            raise InvalidRecord(problems)
        before = audit.snapshot(current, INSTITUTION_FIELDS)
        _apply_institution(current, data)
        after = audit.snapshot(current, INSTITUTION_FIELDS)
        if before == after:
            return False
        current.save()
        audit.record(
            actor=actor,
            action="institution.updated",
            obj=current,
            before=before,
            after=after,
            reason=reason,
        )
        if before["region"] != after["region"]:
            for child in current.children.select_for_update():
                child_before = audit.snapshot(child, INSTITUTION_FIELDS)
                child.region = current.region
                child.province_code = current.province_code
                child.save(update_fields=["region", "province_code", "updated_at"])
                audit.record(
                    actor=actor,
                    action="institution.updated",
                    obj=child,
                    before=child_before,
                    after=audit.snapshot(child, INSTITUTION_FIELDS),
                    reason=f"Wilayah mengikuti instansi induk {current.name}.",
                )
    institution.refresh_from_db()
    return True


def deactivate_institution(institution: Institution, *, actor: Person, reason: str) -> int:
    """Deactivate an institution and its active units; return how many units were closed.

    Refused while regional enterprises that belong to it are still active.
    """
    _require_secretariat(actor)
    reason = _required_reason(reason)
    with transaction.atomic():
        current = Institution.objects.select_for_update().get(pk=institution.pk)
        if not current.is_active:
            raise DomainError(_("Instansi %(name)s sudah nonaktif.") % {"name": current.name})
        children = list(current.children.filter(is_active=True).values_list("name", flat=True))
        if children:
            raise DomainError(
                _(
                    "Instansi ini induk dari BUMD aktif (%(children)s); "
                    "nonaktifkan BUMD tersebut lebih dulu."
                )
                % {"children": ", ".join(children[:5])}
            )
        unit_ids = list(current.units.filter(is_active=True).values_list("pk", flat=True))
        ServiceUnit.objects.filter(pk__in=unit_ids).update(
            is_active=False, updated_at=timezone.now()
        )
        _switch_active(
            current,
            active=False,
            actor=actor,
            action="institution.deactivated",
            reason=reason,
            extra={"units_deactivated": unit_ids},
        )
    institution.refresh_from_db()
    return len(unit_ids)


def reactivate_institution(institution: Institution, *, actor: Person, reason: str = "") -> None:
    """Make an inactive institution active again; its units stay as they are."""
    _require_secretariat(actor)
    with transaction.atomic():
        current = Institution.objects.select_for_update().get(pk=institution.pk)
        if current.is_active:
            raise DomainError(_("Instansi %(name)s sudah aktif.") % {"name": current.name})
        if current.parent is not None and not current.parent.is_active:
            raise DomainError(
                _("Instansi induk %(parent)s tidak aktif; aktifkan induknya lebih dulu.")
                % {"parent": current.parent.name}
            )
        problems = institution_problems(InstitutionData.of(current), instance=current)
        if problems:
            raise InvalidRecord(problems)
        _switch_active(
            current,
            active=True,
            actor=actor,
            action="institution.reactivated",
            reason=reason.strip(),
        )
    institution.refresh_from_db()


# --------------------------------------------------------------------- service units


@dataclass(frozen=True)
class ServiceUnitData:
    """What a person states about a service unit."""

    institution: Institution
    name: str
    kind: str
    service_type: str
    region: Region | None = None
    user_population: int | None = None
    address: str = ""

    @classmethod
    def of(cls, unit: ServiceUnit) -> ServiceUnitData:
        return cls(
            institution=unit.institution,
            name=unit.name,
            kind=unit.kind,
            service_type=unit.service_type,
            region=unit.region,
            user_population=unit.user_population,
            address=unit.address,
        )


def may_manage_units_of(actor: Any, institution: Institution) -> bool:
    """Secretariat for every institution; an Admin Lokal for the institution(s) they run."""
    access = access_for(actor)
    return access.is_secretariat or institution.pk in access.admin_institution_ids


def _require_unit_manager(actor: Person, institution: Institution) -> None:
    if not may_manage_units_of(actor, institution):
        raise PermissionDenied(
            _("Anda tidak berwenang mengelola unit pelayanan %(institution)s.")
            % {"institution": institution.name},
            field="institution",
        )


def normalise_unit(data: ServiceUnitData) -> ServiceUnitData:
    """Trim text; a unit without a region sits in its institution's region."""
    return replace(
        data,
        name=" ".join(data.name.split()),
        kind=data.kind.strip(),
        service_type=data.service_type.strip(),
        address=" ".join(data.address.split()),
        region=data.region if data.region is not None else data.institution.region,
    )


def unit_problems(
    data: ServiceUnitData, *, instance: ServiceUnit | None = None
) -> list[DomainError]:
    """Every rule the (normalised) unit data breaks; empty when it may be saved."""
    problems: list[DomainError] = []
    institution = data.institution
    # 0 matches no row, so a new record is compared with every existing one.
    own_pk: int = instance.pk if instance is not None else 0
    moving = instance is None or instance.institution_id != institution.pk
    if moving and not institution.is_active:
        problems.append(
            DomainError(
                _("Instansi %(institution)s tidak aktif; unit tidak dapat ditambahkan ke sana.")
                % {"institution": institution.name},
                field="institution",
            )
        )
    if not data.name:
        problems.append(DomainError(_("Nama unit wajib diisi."), field="name"))
    elif len(data.name) > 200:
        problems.append(DomainError(_("Nama unit paling banyak 200 karakter."), field="name"))
    elif (
        institution.pk is not None
        and ServiceUnit.objects.filter(institution=institution, name__iexact=data.name)
        .exclude(pk=own_pk)
        .exists()
    ):
        problems.append(
            DomainError(
                _(
                    "%(institution)s sudah memiliki unit bernama '%(name)s'; "
                    "nama unit dalam satu instansi harus unik."
                )
                % {"institution": institution.name, "name": data.name},
                field="name",
            )
        )
    if data.kind not in UnitKind.values:
        problems.append(
            DomainError(
                _("Jenis unit '%(kind)s' tidak dikenal; pilih salah satu: %(choices)s.")
                % {"kind": data.kind, "choices": _choices_text(UnitKind.values)},
                field="kind",
            )
        )
    if data.service_type not in ServiceType.values:
        problems.append(
            DomainError(
                _("Jenis layanan '%(service_type)s' tidak dikenal; pilih salah satu: %(choices)s.")
                % {"service_type": data.service_type, "choices": _choices_text(ServiceType.values)},
                field="service_type",
            )
        )
    home = institution.region
    if data.region is not None and home is not None:
        if home.level in (RegionLevel.REGENCY, RegionLevel.CITY) and data.region.pk != home.pk:
            problems.append(
                DomainError(
                    _("Unit milik %(institution)s harus berada di wilayah %(home)s (%(code)s).")
                    % {"institution": institution.name, "home": home.name, "code": home.code},
                    field="region",
                )
            )
        elif home.level == RegionLevel.PROVINCE and data.region.province_code != home.code:
            problems.append(
                DomainError(
                    _(
                        "Unit milik %(institution)s harus berada di Provinsi %(province)s; "
                        "wilayah %(region)s (%(code)s) di luar provinsi itu."
                    )
                    % {
                        "institution": institution.name,
                        "province": home.name,
                        "region": data.region.name,
                        "code": data.region.code,
                    },
                    field="region",
                )
            )
    if data.user_population is not None and data.user_population < 0:
        problems.append(
            DomainError(
                _("Populasi pengguna layanan tidak boleh negatif."), field="user_population"
            )
        )
    if len(data.address) > 300:
        problems.append(DomainError(_("Alamat paling banyak 300 karakter."), field="address"))
    return problems


def _apply_unit(unit: ServiceUnit, data: ServiceUnitData) -> None:
    unit.institution = data.institution
    unit.name = data.name
    unit.kind = data.kind
    unit.service_type = data.service_type
    unit.region = data.region
    unit.user_population = data.user_population
    unit.address = data.address


def create_service_unit(data: ServiceUnitData, *, actor: Person) -> ServiceUnit:
    """Register a service unit for an institution the actor manages."""
    _require_unit_manager(actor, data.institution)
    data = normalise_unit(data)
    problems = unit_problems(data)
    if problems:
        raise InvalidRecord(problems)
    with transaction.atomic():
        unit = ServiceUnit()
        _apply_unit(unit, data)
        unit.save()
        audit.record(
            actor=actor,
            action="unit.created",
            obj=unit,
            after=audit.snapshot(unit, UNIT_FIELDS),
        )
    return unit


def update_service_unit(
    unit: ServiceUnit,
    data: ServiceUnitData,
    *,
    actor: Person,
    expected_updated_at: datetime | None = None,
    reason: str = "",
) -> bool:
    """Change a service unit; return False when nothing changed.

    The actor must manage the unit's institution, and the new one when the unit moves.
    """
    with transaction.atomic():
        current = (
            ServiceUnit.objects.select_for_update(of=("self",))
            .select_related("institution", "region")
            .get(pk=unit.pk)
        )
        _require_unit_manager(actor, current.institution)
        _require_unit_manager(actor, data.institution)
        _check_version(current.updated_at, expected_updated_at, "unit")
        data = normalise_unit(data)
        problems = unit_problems(data, instance=current)
        if problems:
            raise InvalidRecord(problems)
        before = audit.snapshot(current, UNIT_FIELDS)
        _apply_unit(current, data)
        after = audit.snapshot(current, UNIT_FIELDS)
        if before == after:
            return False
        current.save()
        audit.record(
            actor=actor,
            action="unit.updated",
            obj=current,
            before=before,
            after=after,
            reason=reason,
        )
    unit.refresh_from_db()
    return True


def deactivate_service_unit(unit: ServiceUnit, *, actor: Person, reason: str) -> None:
    """Close a service unit (it stays on record with its history)."""
    _require_unit_manager(actor, unit.institution)
    reason = _required_reason(reason)
    with transaction.atomic():
        current = ServiceUnit.objects.select_for_update().get(pk=unit.pk)
        if not current.is_active:
            raise DomainError(_("Unit %(name)s sudah nonaktif.") % {"name": current.name})
        _switch_active(
            current,
            active=False,
            actor=actor,
            action="unit.deactivated",
            reason=reason,
        )
    unit.refresh_from_db()


def reactivate_service_unit(unit: ServiceUnit, *, actor: Person, reason: str = "") -> None:
    """Reopen a closed service unit of an active institution."""
    _require_unit_manager(actor, unit.institution)
    with transaction.atomic():
        current = (
            ServiceUnit.objects.select_for_update(of=("self",))
            .select_related("institution")
            .get(pk=unit.pk)
        )
        if current.is_active:
            raise DomainError(_("Unit %(name)s sudah aktif.") % {"name": current.name})
        if not current.institution.is_active:
            raise DomainError(
                _("Instansi %(institution)s tidak aktif; aktifkan instansinya lebih dulu.")
                % {"institution": current.institution.name}
            )
        _switch_active(
            current,
            active=True,
            actor=actor,
            action="unit.reactivated",
            reason=reason.strip(),
        )
    unit.refresh_from_db()
