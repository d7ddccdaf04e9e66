"""Writing and moving a KIPP proposal on the participant's side (kipp.md §4, §5, §7, §8, §9).

A unit operator (UPP) writes the proposal and sends it to the Admin Lokal (#1, #3); the Admin
Lokal returns it with a note (#2), submits it within the quota (#4), recalls it before the
close (#5) or withdraws it (#15; after submission only with the secretariat's approval).

Every write here is one `verb_noun(..., *, actor)` function: it checks who may act and
the guard, writes inside one transaction with its audit entry, and sends its e-mails after
the commit. State changes go through :func:`prima.kipp.domain.transitions.move` only. The
engine's :class:`~prima.evaluation.models.Subject` row is kept in step on every save.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_noop as in_indonesian

from prima.core.access import access_for
from prima.core.domain import audit
from prima.core.domain.accounts.mail import mail_on_commit, secretariat_emails
from prima.core.domain.errors import DomainError, PermissionDenied, StaleVersion
from prima.core.enums import LOCAL_KINDS, Role, Scope
from prima.core.models import AuditEntry, Institution, Person
from prima.evaluation.domain.catalogue import instrument_of
from prima.evaluation.domain.instruments import Instrument, Section
from prima.evaluation.enums import StageStatus
from prima.evaluation.models import Edition, Stage, Subject
from prima.innovations.enums import LinkStatus
from prima.innovations.models import AwardRecord, Innovation, ReplicationLink
from prima.kipp.domain import eligibility, extra_forms
from prima.kipp.domain.editions import rules_for
from prima.kipp.domain.rules import (
    EditionRules,
    age_reference_close,
    effective_close,
)
from prima.kipp.domain.transitions import move
from prima.kipp.domain.wordcount import strip_markup, word_limit_problems
from prima.kipp.enums import PARTICIPANT_STATES, AttachmentKind, ProposalState
from prima.kipp.models import Invitation, Proposal

S = ProposalState

SUBJECT_KIND = "proposal"
MIN_NOTE = 10  # characters of a return note or a withdrawal reason (§8 #2)
MAX_ANSWER_CHARS = 50_000  # far above any word limit; guards against pasted documents
CONTENT_FIELDS = (
    "answers",
    "extra_answers",
    "sdg_goals",
    "category",
    "video_url",
    "video_minutes",
    "declaration",
    "version",
)
# Submitted or any later state, withdrawn excluded: what the quota counts (§9.4).
SUBMITTED_OR_LATER = frozenset(S) - PARTICIPANT_STATES - {S.WITHDRAWN}
# A proposal may be withdrawn from any state before the decree (§8 #15).
BEFORE_DECREE = frozenset(S) - {S.DECREED, S.AWARDED, S.WITHDRAWN, S.DISQUALIFIED, S.REVOKED}

ACTION_REQUEST_WITHDRAWAL = "kipp.proposal.withdrawal_requested"
ACTION_REJECT_WITHDRAWAL = "kipp.proposal.withdrawal_rejected"
ACTION_WITHDRAW = "kipp.proposal.withdraw"
PENDING_CACHE = "_kipp_pending_withdrawal"

# What participants see for each state (§8, third column). Announced results only reach
# them through `participant_state`, which the announcement reveals.
PARTICIPANT_LABELS: Mapping[str, Any] = {
    S.DRAFT: gettext_lazy("Draf"),
    S.AT_INSTITUTION: gettext_lazy("Menunggu Admin Lokal"),
    S.RETURNED: gettext_lazy("Perlu perbaikan"),
    S.SUBMITTED: gettext_lazy("Diajukan"),
    S.DESK_REVIEW: gettext_lazy("Dalam penilaian"),
    S.PANEL_REVIEW: gettext_lazy("Dalam penilaian"),
    S.UNDER_OBJECTION: gettext_lazy("Finalis"),
    S.CONFIRMED_FINALIST: gettext_lazy("Finalis"),
    S.PRESENTED: gettext_lazy("Finalis"),
    S.FIELD_VERIFICATION: gettext_lazy("Finalis"),
    S.FINALIST_ONLY: gettext_lazy("Finalis"),
}


def participant_label(state: str) -> str:
    """The label a participant sees for a (participant) state."""
    label = PARTICIPANT_LABELS.get(state)
    return str(label if label is not None else S(state).label)


# --------------------------------------------------------------------------- problems


@dataclass(frozen=True)
class Issue:
    """One reason a proposal cannot move forward: a code, the field it concerns, a message.

    ``machine`` is the compact form shown in lists and logs, e.g.
    ``word_limit_exceeded(adaptabilitas, 301/300)``.
    """

    code: str
    field: str | None
    message: str
    machine: str


class ProposalBlocked(DomainError):
    """A forward transition is refused; ``issues`` lists every reason at once."""

    def __init__(self, lead: str, issues: Sequence[Issue]) -> None:
        self.issues = tuple(issues)
        message = lead + " " + " ".join(issue.message for issue in self.issues)
        super().__init__(message.strip(), field=self.issues[0].field if self.issues else None)

    @property
    def codes(self) -> list[str]:
        return [issue.machine for issue in self.issues]


@dataclass(frozen=True)
class Saved:
    """The saved proposal and the warnings the author should see (e.g. over-limit text)."""

    proposal: Proposal
    warnings: tuple[str, ...]
    changed: bool


# --------------------------------------------------------------------------- the edition


def edition_rules(edition: Edition) -> EditionRules:
    """The edition's validated rule set (DomainError naming the problems if it is invalid)."""
    return rules_for(edition)


def edition_instrument(edition: Edition) -> Instrument:
    """The proposal instrument of the edition, built from its stored content."""
    return instrument_of(edition.instrument)


