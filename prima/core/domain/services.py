"""Write actions for a unit's service catalogue (mpp.md §3: code and name).

A service is named by a code unique within its institution (``KK-BARU``); SKM surveys and
responses refer to services by that code, so a code never changes once registered: a
service that changes meaning is deactivated and a new one created. Every action checks
the actor, validates, and writes with its audit entry in one transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from prima.core.access import access_for
from prima.core.domain import audit
from prima.core.domain.errors import DomainError, PermissionDenied, StaleVersion
from prima.core.models import Person, Service, ServiceUnit

CODE_MAX_LENGTH = 40
NAME_MAX_LENGTH = 200
# Upper-case letters and digits in groups joined by single hyphens: KK-BARU, KTP-EL, SIM-A.
CODE_RE = re.compile(r"^[A-Z0-9]+(?:-[A-Z0-9]+)*$")
SERVICE_FIELDS = ("unit", "code", "name", "is_active")


class InvalidService(DomainError):
    """Several rules refused one service; each problem names its field."""

    def __init__(self, problems: list[DomainError]) -> None:
        super().__init__(" ".join(p.message for p in problems), field=problems[0].field)
        self.problems = problems


@dataclass(frozen=True)
class ServiceData:
    """What a person states about a service."""

    code: str
    name: str


def normalise_code(code: str) -> str:
    """Codes are written upper-case without surrounding spaces (``kk-baru`` → ``KK-BARU``)."""
    return code.strip().upper()


def normalise(data: ServiceData) -> ServiceData:
    return ServiceData(code=normalise_code(data.code), name=" ".join(data.name.split()))


def may_manage_services(actor: Any, unit: ServiceUnit) -> bool:
    """Secretariat, the Admin Lokal of the unit's institution, and the unit's operators."""
    access = access_for(actor)
    return (
        access.is_secretariat
        or unit.institution_id in access.admin_institution_ids
        or unit.pk in access.operator_unit_ids
    )


def _require_manager(actor: Any, unit: ServiceUnit) -> None:
    if not may_manage_services(actor, unit):
        raise PermissionDenied(
            _("Anda tidak berwenang mengelola daftar layanan unit %(unit)s.") % {"unit": unit.name}
        )


def code_problem(code: str) -> str:
    """Why a (normalised) code is not acceptable; empty when it is."""
    if not code:
        return _("Kode layanan wajib diisi.")
    if len(code) > CODE_MAX_LENGTH:
        return _("Kode layanan paling banyak %(max)s karakter; tertulis %(length)s.") % {
            "max": CODE_MAX_LENGTH,
            "length": len(code),
        }
    if not CODE_RE.match(code):
        return _(
            "Kode '%(code)s' tidak sah: pakai huruf besar A–Z, angka, dan tanda hubung di "
            "antaranya, mis. KK-BARU."
        ) % {"code": code}
    return ""


def name_problem(name: str) -> str:
    """Why a (normalised) name is not acceptable; empty when it is."""
    if not name:
        return _("Nama layanan wajib diisi.")
    if len(name) > NAME_MAX_LENGTH:
        return _("Nama layanan paling banyak %(max)s karakter.") % {"max": NAME_MAX_LENGTH}
    return ""


def taken_by(unit: ServiceUnit, code: str, *, own_pk: int = 0) -> Service | None:
    """The service of the unit's institution that already uses the code, if any."""
    return (
        Service.objects.filter(institution_id=unit.institution_id, code=code)
        .exclude(pk=own_pk)
        .select_related("unit")
        .first()
    )


def taken_message(code: str, other: Service) -> str:
    return _(
        "Kode %(code)s sudah dipakai layanan '%(name)s' di unit %(unit)s; kode layanan harus "
        "unik dalam satu instansi."
    ) % {"code": code, "name": other.name, "unit": other.unit.name}


