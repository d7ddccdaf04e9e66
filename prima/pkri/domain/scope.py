"""The scope of a PKRI edition: loci and objects (pkri.md §3, acceptance B1).

Lifecycle:

- ``scope_draft``: :func:`derive_scope` builds the candidates from the registry (again and
  again: re-deriving keeps the secretariat's additions and exclusions); the secretariat
  adds and excludes loci and objects, each with a reason, and sets ``in_pembinaan``.
- :func:`freeze_scope` publishes the scope announcement (number + date), creates one form
  per object and per coaching locus (state ``announced``) and moves the edition to
  ``scope_frozen``. From then on the list changes only through :func:`amend_scope`, an
  amendment announcement that references the original; any other change is refused
  with ``DomainError(field="scope_frozen")``.
- :func:`open_forms` opens the forms window (``forms_open``).
- :func:`reassign_object_unit`: Admin Lokal moves an object to a successor unit of the same
  institution after a reorganisation, until the forms window closes.

Derivation (B1): an innovation holding a non-revoked ``AwardRecord`` of the source
programme with a level in ``source_levels`` and a year in ``source_years`` is a Top object
(group ``keberlanjutan``; ``source_tier`` = ``<tier>@<year>`` of its earliest qualifying
record; ``award_year`` = that year). With ``include_replications``, an innovation with a
non-rejected ``ReplicationLink`` to a Top object is a replication object (``replikasi``,
``original`` = that Top innovation, the earliest link first). One that is both goes to
``both_policy``. Loci are the owning institutions. Regional enterprises (BUMD) are not loci
(§3), so their innovations are left out and counted in the report.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count, F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from prima.core.access import access_for
from prima.core.domain import audit
from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.enums import InstitutionKind, Role
from prima.core.models import Institution, ServiceUnit
from prima.evaluation.domain.stages import advance_edition
from prima.evaluation.enums import EditionState
from prima.evaluation.models import Edition
from prima.innovations.enums import LinkStatus
from prima.innovations.models import AwardRecord, Innovation, ReplicationLink
from prima.pkri.domain.config import rules_of
from prima.pkri.domain.editions import require_secretariat
from prima.pkri.enums import (
    EDITABLE_STATES,
    FORM_OF_GROUP,
    OBJECT_GROUPS,
    AnnouncementKind,
    FormKind,
    FormState,
    Group,
    ScopeOrigin,
)
from prima.pkri.models import Announcement, Locus, ScopeObject, SelfAssessment

MIN_REASON = 10
# Until the forms window closes an amendment may still change the list, and Admin Lokal
# may still move an object to a successor unit (pkri.md §3).
AMENDABLE_STATES = (EditionState.SCOPE_FROZEN, EditionState.FORMS_OPEN)
REASSIGNABLE_STATES = (
    EditionState.SCOPE_DRAFT,
    EditionState.SCOPE_FROZEN,
    EditionState.FORMS_OPEN,
)
LOCUS_FIELDS = ("institution", "in_pembinaan", "origin", "reason", "excluded", "excluded_reason")
OBJECT_FIELDS = (
    "innovation",
    "locus",
    "unit",
    "group",
    "source_tier",
    "award_year",
    "original",
    "origin",
    "reason",
    "excluded",
    "excluded_reason",
)


# --------------------------------------------------------------------------- checks


def _reason(reason: str, field_name: str = "reason") -> str:
    text = " ".join((reason or "").split())
    if len(text) < MIN_REASON:
        raise DomainError(
            _("Tuliskan alasannya (minimal %(n)s karakter).") % {"n": MIN_REASON},
            field=field_name,
        )
    return text


def _lock(edition: Edition) -> Edition:
    return Edition.objects.select_for_update(of=("self",)).get(pk=edition.pk)


def _check_pkri(edition: Edition) -> None:
    if edition.programme != "pkri":
        raise DomainError(_("Penyelenggaraan ini bukan penyelenggaraan PKRI."))


def _require_draft(edition: Edition) -> None:
    """Direct edits are allowed only before the scope announcement (B1 last row)."""
    if edition.state == EditionState.SCOPE_DRAFT:
        return
    if edition.state == EditionState.PLANNED:
        raise DomainError(
            _("Penyelenggaraan belum masuk tahap penyusunan lokus dan objek."),
            field="scope_frozen",
        )
    raise DomainError(
        _(
            "Lingkup sudah ditetapkan dengan pengumuman; perubahan hanya dapat dilakukan "
            "melalui pengumuman perubahan yang merujuk pengumuman asli."
        ),
        field="scope_frozen",
    )


def _check_institution(institution: Institution) -> None:
    if institution.kind == InstitutionKind.REGIONAL_ENTERPRISE:
        raise DomainError(
            _("BUMD bukan lokus PKRI; inovasinya tercatat pada pemerintah daerah pemiliknya."),
            field="institution",
        )
    if not institution.is_active:
        raise DomainError(
            _("Instansi %(name)s tidak aktif di registri.") % {"name": institution.name},
            field="institution",
        )


def _check_group(group: str) -> str:
    if group not in OBJECT_GROUPS:
        raise DomainError(
            _("Kelompok «%(group)s» tidak dikenal; pilih keberlanjutan atau replikasi.")
            % {"group": group},
            field="group",
        )
    return str(group)


# --------------------------------------------------------------------------- derivation


@dataclass(frozen=True)
class Candidate:
    innovation_id: int
    institution_id: int
    unit_id: int
    group: str
    source_tier: str
    award_year: int | None
    original_id: int | None


@dataclass
class ScopeReport:
    """What a derivation found and changed."""

    candidates: Counter[str] = field(default_factory=Counter)  # by group
    loci_created: int = 0
    loci_removed: int = 0
    objects_created: int = 0
    objects_updated: int = 0
    objects_removed: int = 0
    kept_manual: int = 0
    kept_excluded: int = 0
    skipped_regional_enterprise: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "candidates": dict(self.candidates),
            "loci_created": self.loci_created,
            "loci_removed": self.loci_removed,
            "objects_created": self.objects_created,
            "objects_updated": self.objects_updated,
            "objects_removed": self.objects_removed,
            "kept_manual": self.kept_manual,
            "kept_excluded": self.kept_excluded,
            "skipped_regional_enterprise": self.skipped_regional_enterprise,
        }


def top_records(edition: Edition) -> dict[int, tuple[int, str]]:
    """Innovation id → (earliest qualifying year, tier) of the source tiers (B1)."""
    rules = rules_of(edition.rules)
    first, last = rules.source_years
    source = (edition.rules.get("scope") or {}).get("source_programme", "kipp")
    rows = (
        AwardRecord.objects.filter(
            programme=source,
            revoked=False,
            level__in=rules.source_levels,
            year__gte=first,
            year__lte=last,
        )
        .order_by("year", "tier", "pk")
        .values_list("innovation_id", "year", "tier")
    )
    tops: dict[int, tuple[int, str]] = {}
    for innovation_id, year, tier in rows:
        tops.setdefault(innovation_id, (year, tier))
    return tops


def candidates_of(edition: Edition) -> tuple[dict[int, Candidate], int]:
    """The derived candidates by innovation id, and how many BUMD innovations were left out."""
    rules = rules_of(edition.rules)
    tops = top_records(edition)
    replicas: dict[int, int] = {}
    if rules.include_replications and tops:
        links = (
            ReplicationLink.objects.filter(source_id__in=list(tops))
            .exclude(status=LinkStatus.REJECTED)
            .order_by("replicated_on", "source_id", "pk")
            .values_list("replica_id", "source_id")
        )
        for replica_id, source_id in links:
            replicas.setdefault(replica_id, source_id)
    wanted = set(tops) | set(replicas)
    owners = {
        pk: (institution_id, unit_id, kind)
        for pk, institution_id, unit_id, kind in Innovation.objects.filter(
            pk__in=wanted
        ).values_list("pk", "institution_id", "unit_id", "institution__kind")
    }
    both_to_replication = rules.both_policy == Group.REPLIKASI
    result: dict[int, Candidate] = {}
    skipped = 0
    for innovation_id in sorted(wanted):
        if innovation_id not in owners:
            continue
        institution_id, unit_id, kind = owners[innovation_id]
        if kind == InstitutionKind.REGIONAL_ENTERPRISE:
            skipped += 1
            continue
        top = tops.get(innovation_id)
        source = replicas.get(innovation_id)
        replication = source is not None and (top is None or both_to_replication)
        result[innovation_id] = Candidate(
            innovation_id=innovation_id,
            institution_id=institution_id,
            unit_id=unit_id,
            group=Group.REPLIKASI if replication else Group.KEBERLANJUTAN,
            source_tier=f"{top[1]}@{top[0]}" if top else "",
            award_year=top[0] if top else None,
            original_id=source if replication else None,
        )
    return result, skipped


def derive_scope(edition: Edition, *, actor: Any) -> ScopeReport:
    """(Re)build the derived part of the draft scope (B1); idempotent.

    Added and imported rows are never touched; excluded rows stay excluded; derived rows
    that no longer qualify are removed (nothing refers to them before the freeze).
    """
    require_secretariat(actor)
    _check_pkri(edition)
    report = ScopeReport()
    with transaction.atomic():
        locked = _lock(edition)
        _require_draft(locked)
        found, report.skipped_regional_enterprise = candidates_of(locked)
        report.candidates = Counter(c.group for c in found.values())
        loci = {locus.institution_id: locus for locus in Locus.objects.filter(edition=locked)}
        objects = {obj.innovation_id: obj for obj in ScopeObject.objects.filter(edition=locked)}
        # Loci first: every candidate's owner.
        new_loci = [
            Locus(
                edition=locked,
                institution_id=institution_id,
                origin=ScopeOrigin.DERIVED,
                created_by=actor,
            )
            for institution_id in sorted({c.institution_id for c in found.values()})
            if institution_id not in loci
        ]
        Locus.objects.bulk_create(new_loci)
        report.loci_created = len(new_loci)
        if new_loci:
            loci = {locus.institution_id: locus for locus in Locus.objects.filter(edition=locked)}
        new_objects: list[ScopeObject] = []
        for innovation_id, candidate in found.items():
            locus = loci[candidate.institution_id]
            current = objects.get(innovation_id)
            if current is None:
                new_objects.append(
                    ScopeObject(
                        edition=locked,
                        locus=locus,
                        innovation_id=innovation_id,
                        unit_id=candidate.unit_id,
                        group=candidate.group,
                        source_tier=candidate.source_tier,
                        award_year=candidate.award_year,
                        original_id=candidate.original_id,
                        origin=ScopeOrigin.DERIVED,
                        # A candidate of an excluded locus starts excluded with it.
                        excluded=locus.excluded,
                        excluded_reason=locus.excluded_reason if locus.excluded else "",
                        created_by=actor,
                    )
                )
                continue
            if current.origin != ScopeOrigin.DERIVED:
                report.kept_manual += 1
                continue
            values = {
                "group": candidate.group,
                "source_tier": candidate.source_tier,
                "award_year": candidate.award_year,
                "original_id": candidate.original_id,
                "locus_id": locus.pk,
            }
            if any(getattr(current, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(current, name, value)
                current.save(update_fields=[*(n.removesuffix("_id") for n in values), "updated_at"])
                report.objects_updated += 1
        ScopeObject.objects.bulk_create(new_objects)
        report.objects_created = len(new_objects)
        # Derived rows that no longer qualify go; excluded ones stay for the record.
        stale = ScopeObject.objects.filter(edition=locked, origin=ScopeOrigin.DERIVED).exclude(
            innovation_id__in=list(found)
        )
        report.kept_excluded = stale.filter(excluded=True).count()
        report.objects_removed, _detail = stale.filter(excluded=False).delete()
        empty = (
            Locus.objects.filter(
                edition=locked,
                origin=ScopeOrigin.DERIVED,
                in_pembinaan=False,
                excluded=False,
            )
            .annotate(n=Count("scope_objects"))
            .filter(n=0)
        )
        report.loci_removed, _detail = Locus.objects.filter(
            pk__in=list(empty.values_list("pk", flat=True))
        ).delete()
        audit.record(
            actor=actor,
            action="pkri.scope.derive",
            obj=locked,
            after=report.as_dict(),
        )
    return report


# --------------------------------------------------------------------------- draft edits


def _audit_change(
    obj: Locus | ScopeObject,
    fields: tuple[str, ...],
    action: str,
    *,
    actor: Any,
    before: dict[str, Any] | None = None,
    reason: str = "",
    extra: dict[str, Any] | None = None,
) -> None:
    """One audit entry for a locus/object whose ``after`` is its snapshot of ``fields``."""
    audit.record(
        actor=actor,
        action=action,
        obj=obj,
        before=before,
        after={**audit.snapshot(obj, fields), **(extra or {})},
        reason=reason,
    )


def _restore_form(form: SelfAssessment, *, actor: Any, reason: str = "") -> None:
    """An excluded form brought back by an amendment continues where it was: a form
    submitted before its exclusion is `submitted` again (its frozen snapshot kept, never
    an editable draft); otherwise a draft if it has answers, else `announced`."""
    if form.state != FormState.EXCLUDED:
        return
    if form.submitted_at is not None and form.snapshot_hash:
        state = FormState.SUBMITTED
    else:
        state = FormState.DRAFT if form.data else FormState.ANNOUNCED
    form.state = state
    form.version += 1
    form.save(update_fields=["state", "version", "updated_at"])
    audit.record(
        actor=actor,
        action="pkri.form.restore",
        obj=form,
        before={"state": FormState.EXCLUDED},
        after={"state": state, "version": form.version},
        reason=reason,
    )


def _exclude_forms(
    forms: QuerySet[SelfAssessment], *, owner: Locus | ScopeObject, reason: str, actor: Any
) -> list[int]:
    """Turn the forms `excluded` (version bumped; snapshots kept) with one audit entry on
    the locus/object listing every form id and its previous state."""
    rows = list(
        forms.exclude(state=FormState.EXCLUDED)
        .select_for_update(of=("self",))
        .order_by("pk")
        .values_list("pk", "state")
    )
    if not rows:
        return []
    ids = [pk for pk, _state in rows]
    SelfAssessment.objects.filter(pk__in=ids).update(
        state=FormState.EXCLUDED, version=F("version") + 1, updated_at=timezone.now()
    )
    audit.record(
        actor=actor,
        action="pkri.form.exclude",
        obj=owner,
        before={"forms": {str(pk): state for pk, state in rows}},
        after={"forms_excluded": ids, "state": FormState.EXCLUDED},
        reason=reason,
    )
    return ids


def _put_locus(
    edition: Edition,
    institution: Institution,
    *,
    in_pembinaan: bool,
    reason: str,
    origin: str,
    actor: Any,
    make_forms: bool,
) -> Locus:
    """Add a locus or restore an excluded one (the edition is locked by the caller)."""
    _check_institution(institution)
    locus = Locus.objects.filter(edition=edition, institution=institution).first()
    if locus is not None and not locus.excluded:
        if in_pembinaan and not locus.in_pembinaan:
            before = audit.snapshot(locus, LOCUS_FIELDS)
            locus.in_pembinaan = True
            locus.save(update_fields=["in_pembinaan", "updated_at"])
            if make_forms:
                _coaching_form(locus, actor=actor, reason=reason)
            _audit_change(
                locus,
                LOCUS_FIELDS,
                "pkri.scope.locus_pembinaan",
                actor=actor,
                before=before,
                reason=reason,
            )
            return locus
        raise DomainError(
            _("%(name)s sudah menjadi lokus penyelenggaraan ini.") % {"name": institution.name},
            field="institution",
        )
    if locus is None:
        locus = Locus.objects.create(
            edition=edition,
            institution=institution,
            in_pembinaan=in_pembinaan,
            origin=origin,
            reason=reason,
            created_by=actor,
        )
        _audit_change(locus, LOCUS_FIELDS, "pkri.scope.locus_add", actor=actor, reason=reason)
    else:
        before = audit.snapshot(locus, LOCUS_FIELDS)
        locus.excluded, locus.excluded_reason = False, ""
        locus.in_pembinaan = locus.in_pembinaan or in_pembinaan
        locus.reason = reason
        locus.save(update_fields=["excluded", "excluded_reason", "in_pembinaan", "reason"])
        _audit_change(
            locus,
            LOCUS_FIELDS,
            "pkri.scope.locus_restore",
            actor=actor,
            before=before,
            reason=reason,
        )
        coaching = SelfAssessment.objects.filter(locus=locus, kind=FormKind.COACHING).first()
        if coaching is not None:
            _restore_form(coaching, actor=actor, reason=reason)
    if make_forms and locus.in_pembinaan:
        _coaching_form(locus, actor=actor, reason=reason)
    return locus


def _coaching_form(locus: Locus, *, actor: Any, reason: str = "") -> SelfAssessment:
    form, _created = SelfAssessment.objects.get_or_create(
        edition_id=locus.edition_id,
        locus=locus,
        kind=FormKind.COACHING,
        defaults={"state": FormState.ANNOUNCED},
    )
    _restore_form(form, actor=actor, reason=reason)
    return form


def _object_form(obj: ScopeObject, *, actor: Any, reason: str = "") -> SelfAssessment:
    form, _created = SelfAssessment.objects.get_or_create(
        object=obj,
        defaults={
            "edition_id": obj.edition_id,
            "locus_id": obj.locus_id,
            "kind": FORM_OF_GROUP[Group(obj.group)],
            "state": FormState.ANNOUNCED,
        },
    )
    _restore_form(form, actor=actor, reason=reason)
    return form


def _tier_of(edition: Edition, innovation: Innovation) -> tuple[str, int | None]:
    top = top_records(edition).get(innovation.pk)
    if top is None:
        return "", None
    return f"{top[1]}@{top[0]}", top[0]


def _original_of(edition: Edition, innovation: Innovation) -> Innovation | None:
    """The Top innovation a replica replicates (earliest non-rejected link to a Top one)."""
    tops = top_records(edition)
    link = (
        ReplicationLink.objects.filter(replica=innovation, source_id__in=list(tops))
        .exclude(status=LinkStatus.REJECTED)
        .order_by("replicated_on", "source_id", "pk")
        .select_related("source")
        .first()
    )
    return link.source if link is not None else None


def _check_original(edition: Edition, innovation: Innovation, original: Innovation) -> None:
    """A replication object's original must be a Top innovation of the source years
    (pkri.md §6.2), other than the replica itself."""
    if original.pk == innovation.pk:
        raise DomainError(
            _("Inovasi asal tidak boleh sama dengan inovasi replikasinya."), field="original"
        )
    if original.pk not in top_records(edition):
        first, last = rules_of(edition.rules).source_years
        raise DomainError(
            _(
                "Inovasi asal «%(name)s» bukan inovasi Top tahun %(first)s–%(last)s; objek "
                "replikasi harus mereplikasi inovasi Top dari tahun sumber penyelenggaraan ini."
            )
            % {"name": original.name, "first": first, "last": last},
            field="original",
        )


def _put_object(
    edition: Edition,
    innovation: Innovation,
    group: str,
    *,
    reason: str,
    origin: str,
    actor: Any,
    original: Innovation | None,
    make_forms: bool,
) -> ScopeObject:
    """Add an object or restore an excluded one (the edition is locked by the caller)."""
    group = _check_group(group)
    institution = innovation.institution
    _check_institution(institution)
    locus = Locus.objects.filter(edition=edition, institution=institution).first()
    if locus is not None and locus.excluded:
        raise DomainError(
            _(
                "Lokus %(name)s dikeluarkan dari lingkup; masukkan kembali lokusnya sebelum "
                "menambah objeknya."
            )
            % {"name": institution.name},
            field="innovation",
        )
    if locus is None:
        locus = _put_locus(
            edition,
            institution,
            in_pembinaan=False,
            reason=reason,
            origin=origin,
            actor=actor,
            make_forms=make_forms,
        )
    tier, award_year = _tier_of(edition, innovation)
    if group == Group.REPLIKASI and original is not None:
        _check_original(edition, innovation, original)
    if group == Group.REPLIKASI and original is None:
        original = _original_of(edition, innovation)
    if group == Group.KEBERLANJUTAN:
        original = None
    obj = ScopeObject.objects.filter(edition=edition, innovation=innovation).first()
    if obj is not None and not obj.excluded:
        raise DomainError(
            _("Inovasi %(name)s sudah menjadi objek penyelenggaraan ini.")
            % {"name": innovation.name},
            field="innovation",
        )
    if obj is not None and obj.group != group and _form_exists(obj):
        raise DomainError(
            _(
                "Objek %(name)s sudah punya formulir kelompok %(group)s; kelompoknya tidak "
                "dapat diganti."
            )
            % {"name": innovation.name, "group": obj.get_group_display()},
            field="group",
        )
    if obj is None:
        obj = ScopeObject.objects.create(
            edition=edition,
            locus=locus,
            innovation=innovation,
            unit_id=innovation.unit_id,
            group=group,
            source_tier=tier,
            award_year=award_year,
            original=original,
            origin=origin,
            reason=reason,
            created_by=actor,
        )
        _audit_change(obj, OBJECT_FIELDS, "pkri.scope.object_add", actor=actor, reason=reason)
    else:
        before = audit.snapshot(obj, OBJECT_FIELDS)
        obj.excluded, obj.excluded_reason, obj.reason = False, "", reason
        obj.group, obj.original = group, original
        obj.locus = locus
        obj.save()
        _audit_change(
            obj,
            OBJECT_FIELDS,
            "pkri.scope.object_restore",
            actor=actor,
            before=before,
            reason=reason,
        )
    if make_forms:
        _object_form(obj, actor=actor, reason=reason)
    return obj


def _form_exists(obj: ScopeObject) -> bool:
    return SelfAssessment.objects.filter(object=obj).exists()


def _drop_locus(locus: Locus, *, reason: str, actor: Any) -> int:
    """Exclude a locus, its objects and their forms; returns the objects excluded."""
    if locus.excluded:
        raise DomainError(
            _("Lokus %(name)s sudah dikeluarkan.") % {"name": locus.institution.name},
            field="locus",
        )
    before = audit.snapshot(locus, LOCUS_FIELDS)
    locus.excluded, locus.excluded_reason = True, reason
    locus.save(update_fields=["excluded", "excluded_reason", "updated_at"])
    objects = ScopeObject.objects.filter(locus=locus, excluded=False)
    ids = list(objects.values_list("pk", flat=True))
    objects.update(excluded=True, excluded_reason=reason, updated_at=timezone.now())
    _exclude_forms(
        SelfAssessment.objects.filter(locus=locus), owner=locus, reason=reason, actor=actor
    )
    _audit_change(
        locus,
        LOCUS_FIELDS,
        "pkri.scope.locus_exclude",
        actor=actor,
        before=before,
        reason=reason,
        extra={"objects_excluded": ids},
    )
    return len(ids)


def _drop_object(obj: ScopeObject, *, reason: str, actor: Any) -> None:
    if obj.excluded:
        raise DomainError(
            _("Objek %(name)s sudah dikeluarkan.") % {"name": obj.innovation.name},
            field="object",
        )
    before = audit.snapshot(obj, OBJECT_FIELDS)
    obj.excluded, obj.excluded_reason = True, reason
    obj.save(update_fields=["excluded", "excluded_reason", "updated_at"])
    _exclude_forms(SelfAssessment.objects.filter(object=obj), owner=obj, reason=reason, actor=actor)
    _audit_change(
        obj, OBJECT_FIELDS, "pkri.scope.object_exclude", actor=actor, before=before, reason=reason
    )


def add_locus(
    edition: Edition,
    institution: Institution,
    *,
    in_pembinaan: bool,
    reason: str,
    actor: Any,
    origin: str = ScopeOrigin.ADDED,
) -> Locus:
    """Add an institution as a locus of the draft scope (e.g. for coaching only, B1 row 5);
    an excluded locus is brought back."""
    require_secretariat(actor)
    _check_pkri(edition)
    text = _reason(reason)
    with transaction.atomic():
        locked = _lock(edition)
        _require_draft(locked)
        return _put_locus(
            locked,
            institution,
            in_pembinaan=in_pembinaan,
            reason=text,
            origin=origin,
            actor=actor,
            make_forms=False,
        )


def set_in_pembinaan(locus: Locus, in_pembinaan: bool, *, actor: Any, reason: str = "") -> Locus:
    """Put a locus in the coaching group or take it out (draft scope only)."""
    require_secretariat(actor)
    with transaction.atomic():
        locked = _lock(locus.edition)
        _require_draft(locked)
        fresh = Locus.objects.select_for_update(of=("self",)).get(pk=locus.pk)
        if fresh.excluded:
            raise DomainError(_("Lokus ini dikeluarkan dari lingkup."), field="locus")
        if fresh.in_pembinaan == in_pembinaan:
            return fresh
        before = audit.snapshot(fresh, LOCUS_FIELDS)
        fresh.in_pembinaan = in_pembinaan
        fresh.save(update_fields=["in_pembinaan", "updated_at"])
        _audit_change(
            fresh,
            LOCUS_FIELDS,
            "pkri.scope.locus_pembinaan",
            actor=actor,
            before=before,
            reason=reason,
        )
    locus.in_pembinaan = in_pembinaan
    return fresh


def exclude_locus(locus: Locus, *, reason: str, actor: Any) -> Locus:
    """Exclude a locus from the draft scope, with its objects (reason required)."""
    require_secretariat(actor)
    text = _reason(reason)
    with transaction.atomic():
        locked = _lock(locus.edition)
        _require_draft(locked)
        fresh = Locus.objects.select_related("institution").get(pk=locus.pk)
        _drop_locus(fresh, reason=text, actor=actor)
    locus.excluded, locus.excluded_reason = True, text
    return fresh


def exclude_object(obj: ScopeObject, *, reason: str, actor: Any) -> ScopeObject:
    """Exclude an object from the draft scope (reason required)."""
    require_secretariat(actor)
    text = _reason(reason)
    with transaction.atomic():
        locked = _lock(obj.edition)
        _require_draft(locked)
        fresh = ScopeObject.objects.select_related("innovation").get(pk=obj.pk)
        _drop_object(fresh, reason=text, actor=actor)
    obj.excluded, obj.excluded_reason = True, text
    return fresh


def add_object(
    edition: Edition,
    innovation: Innovation,
    group: str,
    *,
    reason: str,
    actor: Any,
    original: Innovation | None = None,
    origin: str = ScopeOrigin.ADDED,
) -> ScopeObject:
    """Add an innovation to the draft scope (its institution becomes a locus if needed);
    an excluded object is brought back."""
    require_secretariat(actor)
    _check_pkri(edition)
    text = _reason(reason)
    with transaction.atomic():
        locked = _lock(edition)
        _require_draft(locked)
        return _put_object(
            locked,
            innovation,
            group,
            reason=text,
            origin=origin,
            actor=actor,
            original=original,
            make_forms=False,
        )


# --------------------------------------------------------------------------- unit


def may_reassign(person: Any, obj: ScopeObject) -> bool:
    """Admin Lokal of the object's locus (or the secretariat)."""
    access = access_for(person)
    if access.is_secretariat or access.is_superuser:
        return True
    return obj.locus.institution_id in access.institutions_with(Role.INSTITUTION_ADMIN)


