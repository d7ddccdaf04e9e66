"""Filling in, moving and freezing PKRI self-assessment forms (pkri.md §5.2, §6).

A unit operator (UPP) fills its object's sustainability or replication form and sends it
to its Admin Lokal, who returns it with a note or submits it; the Admin Lokal fills and
submits the locus's coaching form. Everything is editable only while the edition's
forms stage is open (the open stage's `participants_submit` flag, never its code).
Submission checks the answers with :mod:`prima.pkri.domain.form_rules` and the window,
and freezes a snapshot with its SHA-256. Closing the forms turns every unsubmitted form
into `form_missing` and advances the edition.

Every write is one `verb_noun(..., *, actor)` function: permission and guard checks,
one transaction with its audit entry, e-mails after the commit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as in_indonesian

from prima.core.access import access_for
from prima.core.domain import audit
from prima.core.domain.accounts.mail import mail_on_commit, site_url
from prima.core.domain.errors import DomainError, PermissionDenied, StaleVersion
from prima.core.enums import Role, Scope
from prima.core.models import Person
from prima.evaluation.domain.stages import advance_edition
from prima.evaluation.enums import StageStatus
from prima.evaluation.models import Edition, Stage
from prima.innovations.domain.replication import (
    ReplicationCycle,
    claim_replication,
    cycle_message,
    would_cycle,
)
from prima.innovations.domain.status_confirmation import confirm_innovation_status
from prima.innovations.enums import LinkOrigin
from prima.innovations.models import Innovation
from prima.pkri.domain.answers import frozen_answers
from prima.pkri.domain.config import PkriRules, rules_for
from prima.pkri.domain.form_rules import FormContext, FormProblem, form_problems, window_problem
from prima.pkri.enums import EDITABLE_STATES, AnnouncementKind, FormKind, FormState
from prima.pkri.models import Announcement, ScopeObject, SelfAssessment

S = FormState

MIN_NOTE = 10  # characters of a return note
MAX_DATA_CHARS = 500_000  # far above any honest form; guards against pasted documents
CONTENT_FIELDS = ("data", "version")

# Top-level answer codes per form kind (pkri.md §6, contract "Form data shapes").
OBJECT_FIELDS = frozenset(
    {
        "still_running",
        "running_since",
        "stopped_on",
        "stop_reason",
        "stop_reason_text",
        "successor_innovation",
        "interruptions",
        "improvements",
        "coverage_expanded",
        "coverage_description",
        "beneficiaries",
        "budget",
        "legal_basis",
        "sop",
        "team_decree",
        "latest_evaluation",
        "evidence",
        "video_url",
        "contact",
        "declaration",
        "declaration_file",
    }
)
FIELDS_BY_KIND: Mapping[str, frozenset[str]] = {
    FormKind.SUSTAINABILITY: OBJECT_FIELDS | {"replications"},
    FormKind.REPLICATION: OBJECT_FIELDS
    | {
        "onward_replications",
        "original_innovation",
        "replication_started",
        "scope",
        "adaptation_steps",
        "differentiators",
        "relationship",
    },
    FormKind.COACHING: frozenset(
        {
            "coaching_policy",
            "in_strategic_plan",
            "strategic_plan_ref",
            "coaching_team",
            "creation_programmes",
            "internal_competition",
            "innovations_registered",
            "development_activities",
            "replication_facilitation",
            "institutionalisation_programmes",
            "coaching_budget",
            "inventory_kept",
            "inventory_ref",
            "innovator_incentives",
            "incentives_ref",
            "evidence",
            "declaration",
            "declaration_file",
        }
    ),
}
# The replication rows of an object form (the name differs between the two object forms).
REPLICATION_ROWS = {
    FormKind.SUSTAINABILITY: "replications",
    FormKind.REPLICATION: "onward_replications",
}
RUNNING_SINCE_EVIDENCE = "running_since"  # FormEvidence.field of the proof of a changed date


# --------------------------------------------------------------------------- the edition


def edition_rules(edition: Edition) -> PkriRules:
    """The typed rule set of a PKRI edition (`config.rules_for`)."""
    return rules_for(edition)


def forms_stage(edition: Edition) -> Stage | None:
    """The edition's open stage that lets participants submit, if any."""
    return Stage.objects.filter(
        edition=edition, status=StageStatus.OPEN, participants_submit=True
    ).first()


