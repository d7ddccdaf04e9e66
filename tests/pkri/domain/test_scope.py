"""The scope of a PKRI edition: derivation (B1), edits, freeze, amendment, reassignment."""

from __future__ import annotations

import datetime as dt

import pytest

from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.enums import InstitutionKind
from prima.core.models import AuditEntry
from prima.evaluation.domain.stages import advance_edition
from prima.evaluation.enums import EditionState
from prima.innovations.enums import LinkStatus
from prima.pkri.domain import scope
from prima.pkri.enums import AnnouncementKind, FormKind, FormState, Group, ScopeOrigin
from prima.pkri.models import Locus, ScopeObject, SelfAssessment
from tests.factories import (
    AwardRecordFactory,
    InnovationFactory,
    InstitutionFactory,
    ReplicationLinkFactory,
    ServiceUnitFactory,
)
from tests.pkri.factories import PkriEditionFactory

pytestmark = pytest.mark.django_db

APRIL_17 = dt.date(2024, 4, 17)


@pytest.fixture
def edition():
    return PkriEditionFactory(stages="scope_draft")


@pytest.fixture
def b1(institution_a, institution_b):
    """The B1 table: I1 Top of Kota A, I2 replica of I1 by Kabupaten B, I3 finalis 2025,
    I4 only a revoked top45@2019, Institution C without objects."""
    kab_b = InstitutionFactory(kind=InstitutionKind.REGENCY, name="Pemerintah Kabupaten B")
    i1 = InnovationFactory(unit=ServiceUnitFactory(institution=institution_a), name="I1")
    AwardRecordFactory(innovation=i1, year=2016, tier="top99", level="finalist")
    i2 = InnovationFactory(unit=ServiceUnitFactory(institution=kab_b), name="I2")
    ReplicationLinkFactory(replica=i2, source=i1, status=LinkStatus.CLAIMED)
    i3 = InnovationFactory(unit=ServiceUnitFactory(institution=institution_b), name="I3")
    AwardRecordFactory(innovation=i3, year=2025, tier="finalis", level="finalist")
    i4 = InnovationFactory(unit=ServiceUnitFactory(institution=institution_b), name="I4")
    AwardRecordFactory(innovation=i4, year=2019, tier="top45", level="finalist", revoked=True)
    inst_c = InstitutionFactory(kind=InstitutionKind.AGENCY, name="Lembaga C", region=None)
    return {"i1": i1, "i2": i2, "i3": i3, "i4": i4, "a": institution_a, "b": kab_b, "c": inst_c}


def _object(edition, innovation):
    return ScopeObject.objects.filter(edition=edition, innovation=innovation).first()


def test_b1_top_innovation_is_a_sustainability_object_and_its_owner_a_locus(
    edition, b1, secretariat
):
    report = scope.derive_scope(edition, actor=secretariat)
    obj = _object(edition, b1["i1"])
    assert obj.group == Group.KEBERLANJUTAN
    assert obj.source_tier == "top99@2016"
    assert obj.award_year == 2016
    assert obj.unit_id == b1["i1"].unit_id
    assert obj.locus.institution == b1["a"]
    assert report.candidates == {Group.KEBERLANJUTAN: 1, Group.REPLIKASI: 1}


def test_b1_claimed_replica_is_a_replication_object_of_its_owner(edition, b1, secretariat):
    scope.derive_scope(edition, actor=secretariat)
    obj = _object(edition, b1["i2"])
    assert obj.group == Group.REPLIKASI
    assert obj.original == b1["i1"]
    assert obj.locus.institution == b1["b"]


def test_b1_outside_source_years_and_revoked_tiers_are_out_of_scope(edition, b1, secretariat):
    scope.derive_scope(edition, actor=secretariat)
    assert _object(edition, b1["i3"]) is None
    assert _object(edition, b1["i4"]) is None
    # Surabaya only holds I3 and I4: not a locus.
    assert not Locus.objects.filter(edition=edition, institution__name__contains="Surabaya")