def reassign_object_unit(obj: ScopeObject, unit: ServiceUnit, *, actor: Any) -> ScopeObject:
    """Move an object to another active unit of the same institution (pkri.md §3
    "Ownership"): Admin Lokal of the locus, until the forms window closes."""
    if not may_reassign(actor, obj):
        raise PermissionDenied(
            _("Hanya Admin Lokal instansi pemilik yang dapat memindahkan unit objek ini.")
        )
    with transaction.atomic():
        locked = _lock(obj.edition)
        fresh = ScopeObject.objects.select_related("locus", "innovation", "unit").get(pk=obj.pk)
        if locked.state not in REASSIGNABLE_STATES:
            raise DomainError(
                _("Unit pemilik hanya dapat dipindahkan sebelum pengisian formulir ditutup."),
                field="unit",
            )
        if fresh.excluded:
            raise DomainError(_("Objek ini dikeluarkan dari lingkup."), field="unit")
        if unit.institution_id != fresh.locus.institution_id:
            raise DomainError(_("Unit pengganti harus unit dari instansi yang sama."), field="unit")
        if not unit.is_active:
            raise DomainError(_("Unit pengganti tidak aktif di registri."), field="unit")
        if unit.pk == fresh.unit_id:
            raise DomainError(_("Objek ini sudah dimiliki unit tersebut."), field="unit")
        form = SelfAssessment.objects.filter(object=fresh).first()
        if form is not None and form.state not in EDITABLE_STATES:
            raise DomainError(
                _("Formulir objek ini sudah dikirim; unitnya tidak dapat dipindahkan lagi."),
                field="unit",
            )
        before = audit.snapshot(fresh, ("unit",))
        fresh.unit = unit
        fresh.save(update_fields=["unit", "updated_at"])
        _audit_change(fresh, ("unit",), "pkri.scope.object_reassign", actor=actor, before=before)
    obj.unit = unit
    return fresh