def sections_for(proposal: Proposal) -> tuple[Section, ...]:
    """The sections the proposal's group answers, in instrument order."""
    return edition_instrument(proposal.edition).visible_sections(proposal.group)


def registration_close(edition: Edition) -> datetime:
    """The effective registration close: the edition's (after extensions), else the rules'."""
    if edition.registration_close is not None:
        return edition.registration_close
    return effective_close(edition_rules(edition))


def registration_is_open(edition: Edition, now: datetime | None = None) -> bool:
    """A stage that lets participants submit is open and the close has not passed."""
    moment = now or timezone.now()
    submitting = Stage.objects.filter(
        edition=edition, status=StageStatus.OPEN, participants_submit=True
    ).exists()
    return submitting and moment <= registration_close(edition)


def _require_registration_open(edition: Edition) -> None:
    if not registration_is_open(edition):
        raise DomainError(
            _("Pendaftaran %(edition)s tidak sedang dibuka (batas: %(close)s WIB).")
            % {
                "edition": edition,
                "close": timezone.localtime(registration_close(edition)).strftime("%d-%m-%Y %H:%M"),
            }
        )


# --------------------------------------------------------------------------- who


def is_operator_of(person: Any, proposal: Proposal) -> bool:
    """The person operates the proposal's service unit (UPP)."""
    return proposal.unit_id in access_for(person).operator_unit_ids


def is_admin_of(person: Any, proposal: Proposal) -> bool:
    """The person is Admin Lokal of the proposing institution or, for a BUMD, its owner."""
    ids = access_for(person).admin_institution_ids
    return proposal.institution_id in ids or proposal.institution.parent_id in ids


def may_create_for(person: Any, innovation: Innovation) -> bool:
    """Operators of the innovation's unit; Admin Lokal of its institution (or BUMD owner)."""
    access = access_for(person)
    admin = access.admin_institution_ids
    return (
        innovation.unit_id in access.operator_unit_ids
        or innovation.institution_id in admin
        or innovation.institution.parent_id in admin
    )


def innovations_for_proposal(person: Any) -> QuerySet[Innovation]:
    """The innovations the person may enter into an edition (same rule as `may_create_for`)."""
    access = access_for(person)
    condition = Q()
    if access.operator_unit_ids:
        condition |= Q(unit_id__in=access.operator_unit_ids)
    if access.admin_institution_ids:
        ids = access.admin_institution_ids
        condition |= Q(institution_id__in=ids) | Q(institution__parent_id__in=ids)
    if not condition:
        return Innovation.objects.none()
    return Innovation.objects.filter(condition).select_related("institution", "unit")


def may_edit_content(person: Any, proposal: Proposal) -> bool:
    """Operators edit in draft/returned, Admin Lokal while it waits with them (§8)."""
    if proposal.state in (S.DRAFT, S.RETURNED):
        return is_operator_of(person, proposal)
    if proposal.state == S.AT_INSTITUTION:
        return is_admin_of(person, proposal)
    return False


def require_content_editor(person: Any, proposal: Proposal) -> None:
    """Raise unless the person may change the proposal's content now."""
    if not (is_operator_of(person, proposal) or is_admin_of(person, proposal)):
        raise PermissionDenied(_("Anda tidak berwenang mengubah proposal ini."))
    if not may_edit_content(person, proposal):
        if proposal.state in (S.DRAFT, S.RETURNED):
            message = _("Proposal sedang di UPP; hanya operator unit yang dapat mengubahnya.")
        elif proposal.state == S.AT_INSTITUTION:
            message = _("Proposal sedang di Admin Lokal; hanya Admin Lokal yang dapat mengubahnya.")
        else:
            message = _("Proposal berstatus «%(state)s» tidak dapat diubah lagi.") % {
                "state": participant_label(proposal.participant_state)
            }
        raise PermissionDenied(message)
    _require_registration_open(proposal.edition)


def available_actions(person: Any, proposal: Proposal) -> frozenset[str]:
    """The buttons to show: the actions whose actor and state rules the person meets now.

    Guards that need the content (completeness, eligibility) are checked when acting.
    """
    actions: set[str] = set()
    state = proposal.state
    operator, admin = is_operator_of(person, proposal), is_admin_of(person, proposal)
    open_now = state in BEFORE_DECREE and registration_is_open(proposal.edition)
    if open_now and may_edit_content(person, proposal):
        actions |= {"edit", "attach"}
    if open_now and operator and state in (S.DRAFT, S.RETURNED):
        actions.add("send")
    if admin and state == S.AT_INSTITUTION:
        actions.add("return")
        if open_now:
            actions.add("submit")
    if admin and open_now and state == S.SUBMITTED:
        actions.add("recall")
    if admin and state in BEFORE_DECREE and pending_withdrawal(proposal) is None:
        actions.add("withdraw")
    if access_for(person).is_secretariat and pending_withdrawal(proposal) is not None:
        actions |= {"approve_withdrawal", "reject_withdrawal"}
    return frozenset(actions)


def keyed_ip_hash(address: str) -> str:
    """A keyed hash of an IP address for the transition history (§8); never the address."""
    if not address:
        return ""
    key = f"kipp-ip:{settings.SECRET_KEY}".encode()
    return hmac.new(key, address.encode(), hashlib.sha256).hexdigest()


# --------------------------------------------------------------------------- the subject


def _subject_text(proposal: Proposal) -> str:
    parts = (strip_markup(str(text)).strip() for text in proposal.answers.values() if text)
    return "\n\n".join(part for part in parts if part)


