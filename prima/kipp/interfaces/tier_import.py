"""Reading a KIPP tier-history file (CSV or XLSX, kipp.md §17) and importing it.

Every row is checked first (values, the institution in the registry, duplicates inside
the file); nothing is written unless the whole file is valid. Then the rows go to
`prima.kipp.domain.tier_import.record_tier_history` in one transaction.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from prima.core.domain.jobs import ProgressCallback, no_progress
from prima.core.enums import InstitutionKind
from prima.core.interfaces.forms import StyledFormMixin
from prima.core.interfaces.tabular import (
    CellValueError,
    ErrorList,
    Row,
    Upload,
    parse_choice,
    parse_int,
    parse_required,
    read_table,
)
from prima.core.models import Institution, Person
from prima.innovations.enums import AwardLevel
from prima.innovations.models import Innovation
from prima.kipp.domain.eligibility import normalise_title
from prima.kipp.domain.tier_import import (
    PUBLISHED_FIRST_YEAR,
    ImportResult,
    TierRow,
    record_tier_history,
    require_secretariat,
)

COLUMNS = (
    "year",
    "tier_code",
    "level",
    "group",
    "innovation_title",
    "unit_name",
    "institution_name",
    "institution_type",
    "region_code",
    "category",
    "decree_no",
)
REQUIRED = ("year", "tier_code", "level", "innovation_title", "unit_name", "institution_name")
# The spec's Indonesian institution codes (kipp.md §4) and the registry's own codes.
KIND_CODES: dict[str, str] = {
    "kementerian": InstitutionKind.MINISTRY,
    "lembaga": InstitutionKind.AGENCY,
    "provinsi": InstitutionKind.PROVINCE,
    "kabupaten": InstitutionKind.REGENCY,
    "kota": InstitutionKind.CITY,
    "bumn": InstitutionKind.STATE_ENTERPRISE,
    "bumd": InstitutionKind.REGIONAL_ENTERPRISE,
    **{value: value for value in InstitutionKind.values},
}
GROUPS = ("umum", "replikasi", "khusus")
T = TypeVar("T")
_TIER = re.compile(r"^[a-z0-9_]{1,40}$")


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    description: str


def columns() -> list[Column]:
    """The file's columns with their meaning, for the upload page."""
    return [
        Column(
            "year",
            True,
            _("Tahun penyelenggaraan, %(first)s sampai tahun ini.")
            % {"first": PUBLISHED_FIRST_YEAR},
        ),
        Column("tier_code", True, _("Kode tier, mis. top99, top15_khusus, top45.")),
        Column("level", True, _("Tingkat: finalist (Top Inovasi) atau winner (Terpuji).")),
        Column("group", False, _("Kelompok: umum, replikasi, atau khusus.")),
        Column("innovation_title", True, _("Judul inovasi (paling banyak 200 huruf).")),
        Column("unit_name", True, _("Nama unit pelayanan pemilik inovasi.")),
        Column("institution_name", True, _("Nama instansi persis seperti di registri.")),
        Column(
            "institution_type",
            False,
            _("Jenis instansi: kementerian, lembaga, provinsi, kabupaten, kota, bumn, bumd."),
        ),
        Column("region_code", False, _("Kode wilayah instansi, mis. 13.76 (boleh kosong).")),
        Column("category", False, _("Kode atau nama kategori registri (boleh kosong).")),
        Column("decree_no", False, _("Nomor Keputusan Menteri PANRB.")),
    ]


def _cell(errors: ErrorList, row: Row, column: str, check: Callable[[str], T]) -> T | None:
    try:
        return check(row.get(column))
    except CellValueError as exc:
        errors.add(row.number, column, exc.message)
        return None


def _year(value: str) -> int:
    year = parse_int(parse_required(value))
    last = timezone.localdate().year
    if year is None or not PUBLISHED_FIRST_YEAR <= year <= last:
        raise CellValueError(
            _("tahun harus antara %(first)s dan %(last)s; tertulis %(value)s.")
            % {"first": PUBLISHED_FIRST_YEAR, "last": last, "value": value}
        )
    return year


def _tier(value: str) -> str:
    code = parse_required(value).lower()
    if not _TIER.match(code):
        raise CellValueError(
            _(
                "kode tier '%(value)s' tidak sah; pakai huruf kecil, angka, dan garis bawah "
                "(paling banyak 40), mis. top99."
            )
            % {"value": value}
        )
    return code


def _limited(limit: int) -> Callable[[str], str]:
    def check(value: str) -> str:
        text = " ".join(parse_required(value).split())
        if len(text) > limit:
            raise CellValueError(_("paling banyak %(limit)s huruf.") % {"limit": limit})
        return text

    return check


