"""Import and export of a PKRI scope (loci and objects) as CSV or XLSX.

One row per change: ``jenis`` (lokus/objek), ``aksi`` (tambah/keluarkan), ``instansi``
(for loci: the registry name, or its id), ``inovasi_id`` (for objects), ``kelompok``
(keberlanjutan/replikasi, objects being added), ``pembinaan`` (ya/tidak, loci being added),
``alasan`` (required). Every row is checked first and nothing is applied unless the whole
file is valid; then the rows go through the scope domain functions in one transaction
(any refusal there undoes every row). Problems name the row and column, in Indonesian.

Before the freeze rows are applied as draft edits (origin ``imported``); after it, only as
one amendment announcement (number, date, the announcement amended).

The export has the same columns plus read-only information columns (ignored on import),
so an export can be edited and imported again. The column helpers come from
`prima.core.interfaces.registry_io` and `prima.core.interfaces.tabular`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from prima.core.domain.errors import DomainError
from prima.core.interfaces.export import table_response
from prima.core.interfaces.registry_io import Column, name_key, parse_cell
from prima.core.interfaces.tabular import (
    CellError,
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
from prima.core.models import Institution
from prima.evaluation.enums import EditionState
from prima.evaluation.models import Edition
from prima.innovations.models import Innovation
from prima.pkri.domain import scope
from prima.pkri.domain.editions import require_secretariat
from prima.pkri.enums import OBJECT_GROUPS, ScopeOrigin
from prima.pkri.models import Announcement, Locus, ScopeObject

LOCUS, OBJECT = "lokus", "objek"
ADD, EXCLUDE = "tambah", "keluarkan"

COLUMNS = (
    Column("jenis", True, _("lokus (instansi) atau objek (inovasi).")),
    Column("aksi", True, _("tambah atau keluarkan.")),
    Column(
        "instansi",
        False,
        _("Lokus: nama instansi persis seperti di registri, atau nomor id instansinya."),
    ),
    Column("inovasi_id", False, _("Objek: nomor id inovasi di katalog Prima.")),
    Column("kelompok", False, _("Objek yang ditambah: keberlanjutan atau replikasi.")),
    Column("pembinaan", False, _("Lokus yang ditambah: ya/tidak ikut kelompok pembinaan.")),
    Column("alasan", True, _("Alasan perubahan (minimal 10 huruf).")),
)
INFO_COLUMNS = (
    "nama_instansi",
    "jenis_instansi",
    "provinsi",
    "nama_inovasi",
    "unit",
    "tier_asal",
    "tahun_penghargaan",
    "inovasi_asal_id",
    "asal",
    "dikeluarkan",
)


@dataclass(frozen=True)
class ImportSummary:
    loci_added: int = 0
    objects_added: int = 0
    loci_excluded: int = 0
    objects_excluded: int = 0
    announcement: Announcement | None = None

    @property
    def total(self) -> int:
        return self.loci_added + self.objects_added + self.loci_excluded + self.objects_excluded


@dataclass
class _Change:
    row: Row
    kind: str
    action: str
    reason: str
    institution: Institution | None = None
    innovation: Innovation | None = None
    group: str = ""
    in_pembinaan: bool = False
    target: Locus | ScopeObject | None = None


@dataclass(frozen=True)
class Amendment:
    number: str
    date: dt.date
    amends: Announcement
    title: str = ""


def _check_row(
    errors: ErrorList,
    row: Row,
    edition: Edition,
    institutions: dict[str, Institution],
    loci: dict[int, Locus],
    objects: dict[int, ScopeObject],
) -> _Change | None:
    kind = parse_cell(errors, row, "jenis", lambda v: parse_choice(v.lower(), (LOCUS, OBJECT)), "")
    action = parse_cell(errors, row, "aksi", lambda v: parse_choice(v.lower(), (ADD, EXCLUDE)), "")
    reason = parse_cell(errors, row, "alasan", parse_required, "")
    if reason and len(" ".join(reason.split())) < scope.MIN_REASON:
        errors.add(
            row.number,
            "alasan",
            gettext("alasan terlalu singkat (minimal %(n)s huruf).") % {"n": scope.MIN_REASON},
        )
    if not kind or not action:
        return None
    change = _Change(row=row, kind=kind, action=action, reason=reason)
    if kind == LOCUS:
        text = parse_cell(errors, row, "instansi", parse_required, "")
        if not text:
            return None
        institution = institutions.get(name_key(text))
        if institution is None and text.isdigit():
            institution = Institution.objects.filter(pk=int(text)).first()
        if institution is None:
            errors.add(
                row.number,
                "instansi",
                gettext(
                    "instansi '%(name)s' tidak ditemukan di registri; tulis namanya persis "
                    "seperti di daftar instansi."
                )
                % {"name": text},
            )
            return None
        change.institution = institution
        if action == ADD and row.get("pembinaan"):
            change.in_pembinaan = parse_cell(errors, row, "pembinaan", parse_bool, False)
        _check_target(
            errors,
            change,
            "instansi",
            loci.get(institution.pk),
            taken=gettext("%(name)s sudah menjadi lokus.") % {"name": institution.name},
            missing=gettext("%(name)s bukan lokus aktif penyelenggaraan ini.")
            % {"name": institution.name},
            may_retake=change.in_pembinaan,
        )
        return change
    innovation_id = parse_cell(errors, row, "inovasi_id", parse_int)
    if innovation_id is None:
        if not errors.has(row.number, "inovasi_id"):
            errors.add(row.number, "inovasi_id", gettext("wajib diisi untuk objek."))
        return None
    innovation = Innovation.objects.select_related("institution").filter(pk=innovation_id).first()
    if innovation is None:
        errors.add(
            row.number,
            "inovasi_id",
            gettext("inovasi nomor %(id)s tidak ada di katalog.") % {"id": innovation_id},
        )
        return None
    change.innovation = innovation
    if action == ADD:
        change.group = parse_cell(
            errors,
            row,
            "kelompok",
            lambda v: parse_choice(v.lower(), [str(g) for g in OBJECT_GROUPS]),
            "",
        )
    _check_target(
        errors,
        change,
        "inovasi_id",
        objects.get(innovation.pk),
        taken=gettext("inovasi '%(name)s' sudah menjadi objek.") % {"name": innovation.name},
        missing=gettext("inovasi '%(name)s' bukan objek aktif penyelenggaraan ini.")
        % {"name": innovation.name},
    )
    return change


def _check_target(
    errors: ErrorList,
    change: _Change,
    column: str,
    current: Locus | ScopeObject | None,
    *,
    taken: str,
    missing: str,
    may_retake: bool = False,
) -> None:
    """An added target must not be in the scope yet (unless ``may_retake``); an excluded one
    must be, and becomes the change's target."""
    active = current is not None and not current.excluded
    if change.action == ADD:
        if active and not may_retake:
            errors.add(change.row.number, column, taken)
    else:
        if not active:
            errors.add(change.row.number, column, missing)
        change.target = current


