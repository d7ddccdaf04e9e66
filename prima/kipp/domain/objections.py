"""The public objection window (uji publik; kipp.md §12, §8 #10).

Publishing the finalist announcement opens the window: finalists move to
`under_objection` and the edition's objection stage opens for `objection_window.days`
(default 5). Logged-in people who are not members of the proposing institution may object,
and so may citizens signed in with a verified mobile number (a citizen account: "Warga #id");
the secretariat resolves each objection (an upheld one disqualifies the proposal) and closes
the window, which confirms every finalist without an unresolved objection. Only the
secretariat ever sees who objected, and never a citizen's number.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as in_indonesian

from prima.core.access import access_for
from prima.core.domain import audit
from prima.core.domain.accounts.mail import mail_on_commit, secretariat_emails, site_url
from prima.core.domain.citizens import sms_on_commit
from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.enums import Role, Scope
from prima.core.models import Citizen, Institution, Membership
from prima.core.uploads import check_upload
from prima.evaluation.domain.stages import advance_edition, open_stage, update_stage_window
from prima.evaluation.enums import EditionState, StageStatus
from prima.evaluation.models import Edition, Stage
from prima.kipp.domain.awards import DISQUALIFIABLE, disqualify_locked
from prima.kipp.domain.transitions import move
from prima.kipp.enums import (
    DisqualificationReason,
    ObjectionGround,
    ObjectionStatus,
    ProposalState,
)
from prima.kipp.models import Objection, Proposal

S = ProposalState
DEFAULT_DAYS = 5
STATEMENT_MIN = 50
STATEMENT_MAX = 1000
RESOLUTION_MIN = 10
RESOLUTIONS = (
    ObjectionStatus.REJECTED,
    ObjectionStatus.UPHELD,
    ObjectionStatus.REFERRED_TO_PANEL,
)
# A referral is the secretariat's resolution for the window; the panel's verdict is
# recorded later as rejected or upheld.
FINAL_AFTER_REFERRAL = (ObjectionStatus.REJECTED, ObjectionStatus.UPHELD)


def _require_secretariat(actor: Any, message: str) -> None:
    access = access_for(actor)
    if not (access.is_secretariat or access.is_superuser):
        raise PermissionDenied(message)


# --------------------------------------------------------------------------- the window


def window_enabled(rules: Mapping[str, Any]) -> bool:
    """Whether the rule set has an objection window (`objection_window`, not disabled)."""
    block = rules.get("objection_window")
    if not block:
        return False
    return not (isinstance(block, Mapping) and block.get("enabled") is False)


def window_days(rules: Mapping[str, Any]) -> int:
    block = rules.get("objection_window")
    if isinstance(block, Mapping) and block.get("days"):
        return int(block["days"])
    return DEFAULT_DAYS


def window_end(published_at: dt.datetime, days: int) -> dt.datetime:
    """The window closes at 23:59:59 WIB on the `days`-th calendar day after publication.

    So the public always has `days` whole days, whatever the hour of publication.
    """
    local = timezone.localtime(published_at)
    last_day = local.date() + dt.timedelta(days=days)
    return dt.datetime.combine(last_day, dt.time(23, 59, 59), tzinfo=local.tzinfo)


def objection_stage(edition: Edition) -> Stage | None:
    """The edition's running stage that takes objections, if any."""
    return Stage.objects.filter(
        edition=edition, status=StageStatus.OPEN, objections_open=True
    ).first()


@dataclass(frozen=True)
class Window:
    """Whether objections are taken now, and until when (None: until the secretariat closes)."""

    is_open: bool
    closes_at: dt.datetime | None = None


def current_window(edition: Edition) -> Window:
    stage = objection_stage(edition)
    if stage is None:
        return Window(False)
    if stage.ends_at is not None and timezone.now() > stage.ends_at:
        return Window(False, stage.ends_at)
    return Window(True, stage.ends_at)