def service_problems(
    unit: ServiceUnit, data: ServiceData, *, instance: Service | None = None
) -> list[DomainError]:
    """Every rule the (normalised) data breaks; empty when it may be saved."""
    problems: list[DomainError] = []
    if instance is None:
        problem = code_problem(data.code)
        if problem:
            problems.append(DomainError(problem, field="code"))
        else:
            other = taken_by(unit, data.code)
            if other is not None:
                problems.append(DomainError(taken_message(data.code, other), field="code"))
    elif data.code != instance.code:
        problems.append(
            DomainError(
                _(
                    "Kode layanan tidak dapat diubah karena jawaban survei merujuk kode ini; "
                    "nonaktifkan layanan %(code)s lalu buat layanan baru."
                )
                % {"code": instance.code},
                field="code",
            )
        )
    problem = name_problem(data.name)
    if problem:
        problems.append(DomainError(problem, field="name"))
    return problems


def create_service(unit: ServiceUnit, data: ServiceData, *, actor: Person) -> Service:
    """Add a service to an active unit's catalogue."""
    _require_manager(actor, unit)
    data = normalise(data)
    with transaction.atomic():
        current = ServiceUnit.objects.select_for_update().get(pk=unit.pk)
        if not current.is_active:
            raise DomainError(
                _("Unit %(unit)s nonaktif; layanan tidak dapat ditambahkan.")
                % {"unit": current.name}
            )
        problems = service_problems(current, data)
        if problems:
            raise InvalidService(problems)
        service = Service.objects.create(
            institution_id=current.institution_id, unit=current, code=data.code, name=data.name
        )
        audit.record(
            actor=actor,
            action="service.created",
            obj=service,
            after=audit.snapshot(service, SERVICE_FIELDS),
        )
    return service


def _check_version(current: datetime, expected: datetime | None) -> None:
    if expected is not None and current != expected:
        raise StaleVersion(
            _(
                "Layanan ini telah diubah orang lain sejak Anda membukanya; muat ulang halaman, "
                "periksa perubahannya, lalu ulangi perubahan Anda."
            )
        )


def update_service(
    service: Service,
    data: ServiceData,
    *,
    actor: Person,
    expected_updated_at: datetime | None = None,
    reason: str = "",
) -> bool:
    """Rename a service (its code stays); return False when nothing changed.

    `expected_updated_at` is the version the person edited: a save by someone else in
    between refuses the change instead of overwriting it.
    """
    _require_manager(actor, service.unit)
    data = normalise(data)
    with transaction.atomic():
        current = Service.objects.select_for_update().get(pk=service.pk)
        _check_version(current.updated_at, expected_updated_at)
        problems = service_problems(service.unit, data, instance=current)
        if problems:
            raise InvalidService(problems)
        if current.name == data.name:
            return False
        before = audit.snapshot(current, SERVICE_FIELDS)
        current.name = data.name
        current.save(update_fields=["name", "updated_at"])
        audit.record(
            actor=actor,
            action="service.updated",
            obj=current,
            before=before,
            after=audit.snapshot(current, SERVICE_FIELDS),
            reason=reason.strip(),
        )
    service.refresh_from_db()
    return True


def _switch(service: Service, *, actor: Person, active: bool, reason: str) -> None:
    _require_manager(actor, service.unit)
    with transaction.atomic():
        current = Service.objects.select_for_update().get(pk=service.pk)
        if current.is_active == active:
            message = (
                _("Layanan %(code)s sudah aktif.")
                if active
                else _("Layanan %(code)s sudah nonaktif.")
            )
            raise DomainError(message % {"code": current.code})
        if active and not service.unit.is_active:
            raise DomainError(
                _("Unit %(unit)s nonaktif; aktifkan unitnya lebih dulu.")
                % {"unit": service.unit.name}
            )
        before = audit.snapshot(current, SERVICE_FIELDS)
        current.is_active = active
        current.save(update_fields=["is_active", "updated_at"])
        audit.record(
            actor=actor,
            action="service.reactivated" if active else "service.deactivated",
            obj=current,
            before=before,
            after=audit.snapshot(current, SERVICE_FIELDS),
            reason=reason.strip(),
        )
    service.refresh_from_db()


def deactivate_service(service: Service, *, actor: Person, reason: str = "") -> None:
    """Take a service out of the catalogue; it stays on record (old responses name it)."""
    _switch(service, actor=actor, active=False, reason=reason)


def reactivate_service(service: Service, *, actor: Person, reason: str = "") -> None:
    """Put a deactivated service back into the catalogue of an active unit."""
    _switch(service, actor=actor, active=True, reason=reason)