# --------------------------------------------------------------------------- counts


def scope_counts(edition: Edition) -> dict[str, Any]:
    """Counts of the non-excluded scope: loci by institution kind, coaching, objects by group."""
    loci = Locus.objects.filter(edition=edition, excluded=False)
    by_kind = dict(
        loci.values_list("institution__kind")
        .annotate(n=Count("pk"))
        .values_list("institution__kind", "n")
    )
    objects = ScopeObject.objects.filter(edition=edition, excluded=False)
    by_group = dict(objects.values_list("group").annotate(n=Count("pk")).values_list("group", "n"))
    local = sum(
        by_kind.get(k, 0)
        for k in (InstitutionKind.PROVINCE, InstitutionKind.REGENCY, InstitutionKind.CITY)
    )
    return {
        "loci": {
            "total": sum(by_kind.values()),
            "by_kind": {k: by_kind.get(k, 0) for k in InstitutionKind.values if k in by_kind},
            "ministry": by_kind.get(InstitutionKind.MINISTRY, 0),
            "agency": by_kind.get(InstitutionKind.AGENCY, 0),
            "local_government": local,
            "state_enterprise": by_kind.get(InstitutionKind.STATE_ENTERPRISE, 0),
            "pembinaan": loci.filter(in_pembinaan=True).count(),
        },
        "objects": {
            "total": sum(by_group.values()),
            "by_group": {str(g): by_group.get(g, 0) for g in OBJECT_GROUPS},
        },
    }


