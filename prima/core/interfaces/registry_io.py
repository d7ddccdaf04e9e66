"""Import and export of the registry: institutions and service units, as CSV or XLSX.

Imports check every row first (values, references, duplicates inside the file, the
domain's own rules) and apply nothing unless the whole file is valid; then every row
goes through the domain functions in one transaction. A name that already exists
updates that record. Exports use the same columns, so an export can be re-imported.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Font

from prima.core.access import access_for
from prima.core.domain import registry
from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.domain.jobs import ProgressCallback, no_progress
from prima.core.enums import GOVERNMENT_REGION_LEVEL, InstitutionKind, ServiceType, UnitKind
from prima.core.interfaces.export import XLSX_TYPE, csv_response, table_response
from prima.core.interfaces.tabular import (
    CellValueError,
    ErrorList,
    Row,
    TableError,
    Upload,
    parse_bool,
    parse_choice,
    parse_int,
    parse_required,
    read_table,
)
from prima.core.models import Institution, Person, Region, ServiceUnit


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    description: str | Promise
    # For code columns: the enum whose codes (and Indonesian labels) are allowed.
    choices: Any = None

    def codes(self) -> list[tuple[str, str]]:
        if self.choices is None:
            return []
        return [(value, str(label)) for value, label in self.choices.choices]

    def describe(self) -> str:
        """The description, with the allowed codes spelled out (read at call time, translated)."""
        codes = ", ".join(f"{value} ({label})" for value, label in self.codes())
        return f"{self.description} {codes}." if codes else str(self.description)


INSTITUTION_COLUMNS = (
    Column(
        "name",
        True,
        _(
            "Nama resmi instansi, mis. Pemerintah Kota Payakumbuh. Nama yang sudah ada di "
            "registri memperbarui instansi itu."
        ),
    ),
    Column("kind", True, _("Kode jenis instansi:"), InstitutionKind),
    Column("short_name", False, _("Nama singkat, mis. Kota Payakumbuh (paling banyak 60 huruf).")),
    Column(
        "region_code",
        False,
        _(
            "Kode wilayah Kemendagri. Wajib untuk province, regency, city (mis. 13.76); "
            "kosong untuk instansi pusat dan BUMN; BUMD boleh kosong (mengikuti induknya)."
        ),
    ),
    Column("parent_name", False, _("Khusus BUMD: nama pemerintah daerah pemiliknya.")),
    Column("is_disadvantaged", False, _("ya/tidak: daerah 3T (tertinggal, terdepan, terluar).")),
    Column("is_border", False, _("ya/tidak: daerah perbatasan.")),
    Column(
        "official_email_domain",
        False,
        _("Domain surel resmi tanpa '@', mis. payakumbuhkota.go.id."),
    ),
)
UNIT_COLUMNS = (
    Column(
        "institution_name",
        True,
        _(
            "Nama instansi persis seperti di registri. Admin Lokal hanya dapat menulis "
            "instansinya sendiri."
        ),
    ),
    Column(
        "name",
        True,
        _("Nama unit. Nama yang sudah ada pada instansi itu memperbarui unit tersebut."),
    ),
    Column("kind", True, _("Kode jenis unit:"), UnitKind),
    Column("service_type", True, _("Kode jenis layanan:"), ServiceType),
    Column(
        "region_code",
        False,
        _("Kode wilayah Kemendagri tempat unit berada; kosong berarti wilayah instansinya."),
    ),
    Column(
        "user_population",
        False,
        _("Jumlah pengguna layanan per tahun, bilangan bulat (mis. 12500)."),
    ),
    Column("address", False, _("Alamat unit (paling banyak 300 huruf).")),
)

# Domain field → file column, to place the domain's refusals in the right column.
_INSTITUTION_FIELD_COLUMN = {"region": "region_code", "parent": "parent_name"}
_UNIT_FIELD_COLUMN = {"institution": "institution_name", "region": "region_code"}


def _names(columns: Sequence[Column]) -> list[str]:
    return [c.name for c in columns]


def _required(columns: Sequence[Column]) -> list[str]:
    return [c.name for c in columns if c.required]


def _optional(columns: Sequence[Column]) -> list[str]:
    return [c.name for c in columns if not c.required]


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


def parse_cell(
    errors: ErrorList, row: Row, column: str, parse: Callable[[str], Any], default: Any = None
) -> Any:
    """Parse one cell, recording its problem (if any) against row and column."""
    try:
        return parse(row.get(column))
    except CellValueError as exc:
        errors.add(row.number, column, exc.message)
        return default


def _report(
    errors: ErrorList, row: Row, problems: Iterable[DomainError], columns: dict[str, str]
) -> None:
    for problem in problems:
        column = columns.get(problem.field or "", problem.field or "")
        if not errors.has(row.number, column):
            errors.add(row.number, column, problem.message)


def name_key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _unknown_region(code: str) -> str:
    return gettext(
        "kode wilayah '%(code)s' tidak ada di registri wilayah (contoh: 13.76 untuk "
        "Kota Payakumbuh)."
    ) % {"code": code}


# ---------------------------------------------------------------------- institutions


@dataclass
class _InstitutionRow:
    row: Row
    existing: Institution | None
    data: registry.InstitutionData
    parent_key: str  # lower-cased parent name, "" for none
    unchanged: bool = False


def import_institutions(
    upload: Upload, *, actor: Person, progress: ProgressCallback | None = None
) -> ImportResult:
    """Create or update institutions from a file (secretariat only); all rows or none.

    `progress` hears of each row checked, then of each row written."""
    report = progress or no_progress
    if not access_for(actor).is_secretariat:
        raise PermissionDenied(gettext("Hanya Sekretariat yang dapat mengimpor instansi."))
    table = read_table(
        upload, required=_required(INSTITUTION_COLUMNS), optional=_optional(INSTITUTION_COLUMNS)
    )
    present = set(table.columns)
    regions = {region.code: region for region in Region.objects.all()}
    existing = {name_key(i.name): i for i in Institution.objects.select_related("region", "parent")}
    errors = ErrorList()
    parsed: list[_InstitutionRow] = []
    first_row: dict[str, int] = {}

    report(0, len(table.rows), gettext("Memeriksa baris berkas"))
    for checked, row in enumerate(table.rows):
        report(checked, len(table.rows))
        name = parse_cell(errors, row, "name", parse_required, "")
        kind = parse_cell(
            errors, row, "kind", lambda v: parse_choice(v, InstitutionKind.values), ""
        )
        key = name_key(name)
        if key and key in first_row:
            errors.add(
                row.number,
                "name",
                gettext("nama '%(name)s' sudah dipakai di baris %(row)s; satu instansi satu baris.")
                % {"name": name, "row": first_row[key]},
            )
            continue
        if key:
            first_row[key] = row.number
        current = existing.get(key)
        base = (
            registry.InstitutionData.of(current)
            if current is not None
            else registry.InstitutionData(kind=kind, name=name)
        )
        region = base.region
        if "region_code" in present:
            code = row.get("region_code")
            region = regions.get(code) if code else None
            if code and region is None:
                errors.add(row.number, "region_code", _unknown_region(code))
        parent_key = name_key(base.parent.name) if base.parent is not None else ""
        if "parent_name" in present:
            parent_key = name_key(row.get("parent_name"))
        parsed.append(
            _InstitutionRow(
                row=row,
                existing=current,
                parent_key=parent_key,
                data=registry.InstitutionData(
                    kind=kind,
                    name=name,
                    short_name=row.get("short_name")
                    if "short_name" in present
                    else base.short_name,
                    region=region,
                    parent=None,
                    is_disadvantaged=(
                        parse_cell(errors, row, "is_disadvantaged", parse_bool, False)
                        if "is_disadvantaged" in present
                        else base.is_disadvantaged
                    ),
                    is_border=(
                        parse_cell(errors, row, "is_border", parse_bool, False)
                        if "is_border" in present
                        else base.is_border
                    ),
                    official_email_domain=(
                        row.get("official_email_domain")
                        if "official_email_domain" in present
                        else base.official_email_domain
                    ),
                ),
            )
        )

    # Parents may be registered already or created by an earlier row of the same file.
    in_file = {name_key(p.data.name): p for p in parsed}
    government_region: dict[tuple[str, int], int] = {}
    for item in parsed:
        parent: Institution | None = None
        if item.parent_key:
            parent = existing.get(item.parent_key)
            if parent is None and item.parent_key in in_file:
                source = in_file[item.parent_key].data
                # An unsaved stand-in lets the domain check the parent's kind and region.
                parent = Institution(
                    name=source.name, kind=source.kind, region=source.region, is_active=True
                )
            if parent is None:
                errors.add(
                    item.row.number,
                    "parent_name",
                    gettext(
                        "instansi induk '%(parent)s' tidak ditemukan di registri "
                        "maupun di berkas ini."
                    )
                    % {"parent": item.row.get("parent_name")},
                )
        item.data = registry.normalise_institution(replace(item.data, parent=parent))
        if not item.data.kind or not item.data.name:
            continue  # already reported; the domain would only repeat it
        item.unchanged = item.existing is not None and item.data == registry.normalise_institution(
            registry.InstitutionData.of(item.existing)
        )
        if not item.unchanged:
            problems = registry.institution_problems(item.data, instance=item.existing)
            _report(errors, item.row, problems, _INSTITUTION_FIELD_COLUMN)
        region = item.data.region
        if item.data.kind in GOVERNMENT_REGION_LEVEL and region is not None:
            slot = (item.data.kind, region.pk)
            if slot in government_region:
                errors.add(
                    item.row.number,
                    "region_code",
                    gettext(
                        "wilayah %(code)s sudah dipakai baris %(row)s "
                        "untuk pemerintah daerah yang sama jenisnya."
                    )
                    % {"code": region.code, "row": government_region[slot]},
                )
            else:
                government_region[slot] = item.row.number
    errors.raise_if_any()

    # Governments first, so a regional enterprise's parent exists when it is saved.
    ordered = sorted(parsed, key=lambda p: p.data.kind == InstitutionKind.REGIONAL_ENTERPRISE)
    created = updated = unchanged = 0
    with transaction.atomic():
        saved: dict[str, Institution] = {}
        report(0, len(ordered), gettext("Menyimpan instansi"))
        for written, item in enumerate(ordered):
            report(written, len(ordered))
            if item.unchanged:  # nothing to write, nothing to audit
                unchanged += 1
                continue
            data = item.data
            if item.parent_key:
                parent = existing.get(item.parent_key) or saved.get(item.parent_key)
                data = replace(data, parent=parent)
            try:
                if item.existing is None:
                    saved[name_key(data.name)] = registry.create_institution(data, actor=actor)
                    created += 1
                elif registry.update_institution(
                    item.existing, data, actor=actor, reason="Impor berkas instansi."
                ):
                    updated += 1
                else:
                    unchanged += 1
            except DomainError as exc:
                problems = exc.problems if isinstance(exc, registry.InvalidRecord) else [exc]
                _report(errors, item.row, problems, _INSTITUTION_FIELD_COLUMN)
        # Someone changed the registry between the check and the write: undo every row.
        errors.raise_if_any()
    report(len(ordered), len(ordered))
    return ImportResult(created=created, updated=updated, unchanged=unchanged)


# --------------------------------------------------------------------- service units


@dataclass
class _UnitRow:
    row: Row
    existing: ServiceUnit | None
    data: registry.ServiceUnitData
    unchanged: bool = False


def import_units(
    upload: Upload, *, actor: Person, progress: ProgressCallback | None = None
) -> ImportResult:
    """Create or update service units from a file; all rows or none.

    The secretariat may name any institution; an Admin Lokal only the one(s) they run.
    `progress` hears of each row checked, then of each row written.
    """
    report = progress or no_progress
    access = access_for(actor)
    if not (access.is_secretariat or access.admin_institution_ids):
        raise PermissionDenied(
            gettext("Hanya Sekretariat atau Admin Lokal yang dapat mengimpor unit pelayanan.")
        )
    table = read_table(upload, required=_required(UNIT_COLUMNS), optional=_optional(UNIT_COLUMNS))
    present = set(table.columns)
    regions = {region.code: region for region in Region.objects.all()}
    institutions = {name_key(i.name): i for i in Institution.objects.select_related("region")}
    wanted = {name_key(row.get("institution_name")) for row in table.rows}
    wanted_ids = [institutions[k].pk for k in wanted if k in institutions]
    existing = {
        (u.institution_id, name_key(u.name)): u
        for u in ServiceUnit.objects.filter(institution_id__in=wanted_ids).select_related(
            "institution", "region"
        )
    }
    errors = ErrorList()
    parsed: list[_UnitRow] = []
    first_row: dict[tuple[int, str], int] = {}

    report(0, len(table.rows), gettext("Memeriksa baris berkas"))
    for checked, row in enumerate(table.rows):
        report(checked, len(table.rows))
        institution_name = parse_cell(errors, row, "institution_name", parse_required, "")
        institution = institutions.get(name_key(institution_name))
        if institution_name and institution is None:
            errors.add(
                row.number,
                "institution_name",
                gettext(
                    "instansi '%(institution)s' tidak ditemukan di registri; tulis namanya persis "
                    "seperti di daftar instansi."
                )
                % {"institution": institution_name},
            )
        elif institution is not None and not registry.may_manage_units_of(actor, institution):
            errors.add(
                row.number,
                "institution_name",
                gettext(
                    "Anda hanya dapat mengimpor unit untuk instansi yang Anda kelola; "
                    "'%(institution)s' bukan salah satunya."
                )
                % {"institution": institution.name},
            )
            institution = None
        name = parse_cell(errors, row, "name", parse_required, "")
        kind = parse_cell(errors, row, "kind", lambda v: parse_choice(v, UnitKind.values), "")
        service_type = parse_cell(
            errors, row, "service_type", lambda v: parse_choice(v, ServiceType.values), ""
        )
        if institution is None:
            continue
        key = (institution.pk, name_key(name))
        if name and key in first_row:
            errors.add(
                row.number,
                "name",
                gettext("unit '%(name)s' milik %(institution)s sudah ada di baris %(row)s.")
                % {"name": name, "institution": institution.name, "row": first_row[key]},
            )
            continue
        first_row[key] = row.number
        current = existing.get(key)
        region = current.region if current is not None else None
        if "region_code" in present:
            code = row.get("region_code")
            region = regions.get(code) if code else None
            if code and region is None:
                errors.add(row.number, "region_code", _unknown_region(code))
        population = current.user_population if current is not None else None
        if "user_population" in present:
            population = parse_cell(errors, row, "user_population", parse_int)
        address = current.address if current is not None else ""
        if "address" in present:
            address = row.get("address")
        data = registry.normalise_unit(
            registry.ServiceUnitData(
                institution=institution,
                name=name,
                kind=kind,
                service_type=service_type,
                region=region,
                user_population=population,
                address=address,
            )
        )
        same = current is not None and data == registry.normalise_unit(
            registry.ServiceUnitData.of(current)
        )
        if name and kind and service_type and not same:
            _report(errors, row, registry.unit_problems(data, instance=current), _UNIT_FIELD_COLUMN)
        parsed.append(_UnitRow(row=row, existing=current, data=data, unchanged=same))
    errors.raise_if_any()

    created = updated = unchanged = 0
    with transaction.atomic():
        report(0, len(parsed), gettext("Menyimpan unit pelayanan"))
        for written, item in enumerate(parsed):
            report(written, len(parsed))
            if item.unchanged:
                unchanged += 1
                continue
            try:
                if item.existing is None:
                    registry.create_service_unit(item.data, actor=actor)
                    created += 1
                elif registry.update_service_unit(
                    item.existing, item.data, actor=actor, reason="Impor berkas unit pelayanan."
                ):
                    updated += 1
                else:
                    unchanged += 1
            except DomainError as exc:
                problems = exc.problems if isinstance(exc, registry.InvalidRecord) else [exc]
                _report(errors, item.row, problems, _UNIT_FIELD_COLUMN)
        errors.raise_if_any()
    report(len(parsed), len(parsed))
    return ImportResult(created=created, updated=updated, unchanged=unchanged)


# -------------------------------------------------------------------------- filters
# Shared by the list pages, their exports and the API, so all three agree.

INSTITUTION_SORTS = {
    "name": ("name",),
    "kind": ("kind", "name"),
    "province": ("province_code", "name"),
}
UNIT_SORTS = {
    "name": ("name", "institution__name"),
    "institution": ("institution__name", "name"),
    "kind": ("kind", "institution__name", "name"),
    "province": ("region__province_code", "institution__name", "name"),
}
UNIT_STATUSES = ("active", "inactive", "all")


def sort_fields(sorts: dict[str, tuple[str, ...]], sort: str, default: str) -> list[str]:
    """`name` ascending, `-name` descending (on the first key), unknown → default."""
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key not in sorts:
        key, descending = default, False
    fields = list(sorts[key])
    if descending:
        fields[0] = f"-{fields[0]}"
    return [*fields, "pk"]


def filter_institutions(
    institutions: QuerySet[Institution],
    *,
    kind: str = "",
    province: str = "",
    q: str = "",
    disadvantaged: bool | None = None,
    border: bool | None = None,
) -> QuerySet[Institution]:
    """Narrow institutions; each word of `q` must appear in the name or short name."""
    if kind:
        institutions = institutions.filter(kind=kind)
    if province:
        institutions = institutions.filter(province_code=province)
    if disadvantaged is not None:
        institutions = institutions.filter(is_disadvantaged=disadvantaged)
    if border is not None:
        institutions = institutions.filter(is_border=border)
    for term in q.split()[:8]:
        institutions = institutions.filter(Q(name__icontains=term) | Q(short_name__icontains=term))
    return institutions


def filter_units(
    units: QuerySet[ServiceUnit],
    *,
    institution: int | None = None,
    kind: str = "",
    service_type: str = "",
    province: str = "",
    q: str = "",
    status: str = "all",
) -> QuerySet[ServiceUnit]:
    """Narrow units; each word of `q` must appear in the unit's or institution's name or address."""
    if institution is not None:
        units = units.filter(institution_id=institution)
    if kind:
        units = units.filter(kind=kind)
    if service_type:
        units = units.filter(service_type=service_type)
    if province:
        units = units.filter(region__province_code=province)
    if status == "active":
        units = units.filter(is_active=True)
    elif status == "inactive":
        units = units.filter(is_active=False)
    for term in q.split()[:8]:
        units = units.filter(
            Q(name__icontains=term)
            | Q(institution__name__icontains=term)
            | Q(address__icontains=term)
        )
    return units


# -------------------------------------------------------------------------- exports


def institution_rows(institutions: QuerySet[Institution]) -> Iterator[list[Any]]:
    for i in institutions.select_related("region", "parent"):
        yield [
            i.name,
            i.kind,
            i.short_name,
            i.region.code if i.region is not None else "",
            i.parent.name if i.parent is not None else "",
            i.is_disadvantaged,
            i.is_border,
            i.official_email_domain,
        ]


def unit_rows(units: QuerySet[ServiceUnit]) -> Iterator[list[Any]]:
    for u in units.select_related("institution", "region"):
        yield [
            u.institution.name,
            u.name,
            u.kind,
            u.service_type,
            u.region.code if u.region is not None else "",
            u.user_population,
            u.address,
        ]


def _stamp() -> str:
    return timezone.localdate().isoformat()


def export_institutions(institutions: QuerySet[Institution], fmt: str) -> HttpResponse:
    """The institutions as a file with the import columns."""
    return table_response(
        fmt,
        f"instansi-{_stamp()}",
        _names(INSTITUTION_COLUMNS),
        institution_rows(institutions),
    )


def export_units(units: QuerySet[ServiceUnit], fmt: str) -> HttpResponse:
    """The service units as a file with the import columns."""
    return table_response(fmt, f"unit-pelayanan-{_stamp()}", _names(UNIT_COLUMNS), unit_rows(units))


# ------------------------------------------------------------------------ templates

TEMPLATES = {"instansi": INSTITUTION_COLUMNS, "unit": UNIT_COLUMNS}


def template_response(which: str, fmt: str) -> HttpResponse:
    """An empty import file of a registry table (institutions, units)."""
    return columns_template_response(TEMPLATES[which], f"templat-impor-{which}", fmt)


def columns_template_response(columns: Sequence[Column], filename: str, fmt: str) -> HttpResponse:
    """An empty import file: the header row, and in XLSX a sheet explaining each column."""
    if fmt != "xlsx":
        return csv_response(filename, _names(columns), [])
    workbook = Workbook()
    data = workbook.active
    assert data is not None
    data.title = "Data"
    data.append(_names(columns))
    for cell in data[1]:
        cell.font = Font(bold=True)
    guide = workbook.create_sheet("Petunjuk")
    guide.append(["kolom", "wajib", "keterangan"])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for column in columns:
        guide.append([column.name, "ya" if column.required else "tidak", column.describe()])
    guide.append([])
    guide.append(
        [
            "",
            "",
            str(
                _(
                    "Isi data di lembar 'Data' mulai baris 2. Jangan memakai rumus; baris "
                    "judul kolom jangan diubah. Berkas hanya diterapkan bila semua barisnya "
                    "benar."
                )
            ),
        ]
    )
    guide.column_dimensions["A"].width = 24
    guide.column_dimensions["C"].width = 100
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


__all__ = [
    "INSTITUTION_COLUMNS",
    "UNIT_COLUMNS",
    "Column",
    "ImportResult",
    "TableError",
    "export_institutions",
    "export_units",
    "import_institutions",
    "import_units",
    "template_response",
]