def forms_window(edition: Edition) -> tuple[dt.date, dt.date]:
    """The self-assessment window (WIB, inclusive), extended by the latest published
    forms-extension announcement (its listing's ``until``, an ISO date)."""
    first, last = edition_rules(edition).self_assessment
    extensions = Announcement.objects.filter(
        edition=edition, kind=AnnouncementKind.FORMS_EXTENSION, published_at__isnull=False
    ).order_by("-date", "-id")
    for extension in extensions:
        until = (extension.listing or {}).get("until")
        if until:
            last = max(last, dt.date.fromisoformat(str(until)))
            break
    return first, last


def forms_open(edition: Edition) -> bool:
    """Whether the forms of the edition may be edited and sent now."""
    return forms_stage(edition) is not None


def extend_forms_window(
    edition: Edition, *, until: dt.date | None, number: str, date: dt.date | None, actor: Person
) -> Announcement:
    """Publish a forms-extension announcement moving the end of the self-assessment window
    to `until` (pkri.md §5.2). Secretariat only, while the forms are open; `until` must be
    later than the current end (no shortening by announcement)."""
    access = access_for(actor)
    if not (access.is_secretariat or access.is_superuser):
        raise PermissionDenied(
            _("Hanya Sekretariat yang dapat memperpanjang masa pengisian formulir.")
        )
    if edition.programme != "pkri":
        raise DomainError(_("Penyelenggaraan ini bukan PKRI."))
    _require_forms_open(edition)
    number = (number or "").strip()
    if not number:
        raise DomainError(_("Nomor pengumuman wajib diisi."), field="number")
    if date is None:
        raise DomainError(_("Tanggal pengumuman wajib diisi."), field="date")
    if until is None:
        raise DomainError(_("Tanggal akhir baru wajib diisi."), field="until")
    with transaction.atomic():
        Edition.objects.select_for_update(of=("self",)).filter(pk=edition.pk).first()
        last = forms_window(edition)[1]
        if until <= last:
            raise DomainError(
                _(
                    "Tanggal akhir baru (%(until)s) harus setelah akhir masa pengisian saat "
                    "ini (%(last)s)."
                )
                % {"until": until.strftime("%d-%m-%Y"), "last": last.strftime("%d-%m-%Y")},
                field="until",
            )
        if Announcement.objects.filter(edition=edition, number=number).exists():
            raise DomainError(
                _("Nomor pengumuman %(number)s sudah dipakai pada penyelenggaraan ini.")
                % {"number": number},
                field="number",
            )
        announcement = Announcement.objects.create(
            edition=edition,
            kind=AnnouncementKind.FORMS_EXTENSION,
            number=number,
            date=date,
            title=_("Perpanjangan pengisian formulir %(edition)s sampai %(until)s")
            % {"edition": edition.title, "until": until.strftime("%d-%m-%Y")},
            listing={"until": until.isoformat(), "previous_until": last.isoformat()},
            published_at=timezone.now(),
            created_by=actor,
        )
        audit.record(
            actor=actor,
            action="pkri.forms.extend",
            obj=announcement,
            before={"until": last.isoformat()},
            after={"until": until.isoformat(), "number": number, "date": date.isoformat()},
        )
    return announcement


def _require_forms_open(edition: Edition) -> None:
    if not forms_open(edition):
        raise DomainError(
            _(
                "Pengisian formulir %(edition)s tidak sedang dibuka (tahap saat ini: "
                "«%(state)s»); formulir hanya dapat diubah dan dikirim selama tahap "
                "pengisian formulir berjalan."
            )
            % {"edition": edition, "state": edition.get_state_display()}
        )


# --------------------------------------------------------------------------- who


def target(form: SelfAssessment) -> ScopeObject:
    """The object of an object form (never called for coaching forms)."""
    obj = form.object
    if obj is None:
        raise ValueError("a coaching form has no object")
    return obj