def _target_key(change: _Change) -> tuple[str, int]:
    if change.kind == LOCUS:
        assert change.institution is not None
        return (LOCUS, change.institution.pk)
    assert change.innovation is not None
    return (OBJECT, change.innovation.pk)


def read_changes(edition: Edition, upload: Upload) -> list[_Change]:
    """Every row of the file checked against the scope; TableError lists every problem."""
    table = read_table(
        upload,
        required=[c.name for c in COLUMNS if c.required],
        optional=[c.name for c in COLUMNS if not c.required],
        allow_extra=True,
    )
    institutions = {name_key(i.name): i for i in Institution.objects.all()}
    loci = {
        locus.institution_id: locus
        for locus in Locus.objects.filter(edition=edition).select_related("institution")
    }
    objects = {
        obj.innovation_id: obj
        for obj in ScopeObject.objects.filter(edition=edition).select_related("innovation")
    }
    errors = ErrorList()
    changes: list[_Change] = []
    seen: dict[tuple[str, int], int] = {}
    for row in table.rows:
        change = _check_row(errors, row, edition, institutions, loci, objects)
        if change is None:
            continue
        key = _target_key(change)
        if key in seen:
            column = "instansi" if change.kind == LOCUS else "inovasi_id"
            errors.add(
                row.number,
                column,
                gettext("sudah disebut di baris %(row)s; satu lokus/objek satu baris.")
                % {"row": seen[key]},
            )
            continue
        seen[key] = row.number
        changes.append(change)
    if not changes and not errors:
        errors.add(0, "", gettext("Berkas tidak berisi baris perubahan."))
    errors.raise_if_any()
    return changes


def _apply_draft(edition: Edition, changes: list[_Change], actor: Any) -> ImportSummary:
    errors = ErrorList()
    counts = {"la": 0, "oa": 0, "le": 0, "oe": 0}
    with transaction.atomic():
        for change in changes:
            column = "instansi" if change.kind == LOCUS else "inovasi_id"
            try:
                if change.kind == LOCUS and change.action == ADD:
                    assert change.institution is not None
                    scope.add_locus(
                        edition,
                        change.institution,
                        in_pembinaan=change.in_pembinaan,
                        reason=change.reason,
                        actor=actor,
                        origin=ScopeOrigin.IMPORTED,
                    )
                    counts["la"] += 1
                elif change.kind == LOCUS:
                    assert isinstance(change.target, Locus)
                    scope.exclude_locus(change.target, reason=change.reason, actor=actor)
                    counts["le"] += 1
                elif change.action == ADD:
                    assert change.innovation is not None
                    scope.add_object(
                        edition,
                        change.innovation,
                        change.group,
                        reason=change.reason,
                        actor=actor,
                        origin=ScopeOrigin.IMPORTED,
                    )
                    counts["oa"] += 1
                else:
                    assert isinstance(change.target, ScopeObject)
                    scope.exclude_object(change.target, reason=change.reason, actor=actor)
                    counts["oe"] += 1
            except DomainError as error:
                if error.field == "group":
                    column = "kelompok"
                elif error.field == "reason":
                    column = "alasan"
                errors.add(change.row.number, column, error.message)
        # A refusal by the domain undoes every row written before it.
        errors.raise_if_any()
    return ImportSummary(
        loci_added=counts["la"],
        objects_added=counts["oa"],
        loci_excluded=counts["le"],
        objects_excluded=counts["oe"],
    )