def open_objection_window(
    edition: Edition, *, published_at: dt.datetime, reason: str, actor: Any
) -> Stage | None:
    """Open the window for the edition's finalists (#10); run inside the publishing transaction.

    Finalists move to `under_objection` (the system moves them: actor None) and the
    objection stage opens until `window_end`. When the rule set has no window, finalists
    are confirmed at once. A later correction of the finalist list while the window runs
    adds newly adopted finalists to it; after the window has closed it is refused.
    """
    finalists = list(
        Proposal.objects.select_for_update(of=("self",)).filter(edition=edition, state=S.FINALIST)
    )
    stage = Stage.objects.filter(edition=edition, code=EditionState.OBJECTION_WINDOW).first()
    enabled = (
        window_enabled(edition.rules or {})
        and stage is not None
        and stage.status != StageStatus.SKIPPED
    )
    if not enabled:
        for proposal in finalists:
            move(
                proposal,
                S.CONFIRMED_FINALIST,
                actor=None,
                allowed_from=(S.FINALIST,),
                reason=reason,
                action="kipp.proposal.confirm_finalist",
            )
        return None
    assert stage is not None
    if stage.status == StageStatus.CLOSED:
        if finalists:
            raise DomainError(
                _(
                    "Uji publik penyelenggaraan ini sudah ditutup; %(count)s finalis baru "
                    "tidak dapat lagi diuji publik. Periksa keputusan pleno."
                )
                % {"count": len(finalists)}
            )
        return stage
    if stage.status == StageStatus.PENDING:
        current = Stage.objects.filter(edition=edition, status=StageStatus.OPEN).first()
        if current is None:
            open_stage(stage, actor=actor, reason=reason)
        else:
            fresh = Edition.objects.get(pk=edition.pk)
            opened = advance_edition(fresh, actor=actor, reason=reason)
            if opened is None or opened.pk != stage.pk:
                raise DomainError(
                    _(
                        "Uji publik tidak dapat dibuka: tahap berikutnya setelah «%(current)s» "
                        "bukan uji publik. Selesaikan atau lewati tahap di antaranya."
                    )
                    % {"current": current.get_code_display()}
                )
        stage.refresh_from_db()
        update_stage_window(
            stage,
            published_at,
            window_end(published_at, window_days(edition.rules or {})),
            actor=actor,
            reason=reason,
        )
    for proposal in finalists:
        move(
            proposal,
            S.UNDER_OBJECTION,
            actor=None,
            allowed_from=(S.FINALIST,),
            reason=reason,
            action="kipp.proposal.objection_window",
        )
    return stage


def close_objection_window(edition: Edition, *, actor: Any) -> list[Proposal]:
    """Close the window after its end (#10): confirm every finalist under objection.

    Refused while any of them has an objection nobody has resolved yet (the message names
    them). The edition then moves on to its next stage. Returns the confirmed proposals.
    """
    _require_secretariat(actor, _("Hanya Sekretariat yang dapat menutup uji publik."))
    with transaction.atomic():
        locked = Edition.objects.select_for_update(of=("self",)).get(pk=edition.pk)
        stage = Stage.objects.filter(
            edition=locked, code=EditionState.OBJECTION_WINDOW, status=StageStatus.OPEN
        ).first()
        if stage is None:
            raise DomainError(_("Uji publik penyelenggaraan ini tidak sedang berjalan."))
        if stage.ends_at is not None and timezone.now() < stage.ends_at:
            raise DomainError(
                _("Uji publik baru berakhir pada %(end)s WIB.")
                % {"end": timezone.localtime(stage.ends_at).strftime("%d-%m-%Y %H:%M")}
            )
        under = Proposal.objects.select_for_update(of=("self",)).filter(
            edition=locked, state=S.UNDER_OBJECTION
        )
        # The edition row is locked, so no finalist moves under us; the read needs no lock.
        pending = list(
            Proposal.objects.filter(
                edition=locked,
                state=S.UNDER_OBJECTION,
                objections__status=ObjectionStatus.OPEN,
            )
            .distinct()
            .order_by("title")
            .values_list("title", flat=True)
        )
        if pending:
            raise DomainError(
                _(
                    "Uji publik belum dapat ditutup: sanggahan terhadap %(count)s finalis "
                    "belum ditangani: %(titles)s."
                )
                % {"count": len(pending), "titles": "; ".join(pending)}
            )
        confirmed = list(under.order_by("pk"))
        for proposal in confirmed:
            move(
                proposal,
                S.CONFIRMED_FINALIST,
                actor=actor,
                allowed_from=(S.UNDER_OBJECTION,),
                reason=_("Uji publik selesai tanpa sanggahan yang belum ditangani."),
                action="kipp.proposal.confirm_finalist",
            )
        advance_edition(locked, actor=actor, reason=_("Uji publik ditutup."))
    return confirmed


# --------------------------------------------------------------------------- filing


def institution_admin_emails(institutions: Iterable[Institution]) -> dict[int, list[str]]:
    """Institution id → e-mail addresses of its Admin Lokal (with its owner's, for a BUMD)."""
    wanted = list(institutions)
    ids = {i.pk for i in wanted} | {i.parent_id for i in wanted if i.parent_id}
    rows = (
        Membership.objects.filter(
            role=Role.INSTITUTION_ADMIN,
            scope=Scope.INSTITUTION,
            is_active=True,
            institution_id__in=ids,
            person__is_active=True,
        )
        .exclude(person__email="")
        .values_list("institution_id", "person__email")
    )
    found: dict[int, set[str]] = defaultdict(set)
    for institution_id, email in rows:
        found[institution_id].add(email)
    return {
        i.pk: sorted(found[i.pk] | (found[i.parent_id] if i.parent_id else set())) for i in wanted
    }


