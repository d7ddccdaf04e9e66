# ruff: noqa: F811 (fixtures imported from tests.pkri.forms_factories)
"""Filling in, sending, returning, submitting and closing PKRI forms (pkri.md §5.2, §6)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from prima.core.domain.errors import DomainError, PermissionDenied, StaleVersion
from prima.core.models import AuditEntry
from prima.evaluation.enums import EditionState
from prima.innovations.enums import LinkOrigin, LinkStatus
from prima.innovations.models import ReplicationLink
from prima.pkri.domain import evidence as evidence_domain
from prima.pkri.domain import forms as domain
from prima.pkri.enums import FormState
from tests.factories import InnovationFactory, ServiceUnitFactory
from tests.kipp.factories import EditionFactory as KippEditionFactory
from tests.kipp.factories import ProposalFactory
from tests.pkri.factories import PkriEditionFactory
from tests.pkri.forms_factories import (  # noqa: F401 (fixtures)
    IN_WINDOW,
    WIB,
    coaching_a,
    edition,
    form_a,
    form_b,
    object_form,
    pdf,
    valid_data,
)


def _files(form, actor) -> dict[str, int]:
    return {
        key: evidence_domain.add_evidence(
            form, field=field, upload=pdf(f"{key}.pdf", key.encode()), actor=actor
        ).pk
        for key, field in (
            ("evidence", "evidence"),
            ("legal", "legal_basis"),
            ("sop", "sop"),
            ("declaration", "declaration_file"),
        )
    }


def _complete(form, operator, admin):
    """Fill the form completely as the unit and hand it to the Admin Lokal."""
    files = _files(form, operator)
    form.refresh_from_db()
    domain.save_form(form, valid_data(form, files), actor=operator, version=form.version)
    domain.send_to_institution(form, actor=operator)
    return form


# --------------------------------------------------------------------------- saving


def test_operator_saves_a_draft_and_the_save_is_audited(form_a, operator_a):
    domain.save_form(form_a, {"still_running": True}, actor=operator_a, version=1)

    form_a.refresh_from_db()
    assert form_a.state == FormState.DRAFT
    assert form_a.data == {"still_running": True}
    assert form_a.version == 2
    entry = AuditEntry.objects.get(action="pkri.form.save", object_id=str(form_a.pk))
    assert entry.after["data"] == {"still_running": True}


def test_a_stale_version_is_refused_and_keeps_the_newer_answers(form_a, operator_a):
    domain.save_form(form_a, {"still_running": True}, actor=operator_a, version=1)
    stale = type(form_a).objects.get(pk=form_a.pk)
    stale.version = 1

    with pytest.raises(StaleVersion, match="sudah diubah orang lain"):
        domain.save_form(stale, {"still_running": False}, actor=operator_a, version=1)

    form_a.refresh_from_db()
    assert form_a.data == {"still_running": True}


def test_saving_outside_the_forms_stage_is_refused_with_the_reason(unit_a, operator_a):
    frozen = PkriEditionFactory(stages=EditionState.SCOPE_FROZEN)
    form = object_form(frozen, unit_a)

    with pytest.raises(DomainError, match="tidak sedang dibuka") as refusal:
        domain.save_form(form, {"still_running": True}, actor=operator_a, version=1)

    assert (
        "Penetapan" in refusal.value.message or frozen.get_state_display() in refusal.value.message
    )
    form.refresh_from_db()
    assert form.data == {}


def test_operator_of_another_institution_cannot_save(form_a, operator_b):
    with pytest.raises(PermissionDenied):
        domain.save_form(form_a, {"still_running": True}, actor=operator_b, version=1)


def test_unknown_answer_codes_are_refused(form_a, operator_a):
    with pytest.raises(DomainError, match="tidak dikenal") as refusal:
        domain.save_form(form_a, {"warna": "merah"}, actor=operator_a, version=1)
    assert refusal.value.field == "warna"


def test_running_since_is_prefilled_from_the_registry(form_a):
    assert domain.initial_data(form_a)["running_since"] == "2018-03-01"


def test_coaching_form_is_for_the_admin_and_kipp_counts_are_filled_by_the_system(
    coaching_a, operator_a, admin_a
):
    with pytest.raises(PermissionDenied):
        domain.save_form(coaching_a, {"in_strategic_plan": True}, actor=operator_a, version=1)

    domain.save_form(
        coaching_a,
        {
            "innovations_registered": [
                {"year": 2021, "kipp_registered": 99, "internal_registered": 7}
            ]
        },
        actor=admin_a,
        version=1,
    )

    rows = coaching_a.data["innovations_registered"]
    assert [r["year"] for r in rows] == [2021, 2022, 2023]
    assert rows[0] == {"year": 2021, "kipp_registered": 0, "internal_registered": 7}


# --------------------------------------------------------------------------- moving


def test_send_hands_the_form_to_the_admin_who_may_then_edit_it(
    form_a, operator_a, admin_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        domain.send_to_institution(form_a, actor=operator_a)

    assert form_a.state == FormState.AT_INSTITUTION
    assert admin_a.email in mail.outbox[-1].to
    with pytest.raises(PermissionDenied, match="Admin Lokal"):
        domain.save_form(form_a, {"still_running": True}, actor=operator_a, version=form_a.version)
    domain.save_form(form_a, {"still_running": True}, actor=admin_a, version=form_a.version)
    assert form_a.state == FormState.AT_INSTITUTION


def test_return_needs_a_note_and_tells_the_unit(
    form_a, operator_a, admin_a, django_capture_on_commit_callbacks
):
    domain.send_to_institution(form_a, actor=operator_a)
    with pytest.raises(DomainError, match="minimal"):
        domain.return_form(form_a, note="kurang", actor=admin_a)

    with django_capture_on_commit_callbacks(execute=True):
        domain.return_form(form_a, note="Lengkapi data anggaran 2022.", actor=admin_a)

    assert form_a.state == FormState.RETURNED
    assert form_a.return_note == "Lengkapi data anggaran 2022."
    assert operator_a.email in mail.outbox[-1].to
    assert "Lengkapi data anggaran 2022." in mail.outbox[-1].body


def test_operator_cannot_submit_and_admin_submits_only_after_sending(form_a, operator_a, admin_a):
    with pytest.raises(PermissionDenied):
        domain.submit_form(form_a, actor=operator_a, now=IN_WINDOW)
    with pytest.raises(DomainError, match="tidak dapat dikirim"):
        domain.submit_form(form_a, actor=admin_a, now=IN_WINDOW)


# --------------------------------------------------------------------------- submitting


def test_submission_freezes_a_snapshot_with_a_stable_hash(form_a, operator_a, admin_a):
    _complete(form_a, operator_a, admin_a)

    domain.submit_form(form_a, actor=admin_a, now=IN_WINDOW)

    form_a.refresh_from_db()
    assert form_a.state == FormState.SUBMITTED
    assert form_a.submitted_by == admin_a
    assert form_a.submitted_at == IN_WINDOW
    assert form_a.snapshot["data"] == form_a.data
    assert [f["sha256"] for f in form_a.snapshot["files"]] == [
        e.sha256 for e in form_a.evidence.order_by("id")
    ]
    # The hash is the SHA-256 of the canonical JSON, the same when computed again.
    assert form_a.snapshot_hash == domain.snapshot_hash(form_a.snapshot)
    assert domain.snapshot_hash(domain.build_snapshot(form_a)) == form_a.snapshot_hash
    assert len(form_a.snapshot_hash) == 64
    with pytest.raises(PermissionDenied, match="tidak dapat diubah"):
        domain.save_form(form_a, {}, actor=admin_a, version=form_a.version)


def test_snapshot_hash_does_not_depend_on_key_order():
    assert domain.snapshot_hash({"a": 1, "b": [1, {"y": 2, "x": 1}]}) == domain.snapshot_hash(
        {"b": [1, {"x": 1, "y": 2}], "a": 1}
    )


def test_submission_after_the_window_is_refused_and_says_why(form_a, operator_a, admin_a):
    """B2: submitting at 2024-06-12 00:00 WIB → window_closed."""
    _complete(form_a, operator_a, admin_a)

    with pytest.raises(domain.FormBlocked) as refusal:
        domain.submit_form(form_a, actor=admin_a, now=dt.datetime(2024, 6, 12, 0, 0, tzinfo=WIB))

    assert refusal.value.codes == ["window_closed"]
    assert "ditutup" in refusal.value.message
    form_a.refresh_from_db()
    assert form_a.state == FormState.AT_INSTITUTION
    assert form_a.snapshot is None


def test_the_last_minute_of_the_window_is_still_open(form_a, operator_a, admin_a):
    _complete(form_a, operator_a, admin_a)
    domain.submit_form(form_a, actor=admin_a, now=dt.datetime(2024, 6, 11, 23, 59, tzinfo=WIB))
    assert form_a.state == FormState.SUBMITTED


def test_submission_names_each_broken_answer(form_a, operator_a, admin_a):
    _complete(form_a, operator_a, admin_a)
    data = dict(form_a.data, still_running=False)
    domain.save_form(form_a, data, actor=admin_a, version=form_a.version)

    with pytest.raises(domain.FormBlocked) as refusal:
        domain.submit_form(form_a, actor=admin_a, now=IN_WINDOW)

    assert "stopped_on_required" in refusal.value.codes
    assert any(p.field == "stopped_on" for p in refusal.value.problems)


def test_a_changed_running_since_needs_its_own_evidence(form_a, operator_a, admin_a):
    _complete(form_a, operator_a, admin_a)
    domain.save_form(
        form_a, dict(form_a.data, running_since="2017-01-02"), actor=admin_a, version=form_a.version
    )
    problems = domain.submission_problems(form_a, now=IN_WINDOW)
    assert [p.field for p in problems] == ["running_since"]

    evidence_domain.add_evidence(
        form_a, field="running_since", upload=pdf(body=b"sk"), actor=admin_a
    )

    assert domain.submission_problems(form_a, now=IN_WINDOW) == []


def test_a_file_of_another_form_is_refused(form_a, form_b, operator_a, operator_b, admin_a):
    other = evidence_domain.add_evidence(form_b, field="evidence", upload=pdf(), actor=operator_b)
    _complete(form_a, operator_a, admin_a)
    domain.save_form(
        form_a, dict(form_a.data, evidence=[other.pk]), actor=admin_a, version=form_a.version
    )

    codes = [p.code for p in domain.submission_problems(form_a, now=IN_WINDOW)]

    assert "evidence_unknown" in codes


def test_replication_rows_naming_the_replica_become_claimed_links(
    form_a, operator_a, admin_a, institution_b
):
    replica = InnovationFactory(unit=ServiceUnitFactory(institution=institution_b))
    _complete(form_a, operator_a, admin_a)
    row = dict(form_a.data["replications"][0], institution=institution_b.pk, innovation=replica.pk)
    domain.save_form(
        form_a, dict(form_a.data, replications=[row]), actor=admin_a, version=form_a.version
    )

    domain.submit_form(form_a, actor=admin_a, now=IN_WINDOW)

    link = ReplicationLink.objects.get(replica=replica)
    assert link.source == form_a.object.innovation
    assert (link.status, link.origin) == (LinkStatus.CLAIMED, LinkOrigin.PKRI_FORM)
    assert link.replicated_on == dt.date(2022, 8, 1)


# --------------------------------------------------------------------------- closing


def test_closing_turns_unsubmitted_forms_into_form_missing(
    edition, form_a, form_b, coaching_a, operator_a, admin_a, secretariat
):
    _complete(form_a, operator_a, admin_a)
    domain.submit_form(form_a, actor=admin_a, now=IN_WINDOW)

    report = domain.close_forms(edition, actor=secretariat)

    assert (report.submitted, report.missing) == (1, 2)
    form_b.refresh_from_db()
    coaching_a.refresh_from_db()
    assert form_b.state == coaching_a.state == FormState.FORM_MISSING
    edition.refresh_from_db()
    assert edition.state == EditionState.FORMS_CLOSED
    with pytest.raises(DomainError, match="tidak sedang dibuka"):
        domain.save_form(form_b, {}, actor=admin_a, version=form_b.version)


def test_only_the_secretariat_closes_the_forms(edition, admin_a):
    with pytest.raises(PermissionDenied):
        domain.close_forms(edition, actor=admin_a)
    edition.refresh_from_db()
    assert edition.state == EditionState.FORMS_OPEN


# --------------------------------------------------------------------------- replication claims


def _with_replica_row(form, admin, replica, **changes):
    row = dict(
        form.data["replications"][0],
        institution=replica.institution_id,
        innovation=replica.pk,
        **changes,
    )
    domain.save_form(form, dict(form.data, replications=[row]), actor=admin, version=form.version)


def test_a_claimed_replication_is_audited_by_the_lineage_module(
    form_a, operator_a, admin_a, institution_b
):
    replica = InnovationFactory(unit=ServiceUnitFactory(institution=institution_b))
    _complete(form_a, operator_a, admin_a)
    _with_replica_row(form_a, admin_a, replica)

    domain.submit_form(form_a, actor=admin_a, now=IN_WINDOW)

    link = ReplicationLink.objects.get(replica=replica)
    entry = AuditEntry.objects.get(action="replication.claimed", object_id=str(link.pk))
    assert entry.after["status"] == LinkStatus.CLAIMED
    assert entry.after["origin"] == LinkOrigin.PKRI_FORM


def test_a_replication_row_closing_a_cycle_blocks_the_submission(
    form_a, operator_a, admin_a, institution_b
):
    """form_a's innovation already replicates X (through Y): X cannot replicate it back."""
    source = form_a.object.innovation
    middle = InnovationFactory(unit=ServiceUnitFactory(institution=institution_b))
    ancestor = InnovationFactory(unit=ServiceUnitFactory(institution=institution_b))
    ReplicationLink.objects.create(
        replica=source, source=middle, replicated_on=dt.date(2020, 1, 1), adaptation="a"
    )
    ReplicationLink.objects.create(
        replica=middle, source=ancestor, replicated_on=dt.date(2019, 1, 1), adaptation="a"
    )
    _complete(form_a, operator_a, admin_a)
    _with_replica_row(form_a, admin_a, ancestor)

    with pytest.raises(domain.FormBlocked) as refusal:
        domain.submit_form(form_a, actor=admin_a, now=IN_WINDOW)

    assert refusal.value.codes == ["cycle"]
    assert refusal.value.problems[0].field == "replications.0.innovation"
    form_a.refresh_from_db()
    assert form_a.state == FormState.AT_INSTITUTION
    assert not ReplicationLink.objects.filter(replica=ancestor, source=source).exists()