def _subject_values(proposal: Proposal) -> dict[str, Any]:
    """The engine's strata for the proposal (kipp.md §11.2)."""
    institution = proposal.institution
    owner = institution.parent if institution.parent_id else None
    region = institution.region or (owner.region if owner is not None else None)
    province = institution.province_code or (owner.province_code if owner is not None else "")
    region_code = region.code if region is not None else ""
    return {
        "title": proposal.title[:300],
        "text": _subject_text(proposal),
        "institution": institution,
        "group": proposal.group,
        "category": proposal.category,
        "institution_kind": institution.kind,
        # Central institutions never count towards province strata or province conflicts.
        "province": province if institution.kind in LOCAL_KINDS else "",
        "region_3t": bool(region_code) and region_code in (proposal.edition.region_3t_codes or []),
        "submitted_at": proposal.submitted_at,
        "is_active": proposal.state != S.WITHDRAWN,
    }


def _sync_subject(proposal: Proposal) -> None:
    values = _subject_values(proposal)
    Subject.objects.filter(pk=proposal.subject_id).update(**values)


# --------------------------------------------------------------------------- e-mail


def _emails(people: QuerySet[Person]) -> list[str]:
    return sorted(
        set(people.filter(is_active=True).exclude(email="").values_list("email", flat=True))
    )


def operator_emails(proposal: Proposal) -> list[str]:
    """The active operators of the proposal's unit."""
    return _emails(
        Person.objects.filter(
            memberships__role=Role.UNIT_OPERATOR,
            memberships__scope=Scope.UNIT,
            memberships__unit_id=proposal.unit_id,
            memberships__is_active=True,
        )
    )


def admin_emails(proposal: Proposal) -> list[str]:
    """The Admin Lokal team of the institution, or of its owner for a BUMD (§4)."""
    ids = [proposal.institution_id]
    if proposal.institution.parent_id:
        ids.append(proposal.institution.parent_id)
    return _emails(
        Person.objects.filter(
            memberships__role=Role.INSTITUTION_ADMIN,
            memberships__scope=Scope.INSTITUTION,
            memberships__institution_id__in=ids,
            memberships__is_active=True,
        )
    )


def _mail(proposal: Proposal, *, subject: str, template: str, to: list[str], **extra: Any) -> None:
    link = settings.SITE_URL + reverse("kipp_proposal_detail", args=[proposal.pk])
    mail_on_commit(
        subject=subject % {"title": proposal.title},
        template=f"kipp/email/{template}",
        context={"proposal": proposal, "link": link, **extra},
        to=to,
    )


# --------------------------------------------------------------------------- reading


def _lock(proposal: Proposal) -> None:
    """Lock the row for this transaction and reload the instance if someone changed it."""
    current = Proposal.objects.select_for_update(of=("self",)).only("version").get(pk=proposal.pk)
    if current.version != proposal.version:
        proposal.refresh_from_db()


def attachment_kinds(proposal: Proposal) -> set[str]:
    """The attachment kinds the proposal carries."""
    return set(proposal.attachments.values_list("kind", flat=True))


def readiness_issues(proposal: Proposal) -> list[Issue]:
    """What must be fixed before the proposal can move forward (§7, §8 #1, #3, #4).

    Every visible section answered and within its word limit, a valid category, SDG goals
    when the edition requires them, the group's required attachments, and the video link
    with a declared duration within the limit.
    """
    rules = edition_rules(proposal.edition)
    sections = sections_for(proposal)
    issues: list[Issue] = []
    for section in sections:
        if not strip_markup(str(proposal.answers.get(section.code) or "")).strip():
            issues.append(
                Issue(
                    "answer_missing",
                    section.code,
                    _("Bagian %(section)s belum diisi.") % {"section": section.label},
                    f"answer_missing({section.code})",
                )
            )
    over = word_limit_problems(
        proposal.answers,
        {s.code: s.max_words for s in sections},
        {s.code: s.label for s in sections},
    )
    issues += [Issue(p.code, p.section, p.message, p.machine) for p in over]
    if proposal.category not in rules.category_codes():
        issues.append(
            Issue(
                "category_missing",
                "category",
                _("Pilih salah satu kategori edisi ini."),
                "category_missing",
            )
        )
    if rules.eligibility.require_sdg and not proposal.sdg_goals:
        issues.append(
            Issue("sdg_missing", "sdg_goals", _("Pilih minimal satu tujuan SDGs."), "sdg_missing")
        )
    present = attachment_kinds(proposal)
    for kind in rules.attachments.required_for(proposal.group):
        if kind not in present:
            issues.append(
                Issue(
                    "attachment_missing",
                    "attachments",
                    _("Lampiran «%(kind)s» belum diunggah.") % {"kind": _kind_label(kind)},
                    f"attachment_missing({kind})",
                )
            )
    issues += _video_issues(proposal, rules)
    issues += extra_form_issues(proposal, rules)
    return issues


def extra_forms_of(proposal: Proposal) -> tuple[extra_forms.ExtraForm, ...]:
    """The extra forms (e.g. SPBE) the proposal's edition asks for, in the rules' order."""
    return extra_forms.forms_for(edition_rules(proposal.edition).extra_forms)


def extra_form_issues(proposal: Proposal, rules: EditionRules | None = None) -> list[Issue]:
    """One issue per required question of the edition's extra forms still unanswered."""
    rules = rules or edition_rules(proposal.edition)
    issues: list[Issue] = []
    stored = proposal.extra_answers if isinstance(proposal.extra_answers, dict) else {}
    for form in extra_forms.forms_for(rules.extra_forms):
        for question in extra_forms.missing_questions(form, stored.get(form.code) or {}):
            issues.append(
                Issue(
                    "extra_answer_missing",
                    extra_forms.field_name(form, question),
                    _("Formulir %(form)s: pertanyaan «%(question)s» belum dijawab.")
                    % {"form": form.label, "question": question.label},
                    f"extra_answer_missing({form.code}.{question.code})",
                )
            )
    return issues