def may_object(person: Any, proposal: Proposal) -> bool:
    """Logged in and not a member of the proposing institution (or its owner, for a BUMD)."""
    access = access_for(person)
    if not access.is_authenticated:
        return False
    own = {proposal.institution_id, proposal.institution.parent_id} - {None}
    return not (access.member_institution_ids & own)


def filer_label(objection: Objection) -> str:
    """Who filed, as the secretariat sees it: a person's name, or "Warga #id" (never a number)."""
    if objection.citizen_id is not None:
        return str(objection.citizen)
    person = objection.filed_by
    if person is None:
        return ""
    return str(person.full_name or person.get_username())


def _tell_filer(
    objection: Objection, *, subject: str, template: str, context: dict[str, Any], sms: str
) -> None:
    """Tell the filer by e-mail; a citizen without a verified e-mail gets the SMS line instead.

    A closed citizen account is not contacted.
    """
    context = {**context, "recipient_name": filer_label(objection)}
    citizen = objection.citizen
    if citizen is None:
        email = objection.filed_by.email if objection.filed_by is not None else ""
        mail_on_commit(subject=subject, template=template, context=context, to=[email])
        return
    if not citizen.is_active:
        return
    if citizen.email and citizen.email_verified_at is not None:
        mail_on_commit(subject=subject, template=template, context=context, to=[citizen.email])
    else:
        sms_on_commit(citizen.phone, sms)


def _sms_title(proposal: Proposal) -> str:
    return Truncator(proposal.title).chars(60)


def file_objection(
    proposal: Proposal,
    *,
    ground: str,
    statement: str,
    evidence: Any = None,
    actor: Any = None,
    citizen: Citizen | None = None,
) -> Objection:
    """File a public objection against a finalist while the window is open (§12).

    Filed either by a logged-in person (`actor`) or by a verified citizen account
    (`citizen`, the audit entry then has no actor). The statement must be 50–1000
    characters; evidence (PDF or image) is optional. Members of the proposing institution
    may not object to its proposals, and one filer has at most one pending objection per
    proposal.
    """
    if citizen is not None:
        if access_for(actor).is_authenticated:
            raise ValueError("An objection has one filer: a person or a citizen, not both.")
        if not citizen.is_active:
            raise PermissionDenied(_("Akun warga ini sudah ditutup; masuk lagi dengan nomor Anda."))
    else:
        if not access_for(actor).is_authenticated:
            raise PermissionDenied(_("Masuk dengan akun Anda untuk mengajukan sanggahan."))
        if not may_object(actor, proposal):
            raise PermissionDenied(
                _("Anggota instansi pengusul tidak dapat menyanggah proposal instansinya sendiri.")
            )
    if ground not in ObjectionGround.values:
        raise DomainError(_("Pilih dasar sanggahan."), field="ground")
    statement = statement.strip()
    if not STATEMENT_MIN <= len(statement) <= STATEMENT_MAX:
        raise DomainError(
            _("Uraian sanggahan harus %(min)s–%(max)s karakter; tertulis %(n)s.")
            % {"min": STATEMENT_MIN, "max": STATEMENT_MAX, "n": len(statement)},
            field="statement",
        )
    if evidence is not None:
        try:
            checked = check_upload(evidence)
        except DomainError as error:
            raise DomainError(error.message, field="evidence") from error
        evidence.name = checked.storage_name
    filer = {"citizen": citizen} if citizen is not None else {"filed_by": actor}
    with transaction.atomic():
        locked = Proposal.objects.select_for_update(of=("self",)).get(pk=proposal.pk)
        if locked.state != S.UNDER_OBJECTION:
            raise DomainError(_("Proposal ini tidak sedang dalam masa uji publik."))
        if not current_window(locked.edition).is_open:
            raise DomainError(_("Masa uji publik sudah berakhir atau belum dibuka."))
        if Objection.objects.filter(proposal=locked, status=ObjectionStatus.OPEN, **filer).exists():
            raise DomainError(
                _(
                    "Anda sudah mengajukan sanggahan terhadap proposal ini; sanggahan itu masih "
                    "diproses."
                )
            )
        objection = Objection(proposal=locked, ground=ground, statement=statement, **filer)
        if evidence is not None:
            objection.evidence = evidence
        objection.save()
        after: dict[str, Any] = {
            "proposal": locked.pk,
            "ground": ground,
            "evidence": bool(evidence),
        }
        if citizen is not None:
            after["citizen"] = citizen.pk
        audit.record(
            actor=None if citizen is not None else actor,
            action="kipp.objection.file",
            obj=objection,
            after=after,
        )
        queue = site_url(reverse("kipp_objection_queue", args=[locked.edition.code]))
        mail_on_commit(
            subject=in_indonesian("Sanggahan uji publik baru: %(title)s") % {"title": locked.title},
            template="kipp/email/objection_filed.txt",
            context={"objection": objection, "proposal": locked, "queue_url": queue},
            bcc=secretariat_emails(),
        )
        with translation.override(settings.LANGUAGE_CODE):
            sms = _(
                "Prima: sanggahan Anda terhadap finalis «%(title)s» diterima dan akan ditangani "
                "Sekretariat KIPP. Hasilnya dikirim lewat SMS."
            ) % {"title": _sms_title(locked)}
        _tell_filer(
            objection,
            subject=in_indonesian("Sanggahan Anda telah diterima"),
            template="kipp/email/objection_received.txt",
            context={"objection": objection, "proposal": locked},
            sms=sms,
        )
    return objection


