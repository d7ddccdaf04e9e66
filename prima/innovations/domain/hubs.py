"""Replication-network hubs (Simpul JIPP, pkri.md §9): provinces designated by a decree to
coach replication, with their member institutions and assisting universities.

Every write is the secretariat's and is audited (`jipp.hub.created|updated|deleted|
members_changed`). A hub's members are institutions located in its province: its
provincial government, regencies, cities and regional enterprises. Central institutions
(ministries, agencies, state enterprises) cannot be members.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from prima.core.access import access_for
from prima.core.domain import audit
from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.enums import LOCAL_KINDS, RegionLevel
from prima.core.models import Institution, Person, Region
from prima.innovations.models import JippHub

AUDIT_FIELDS = ("province", "decree_ref", "year", "universities")
FIRST_YEAR = 2000
DECREE_MAX = JippHub._meta.get_field("decree_ref").max_length or 120
UNIVERSITY_MAX = 200

_UNSET: Any = object()


def may_manage_hubs(person: Any) -> bool:
    """Designating hubs and their members is the secretariat's work."""
    return access_for(person).is_secretariat


def require_hub_manager(actor: Any) -> None:
    """Refuse anyone but the secretariat (PermissionDenied)."""
    if not may_manage_hubs(actor):
        raise PermissionDenied(_("Hanya Sekretariat yang dapat mengatur simpul JIPP."))


# --------------------------------------------------------------------------- checks


def _check_province(province: Region, hub: JippHub | None = None) -> None:
    if province.level != RegionLevel.PROVINCE:
        raise DomainError(
            _("%(name)s bukan provinsi; simpul JIPP ditetapkan per provinsi.")
            % {"name": province.name},
            field="province",
        )
    taken = JippHub.objects.filter(province=province)
    if hub is not None:
        taken = taken.exclude(pk=hub.pk)
    if taken.exists():
        raise _province_taken(province)


def _province_taken(province: Region) -> DomainError:
    return DomainError(
        _("Provinsi %(name)s sudah menjadi simpul JIPP; satu provinsi satu simpul.")
        % {"name": province.name},
        field="province",
    )


def _clean_decree(decree_ref: str) -> str:
    decree_ref = " ".join((decree_ref or "").split())
    if not decree_ref:
        raise DomainError(
            _("Tuliskan keputusan penetapan simpul, mis. KepmenPANRB 94/2020."),
            field="decree_ref",
        )
    if len(decree_ref) > DECREE_MAX:
        raise DomainError(
            _("Keputusan penetapan paling panjang %(n)s karakter.") % {"n": DECREE_MAX},
            field="decree_ref",
        )
    return decree_ref


def _clean_year(year: Any) -> int:
    this_year = timezone.localdate().year
    if isinstance(year, bool) or not isinstance(year, int) or not FIRST_YEAR <= year <= this_year:
        raise DomainError(
            _("Tahun penetapan harus antara %(first)s dan %(last)s.")
            % {"first": FIRST_YEAR, "last": this_year},
            field="year",
        )
    return year


def _clean_universities(universities: Iterable[str]) -> list[str]:
    """Names trimmed, in the order given; empty, overlong or repeated names are refused."""
    names: list[str] = []
    seen: dict[str, int] = {}
    for position, raw in enumerate(universities, start=1):
        name = " ".join(str(raw or "").split())
        if not name:
            raise DomainError(
                _("Nama perguruan tinggi ke-%(n)s kosong.") % {"n": position},
                field="universities",
            )
        if len(name) > UNIVERSITY_MAX:
            raise DomainError(
                _("Nama perguruan tinggi «%(name)s…» lebih dari %(n)s karakter.")
                % {"name": name[:40], "n": UNIVERSITY_MAX},
                field="universities",
            )
        key = name.casefold()
        if key in seen:
            raise DomainError(
                _("Perguruan tinggi «%(name)s» tertulis dua kali (ke-%(first)s dan ke-%(n)s).")
                % {"name": name, "first": seen[key], "n": position},
                field="universities",
            )
        seen[key] = position
        names.append(name)
    return names


def member_problem(province: Region, institution: Institution) -> str:
    """Why `institution` cannot be a member of the hub of `province` ("" when it can).

    `institution.region` should be loaded (select_related) by the caller.
    """
    if institution.kind not in LOCAL_KINDS or institution.region_id is None:
        return _(
            "%(name)s adalah instansi pusat; anggota simpul JIPP hanya instansi daerah di "
            "Provinsi %(province)s."
        ) % {"name": institution.name, "province": province.name}
    if institution.region is None or institution.region.province_code != province.province_code:
        return _("%(name)s tidak berada di Provinsi %(province)s.") % {
            "name": institution.name,
            "province": province.name,
        }
    return ""


def _locked(hub: JippHub) -> JippHub:
    try:
        return (
            JippHub.objects.select_for_update(of=("self",))
            .select_related("province")
            .get(pk=hub.pk)
        )
    except JippHub.DoesNotExist as error:
        raise DomainError(_("Simpul JIPP ini sudah dihapus.")) from error


def _member_ids(hub: JippHub) -> list[int]:
    return sorted(hub.members.values_list("pk", flat=True))


# --------------------------------------------------------------------------- writes