def expected_vs_actual(edition: Edition, counts: Mapping[str, Any] | None = None) -> list[dict]:
    """Rows (label key, expected, actual) comparing the scope with `expected_counts`."""
    counts = counts or scope_counts(edition)
    expected = rules_of(edition.rules).expected_counts or {}
    rows: list[dict[str, Any]] = []
    loci_expected = expected.get("loci") or {}
    for key in ("ministry", "agency", "local_government", "state_enterprise", "total"):
        if key in loci_expected:
            rows.append(
                {
                    "key": f"loci.{key}",
                    "expected": loci_expected[key],
                    "actual": counts["loci"][key],
                }
            )
    if "objects" in expected:
        rows.append(
            {
                "key": "objects.total",
                "expected": expected["objects"],
                "actual": counts["objects"]["total"],
            }
        )
    for row in rows:
        row["matches"] = row["expected"] == row["actual"]
    return rows


# --------------------------------------------------------------------------- freeze


def _announcement_fields(
    number: str, date: dt.date | None, edition: Edition
) -> tuple[str, dt.date]:
    number = (number or "").strip()
    if not number:
        raise DomainError(_("Nomor pengumuman wajib diisi."), field="number")
    if date is None:
        raise DomainError(_("Tanggal pengumuman wajib diisi."), field="date")
    if Announcement.objects.filter(edition=edition, number=number).exists():
        raise DomainError(
            _("Nomor pengumuman %(number)s sudah dipakai pada penyelenggaraan ini.")
            % {"number": number},
            field="number",
        )
    return number, date