# --------------------------------------------------------------------------- resolution


def resolve_objection(
    objection: Objection, *, status: str, resolution: str, actor: Any
) -> Objection:
    """Resolve an objection as rejected, upheld or referred to the panel (§12).

    An upheld objection disqualifies the proposal (`objection_upheld`, #16). A referred
    objection may later be resolved again as rejected or upheld (the panel's verdict).
    The objector is told the outcome; the institution is told when it is upheld.
    """
    _require_secretariat(actor, _("Hanya Sekretariat yang dapat menangani sanggahan."))
    if status not in RESOLUTIONS:
        raise DomainError(_("Pilih hasil penanganan sanggahan."), field="status")
    resolution = resolution.strip()
    if len(resolution) < RESOLUTION_MIN:
        raise DomainError(
            _("Tuliskan tanggapan, sekurang-kurangnya %(n)s karakter.") % {"n": RESOLUTION_MIN},
            field="resolution",
        )
    with transaction.atomic():
        locked = (
            Objection.objects.select_for_update(of=("self",))
            .select_related("filed_by", "citizen")
            .get(pk=objection.pk)
        )
        reopenable = (
            locked.status == ObjectionStatus.REFERRED_TO_PANEL and status in FINAL_AFTER_REFERRAL
        )
        if locked.status != ObjectionStatus.OPEN and not reopenable:
            raise DomainError(
                _("Sanggahan ini sudah ditangani: %(status)s.")
                % {"status": locked.get_status_display()}
            )
        before = {"status": locked.status, "resolution": locked.resolution}
        locked.status = status
        locked.resolution = resolution
        locked.resolved_by = actor
        locked.resolved_at = timezone.now()
        locked.save(update_fields=["status", "resolution", "resolved_by", "resolved_at"])
        audit.record(
            actor=actor,
            action="kipp.objection.resolve",
            obj=locked,
            before=before,
            after={"status": status, "resolution": resolution},
        )
        proposal = (
            Proposal.objects.select_for_update(of=("self",))
            .select_related("edition", "institution")
            .get(pk=locked.proposal_id)
        )
        if status == ObjectionStatus.UPHELD and proposal.state in DISQUALIFIABLE:
            disqualify_locked(
                proposal,
                reason=DisqualificationReason.OBJECTION_UPHELD,
                evidence_note=resolution,
                actor=actor,
            )
            emails = institution_admin_emails([proposal.institution])
            mail_on_commit(
                subject=in_indonesian("Proposal didiskualifikasi setelah uji publik: %(title)s")
                % {"title": proposal.title},
                template="kipp/email/objection_upheld.txt",
                context={"objection": locked, "proposal": proposal},
                to=emails.get(proposal.institution_id, []),
            )
        with translation.override(settings.LANGUAGE_CODE):
            sms = _(
                "Prima: sanggahan Anda terhadap finalis «%(title)s» telah ditangani. "
                "Hasil: %(status)s."
            ) % {"title": _sms_title(proposal), "status": locked.get_status_display()}
        _tell_filer(
            locked,
            subject=in_indonesian("Hasil penanganan sanggahan Anda"),
            template="kipp/email/objection_resolved.txt",
            context={"objection": locked, "proposal": proposal},
            sms=sms,
        )
    return locked


# --------------------------------------------------------------------------- scoping


def sees_objectors(person: Any) -> bool:
    """Only the secretariat sees who objected (§12)."""
    access = access_for(person)
    return access.is_secretariat or access.is_superuser


def objections_visible_to(person: Any) -> QuerySet[Objection]:
    """The secretariat sees every objection; anyone else only the ones they filed."""
    access = access_for(person)
    qs = Objection.objects.select_related(
        "proposal", "proposal__institution", "proposal__edition", "resolved_by"
    )
    if sees_objectors(person):
        return qs.select_related("filed_by", "citizen")
    if access.is_authenticated:
        return qs.filter(filed_by_id=access.person_id)
    return qs.none()