def is_operator_of(person: Any, form: SelfAssessment) -> bool:
    """The person operates the unit owning the form's object (object forms only)."""
    if form.object_id is None:
        return False
    return target(form).unit_id in access_for(person).operator_unit_ids


def is_admin_of(person: Any, form: SelfAssessment) -> bool:
    """The person is Admin Lokal of the form's locus institution."""
    return form.locus.institution_id in access_for(person).admin_institution_ids


def holder_of(form: SelfAssessment) -> str:
    """Who holds the form now: ``"unit"`` or ``"institution"`` (coaching forms always
    the institution)."""
    if form.kind == FormKind.COACHING:
        return "institution"
    if form.state in (S.ANNOUNCED, S.DRAFT, S.RETURNED):
        return "unit"
    return "institution"


def may_edit(person: Any, form: SelfAssessment) -> bool:
    """The holder edits an editable form: the unit until it sends, then the Admin Lokal."""
    if form.state not in EDITABLE_STATES:
        return False
    if holder_of(form) == "unit":
        return is_operator_of(person, form)
    return is_admin_of(person, form)


def available_actions(person: Any, form: SelfAssessment) -> frozenset[str]:
    """The buttons to show now; the guards needing the answers are checked when acting."""
    if not forms_open(form.edition):
        return frozenset()
    actions: set[str] = set()
    if may_edit(person, form):
        actions |= {"edit", "attach"}
    operator, admin = is_operator_of(person, form), is_admin_of(person, form)
    if form.kind == FormKind.COACHING:
        if admin and form.state in EDITABLE_STATES:
            actions.add("submit")
        return frozenset(actions)
    if operator and form.state in (S.ANNOUNCED, S.DRAFT, S.RETURNED):
        actions.add("send")
    if admin and form.state == S.AT_INSTITUTION:
        actions |= {"return", "submit"}
    return frozenset(actions)


# --------------------------------------------------------------------------- answers


def innovation_of(form: SelfAssessment) -> Innovation | None:
    return target(form).innovation if form.object_id else None


def initial_data(form: SelfAssessment) -> dict[str, Any]:
    """The answers to show: the stored ones, with `running_since` prefilled from the
    registry (`Innovation.started_on`) when an object form has none yet."""
    data = dict(form.data or {})
    innovation = innovation_of(form)
    if innovation is not None and "running_since" not in data and innovation.started_on:
        data["running_since"] = innovation.started_on.isoformat()
    if form.kind == FormKind.COACHING:
        data = _with_kipp_registrations(form, data)
    return data


def kipp_registrations(form: SelfAssessment) -> dict[int, int]:
    """Submitted KIPP proposals of the locus institution, per lookback year (the same
    count the desk stage freezes, :func:`prima.pkri.domain.desk.kipp_registrations`)."""
    from prima.pkri.domain.desk import kipp_registrations as by_institution

    institution_id = form.locus.institution_id
    lookback = edition_rules(form.edition).lookback_years
    return by_institution([institution_id], lookback)[institution_id]


def _with_kipp_registrations(form: SelfAssessment, data: dict[str, Any]) -> dict[str, Any]:
    """`innovations_registered` with one row per lookback year and `kipp_registered` from
    Prima's records (read-only: whatever was sent is overwritten)."""
    counts = kipp_registrations(form)
    given = {
        row.get("year"): row
        for row in data.get("innovations_registered") or []
        if isinstance(row, Mapping)
    }
    data["innovations_registered"] = [
        {
            "year": year,
            "kipp_registered": count,
            "internal_registered": (given.get(year) or {}).get("internal_registered"),
        }
        for year, count in sorted(counts.items())
    ]
    return data