def _apply_amendment(
    edition: Edition, changes: list[_Change], amendment: Amendment, actor: Any
) -> ImportSummary:
    additions: list[scope.Addition] = []
    exclusions: list[scope.Exclusion] = []
    for change in changes:
        if change.action == ADD and change.kind == LOCUS:
            assert change.institution is not None
            additions.append(
                scope.LocusAddition(change.institution, change.reason, change.in_pembinaan)
            )
        elif change.action == ADD:
            assert change.innovation is not None
            additions.append(scope.ObjectAddition(change.innovation, change.group, change.reason))
        else:
            assert change.target is not None
            exclusions.append(scope.Exclusion(change.target, change.reason))
    try:
        announcement = scope.amend_scope(
            edition,
            number=amendment.number,
            date=amendment.date,
            amends=amendment.amends,
            title=amendment.title,
            additions=additions,
            exclusions=exclusions,
            actor=actor,
        )
    except DomainError as error:
        raise TableError([CellError(0, "", error.message)]) from error
    return ImportSummary(
        loci_added=sum(1 for a in additions if isinstance(a, scope.LocusAddition)),
        objects_added=sum(1 for a in additions if isinstance(a, scope.ObjectAddition)),
        loci_excluded=sum(1 for e in exclusions if isinstance(e.target, Locus)),
        objects_excluded=sum(1 for e in exclusions if isinstance(e.target, ScopeObject)),
        announcement=announcement,
    )


def import_scope(
    edition: Edition, upload: Upload, *, actor: Any, amendment: Amendment | None = None
) -> ImportSummary:
    """Apply a scope file: draft edits before the freeze, one amendment after; all or none."""
    require_secretariat(actor)
    if edition.state != EditionState.SCOPE_DRAFT and amendment is None:
        raise DomainError(
            gettext(
                "Lingkup sudah ditetapkan; impor hanya dapat diterapkan sebagai pengumuman "
                "perubahan (isi nomor, tanggal dan pengumuman yang diubah)."
            ),
            field="scope_frozen",
        )
    changes = read_changes(edition, upload)
    if edition.state == EditionState.SCOPE_DRAFT:
        return _apply_draft(edition, changes, actor)
    assert amendment is not None
    return _apply_amendment(edition, changes, amendment, actor)


# -------------------------------------------------------------------------- export


def _locus_rows(loci: QuerySet[Locus]) -> Iterator[list[Any]]:
    for locus in loci:
        institution = locus.institution
        yield [
            LOCUS,
            EXCLUDE if locus.excluded else ADD,
            institution.name,
            "",
            "",
            locus.in_pembinaan,
            locus.excluded_reason if locus.excluded else locus.reason,
            institution.short_name or institution.name,
            institution.get_kind_display(),
            institution.province_code,
            "",
            "",
            "",
            "",
            "",
            locus.get_origin_display(),
            locus.excluded,
        ]


def _object_rows(objects: QuerySet[ScopeObject]) -> Iterator[list[Any]]:
    for obj in objects:
        institution = obj.locus.institution
        yield [
            OBJECT,
            EXCLUDE if obj.excluded else ADD,
            "",
            obj.innovation_id,
            obj.group,
            "",
            obj.excluded_reason if obj.excluded else obj.reason,
            institution.short_name or institution.name,
            institution.get_kind_display(),
            institution.province_code,
            obj.innovation.name,
            obj.unit.name,
            obj.source_tier,
            obj.award_year,
            obj.original_id or "",
            obj.get_origin_display(),
            obj.excluded,
        ]


def export_scope(
    edition: Edition, loci: QuerySet[Locus], objects: QuerySet[ScopeObject], fmt: str
) -> HttpResponse:
    """The scope (already filtered and scoped by the caller) with the import columns."""
    header = [c.name for c in COLUMNS] + list(INFO_COLUMNS)
    loci = loci.select_related("institution").order_by("institution__name", "pk")
    objects = objects.select_related("locus__institution", "innovation", "unit").order_by(
        "group", "innovation__name", "pk"
    )

    def rows() -> Iterator[list[Any]]:
        yield from _locus_rows(loci)
        yield from _object_rows(objects)

    stamp = timezone.localdate().isoformat()
    return table_response(fmt, f"lingkup-{edition.code}-{stamp}", header, rows())