def test_b1_institution_without_objects_added_for_coaching(edition, b1, secretariat):
    scope.derive_scope(edition, actor=secretariat)
    locus = scope.add_locus(
        edition,
        b1["c"],
        in_pembinaan=True,
        reason="Ditambahkan untuk kelompok pembinaan.",
        actor=secretariat,
    )
    assert locus.in_pembinaan and locus.origin == ScopeOrigin.ADDED
    assert not locus.scope_objects.exists()
    # Re-deriving keeps it (it is not derived).
    scope.derive_scope(edition, actor=secretariat)
    assert Locus.objects.filter(pk=locus.pk, in_pembinaan=True).exists()


def test_b1_adding_after_the_freeze_needs_an_amendment(edition, b1, secretariat):
    scope.derive_scope(edition, actor=secretariat)
    original = scope.freeze_scope(
        edition, number="B/241/PP.00.05/2024", date=APRIL_17, actor=secretariat
    )
    i5 = InnovationFactory(unit=ServiceUnitFactory(institution=b1["a"]), name="I5")
    with pytest.raises(DomainError) as refused:
        scope.add_object(
            edition, i5, Group.KEBERLANJUTAN, reason="Terlewat saat penurunan.", actor=secretariat
        )
    assert refused.value.field == "scope_frozen"
    assert "pengumuman perubahan" in refused.value.message
    assert _object(edition, i5) is None

    amendment = scope.amend_scope(
        edition,
        number="B/300/PP.00.05/2024",
        date=dt.date(2024, 5, 2),
        amends=original,
        additions=[scope.ObjectAddition(i5, Group.KEBERLANJUTAN, "Terlewat saat penurunan.")],
        actor=secretariat,
    )
    obj = _object(edition, i5)
    assert obj.origin == ScopeOrigin.AMENDMENT
    assert amendment.kind == AnnouncementKind.AMENDMENT and amendment.amends == original
    assert obj.form.kind == FormKind.SUSTAINABILITY and obj.form.state == FormState.ANNOUNCED


def test_both_top_and_replica_follows_both_policy(edition, institution_a, secretariat):
    source = InnovationFactory(unit=ServiceUnitFactory(institution=institution_a))
    AwardRecordFactory(innovation=source, year=2018, tier="top99")
    both = InnovationFactory()
    AwardRecordFactory(innovation=both, year=2021, tier="top45", level="winner")
    ReplicationLinkFactory(replica=both, source=source, status=LinkStatus.CONFIRMED)
    scope.derive_scope(edition, actor=secretariat)
    assert _object(edition, both).group == Group.KEBERLANJUTAN

    rules = dict(edition.rules)
    rules["scope"] = {**rules["scope"], "both_policy": "replikasi"}
    edition.rules = rules
    edition.save(update_fields=["rules"])
    scope.derive_scope(edition, actor=secretariat)
    obj = _object(edition, both)
    assert obj.group == Group.REPLIKASI and obj.original == source


def test_rejected_link_and_earliest_year_and_bumd(edition, institution_a, secretariat):
    top = InnovationFactory(unit=ServiceUnitFactory(institution=institution_a))
    AwardRecordFactory(innovation=top, year=2020, tier="top45", level="winner")
    AwardRecordFactory(innovation=top, year=2017, tier="top99", level="finalist")
    rejected = InnovationFactory()
    ReplicationLinkFactory(replica=rejected, source=top, status=LinkStatus.REJECTED)
    bumd = InstitutionFactory(kind=InstitutionKind.REGIONAL_ENTERPRISE, parent=institution_a)
    bumd_top = InnovationFactory(unit=ServiceUnitFactory(institution=bumd))
    AwardRecordFactory(innovation=bumd_top, year=2019)
    report = scope.derive_scope(edition, actor=secretariat)
    assert _object(edition, top).source_tier == "top99@2017"
    assert _object(edition, rejected) is None
    assert _object(edition, bumd_top) is None
    assert report.skipped_regional_enterprise == 1