def _clean_data(form: SelfAssessment, data: Any) -> dict[str, Any]:
    """The answers as stored: a mapping of the kind's field codes (unknown codes refused);
    null answers dropped; system-filled values set."""
    if not isinstance(data, Mapping):
        raise DomainError(_("Isian formulir harus berupa objek JSON."), field="data")
    allowed = FIELDS_BY_KIND[form.kind]
    unknown = sorted(str(key) for key in data if key not in allowed)
    if unknown:
        raise DomainError(
            _("Isian tidak dikenal untuk formulir ini: %(codes)s.") % {"codes": ", ".join(unknown)},
            field=unknown[0],
        )
    cleaned = {str(key): value for key, value in data.items() if value is not None}
    if len(canonical_json(cleaned)) > MAX_DATA_CHARS:
        raise DomainError(_("Isian formulir terlalu panjang."), field="data")
    if form.kind == FormKind.COACHING:
        cleaned = _with_kipp_registrations(form, cleaned)
    return cleaned


def lock_form(form: SelfAssessment) -> None:
    """Lock the row for this transaction and reload the instance if someone changed it."""
    current = (
        SelfAssessment.objects.select_for_update(of=("self",))
        .only("version", "state")
        .get(pk=form.pk)
    )
    if current.version != form.version or current.state != form.state:
        form.refresh_from_db()


def _stale(form: SelfAssessment, version: int) -> StaleVersion:
    return StaleVersion(
        _(
            "Formulir ini sudah diubah orang lain sejak Anda membukanya (versi %(theirs)s, "
            "Anda versi %(yours)s); muat ulang halaman dan ulangi perubahan Anda."
        )
        % {"theirs": form.version, "yours": version},
        field="version",
    )


def _require_editor(person: Any, form: SelfAssessment) -> None:
    if not (is_operator_of(person, form) or is_admin_of(person, form)):
        raise PermissionDenied(_("Anda tidak berwenang mengubah formulir ini."))
    if form.kind == FormKind.COACHING and not is_admin_of(person, form):
        raise PermissionDenied(_("Formulir pembinaan hanya diisi oleh Admin Lokal instansi."))
    if not may_edit(person, form):
        if form.state not in EDITABLE_STATES:
            message = _("Formulir berstatus «%(state)s» tidak dapat diubah lagi.") % {
                "state": S(form.state).label
            }
        elif holder_of(form) == "unit":
            message = _("Formulir sedang di unit; hanya operator unit yang dapat mengubahnya.")
        else:
            message = _("Formulir sedang di Admin Lokal; hanya Admin Lokal yang dapat mengubahnya.")
        raise PermissionDenied(message)


def save_form(
    form: SelfAssessment, data: Mapping[str, Any], *, actor: Person, version: int
) -> SelfAssessment:
    """Save the answers as a draft (the whole answer set is replaced).

    Only the holder (unit operator until sent, then Admin Lokal; coaching forms: Admin
    Lokal) may save, only while the forms stage is open, and only on the version read:
    a stale version raises :class:`StaleVersion`. An announced form becomes a draft.
    Nothing is checked for completeness here; :func:`submission_problems` lists that.
    """
    _require_forms_open(form.edition)
    cleaned = _clean_data(form, data)
    with transaction.atomic():
        lock_form(form)
        if form.version != version:
            raise _stale(form, version)
        _require_editor(actor, form)
        before = audit.snapshot(form, ("data", "state", "version"))
        changed = cleaned != (form.data or {}) or form.state == S.ANNOUNCED
        if not changed:
            return form
        form.data = cleaned
        if form.state == S.ANNOUNCED:
            form.state = S.DRAFT
        form.version += 1
        form.updated_by = actor
        form.save(update_fields=["data", "state", "version", "updated_by", "updated_at"])
        audit.record(
            actor=actor,
            action="pkri.form.save",
            obj=form,
            before=before,
            after=audit.snapshot(form, ("data", "state", "version")),
        )
    return form


# --------------------------------------------------------------------------- problems


def form_context(form: SelfAssessment, *, today: dt.date | None = None) -> FormContext:
    """What the answer rules need to know about the form's edition and object."""
    rules = edition_rules(form.edition)
    innovation = innovation_of(form)
    return FormContext(
        edition_year=rules.year,
        award_year=target(form).award_year if form.object_id else None,
        today=today or timezone.localdate(),
        lookback=rules.lookback_years,
        running_since_default=innovation.started_on if innovation is not None else None,
        source_years=rules.source_years,
    )