def _decree(value: str) -> str:
    if len(value) > 120:
        raise CellValueError(_("paling banyak 120 huruf."))
    return value


def _optional_choice(choices: tuple[str, ...]) -> Callable[[str], str]:
    def check(value: str) -> str:
        return parse_choice(value.lower(), choices) if value else ""

    return check


def parse_rows(upload: Upload, progress: ProgressCallback | None = None) -> list[TierRow]:
    """Read and check the whole file; raise TableError naming every problem by row and column."""
    report = progress or no_progress
    table = read_table(
        upload, required=REQUIRED, optional=[c for c in COLUMNS if c not in REQUIRED]
    )
    errors = ErrorList()
    names = {r.get("institution_name").casefold() for r in table.rows}
    registry = {
        inst.name.casefold(): inst
        for inst in Institution.objects.select_related("region")
        if inst.name.casefold() in names
    }
    seen: dict[tuple[int, str, int, str], int] = {}
    rows: list[TierRow] = []
    report(0, len(table.rows), _("Memeriksa baris berkas"))
    for checked, row in enumerate(table.rows):
        report(checked, len(table.rows))
        year = _cell(errors, row, "year", _year)
        tier = _cell(errors, row, "tier_code", _tier)
        level = _cell(errors, row, "level", lambda v: parse_choice(v.lower(), AwardLevel.values))
        group = _cell(errors, row, "group", _optional_choice(GROUPS))
        title = _cell(errors, row, "innovation_title", _limited(200))
        unit_name = _cell(errors, row, "unit_name", _limited(200))
        kind = _cell(errors, row, "institution_type", _optional_choice(tuple(KIND_CODES)))
        decree = _cell(errors, row, "decree_no", _decree)
        institution = None
        name = row.get("institution_name")
        if not name:
            errors.add(row.number, "institution_name", _("wajib diisi."))
        else:
            institution = registry.get(name.casefold())
            if institution is None:
                errors.add(
                    row.number,
                    "institution_name",
                    _(
                        "instansi '%(name)s' tidak ada di registri; daftarkan dulu lewat impor "
                        "instansi atau perbaiki ejaannya."
                    )
                    % {"name": name},
                )
        if institution is not None and kind and KIND_CODES[kind] != institution.kind:
            errors.add(
                row.number,
                "institution_type",
                _("jenis '%(value)s' tidak sesuai registri: %(name)s berjenis %(kind)s.")
                % {
                    "value": kind,
                    "name": institution.name,
                    "kind": institution.get_kind_display(),
                },
            )
        region_code = row.get("region_code")
        if institution is not None and region_code:
            registered = institution.region.code if institution.region else ""
            if region_code != registered:
                errors.add(
                    row.number,
                    "region_code",
                    _("kode wilayah %(value)s tidak sesuai registri (%(code)s).")
                    % {"value": region_code, "code": registered or "–"},
                )
        if (
            institution is None
            or year is None
            or tier is None
            or level is None
            or title is None
            or unit_name is None
            or group is None
            or kind is None
            or decree is None
        ):
            continue
        key = (institution.pk, normalise_title(title), year, tier)
        if key in seen:
            errors.add(
                row.number,
                "innovation_title",
                _("tier ini untuk inovasi yang sama sudah ada di baris %(row)s.")
                % {"row": seen[key]},
            )
            continue
        seen[key] = row.number
        rows.append(
            TierRow(
                row=row.number,
                year=year,
                tier=tier,
                level=level,
                group=group,
                title=title,
                unit_name=unit_name,
                institution_id=institution.pk,
                institution_name=institution.name,
                category=row.get("category"),
                decree_no=decree,
            )
        )
    errors.raise_if_any()
    return rows


def import_tier_history(
    file: Upload, *, actor: Person, progress: ProgressCallback | None = None
) -> ImportResult:
    """Check the whole file, then write its rows in one transaction with one audit entry."""
    require_secretariat(actor)
    return record_tier_history(parse_rows(file, progress), actor=actor, progress=progress)


class TierImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Berkas CSV atau XLSX"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.xlsx,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )


NEW = "baru"


class ResolveForm(StyledFormMixin, forms.Form):
    """Pick one candidate innovation, or create a new one, for a queued row."""

    choice = forms.ChoiceField(label=gettext_lazy("Pasangkan dengan"), widget=forms.RadioSelect)

    def __init__(self, *args: Any, candidates: Sequence[Innovation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["choice"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            *((str(c.pk), f"{c.name} — {c.unit.name} (#{c.pk})") for c in candidates),
            (NEW, _("Buat inovasi baru")),
        ]

    def innovation_id(self) -> int | None:
        value = self.cleaned_data["choice"]
        return None if value == NEW else int(value)