def freeze_scope(
    edition: Edition, *, number: str, date: dt.date | None, title: str = "", actor: Any
) -> Announcement:
    """Publish the scope announcement: the list is fixed, forms are created, and the edition
    moves from ``scope_draft`` to ``scope_frozen``."""
    require_secretariat(actor)
    _check_pkri(edition)
    with transaction.atomic():
        locked = _lock(edition)
        if locked.state != EditionState.SCOPE_DRAFT:
            raise DomainError(
                _("Lingkup hanya dapat ditetapkan pada tahap penyusunan lokus dan objek."),
                field="scope_frozen",
            )
        number, day = _announcement_fields(number, date, locked)
        counts = scope_counts(locked)
        if counts["loci"]["total"] == 0:
            raise DomainError(
                _("Lingkup masih kosong; turunkan atau tambahkan lokus terlebih dahulu."),
                field="scope",
            )
        objects = list(
            ScopeObject.objects.filter(edition=locked, excluded=False).values_list(
                "pk", "locus_id", "group"
            )
        )
        coaching = list(
            Locus.objects.filter(edition=locked, excluded=False, in_pembinaan=True).values_list(
                "pk", flat=True
            )
        )
        SelfAssessment.objects.bulk_create(
            [
                SelfAssessment(
                    edition=locked,
                    kind=FORM_OF_GROUP[Group(group)],
                    locus_id=locus_id,
                    object_id=object_id,
                    state=FormState.ANNOUNCED,
                )
                for object_id, locus_id, group in objects
            ]
            + [
                SelfAssessment(
                    edition=locked,
                    kind=FormKind.COACHING,
                    locus_id=locus_id,
                    state=FormState.ANNOUNCED,
                )
                for locus_id in coaching
            ]
        )
        announcement = Announcement.objects.create(
            edition=locked,
            kind=AnnouncementKind.SCOPE,
            number=number,
            date=day,
            title=(title or "").strip()
            or _("Penetapan lokus dan objek %(edition)s") % {"edition": locked.title},
            listing=counts,
            published_at=timezone.now(),
            created_by=actor,
        )
        audit.record(
            actor=actor,
            action="pkri.scope.freeze",
            obj=announcement,
            after={
                "number": number,
                "date": date,
                "counts": counts,
                "forms": len(objects) + len(coaching),
            },
        )
        advance_edition(
            locked,
            actor=actor,
            reason=_("Pengumuman lingkup %(number)s") % {"number": number},
        )
    edition.state = locked.state
    return announcement