def create_hub(
    province: Region,
    decree_ref: str,
    year: int,
    universities: Sequence[str] = (),
    *,
    actor: Person,
) -> JippHub:
    """Designate `province` as a hub by the decree `decree_ref` of `year`.

    Refused: a region that is not a province, a province that already is a hub, an empty
    decree, a year before 2000 or after this year, an empty or repeated university name.
    """
    require_hub_manager(actor)
    decree_ref = _clean_decree(decree_ref)
    year = _clean_year(year)
    names = _clean_universities(universities)
    with transaction.atomic():
        _check_province(province)
        try:
            with transaction.atomic():
                hub = JippHub.objects.create(
                    province=province, decree_ref=decree_ref, year=year, universities=names
                )
        except IntegrityError as error:  # a concurrent designation of the same province
            raise _province_taken(province) from error
        audit.record(
            actor=actor,
            action="jipp.hub.created",
            obj=hub,
            after=audit.snapshot(hub, AUDIT_FIELDS),
        )
    return hub


def update_hub(
    hub: JippHub,
    *,
    province: Region = _UNSET,
    decree_ref: str = _UNSET,
    year: int = _UNSET,
    universities: Sequence[str] = _UNSET,
    actor: Person,
) -> JippHub:
    """Change the fields given (the others stay); same checks as `create_hub`.

    Moving a hub to another province is refused while it has members outside that province.
    """
    require_hub_manager(actor)
    changes: dict[str, Any] = {}
    if decree_ref is not _UNSET:
        changes["decree_ref"] = _clean_decree(decree_ref)
    if year is not _UNSET:
        changes["year"] = _clean_year(year)
    if universities is not _UNSET:
        changes["universities"] = _clean_universities(universities)
    with transaction.atomic():
        current = _locked(hub)
        if province is not _UNSET and province.pk != current.province_id:
            _check_province(province, current)
            members = current.members.select_related("region").order_by("name")
            for member in members:
                problem = member_problem(province, member)
                if problem:
                    raise DomainError(
                        _(
                            "Simpul tidak dapat dipindah ke Provinsi %(province)s: %(problem)s "
                            "Keluarkan dulu anggota dari provinsi lama."
                        )
                        % {"province": province.name, "problem": problem},
                        field="province",
                    )
            changes["province"] = province
        before = audit.snapshot(current, AUDIT_FIELDS)
        for name, value in changes.items():
            setattr(current, name, value)
        after = audit.snapshot(current, AUDIT_FIELDS)
        if after == before:
            return current
        try:
            with transaction.atomic():
                current.save()
        except IntegrityError as error:
            raise _province_taken(current.province) from error
        audit.record(
            actor=actor, action="jipp.hub.updated", obj=current, before=before, after=after
        )
    return current


def delete_hub(hub: JippHub, *, actor: Person) -> None:
    """Remove a hub and its member list (the institutions stay); the audit entry keeps the
    hub's fields and its member ids."""
    require_hub_manager(actor)
    with transaction.atomic():
        current = _locked(hub)
        before = audit.snapshot(current, AUDIT_FIELDS)
        before["members"] = _member_ids(current)
        audit.record(actor=actor, action="jipp.hub.deleted", obj=current, before=before)
        current.delete()


def set_hub_members(hub: JippHub, institutions: Iterable[Institution], *, actor: Person) -> JippHub:
    """Make `institutions` the hub's members (an empty list removes them all).

    Every institution must be a local institution of the hub's province; the refusal names
    the first one that is not.
    """
    require_hub_manager(actor)
    wanted = {institution.pk for institution in institutions}
    with transaction.atomic():
        current = _locked(hub)
        province = current.province
        found = Institution.objects.select_related("region").filter(pk__in=wanted)
        for institution in sorted(found, key=lambda i: i.name):
            problem = member_problem(province, institution)
            if problem:
                raise DomainError(problem, field="members")
        if len(found) != len(wanted):
            raise DomainError(_("Sebagian instansi tidak ditemukan di registri."), field="members")
        before = _member_ids(current)
        after = sorted(wanted)
        if before == after:
            return current
        current.members.set(wanted)
        # The list page's "last changed" follows member changes too.
        current.save(update_fields=["updated_at"])
        audit.record(
            actor=actor,
            action="jipp.hub.members_changed",
            obj=current,
            before={"members": before},
            after={
                "members": after,
                "added": sorted(set(after) - set(before)),
                "removed": sorted(set(before) - set(after)),
            },
        )
    return current


def add_hub_member(hub: JippHub, institution: Institution, *, actor: Person) -> JippHub:
    """Add one member; refused when it already is one or lies outside the province."""
    require_hub_manager(actor)
    with transaction.atomic():
        current = _locked(hub)
        members = _member_ids(current)
        if institution.pk in members:
            raise DomainError(
                _("%(name)s sudah menjadi anggota simpul %(hub)s.")
                % {"name": institution.name, "hub": current.province.name},
                field="institution",
            )
        return _set_one(current, [*members, institution.pk], actor, "institution")


def remove_hub_member(hub: JippHub, institution: Institution, *, actor: Person) -> JippHub:
    """Remove one member; refused when it is not one."""
    require_hub_manager(actor)
    with transaction.atomic():
        current = _locked(hub)
        members = _member_ids(current)
        if institution.pk not in members:
            raise DomainError(
                _("%(name)s bukan anggota simpul %(hub)s.")
                % {"name": institution.name, "hub": current.province.name},
                field="institution",
            )
        return _set_one(current, [pk for pk in members if pk != institution.pk], actor, "")


def _set_one(hub: JippHub, ids: list[int], actor: Person, field: str) -> JippHub:
    try:
        return set_hub_members(hub, Institution.objects.filter(pk__in=ids), actor=actor)
    except DomainError as error:
        if field and error.field == "members":
            raise DomainError(error.message, field=field) from error
        raise