def test_rederivation_is_idempotent_and_keeps_exclusions_and_additions(edition, b1, secretariat):
    scope.derive_scope(edition, actor=secretariat)
    i2 = _object(edition, b1["i2"])
    scope.exclude_object(i2, reason="Replikasi tidak terbukti.", actor=secretariat)
    manual = InnovationFactory(unit=ServiceUnitFactory(institution=b1["a"]))
    scope.add_object(
        edition,
        manual,
        Group.KEBERLANJUTAN,
        reason="Usulan instansi, bukti ada.",
        actor=secretariat,
    )
    before = sorted(
        ScopeObject.objects.filter(edition=edition).values_list(
            "innovation_id", "group", "excluded", "origin"
        )
    )
    report = scope.derive_scope(edition, actor=secretariat)
    after = sorted(
        ScopeObject.objects.filter(edition=edition).values_list(
            "innovation_id", "group", "excluded", "origin"
        )
    )
    assert before == after
    assert report.objects_created == 0 and report.objects_removed == 0
    assert report.kept_manual == 0  # the manual one is no candidate
    i2.refresh_from_db()
    assert i2.excluded and i2.excluded_reason == "Replikasi tidak terbukti."


def test_rederivation_drops_a_revoked_tier(edition, b1, secretariat):
    scope.derive_scope(edition, actor=secretariat)
    b1["i1"].awards.update(revoked=True)
    report = scope.derive_scope(edition, actor=secretariat)
    assert _object(edition, b1["i1"]) is None
    assert _object(edition, b1["i2"]) is None  # no Top source left
    assert report.objects_removed == 2
    assert not Locus.objects.filter(edition=edition).exists()


def test_reason_is_required_and_writes_are_audited(edition, b1, secretariat):
    scope.derive_scope(edition, actor=secretariat)
    obj = _object(edition, b1["i1"])
    with pytest.raises(DomainError) as refused:
        scope.exclude_object(obj, reason="   ", actor=secretariat)
    assert refused.value.field == "reason"
    scope.exclude_object(obj, reason="Inovasi sudah digabung.", actor=secretariat)
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"pkri.scope.derive", "pkri.scope.object_exclude"} <= actions


def test_only_the_secretariat_edits_the_scope(edition, b1, admin_a):
    with pytest.raises(PermissionDenied):
        scope.derive_scope(edition, actor=admin_a)
    with pytest.raises(PermissionDenied):
        scope.add_locus(edition, b1["c"], in_pembinaan=True, reason="x" * 12, actor=admin_a)


def test_excluding_a_locus_excludes_its_objects(edition, b1, secretariat):
    scope.derive_scope(edition, actor=secretariat)
    locus = Locus.objects.get(edition=edition, institution=b1["a"])
    scope.exclude_locus(locus, reason="Instansi menolak ikut serta.", actor=secretariat)
    assert _object(edition, b1["i1"]).excluded
    # A new object of an excluded locus is refused until the locus is back.
    other = InnovationFactory(unit=ServiceUnitFactory(institution=b1["a"]))
    with pytest.raises(DomainError):
        scope.add_object(
            edition, other, Group.KEBERLANJUTAN, reason="Ditambahkan manual.", actor=secretariat
        )


def test_freeze_creates_one_form_per_object_and_coaching_locus(edition, b1, secretariat):
    scope.derive_scope(edition, actor=secretariat)
    scope.add_locus(
        edition, b1["c"], in_pembinaan=True, reason="Untuk kelompok pembinaan.", actor=secretariat
    )
    payakumbuh = Locus.objects.get(edition=edition, institution=b1["a"])
    scope.set_in_pembinaan(payakumbuh, True, actor=secretariat)
    excluded = _object(edition, b1["i2"])
    scope.exclude_object(excluded, reason="Replikasi tidak terbukti.", actor=secretariat)

    announcement = scope.freeze_scope(
        edition, number="B/241/PP.00.05/2024", date=APRIL_17, actor=secretariat
    )
    edition.refresh_from_db()
    assert edition.state == EditionState.SCOPE_FROZEN
    assert announcement.kind == AnnouncementKind.SCOPE
    assert announcement.listing["objects"]["total"] == 1
    assert announcement.listing["loci"]["pembinaan"] == 2
    forms = SelfAssessment.objects.filter(edition=edition)
    assert sorted(forms.values_list("kind", flat=True)) == [
        FormKind.COACHING,
        FormKind.COACHING,
        FormKind.SUSTAINABILITY,
    ]
    assert set(forms.values_list("state", flat=True)) == {FormState.ANNOUNCED}
    assert not forms.filter(object=excluded).exists()
    # Frozen: direct edits refused; a second freeze too.
    with pytest.raises(DomainError) as refused:
        scope.exclude_object(_object(edition, b1["i1"]), reason="Terlambat.....", actor=secretariat)
    assert refused.value.field == "scope_frozen"
    with pytest.raises(DomainError):
        scope.freeze_scope(edition, number="B/999", date=APRIL_17, actor=secretariat)