@pytest.mark.parametrize(
    ("start", "code"), [("1-8-2022", "invalid"), ("2999-01-01", None)], ids=["unreadable", "future"]
)
def test_a_bad_replication_start_date_is_a_problem_not_today(
    form_a, operator_a, admin_a, institution_b, start, code
):
    replica = InnovationFactory(unit=ServiceUnitFactory(institution=institution_b))
    _complete(form_a, operator_a, admin_a)
    _with_replica_row(form_a, admin_a, replica, start_date=start)

    with pytest.raises(domain.FormBlocked) as refusal:
        domain.submit_form(form_a, actor=admin_a, now=IN_WINDOW)

    fields = [p.field for p in refusal.value.problems]
    assert fields == ["replications.0.start_date"]
    assert not ReplicationLink.objects.filter(replica=replica).exists()


# --------------------------------------------------------------------------- KIPP counts


def test_the_coaching_form_counts_only_submitted_kipp_proposals(coaching_a, admin_a):
    kipp = KippEditionFactory(code="kipp-2022-uji", year=2022)
    institution = coaching_a.locus.institution
    unit = ServiceUnitFactory(institution=institution)
    for submitted_at in (IN_WINDOW, None):
        ProposalFactory(
            edition=kipp,
            innovation=InnovationFactory(unit=unit),
            unit=unit,
            institution=institution,
            submitted_at=submitted_at,
        )

    counts = domain.kipp_registrations(coaching_a)

    assert counts[2022] == 1
    rows = domain.initial_data(coaching_a)["innovations_registered"]
    assert {r["year"]: r["kipp_registered"] for r in rows}[2022] == 1