def _kind_label(kind: str) -> str:
    try:
        return str(AttachmentKind(kind).label)
    except ValueError:
        return kind


def _video_issues(proposal: Proposal, rules: EditionRules) -> list[Issue]:
    video = rules.attachments.video
    if not proposal.video_url:
        if video.required:
            return [
                Issue("video_missing", "video_url", _("Tautan video belum diisi."), "video_missing")
            ]
        return []
    if video.max_minutes is None:
        return []
    if proposal.video_minutes is None:
        return [
            Issue(
                "video_duration_missing",
                "video_minutes",
                _("Isi durasi video (menit)."),
                "video_duration_missing",
            )
        ]
    if proposal.video_minutes > video.max_minutes:
        minutes = f"{proposal.video_minutes.normalize():f}"
        return [
            Issue(
                "video_too_long",
                "video_minutes",
                _("Video berdurasi %(minutes)s menit; paling lama %(limit)s menit.")
                % {"minutes": minutes, "limit": video.max_minutes},
                f"video_too_long({minutes}/{video.max_minutes})",
            )
        ]
    return []


def _tiers(innovation_ids: Iterable[int]) -> dict[int, list[eligibility.TierHeld]]:
    held: dict[int, list[eligibility.TierHeld]] = {}
    rows = AwardRecord.objects.filter(innovation_id__in=list(innovation_ids), programme="kipp")
    for row in rows:
        held.setdefault(row.innovation_id, []).append(
            eligibility.TierHeld(row.tier, row.year, row.level, None, row.revoked)
        )
    return held


def submitted_in_group(
    institution_id: int, edition: Edition, group: str, *, exclude: int | None = None
) -> int:
    """The institution's proposals in the group counted against the quota (§9.4)."""
    qs = Proposal.objects.filter(
        edition=edition, institution_id=institution_id, group=group, state__in=SUBMITTED_OR_LATER
    )
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    return qs.count()


def candidate_for(proposal: Proposal) -> eligibility.Candidate:
    """The plain values the §9 pre-checks read, gathered from the records."""
    innovation = proposal.innovation
    # A rejected link (pkri.md §9) never satisfies `replication_link: required`.
    links = list(
        ReplicationLink.objects.filter(replica=innovation)
        .exclude(status=LinkStatus.REJECTED)
        .select_related("source")
    )
    tiers = _tiers([innovation.pk, *(link.source_id for link in links)])
    kinds = attachment_kinds(proposal)
    others = (
        Proposal.objects.filter(
            edition=proposal.edition,
            institution_id=innovation.institution_id,
            state__in=SUBMITTED_OR_LATER,
        )
        .exclude(pk=proposal.pk)
        .values_list("title", flat=True)
    )
    return eligibility.Candidate(
        group=proposal.group,
        category=proposal.category or None,
        implementation_start=innovation.started_on,
        has_start_evidence=AttachmentKind.START_EVIDENCE in kinds,
        unit_id=innovation.unit_id,
        tiers=tuple(tiers.get(innovation.pk, ())),
        sources=tuple(
            eligibility.SourceInnovation(
                id=link.source.name,
                unit_id=link.source.unit_id,
                tiers=tuple(tiers.get(link.source_id, ())),
            )
            for link in links
        ),
        has_replication_statement=AttachmentKind.REPLICATION_STATEMENT in kinds,
        institution_submitted_in_group=submitted_in_group(
            innovation.institution_id, proposal.edition, proposal.group, exclude=proposal.pk
        ),
        invited=Invitation.objects.filter(
            edition=proposal.edition, innovation=innovation, group=proposal.group
        ).exists(),
        sdg_goals=frozenset(proposal.sdg_goals),
        attachments=frozenset(kinds),
        title=proposal.title,
        other_titles_in_institution=tuple(others),
    )


def eligibility_results(proposal: Proposal) -> list[eligibility.CheckResult]:
    """The §9 pre-checks of the proposal as it stands, passed and failed."""
    rules = edition_rules(proposal.edition)
    # Extensions announced after the rules froze live in edition.registration_close.
    if rules.eligibility.age_reference == "registration_close_original":
        reference = age_reference_close(rules)
    else:
        reference = registration_close(proposal.edition)
    return eligibility.check_eligibility(rules, candidate_for(proposal), reference_close=reference)


@dataclass(frozen=True)
class QuotaUse:
    institution: Institution
    group: str
    group_label: str
    used: int
    quota: int | None

    @property
    def text(self) -> str:
        """``umum 9/10``; without a cap just the count."""
        if self.quota is None:
            return f"{self.group} {self.used}"
        return f"{self.group} {self.used}/{self.quota}"


def quota_usage(edition: Edition, institutions: Sequence[Institution]) -> list[QuotaUse]:
    """Per institution and group: submitted proposals against the quota (two queries)."""
    rules = edition_rules(edition)
    counts = {
        (row["institution_id"], row["group"]): row["n"]
        for row in Proposal.objects.filter(
            edition=edition,
            institution__in=[i.pk for i in institutions],
            state__in=SUBMITTED_OR_LATER,
        )
        .values("institution_id", "group")
        .annotate(n=Count("id"))
    }
    return [
        QuotaUse(
            institution,
            code,
            group.label,
            counts.get((institution.pk, code), 0),
            None if group.invitation_only else group.quota_per_institution,
        )
        for institution in institutions
        for code, group in rules.groups.items()
    ]