def _running_since_problem(form: SelfAssessment, data: Mapping[str, Any]) -> FormProblem | None:
    """A `running_since` that differs from the registry needs an evidence file (§6.1)."""
    innovation = innovation_of(form)
    given = data.get("running_since")
    if innovation is None or not given or not innovation.started_on:
        return None
    if str(given) == innovation.started_on.isoformat():
        return None
    if form.evidence.filter(field=RUNNING_SINCE_EVIDENCE).exists():
        return None
    return FormProblem(
        code="running_since_evidence_required",
        field="running_since",
        message=_(
            "Tanggal mulai berjalan (%(given)s) berbeda dari data registri (%(registry)s); "
            "unggah bukti perubahan tanggal itu (isian «running_since»)."
        )
        % {"given": given, "registry": innovation.started_on.strftime("%Y-%m-%d")},
    )


def _evidence_problems(form: SelfAssessment, data: Mapping[str, Any]) -> list[FormProblem]:
    """File answers must name this form's own evidence files."""
    own = set(form.evidence.values_list("pk", flat=True))
    problems: list[FormProblem] = []
    for path, value in _file_values(data):
        if value not in own:
            problems.append(
                FormProblem(
                    code="evidence_unknown",
                    field=path,
                    message=_("Berkas bukti #%(id)s pada isian %(path)s bukan milik formulir ini.")
                    % {"id": value, "path": path},
                )
            )
    return problems


FILE_KEYS = frozenset({"file", "evidence", "declaration_file"})


def _file_values(value: Any, path: str = "") -> list[tuple[str, Any]]:
    """Every (path, id) of a file answer (keys file/evidence/declaration_file)."""
    found: list[tuple[str, Any]] = []
    if isinstance(value, Mapping):
        for key, item in value.items():
            here = f"{path}.{key}" if path else str(key)
            if key in FILE_KEYS and item is not None:
                items = item if isinstance(item, list) else [item]
                found += [(here, i) for i in items]
            else:
                found += _file_values(item, here)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _file_values(item, f"{path}.{index}")
    return found


def submission_problems(
    form: SelfAssessment, *, now: dt.datetime | None = None
) -> list[FormProblem]:
    """Everything that keeps the form from being submitted now, field by field."""
    moment = now or timezone.now()
    data = form.data or {}
    problems = list(
        form_problems(form.kind, data, form_context(form, today=timezone.localdate(moment)))
    )
    window = window_problem(moment, forms_window(form.edition))
    if window is not None:
        problems.insert(0, window)
    # The rules module already reports a changed date without any evidence; ours adds the
    # stricter check (a file uploaded for that answer) only when it has nothing to say.
    since = _running_since_problem(form, data)
    if since is not None and not any(p.field == since.field for p in problems):
        problems.append(since)
    seen = {(p.code, p.field) for p in problems}
    problems += [p for p in _evidence_problems(form, data) if (p.code, p.field) not in seen]
    problems += _replication_problems(form)
    return problems


class FormBlocked(DomainError):
    """A submission is refused; ``problems`` lists every reason at once."""

    def __init__(self, lead: str, problems: Sequence[FormProblem]) -> None:
        self.problems = tuple(problems)
        message = lead + " " + " ".join(p.message for p in self.problems)
        super().__init__(message.strip(), field=self.problems[0].field if self.problems else None)

    @property
    def codes(self) -> list[str]:
        return [p.code for p in self.problems]


# --------------------------------------------------------------------------- e-mail


def _emails(people: QuerySet[Person]) -> list[str]:
    return sorted(
        set(people.filter(is_active=True).exclude(email="").values_list("email", flat=True))
    )


def operators_of_unit(unit_id: int) -> QuerySet[Person]:
    return Person.objects.filter(
        memberships__role=Role.UNIT_OPERATOR,
        memberships__scope=Scope.UNIT,
        memberships__unit_id=unit_id,
        memberships__is_active=True,
    ).distinct()