# --------------------------------------------------------------------------- extension


def test_the_secretariat_extends_the_window_by_announcement(
    edition, form_a, operator_a, admin_a, secretariat
):
    first, last = domain.forms_window(edition)
    until = last + dt.timedelta(days=7)

    announcement = domain.extend_forms_window(
        edition, until=until, number="B-12/PKRI/2024", date=last, actor=secretariat
    )

    assert announcement.kind == "forms_extension"
    assert announcement.listing["until"] == until.isoformat()
    assert domain.forms_window(edition) == (first, until)
    assert AuditEntry.objects.filter(action="pkri.forms.extend").count() == 1
    _complete(form_a, operator_a, admin_a)
    late = dt.datetime.combine(last + dt.timedelta(days=3), dt.time(10), tzinfo=WIB)
    domain.submit_form(form_a, actor=admin_a, now=late)
    assert form_a.state == FormState.SUBMITTED


def test_an_extension_must_move_the_end_later(edition, secretariat):
    last = domain.forms_window(edition)[1]
    with pytest.raises(DomainError, match="harus setelah") as refusal:
        domain.extend_forms_window(edition, until=last, number="B-1", date=last, actor=secretariat)
    assert refusal.value.field == "until"


def test_only_the_secretariat_extends_and_only_while_forms_are_open(edition, admin_a, secretariat):
    last = domain.forms_window(edition)[1]
    later = last + dt.timedelta(days=3)
    with pytest.raises(PermissionDenied):
        domain.extend_forms_window(edition, until=later, number="B-1", date=last, actor=admin_a)
    domain.close_forms(edition, actor=secretariat)
    with pytest.raises(DomainError, match="tidak sedang dibuka"):
        domain.extend_forms_window(edition, until=later, number="B-1", date=last, actor=secretariat)
    assert not edition.pkri_announcements.filter(kind="forms_extension").exists()