def test_amendment_excludes_objects_and_their_forms(edition, b1, secretariat):
    scope.derive_scope(edition, actor=secretariat)
    original = scope.freeze_scope(edition, number="B/241", date=APRIL_17, actor=secretariat)
    obj = _object(edition, b1["i1"])
    scope.amend_scope(
        edition,
        number="B/250",
        date=dt.date(2024, 4, 25),
        amends=original,
        exclusions=[scope.Exclusion(obj, "Inovasi sudah dihentikan resmi.")],
        actor=secretariat,
    )
    obj.refresh_from_db()
    assert obj.excluded
    assert obj.form.state == FormState.EXCLUDED
    # Reusing a number is refused.
    with pytest.raises(DomainError) as refused:
        scope.amend_scope(
            edition,
            number="B/250",
            date=dt.date(2024, 4, 26),
            amends=original,
            exclusions=[scope.Exclusion(_object(edition, b1["i2"]), "Alasan yang cukup.")],
            actor=secretariat,
        )
    assert refused.value.field == "number"


def test_open_forms_after_freeze(edition, b1, secretariat):
    with pytest.raises(DomainError):
        scope.open_forms(edition, actor=secretariat)
    scope.derive_scope(edition, actor=secretariat)
    scope.freeze_scope(edition, number="B/241", date=APRIL_17, actor=secretariat)
    scope.open_forms(edition, actor=secretariat)
    edition.refresh_from_db()
    assert edition.state == EditionState.FORMS_OPEN


class TestReassign:
    @pytest.fixture
    def frozen(self, edition, b1, secretariat):
        scope.derive_scope(edition, actor=secretariat)
        scope.freeze_scope(edition, number="B/241", date=APRIL_17, actor=secretariat)
        return _object(edition, b1["i1"])

    def test_admin_lokal_moves_object_to_successor_unit(self, frozen, admin_a, institution_a):
        successor = ServiceUnitFactory(institution=institution_a, name="Dinas Baru")
        scope.reassign_object_unit(frozen, successor, actor=admin_a)
        frozen.refresh_from_db()
        assert frozen.unit == successor
        assert AuditEntry.objects.filter(action="pkri.scope.object_reassign").exists()

    def test_refused_for_other_institution_unit_inactive_or_other_admin(
        self, frozen, admin_a, institution_a, unit_b, operator_a
    ):
        with pytest.raises(DomainError) as refused:
            scope.reassign_object_unit(frozen, unit_b, actor=admin_a)
        assert refused.value.field == "unit"
        closed = ServiceUnitFactory(institution=institution_a, is_active=False)
        with pytest.raises(DomainError):
            scope.reassign_object_unit(frozen, closed, actor=admin_a)
        successor = ServiceUnitFactory(institution=institution_a)
        with pytest.raises(PermissionDenied):
            scope.reassign_object_unit(frozen, successor, actor=operator_a)

    def test_refused_after_forms_close(self, frozen, admin_a, institution_a, secretariat):
        edition = frozen.edition
        scope.open_forms(edition, actor=secretariat)
        advance_edition(edition, actor=secretariat)
        successor = ServiceUnitFactory(institution=institution_a)
        with pytest.raises(DomainError):
            scope.reassign_object_unit(frozen, successor, actor=admin_a)


def test_scope_counts_against_expected(edition, b1, secretariat):
    scope.derive_scope(edition, actor=secretariat)
    rows = {row["key"]: row for row in scope.expected_vs_actual(edition)}
    assert rows["loci.total"]["expected"] == 631
    assert rows["loci.total"]["actual"] == 2
    assert rows["loci.local_government"]["actual"] == 2
    assert rows["objects.total"] == {
        "key": "objects.total",
        "expected": 979,
        "actual": 2,
        "matches": False,
    }