def pending_withdrawal(proposal: Proposal) -> AuditEntry | None:
    """The Admin Lokal's withdrawal request still awaiting the secretariat, if any."""
    if proposal.state in PARTICIPANT_STATES or proposal.state not in BEFORE_DECREE:
        return None
    if PENDING_CACHE in proposal.__dict__:
        return cast(AuditEntry | None, proposal.__dict__[PENDING_CACHE])
    latest = (
        AuditEntry.objects.filter(
            object_type=Proposal._meta.label_lower,
            object_id=str(proposal.pk),
            action__in=(ACTION_REQUEST_WITHDRAWAL, ACTION_REJECT_WITHDRAWAL, ACTION_WITHDRAW),
        )
        .order_by("-id")
        .first()
    )
    pending = latest if latest is not None and latest.action == ACTION_REQUEST_WITHDRAWAL else None
    proposal.__dict__[PENDING_CACHE] = pending
    return pending


# --------------------------------------------------------------------------- writing


def create_proposal(
    edition: Edition, innovation: Innovation, *, group: str, category: str, actor: Person
) -> Proposal:
    """Enter an innovation into the edition as a draft at its unit (kipp.md §5).

    One proposal per innovation per edition; invitation-only groups (khusus) need the
    secretariat's invitation; registration must be open.
    """
    if not may_create_for(actor, innovation):
        raise PermissionDenied(_("Anda tidak berwenang mengusulkan inovasi ini."))
    if edition.programme != "kipp":
        raise DomainError(_("Penyelenggaraan ini bukan KIPP."), field="edition")
    rules = edition_rules(edition)
    _require_registration_open(edition)
    if group not in rules.groups:
        raise DomainError(
            _("Kelompok «%(group)s» tidak ada di %(edition)s; pilih: %(choices)s.")
            % {"group": group, "edition": edition, "choices": ", ".join(rules.groups)},
            field="group",
        )
    if category not in rules.category_codes():
        raise DomainError(
            _("Kategori «%(category)s» tidak ada di %(edition)s.")
            % {"category": category, "edition": edition},
            field="category",
        )
    if (
        rules.groups[group].invitation_only
        and not Invitation.objects.filter(
            edition=edition, innovation=innovation, group=group
        ).exists()
    ):
        raise DomainError(
            _("%(group)s hanya untuk inovasi yang diundang sekretariat; undangan tidak ditemukan.")
            % {"group": rules.groups[group].label},
            field="group",
        )
    existing = (
        Proposal.objects.filter(edition=edition, innovation=innovation)
        .exclude(state=S.WITHDRAWN)
        .first()
    )
    if existing is not None:
        raise DomainError(
            _("Inovasi «%(title)s» sudah diusulkan di %(edition)s (status: %(state)s).")
            % {
                "title": innovation.name,
                "edition": edition,
                "state": participant_label(existing.participant_state),
            },
            field="innovation",
        )
    try:
        with transaction.atomic():
            subject = Subject.objects.create(
                edition=edition, kind=SUBJECT_KIND, title=innovation.name[:300]
            )
            proposal = Proposal.objects.create(
                edition=edition,
                subject=subject,
                innovation=innovation,
                unit=innovation.unit,
                institution=innovation.institution,
                title=innovation.name,
                group=group,
                category=category,
                sdg_goals=[g for g in innovation.sdg_goals if isinstance(g, int)],
                created_by=actor,
            )
            _sync_subject(proposal)
            audit.record(
                actor=actor,
                action="kipp.proposal.create",
                obj=proposal,
                after=audit.snapshot(
                    proposal, ("edition", "innovation", "unit", "institution", "group", "category")
                ),
            )
    except IntegrityError:
        # Two people entered the same innovation at the same moment; the constraint won.
        raise DomainError(
            _("Inovasi «%(title)s» sudah diusulkan di %(edition)s.")
            % {"title": innovation.name, "edition": edition},
            field="innovation",
        ) from None
    return proposal


def _clean_answers(proposal: Proposal, answers: Mapping[str, Any]) -> dict[str, str]:
    sections = {s.code: s for s in sections_for(proposal)}
    cleaned: dict[str, str] = {}
    for code, text in answers.items():
        if code not in sections:
            raise DomainError(
                _("Bagian «%(section)s» tidak ada pada formulir kelompok ini.") % {"section": code},
                field=str(code),
            )
        value = "" if text is None else str(text).strip()
        if len(value) > MAX_ANSWER_CHARS:
            raise DomainError(
                _("Jawaban %(section)s terlalu panjang (%(n)s karakter).")
                % {"section": sections[code].label, "n": len(value)},
                field=code,
            )
        if value:
            cleaned[code] = value
    # Stored in instrument order, so the subject text and snapshots read naturally.
    return {code: cleaned[code] for code in sections if code in cleaned}


def _clean_extra_answers(proposal: Proposal, extra: Mapping[str, Any]) -> dict[str, Any]:
    """Form code → cleaned answers, for the forms the edition names; empty forms dropped."""
    forms = {form.code: form for form in extra_forms_of(proposal)}
    if not isinstance(extra, Mapping):
        raise DomainError(
            _("Jawaban formulir tambahan harus berupa pasangan kode formulir dan jawaban."),
            field="extra_answers",
        )
    cleaned: dict[str, Any] = {}
    for code, answers in extra.items():
        form = forms.get(str(code))
        if form is None:
            raise DomainError(
                _("Formulir «%(form)s» tidak diminta di %(edition)s; yang diminta: %(forms)s.")
                % {
                    "form": code,
                    "edition": proposal.edition,
                    "forms": ", ".join(forms) or _("tidak ada"),
                },
                field="extra_answers",
            )
        values = extra_forms.clean_answers(form, answers, today=timezone.localdate())
        if values:
            cleaned[form.code] = values
    return {code: cleaned[code] for code in forms if code in cleaned}