def admins_of_institution(institution_id: int) -> QuerySet[Person]:
    return Person.objects.filter(
        memberships__role=Role.INSTITUTION_ADMIN,
        memberships__scope=Scope.INSTITUTION,
        memberships__institution_id=institution_id,
        memberships__is_active=True,
    ).distinct()


def _mail(
    form: SelfAssessment, *, subject: str, template: str, to: list[str], **extra: Any
) -> None:
    mail_on_commit(
        subject=subject % {"title": str(form)},
        template=f"pkri/forms/email/{template}",
        context={
            "form": form,
            "link": site_url(reverse("pkri_form_detail", args=[form.pk])),
            **extra,
        },
        to=to,
    )


# --------------------------------------------------------------------------- moves


def _move(
    form: SelfAssessment,
    to_state: str,
    *,
    actor: Any,
    allowed_from: Sequence[str],
    action: str,
    reason: str = "",
    extra_fields: Sequence[str] = (),
) -> None:
    """Change the state inside the caller's transaction, with its audit entry."""
    if form.state not in allowed_from:
        raise DomainError(
            _("Formulir berstatus «%(state)s» tidak dapat dipindahkan ke «%(to)s».")
            % {"state": S(form.state).label, "to": S(to_state).label}
        )
    before = form.state
    form.state = to_state
    form.version += 1
    form.updated_by = actor
    form.save(update_fields=["state", "version", "updated_by", "updated_at", *extra_fields])
    audit.record(
        actor=actor,
        action=action,
        obj=form,
        before={"state": before},
        after={"state": to_state},
        reason=reason,
    )


def send_to_institution(form: SelfAssessment, *, actor: Person) -> SelfAssessment:
    """The unit operator hands its object form to the Admin Lokal, who is e-mailed."""
    if form.kind == FormKind.COACHING or not is_operator_of(actor, form):
        raise PermissionDenied(_("Hanya operator unit pemilik objek yang dapat mengirim formulir."))
    _require_forms_open(form.edition)
    with transaction.atomic():
        lock_form(form)
        _move(
            form,
            S.AT_INSTITUTION,
            actor=actor,
            allowed_from=(S.ANNOUNCED, S.DRAFT, S.RETURNED),
            action="pkri.form.send",
        )
        _mail(
            form,
            subject=in_indonesian("Formulir PKRI menunggu pemeriksaan Anda: %(title)s"),
            template="form_sent.txt",
            to=_emails(admins_of_institution(form.locus.institution_id)),
            sender=actor,
        )
    return form


def return_form(form: SelfAssessment, *, note: str, actor: Person) -> SelfAssessment:
    """The Admin Lokal returns an object form to the unit with a note; operators are e-mailed."""
    if form.kind == FormKind.COACHING or not is_admin_of(actor, form):
        raise PermissionDenied(_("Hanya Admin Lokal instansi lokus yang dapat mengembalikan."))
    note = (note or "").strip()
    if len(note) < MIN_NOTE:
        raise DomainError(
            _("Catatan pengembalian minimal %(n)s karakter agar jelas apa yang harus diperbaiki.")
            % {"n": MIN_NOTE},
            field="note",
        )
    _require_forms_open(form.edition)
    with transaction.atomic():
        lock_form(form)
        form.return_note = note
        _move(
            form,
            S.RETURNED,
            actor=actor,
            allowed_from=(S.AT_INSTITUTION,),
            action="pkri.form.return",
            reason=note,
            extra_fields=("return_note",),
        )
        _mail(
            form,
            subject=in_indonesian("Formulir PKRI dikembalikan untuk diperbaiki: %(title)s"),
            template="form_returned.txt",
            to=_emails(operators_of_unit(target(form).unit_id)),
            note=note,
        )
    return form


def canonical_json(value: Any) -> str:
    """The JSON text the snapshot hash is computed over: sorted keys, no spaces."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def snapshot_hash(snapshot: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the snapshot's canonical JSON."""
    return hashlib.sha256(canonical_json(snapshot).encode("utf-8")).hexdigest()