# --------------------------------------------------------------------------- amendment


@dataclass(frozen=True)
class LocusAddition:
    institution: Institution
    reason: str
    in_pembinaan: bool = False


@dataclass(frozen=True)
class ObjectAddition:
    innovation: Innovation
    group: str
    reason: str
    original: Innovation | None = None


@dataclass(frozen=True)
class Exclusion:
    target: Locus | ScopeObject
    reason: str


Addition = LocusAddition | ObjectAddition


def amend_scope(
    edition: Edition,
    *,
    number: str,
    date: dt.date | None,
    amends: Announcement,
    additions: Sequence[Addition] = (),
    exclusions: Sequence[Exclusion] = (),
    title: str = "",
    actor: Any,
) -> Announcement:
    """Change a frozen scope by an amendment announcement referencing the original.

    Added loci/objects get their forms at once (state ``announced``); excluded ones get
    ``excluded`` forms. All or nothing.
    """
    require_secretariat(actor)
    _check_pkri(edition)
    if not additions and not exclusions:
        raise DomainError(_("Pengumuman perubahan harus berisi perubahan."), field="additions")
    with transaction.atomic():
        locked = _lock(edition)
        if locked.state not in AMENDABLE_STATES:
            raise DomainError(
                _(
                    "Perubahan lingkup hanya dapat diumumkan setelah lingkup ditetapkan dan "
                    "sebelum pengisian formulir ditutup."
                ),
                field="scope_frozen",
            )
        if amends.edition_id != locked.pk or amends.kind not in (
            AnnouncementKind.SCOPE,
            AnnouncementKind.AMENDMENT,
        ):
            raise DomainError(
                _("Pengumuman yang diubah harus pengumuman lingkup penyelenggaraan ini."),
                field="amends",
            )
        number, day = _announcement_fields(number, date, locked)
        added: dict[str, list[int]] = {"loci": [], "objects": []}
        dropped: dict[str, list[int]] = {"loci": [], "objects": []}
        for item in additions:
            text = _reason(item.reason)
            if isinstance(item, LocusAddition):
                locus = _put_locus(
                    locked,
                    item.institution,
                    in_pembinaan=item.in_pembinaan,
                    reason=text,
                    origin=ScopeOrigin.AMENDMENT,
                    actor=actor,
                    make_forms=True,
                )
                added["loci"].append(locus.pk)
            else:
                obj = _put_object(
                    locked,
                    item.innovation,
                    item.group,
                    reason=text,
                    origin=ScopeOrigin.AMENDMENT,
                    actor=actor,
                    original=item.original,
                    make_forms=True,
                )
                added["objects"].append(obj.pk)
        for exclusion in exclusions:
            text = _reason(exclusion.reason)
            target = exclusion.target
            if target.edition_id != locked.pk:
                raise DomainError(
                    _("Yang dikeluarkan harus bagian dari penyelenggaraan ini."), field="target"
                )
            if isinstance(target, Locus):
                fresh_locus = Locus.objects.select_related("institution").get(pk=target.pk)
                _drop_locus(fresh_locus, reason=text, actor=actor)
                dropped["loci"].append(target.pk)
            else:
                fresh_obj = ScopeObject.objects.select_related("innovation").get(pk=target.pk)
                _drop_object(fresh_obj, reason=text, actor=actor)
                dropped["objects"].append(target.pk)
        counts = scope_counts(locked)
        announcement = Announcement.objects.create(
            edition=locked,
            kind=AnnouncementKind.AMENDMENT,
            number=number,
            date=day,
            title=(title or "").strip()
            or _("Perubahan lokus dan objek %(edition)s") % {"edition": locked.title},
            amends=amends,
            listing={"added": added, "excluded": dropped, "counts": counts},
            published_at=timezone.now(),
            created_by=actor,
        )
        audit.record(
            actor=actor,
            action="pkri.scope.amend",
            obj=announcement,
            after={
                "number": number,
                "amends": amends.number,
                "added": added,
                "excluded": dropped,
                "counts": counts,
            },
        )
    return announcement


def scope_announcements(edition: Edition) -> QuerySet[Announcement]:
    return Announcement.objects.filter(
        edition=edition, kind__in=(AnnouncementKind.SCOPE, AnnouncementKind.AMENDMENT)
    ).select_related("amends")


def open_forms(edition: Edition, *, actor: Any, reason: str = "") -> Edition:
    """Open the forms window: ``scope_frozen`` → ``forms_open``."""
    require_secretariat(actor)
    _check_pkri(edition)
    if edition.state != EditionState.SCOPE_FROZEN:
        raise DomainError(
            _("Pengisian formulir hanya dapat dibuka setelah lingkup ditetapkan."),
            field="state",
        )
    advance_edition(edition, actor=actor, reason=reason or _("Pengisian formulir dibuka."))
    return edition