def _clean_sdgs(goals: Iterable[Any]) -> list[int]:
    cleaned: set[int] = set()
    for goal in goals:
        if isinstance(goal, bool) or not isinstance(goal, int) or not 1 <= goal <= 17:
            raise DomainError(
                _("Tujuan SDGs harus nomor 1–17, tertulis %(goal)s.") % {"goal": goal},
                field="sdg_goals",
            )
        cleaned.add(goal)
    return sorted(cleaned)


def _clean_video(url: str, minutes: Decimal | int | str | None) -> tuple[str, Decimal | None]:
    url = (url or "").strip()
    if url:
        if len(url) > 200:
            raise DomainError(_("Tautan video terlalu panjang."), field="video_url")
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise DomainError(
                _("Tautan video harus alamat web yang diawali http:// atau https://."),
                field="video_url",
            ) from None
    if minutes is None or minutes == "":
        return url, None
    try:
        value = Decimal(str(minutes))
    except InvalidOperation:
        raise DomainError(_("Durasi video harus angka (menit)."), field="video_minutes") from None
    if (
        not value.is_finite()
        or value <= 0
        or value >= 1000
        or value != value.quantize(Decimal("0.1"))
    ):
        raise DomainError(
            _("Durasi video harus lebih dari 0 menit dengan paling banyak satu angka desimal."),
            field="video_minutes",
        )
    return url, value.quantize(Decimal("0.1"))


def save_answers(
    proposal: Proposal,
    *,
    answers: Mapping[str, Any],
    sdg_goals: Iterable[Any],
    category: str,
    video_url: str,
    video_minutes: Decimal | int | str | None,
    declaration: bool,
    version: int,
    actor: Person,
    extra_answers: Mapping[str, Any] | None = None,
) -> Saved:
    """Save the proposal's content (section answers, SDGs, category, video, declaration,
    and the answers of the edition's extra forms such as SPBE).

    Operators save in draft/returned, the Admin Lokal while it is with them. ``version``
    must be the one the author loaded (else :class:`StaleVersion`). Text over a section's
    word limit is saved and reported back as a warning; sending is what it blocks (§7.3).
    ``extra_answers`` (form code → question code → answer) replaces the stored extra
    answers; ``None`` keeps them. Unanswered extra questions may be saved; sending and
    submitting are what they block.
    """
    require_content_editor(actor, proposal)
    rules = edition_rules(proposal.edition)
    if category not in rules.category_codes():
        raise DomainError(
            _("Kategori «%(category)s» tidak ada di edisi ini.") % {"category": category},
            field="category",
        )
    cleaned = _clean_answers(proposal, answers)
    extra = None if extra_answers is None else _clean_extra_answers(proposal, extra_answers)
    goals = _clean_sdgs(sdg_goals)
    url, minutes = _clean_video(video_url, video_minutes)
    with transaction.atomic():
        _lock(proposal)
        if proposal.version != version:
            raise StaleVersion(
                _(
                    "Proposal ini sudah diubah orang lain sejak Anda membukanya (versi %(theirs)s, "
                    "Anda versi %(yours)s); muat ulang halaman dan ulangi perubahan Anda."
                )
                % {"theirs": proposal.version, "yours": version},
                field="version",
            )
        require_content_editor(actor, proposal)
        before = audit.snapshot(proposal, CONTENT_FIELDS)
        proposal.answers = cleaned
        if extra is not None:
            proposal.extra_answers = extra
        proposal.sdg_goals = goals
        proposal.category = category
        proposal.video_url = url
        proposal.video_minutes = minutes
        proposal.declaration = bool(declaration)
        after = audit.snapshot(proposal, CONTENT_FIELDS)
        changed = after != before
        if changed:
            proposal.version += 1
            proposal.save(update_fields=[*CONTENT_FIELDS, "updated_at"])
            _sync_subject(proposal)
            audit.record(
                actor=actor,
                action="kipp.proposal.update",
                obj=proposal,
                before=before,
                after=audit.snapshot(proposal, CONTENT_FIELDS),
            )
    sections = sections_for(proposal)
    over = word_limit_problems(
        proposal.answers,
        {s.code: s.max_words for s in sections},
        {s.code: s.label for s in sections},
    )
    warnings = tuple(
        _("%(message)s Draf tetap tersimpan, tetapi belum dapat dikirim.") % {"message": p.message}
        for p in over
    )
    return Saved(proposal, warnings, changed)


def send_to_institution(proposal: Proposal, *, actor: Person, ip_hash: str = "") -> Proposal:
    """#1/#3: the unit sends the complete proposal to its Admin Lokal, who is e-mailed."""
    if not is_operator_of(actor, proposal):
        raise PermissionDenied(_("Hanya operator unit pengusul yang dapat mengirim proposal ini."))
    _require_registration_open(proposal.edition)
    with transaction.atomic():
        _lock(proposal)
        if proposal.state not in (S.DRAFT, S.RETURNED):
            raise DomainError(
                _("Proposal berstatus «%(state)s» tidak dapat dikirim ke Admin Lokal.")
                % {"state": participant_label(proposal.state)}
            )
        issues = readiness_issues(proposal)
        if issues:
            raise ProposalBlocked(_("Proposal belum dapat dikirim ke Admin Lokal."), issues)
        move(
            proposal,
            S.AT_INSTITUTION,
            actor=actor,
            allowed_from=(S.DRAFT, S.RETURNED),
            ip_hash=ip_hash,
            action="kipp.proposal.send",
        )
        _mail(
            proposal,
            subject=in_indonesian("Proposal KIPP menunggu pemeriksaan Anda: %(title)s"),
            template="proposal_sent.txt",
            to=admin_emails(proposal),
            sender=actor,
        )
    return proposal


