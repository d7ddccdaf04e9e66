"""Import and export of a unit's service catalogue as CSV or XLSX.

The import checks every row first (code format, name, duplicates inside the file, codes
used by another unit of the institution) and applies nothing unless the whole file is
valid; then every row goes through `prima.core.domain.services` in one transaction. A
code the unit already has renames (and, with ``is_active``, switches) that service. The
export uses the same columns, so an export can be edited and uploaded again.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from prima.core.domain import services
from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.interfaces.export import table_response
from prima.core.interfaces.registry_io import (
    Column,
    ImportResult,
    columns_template_response,
    parse_cell,
)
from prima.core.interfaces.tabular import (
    ErrorList,
    Row,
    Upload,
    parse_bool,
    parse_required,
    read_table,
)
from prima.core.models import Person, Service, ServiceUnit

SERVICE_COLUMNS = (
    Column(
        "code",
        True,
        _(
            "Kode layanan: huruf besar A–Z, angka, dan tanda hubung, paling banyak 40 karakter "
            "(mis. KK-BARU). Unik dalam satu instansi. Kode yang sudah ada di unit ini "
            "memperbarui layanan itu; kode tidak dapat diganti."
        ),
    ),
    Column("name", True, _("Nama layanan, mis. Penerbitan Kartu Keluarga baru.")),
    Column(
        "is_active",
        False,
        _("ya/tidak: layanan aktif. Kosongkan kolomnya untuk membiarkan status apa adanya."),
    ),
)


@dataclass
class _ServiceRow:
    row: Row
    existing: Service | None
    data: services.ServiceData
    active: bool | None  # None: leave as it is


def _names() -> list[str]:
    return [c.name for c in SERVICE_COLUMNS]


def import_services(unit: ServiceUnit, upload: Upload, *, actor: Person) -> ImportResult:
    """Create or update the unit's services from a file; all rows or none."""
    if not services.may_manage_services(actor, unit):
        raise PermissionDenied(
            gettext("Anda tidak berwenang mengelola daftar layanan unit %(unit)s.")
            % {"unit": unit.name}
        )
    table = read_table(upload, required=["code", "name"], optional=["is_active"])
    has_active = "is_active" in table.columns
    own = {s.code: s for s in Service.objects.filter(unit=unit)}
    codes = {services.normalise_code(row.get("code")) for row in table.rows}
    elsewhere = {
        s.code: s
        for s in Service.objects.filter(institution_id=unit.institution_id, code__in=codes)
        .exclude(unit=unit)
        .select_related("unit")
    }
    errors = ErrorList()
    parsed: list[_ServiceRow] = []
    first_row: dict[str, int] = {}
    for row in table.rows:
        code = services.normalise_code(parse_cell(errors, row, "code", parse_required, ""))
        name = " ".join(parse_cell(errors, row, "name", parse_required, "").split())
        active = parse_cell(errors, row, "is_active", parse_bool) if has_active else None
        if has_active and not row.get("is_active"):
            active = None
        if not code:
            continue
        if code in first_row:
            errors.add(
                row.number,
                "code",
                gettext("kode %(code)s sudah ada di baris %(row)s; satu layanan satu baris.")
                % {"code": code, "row": first_row[code]},
            )
            continue
        first_row[code] = row.number
        current = own.get(code)
        if current is None:
            problem = services.code_problem(code)
            if problem:
                errors.add(row.number, "code", problem)
            elif code in elsewhere:
                errors.add(row.number, "code", services.taken_message(code, elsewhere[code]))
            elif not unit.is_active:
                errors.add(
                    row.number,
                    "code",
                    gettext("Unit %(unit)s nonaktif; layanan baru tidak dapat ditambahkan.")
                    % {"unit": unit.name},
                )
        if name:
            problem = services.name_problem(name)
            if problem:
                errors.add(row.number, "name", problem)
        parsed.append(
            _ServiceRow(
                row=row,
                existing=current,
                data=services.ServiceData(code=code, name=name),
                active=active,
            )
        )
    errors.raise_if_any()

    created = updated = unchanged = 0
    with transaction.atomic():
        for item in parsed:
            try:
                changed = False
                if item.existing is None:
                    service = services.create_service(unit, item.data, actor=actor)
                    created += 1
                    if item.active is False:
                        services.deactivate_service(
                            service, actor=actor, reason=gettext("Impor berkas layanan.")
                        )
                    continue
                service = item.existing
                service.unit = unit
                changed = services.update_service(
                    service, item.data, actor=actor, reason=gettext("Impor berkas layanan.")
                )
                if item.active is not None and item.active != service.is_active:
                    switch = (
                        services.reactivate_service if item.active else services.deactivate_service
                    )
                    switch(service, actor=actor, reason=gettext("Impor berkas layanan."))
                    changed = True
            except DomainError as exc:
                problems = exc.problems if isinstance(exc, services.InvalidService) else [exc]
                for refusal in problems:
                    errors.add(item.row.number, refusal.field or "", refusal.message)
                continue
            if changed:
                updated += 1
            else:
                unchanged += 1
        # Someone changed the catalogue between the check and the write: undo every row.
        errors.raise_if_any()
    return ImportResult(created=created, updated=updated, unchanged=unchanged)


def service_rows(rows: QuerySet[Service]) -> Iterator[list[Any]]:
    for service in rows:
        yield [service.code, service.name, "ya" if service.is_active else "tidak"]


def _filename(unit: ServiceUnit) -> str:
    return f"layanan-{slugify(unit.name)}-{timezone.localdate().isoformat()}"


def export_services(unit: ServiceUnit, rows: QuerySet[Service], fmt: str) -> HttpResponse:
    """The unit's services as a file with the import columns."""
    return table_response(fmt, _filename(unit), _names(), service_rows(rows))


def template_response(fmt: str) -> HttpResponse:
    """An empty import file of a unit's services (the registry's template layout)."""
    return columns_template_response(SERVICE_COLUMNS, "templat-impor-layanan", fmt)