def test_excluding_and_restoring_a_submitted_form_is_audited_and_keeps_it_submitted(
    edition, b1, secretariat
):
    scope.derive_scope(edition, actor=secretariat)
    original = scope.freeze_scope(edition, number="B/241", date=APRIL_17, actor=secretariat)
    obj = _object(edition, b1["i1"])
    form = obj.form
    frozen = {"still_running": True}
    SelfAssessment.objects.filter(pk=form.pk).update(
        state=FormState.SUBMITTED,
        data=frozen,
        snapshot=frozen,
        snapshot_hash="a" * 64,
        submitted_at=dt.datetime(2024, 5, 1, 10, tzinfo=dt.UTC),
    )
    form.refresh_from_db()
    version = form.version

    amendment = scope.amend_scope(
        edition,
        number="B/250",
        date=dt.date(2024, 4, 25),
        amends=original,
        exclusions=[scope.Exclusion(obj, "Inovasi sudah dihentikan resmi.")],
        actor=secretariat,
    )
    form.refresh_from_db()
    assert form.state == FormState.EXCLUDED
    assert form.version == version + 1
    assert form.snapshot == frozen
    excluded = AuditEntry.objects.get(action="pkri.form.exclude", object_id=str(obj.pk))
    assert excluded.after["forms_excluded"] == [form.pk]
    assert excluded.before["forms"] == {str(form.pk): FormState.SUBMITTED}

    scope.amend_scope(
        edition,
        number="B/260",
        date=dt.date(2024, 4, 28),
        amends=amendment,
        additions=[scope.ObjectAddition(b1["i1"], Group.KEBERLANJUTAN, "Ternyata masih jalan.")],
        actor=secretariat,
    )
    form.refresh_from_db()
    assert form.state == FormState.SUBMITTED
    assert form.snapshot == frozen and form.snapshot_hash == "a" * 64
    assert form.version == version + 2
    restored = AuditEntry.objects.get(action="pkri.form.restore", object_id=str(form.pk))
    assert restored.after["state"] == FormState.SUBMITTED


def test_excluding_a_locus_audits_each_of_its_forms(edition, b1, secretariat):
    scope.derive_scope(edition, actor=secretariat)
    original = scope.freeze_scope(edition, number="B/241", date=APRIL_17, actor=secretariat)
    locus = Locus.objects.get(edition=edition, institution=b1["a"])
    ids = sorted(SelfAssessment.objects.filter(locus=locus).values_list("pk", flat=True))
    assert ids

    scope.amend_scope(
        edition,
        number="B/250",
        date=dt.date(2024, 4, 25),
        amends=original,
        exclusions=[scope.Exclusion(locus, "Instansi digabung dengan instansi lain.")],
        actor=secretariat,
    )

    assert set(SelfAssessment.objects.filter(pk__in=ids).values_list("state", flat=True)) == {
        FormState.EXCLUDED
    }
    entry = AuditEntry.objects.get(action="pkri.form.exclude", object_id=str(locus.pk))
    assert entry.after["forms_excluded"] == ids


def test_a_replication_original_must_be_a_top_innovation_of_the_source_years(
    edition, b1, secretariat
):
    not_top = InnovationFactory(unit=ServiceUnitFactory(institution=b1["a"]), name="Biasa")
    replica = InnovationFactory(unit=ServiceUnitFactory(institution=b1["b"]), name="Tiruan")

    with pytest.raises(DomainError) as refused:
        scope.add_object(
            edition,
            replica,
            Group.REPLIKASI,
            reason="Replikasi yang terlewat.",
            original=not_top,
            actor=secretariat,
        )

    assert refused.value.field == "original"
    assert "bukan inovasi Top" in refused.value.message
    assert _object(edition, replica) is None
    obj = scope.add_object(
        edition,
        replica,
        Group.REPLIKASI,
        reason="Replikasi yang terlewat.",
        original=b1["i1"],
        actor=secretariat,
    )
    assert obj.original == b1["i1"]