def _require_note(note: str, field: str, what: str) -> str:
    note = (note or "").strip()
    if len(note) < MIN_NOTE:
        raise DomainError(
            _("%(what)s minimal %(n)s karakter agar jelas apa yang harus dilakukan.")
            % {"what": what, "n": MIN_NOTE},
            field=field,
        )
    return note


def return_to_unit(proposal: Proposal, *, note: str, actor: Person, ip_hash: str = "") -> Proposal:
    """#2: the Admin Lokal returns the proposal to the unit with a note; operators are e-mailed."""
    if not is_admin_of(actor, proposal):
        raise PermissionDenied(_("Hanya Admin Lokal instansi pengusul yang dapat mengembalikan."))
    note = _require_note(note, "note", _("Catatan pengembalian"))
    with transaction.atomic():
        _lock(proposal)
        move(
            proposal,
            S.RETURNED,
            actor=actor,
            allowed_from=(S.AT_INSTITUTION,),
            reason=note,
            ip_hash=ip_hash,
            action="kipp.proposal.return",
        )
        _mail(
            proposal,
            subject=in_indonesian("Proposal KIPP dikembalikan untuk diperbaiki: %(title)s"),
            template="proposal_returned.txt",
            to=operator_emails(proposal),
            note=note,
            sender=actor,
        )
    return proposal


def canonical_json(value: Any) -> str:
    """The JSON text the snapshot hash is computed over: sorted keys, no spaces."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def build_snapshot(proposal: Proposal) -> dict[str, Any]:
    """The content frozen at submission: answers, files (by SHA-256) and metadata.

    Extra-form answers are frozen under ``extra_answers`` only when there are some, so a
    proposal without extra forms hashes exactly as snapshots did before they existed.
    """
    instrument = proposal.edition.instrument
    snapshot: dict[str, Any] = {
        "edition": proposal.edition.code,
        "instrument": {
            "code": instrument.code,
            "version": instrument.version,
            "hash": instrument.content_hash,
        },
        "innovation": proposal.innovation_id,
        "title": proposal.title,
        "group": proposal.group,
        "category": proposal.category,
        "sdg_goals": list(proposal.sdg_goals),
        "answers": dict(proposal.answers),
        "video_url": proposal.video_url,
        "video_minutes": None if proposal.video_minutes is None else str(proposal.video_minutes),
        "declaration": proposal.declaration,
        "unit": {"id": proposal.unit_id, "name": proposal.unit.name},
        "institution": {"id": proposal.institution_id, "name": proposal.institution.name},
        "attachments": [
            {"kind": a.kind, "name": a.original_name, "size": a.size, "sha256": a.sha256}
            for a in proposal.attachments.order_by("kind", "id")
        ],
    }
    if proposal.extra_answers:
        snapshot["extra_answers"] = dict(proposal.extra_answers)
    return snapshot


def snapshot_hash(snapshot: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the snapshot's canonical JSON."""
    return hashlib.sha256(canonical_json(snapshot).encode("utf-8")).hexdigest()


def submit_proposal(
    proposal: Proposal, *, declaration: bool, actor: Person, ip_hash: str = ""
) -> Proposal:
    """#4: the Admin Lokal submits within the quota; the content is frozen and hashed.

    Guards: registration open, the proposal complete (as for sending), every §9 pre-check
    passing (age, history, replication link, quota, duplicate title), the declaration of
    truth ticked. The unit and institution are copied from the innovation at this moment.
    """
    if not is_admin_of(actor, proposal):
        raise PermissionDenied(_("Hanya Admin Lokal instansi pengusul yang dapat mengajukan."))
    _require_registration_open(proposal.edition)
    if not declaration:
        raise DomainError(
            _("Centang pernyataan kebenaran data sebelum mengajukan."), field="declaration"
        )
    with transaction.atomic():
        # Serialise submissions of one institution so two cannot both take the last slot.
        Institution.objects.select_for_update(of=("self",)).filter(
            pk=proposal.institution_id
        ).first()
        _lock(proposal)
        if proposal.state != S.AT_INSTITUTION:
            raise DomainError(
                _("Proposal berstatus «%(state)s» tidak dapat diajukan.")
                % {"state": participant_label(proposal.state)}
            )
        innovation = proposal.innovation
        proposal.unit = innovation.unit
        proposal.institution = innovation.institution
        issues = readiness_issues(proposal)
        issues += [
            Issue(str(r.code), None, r.message, str(r.code))
            for r in eligibility.failures(eligibility_results(proposal))
        ]
        if issues:
            raise ProposalBlocked(_("Proposal belum dapat diajukan."), issues)
        proposal.declaration = True
        proposal.submitted_at = timezone.now()
        frozen = build_snapshot(proposal)
        proposal.snapshot = frozen
        proposal.snapshot_hash = snapshot_hash(frozen)
        move(
            proposal,
            S.SUBMITTED,
            actor=actor,
            allowed_from=(S.AT_INSTITUTION,),
            ip_hash=ip_hash,
            action="kipp.proposal.submit",
            extra_fields=(
                "unit",
                "institution",
                "declaration",
                "submitted_at",
                "snapshot",
                "snapshot_hash",
            ),
        )
        _sync_subject(proposal)
        audit.record(
            actor=actor,
            action="kipp.proposal.snapshot",
            obj=proposal,
            after={"snapshot_hash": proposal.snapshot_hash, "submitted_at": proposal.submitted_at},
        )
        _mail(
            proposal,
            subject=in_indonesian("Proposal KIPP telah diajukan: %(title)s"),
            template="proposal_submitted.txt",
            to=operator_emails(proposal),
            sender=actor,
        )
    return proposal