def build_snapshot(form: SelfAssessment) -> dict[str, Any]:
    """The content frozen at submission: answers, target, and files by SHA-256."""
    described: dict[str, Any] | None = None
    obj = form.object
    if obj is not None:
        described = {
            "id": obj.pk,
            "innovation": {"id": obj.innovation_id, "name": obj.innovation.name},
            "unit": {"id": obj.unit_id, "name": obj.unit.name},
            "group": obj.group,
            "award_year": obj.award_year,
            "source_tier": obj.source_tier,
        }
    institution = form.locus.institution
    return {
        "edition": form.edition.code,
        "kind": form.kind,
        "locus": {
            "id": form.locus_id,
            "institution": {"id": institution.pk, "name": institution.name},
        },
        "object": described,
        "data": json.loads(canonical_json(form.data or {})),
        "files": [
            {
                "id": e.pk,
                "field": e.field,
                "name": e.original_name,
                "size": e.size,
                "sha256": e.sha256,
            }
            for e in form.evidence.order_by("id")
        ],
    }


def _claimed_rows(form: SelfAssessment) -> list[tuple[str, Mapping[str, Any], Innovation]]:
    """The replication rows naming a replica innovation of the stated institution, with
    their answer path and that innovation (rows without one are kept only in the form)."""
    rows_key = REPLICATION_ROWS.get(FormKind(form.kind))
    if rows_key is None:
        return []
    rows = (form.data or {}).get(rows_key)
    if not isinstance(rows, list):
        return []
    wanted = {
        index: (row["innovation"], row["institution"])
        for index, row in enumerate(rows)
        if isinstance(row, Mapping)
        and isinstance(row.get("innovation"), int)
        and isinstance(row.get("institution"), int)
    }
    found = Innovation.objects.in_bulk([pk for pk, _institution in wanted.values()])
    claimed = []
    for index, (pk, institution) in wanted.items():
        replica = found.get(pk)
        if replica is not None and replica.institution_id == institution:
            claimed.append((f"{rows_key}.{index}", rows[index], replica))
    return claimed


def _replication_problems(form: SelfAssessment) -> list[FormProblem]:
    """A replication row whose link would make the lineage circular (``cycle``)."""
    if form.object_id is None:
        return []
    source = target(form).innovation
    problems = []
    for where, _row, replica in _claimed_rows(form):
        if replica.pk != source.pk and would_cycle(replica, source):
            problems.append(
                FormProblem("cycle", f"{where}.innovation", cycle_message(replica, source))
            )
    return problems


def _claim_replications(form: SelfAssessment, *, actor: Person) -> int:
    """Record `ReplicationLink(claimed, pkri_form)` for replication rows naming the replica
    innovation of the stated institution (see :func:`claim_replication`). The start dates
    were checked by the form rules at submission."""
    if form.object_id is None:
        return 0
    source = target(form).innovation
    created = 0
    for where, row, replica in _claimed_rows(form):
        if replica.pk == source.pk:
            continue
        differences = str(row.get("differences") or "")
        try:
            link = claim_replication(
                replica,
                source,
                replicated_on=dt.date.fromisoformat(str(row.get("start_date")).strip()),
                adaptation=differences[:2000],
                differences=differences,
                origin=LinkOrigin.PKRI_FORM,
                actor=actor,
            )
        except ReplicationCycle as error:
            raise FormBlocked(
                _("Formulir belum dapat dikirim."),
                [FormProblem("cycle", f"{where}.innovation", error.message)],
            ) from error
        if link is not None:
            audit.record(
                actor=actor,
                action="pkri.form.replication_claimed",
                obj=link,
                after={"form": form.pk, "replica": replica.pk, "source": source.pk},
            )
            created += 1
    return created


def _confirm_status(form: SelfAssessment, *, actor: Person, moment: dt.datetime) -> None:
    """A submitted object form confirms its innovation's status on the submission day,
    with its frozen `still_running` answer (the registry status is never changed)."""
    if form.object_id is None:
        return
    running = frozen_answers(form).get("still_running")
    if not isinstance(running, bool):
        return
    confirm_innovation_status(
        target(form).innovation,
        running=running,
        on=timezone.localdate(moment),
        actor=actor,
        source=f"pkri_form:{form.pk}",
    )


