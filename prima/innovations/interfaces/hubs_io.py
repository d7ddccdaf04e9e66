"""Import of a hub's members and export of the hub list, as CSV or XLSX.

Members file: one row per institution, column ``instansi`` holding the institution's id or
its name exactly as in the registry (other columns are ignored). Every row is checked
first (unknown institution, repeated row, central institution, institution outside the
hub's province) and nothing changes unless the whole file is valid; then one call to
`set_hub_members` writes the new member list with one audit entry. Rows either add to the
current members or, with ``replace``, become the whole member list.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from prima.core.interfaces.export import table_response
from prima.core.interfaces.registry_io import Column, name_key, parse_cell
from prima.core.interfaces.tabular import ErrorList, Upload, parse_required, read_table
from prima.core.models import Institution, Person
from prima.innovations.domain import hubs as domain
from prima.innovations.models import JippHub

MEMBER_COLUMNS = (
    Column(
        "instansi",
        True,
        _("Nomor id instansi, atau namanya persis seperti di registri instansi."),
    ),
)
HUB_HEADER = (
    "provinsi",
    "kode_provinsi",
    "keputusan",
    "tahun",
    "jumlah_anggota",
    "perguruan_tinggi",
    "inovasi_terpublikasi_anggota",
    "replikasi_terhitung_anggota",
)


@dataclass(frozen=True)
class MemberImport:
    added: int
    removed: int
    kept: int


def read_members(hub: JippHub, upload: Upload) -> list[Institution]:
    """The institutions the file names, in file order; TableError lists every problem."""
    table = read_table(
        upload,
        required=[c.name for c in MEMBER_COLUMNS if c.required],
        optional=[c.name for c in MEMBER_COLUMNS if not c.required],
        allow_extra=True,
    )
    institutions = list(Institution.objects.select_related("region"))
    by_name = {name_key(i.name): i for i in institutions}
    by_id = {i.pk: i for i in institutions}
    errors = ErrorList()
    chosen: list[Institution] = []
    seen: dict[int, int] = {}
    for row in table.rows:
        text = parse_cell(errors, row, "instansi", parse_required, "")
        if not text:
            continue
        institution = by_name.get(name_key(text))
        if institution is None and text.isdigit():
            institution = by_id.get(int(text))
        if institution is None:
            errors.add(
                row.number,
                "instansi",
                gettext(
                    "instansi '%(name)s' tidak ditemukan di registri; tulis nomor id-nya atau "
                    "namanya persis seperti di daftar instansi."
                )
                % {"name": text},
            )
            continue
        if institution.pk in seen:
            errors.add(
                row.number,
                "instansi",
                gettext("%(name)s sudah disebut di baris %(row)s.")
                % {"name": institution.name, "row": seen[institution.pk]},
            )
            continue
        seen[institution.pk] = row.number
        problem = domain.member_problem(hub.province, institution)
        if problem:
            errors.add(row.number, "instansi", problem)
            continue
        chosen.append(institution)
    errors.raise_if_any()
    return chosen


def import_members(
    hub: JippHub, upload: Upload, *, replace: bool = False, actor: Person
) -> MemberImport:
    """Apply a members file to `hub`: all rows or none (TableError names each bad row)."""
    domain.require_hub_manager(actor)
    chosen = read_members(hub, upload)
    current = set(hub.members.values_list("pk", flat=True))
    wanted = {i.pk for i in chosen} if replace else current | {i.pk for i in chosen}
    domain.set_hub_members(hub, Institution.objects.filter(pk__in=wanted), actor=actor)
    return MemberImport(
        added=len(wanted - current), removed=len(current - wanted), kept=len(current & wanted)
    )


def _hub_rows(hubs: QuerySet[JippHub]) -> Iterator[list[Any]]:
    for hub in hubs:
        yield [
            hub.province.name,
            hub.province.code,
            hub.decree_ref,
            hub.year,
            hub.n_members,  # type: ignore[attr-defined]
            "; ".join(hub.universities),
            hub.n_published,  # type: ignore[attr-defined]
            hub.n_links,  # type: ignore[attr-defined]
        ]


def export_hubs(hubs: QuerySet[JippHub], fmt: str) -> HttpResponse:
    """The hub list (annotated by `queries_hubs.hubs_with_figures`) with its figures."""
    stamp = timezone.localdate().isoformat()
    return table_response(fmt, f"simpul-jipp-{stamp}", HUB_HEADER, _hub_rows(hubs))