def recall_proposal(
    proposal: Proposal, *, actor: Person, reason: str = "", ip_hash: str = ""
) -> Proposal:
    """#5: before the close the Admin Lokal takes a submission back, freeing its quota slot."""
    if not is_admin_of(actor, proposal):
        raise PermissionDenied(_("Hanya Admin Lokal instansi pengusul yang dapat menarik kembali."))
    _require_registration_open(proposal.edition)
    with transaction.atomic():
        _lock(proposal)
        proposal.submitted_at = None
        proposal.snapshot = None
        proposal.snapshot_hash = ""
        move(
            proposal,
            S.AT_INSTITUTION,
            actor=actor,
            allowed_from=(S.SUBMITTED,),
            reason=(reason or "").strip(),
            ip_hash=ip_hash,
            action="kipp.proposal.recall",
            extra_fields=("submitted_at", "snapshot", "snapshot_hash"),
        )
        _sync_subject(proposal)
    return proposal


def _withdraw(
    proposal: Proposal,
    *,
    actor: Person,
    allowed_from: Iterable[str],
    reason: str,
    ip_hash: str,
    to: list[str],
) -> None:
    """Withdraw now (inside the caller's transaction): move, update the subject, tell ``to``."""
    move(
        proposal,
        S.WITHDRAWN,
        actor=actor,
        allowed_from=allowed_from,
        reason=reason,
        ip_hash=ip_hash,
        action=ACTION_WITHDRAW,
    )
    _sync_subject(proposal)
    _mail(
        proposal,
        subject=in_indonesian("Proposal KIPP ditarik: %(title)s"),
        template="proposal_withdrawn.txt",
        to=to,
        reason=reason,
    )


def withdraw_proposal(
    proposal: Proposal, *, reason: str, actor: Person, ip_hash: str = ""
) -> Proposal:
    """#15: the Admin Lokal withdraws the proposal.

    Before submission it is withdrawn at once. From submission to the decree it becomes a
    request that the secretariat approves (:func:`approve_withdrawal`) or rejects; the
    secretariat is e-mailed.
    """
    if not is_admin_of(actor, proposal):
        raise PermissionDenied(
            _("Hanya Admin Lokal instansi pengusul yang dapat menarik proposal.")
        )
    reason = _require_note(reason, "reason", _("Alasan penarikan"))
    with transaction.atomic():
        _lock(proposal)
        if proposal.state in PARTICIPANT_STATES:
            _withdraw(
                proposal,
                actor=actor,
                allowed_from=PARTICIPANT_STATES,
                reason=reason,
                ip_hash=ip_hash,
                to=operator_emails(proposal),
            )
            return proposal
        if proposal.state not in BEFORE_DECREE:
            raise DomainError(
                _("Proposal berstatus «%(state)s» tidak dapat ditarik.")
                % {"state": participant_label(proposal.participant_state)}
            )
        if pending_withdrawal(proposal) is not None:
            raise DomainError(_("Permohonan penarikan proposal ini sedang menunggu sekretariat."))
        audit.record(
            actor=actor,
            action=ACTION_REQUEST_WITHDRAWAL,
            obj=proposal,
            before={"state": proposal.state},
            reason=reason,
        )
        proposal.__dict__.pop(PENDING_CACHE, None)
        _mail(
            proposal,
            subject=in_indonesian("Permohonan penarikan proposal KIPP: %(title)s"),
            template="proposal_withdrawal_requested.txt",
            to=secretariat_emails(),
            reason=reason,
            sender=actor,
        )
    return proposal


def _require_pending(proposal: Proposal, actor: Person) -> AuditEntry:
    if not access_for(actor).is_secretariat:
        raise PermissionDenied(_("Hanya sekretariat yang memutus permohonan penarikan."))
    proposal.__dict__.pop(PENDING_CACHE, None)
    request = pending_withdrawal(proposal)
    if request is None:
        raise DomainError(_("Tidak ada permohonan penarikan yang menunggu untuk proposal ini."))
    return request


def approve_withdrawal(
    proposal: Proposal, *, actor: Person, note: str = "", ip_hash: str = ""
) -> Proposal:
    """#15 after submission: the secretariat approves the Admin Lokal's request."""
    with transaction.atomic():
        _lock(proposal)
        request = _require_pending(proposal, actor)
        reason = request.reason + (f" — {note.strip()}" if note.strip() else "")
        _withdraw(
            proposal,
            actor=actor,
            allowed_from=BEFORE_DECREE - PARTICIPANT_STATES,
            reason=reason,
            ip_hash=ip_hash,
            to=sorted({*operator_emails(proposal), *admin_emails(proposal)}),
        )
    proposal.__dict__.pop(PENDING_CACHE, None)
    return proposal


def reject_withdrawal(proposal: Proposal, *, note: str, actor: Person) -> Proposal:
    """The secretariat keeps the proposal in the competition, saying why."""
    note = _require_note(note, "note", _("Alasan penolakan"))
    with transaction.atomic():
        _lock(proposal)
        _require_pending(proposal, actor)
        audit.record(
            actor=actor,
            action=ACTION_REJECT_WITHDRAWAL,
            obj=proposal,
            before={"state": proposal.state},
            reason=note,
        )
        _mail(
            proposal,
            subject=in_indonesian("Permohonan penarikan proposal KIPP ditolak: %(title)s"),
            template="proposal_withdrawal_rejected.txt",
            to=admin_emails(proposal),
            note=note,
        )
    proposal.__dict__.pop(PENDING_CACHE, None)
    return proposal