def submit_form(
    form: SelfAssessment, *, actor: Person, now: dt.datetime | None = None
) -> SelfAssessment:
    """The Admin Lokal submits an object form held by the institution, or its coaching form.

    Refused (with every reason, field by field) when the window has closed or an answer
    breaks a rule of §6; otherwise the answers are frozen in `snapshot` with its SHA-256
    and the form becomes `submitted`. An object form also confirms its innovation's
    status in the registry (`confirm_innovation_status`, pkri.md §9).
    """
    if not is_admin_of(actor, form):
        raise PermissionDenied(_("Hanya Admin Lokal instansi lokus yang dapat mengirim formulir."))
    _require_forms_open(form.edition)
    moment = now or timezone.now()
    with transaction.atomic():
        lock_form(form)
        allowed = EDITABLE_STATES if form.kind == FormKind.COACHING else {S.AT_INSTITUTION}
        if form.state not in allowed:
            raise DomainError(
                _("Formulir berstatus «%(state)s» tidak dapat dikirim.")
                % {"state": S(form.state).label}
            )
        problems = submission_problems(form, now=moment)
        if problems:
            raise FormBlocked(_("Formulir belum dapat dikirim."), problems)
        frozen = build_snapshot(form)
        form.snapshot = frozen
        form.snapshot_hash = snapshot_hash(frozen)
        form.submitted_at = moment
        form.submitted_by = actor
        _move(
            form,
            S.SUBMITTED,
            actor=actor,
            allowed_from=tuple(allowed),
            action="pkri.form.submit",
            extra_fields=("snapshot", "snapshot_hash", "submitted_at", "submitted_by"),
        )
        audit.record(
            actor=actor,
            action="pkri.form.snapshot",
            obj=form,
            after={"snapshot_hash": form.snapshot_hash, "submitted_at": moment},
        )
        _claim_replications(form, actor=actor)
        _confirm_status(form, actor=actor, moment=moment)
        recipients = set(_emails(admins_of_institution(form.locus.institution_id)))
        if form.object_id:
            recipients |= set(_emails(operators_of_unit(target(form).unit_id)))
        _mail(
            form,
            subject=in_indonesian("Formulir PKRI telah dikirim: %(title)s"),
            template="form_submitted.txt",
            to=sorted(recipients),
        )
    return form


@dataclass(frozen=True)
class CloseReport:
    missing: int
    submitted: int


def close_forms(edition: Edition, *, actor: Person) -> CloseReport:
    """End the forms window: every form not yet submitted becomes `form_missing` (it stays
    in scope, counting as not running and no response) and the edition advances to
    `forms_closed`. Secretariat only; the forms stage must be the open one."""
    access = access_for(actor)
    if not (access.is_secretariat or access.is_superuser):
        raise PermissionDenied(_("Hanya Sekretariat yang dapat menutup pengisian formulir."))
    if forms_stage(edition) is None:
        raise DomainError(
            _("Pengisian formulir %(edition)s tidak sedang dibuka; tidak ada yang ditutup.")
            % {"edition": edition}
        )
    with transaction.atomic():
        unsubmitted = SelfAssessment.objects.select_for_update(of=("self",)).filter(
            edition=edition, state__in=EDITABLE_STATES
        )
        ids = sorted(unsubmitted.values_list("pk", flat=True))
        SelfAssessment.objects.filter(pk__in=ids).update(
            state=S.FORM_MISSING, version=F("version") + 1, updated_at=timezone.now()
        )
        submitted = SelfAssessment.objects.filter(edition=edition, state=S.SUBMITTED).count()
        audit.record(
            actor=actor,
            action="pkri.forms.close",
            obj=edition,
            after={"form_missing": ids, "submitted": submitted},
        )
        advance_edition(edition, actor=actor, reason=_("Pengisian formulir PKRI ditutup."))
    return CloseReport(missing=len(ids), submitted=submitted)
