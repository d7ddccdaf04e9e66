"""The PKRI demo (pkri.md §10): a finished 2024 edition whose computed results reproduce the
published record, and a 2025 edition with its forms open, loaded by `prima demo`."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest

from prima.awards.enums import AwardStatus
from prima.awards.models import Award
from prima.core.demo.loader import DEMO_ACTION
from prima.core.demo.plan import JAKARTA, build_plan
from prima.core.models import AuditEntry, Person
from prima.evaluation.domain.results import MIN_JUSTIFICATION
from prima.evaluation.models import Edition
from prima.innovations.models import AwardRecord, ReplicationLink
from prima.pkri.demo.plan import PUBLISHED_LOCI, build_pkri_plan, weights_by_group
from prima.pkri.domain.form_rules import form_problems
from prima.pkri.domain.forms import build_snapshot, form_context, snapshot_hash
from prima.pkri.domain.scores import desk_score
from prima.pkri.enums import FormKind, FormState, Group
from prima.pkri.models import Locus, ScopeObject, SelfAssessment
from prima.pkri.queries import forms_visible_to
from tests.demo_fixtures import national_demo

SIZE = 200
demo_once = national_demo(SIZE)


@pytest.fixture
def pkri_2024(demo):
    return Edition.objects.get(code="pkri-2024")


@pytest.fixture
def pkri_2025(demo):
    return Edition.objects.get(code="pkri-2025")


def _kept(edition):
    loci = Locus.objects.filter(edition=edition, excluded=False)
    objects = ScopeObject.objects.filter(edition=edition, excluded=False)
    return loci, objects


def test_the_plan_is_deterministic():
    national = build_plan(size=SIZE)
    first, second = build_pkri_plan(national), build_pkri_plan(build_plan(size=SIZE))
    assert first.loci == second.loci
    assert first.objects == second.objects
    assert [f.data for f in first.forms] == [f.data for f in second.forms]
    assert [f.desk_score for f in first.forms] == [f.desk_score for f in second.forms]


def test_weights_are_the_engines_reading_of_the_instrument():
    weights = weights_by_group()
    assert set(weights) == {Group.PEMBINAAN, Group.KEBERLANJUTAN, Group.REPLIKASI}
    assert all(sum(w.values()) == 100 for w in weights.values())
    # B4: K1–K6 = 4, 3, 3, 4, 2, 2 → 77.50; B6: Payakumbuh's P1–P9 → 85.00.
    b4 = dict(zip(("k1", "k2", "k3", "k4", "k5", "k6"), (4, 3, 3, 4, 2, 2), strict=True))
    assert desk_score(b4, weights[Group.KEBERLANJUTAN]) == Decimal("77.50")
    b6 = {f"p{n}": v for n, v in enumerate((3, 4, 4, 3, 3, 4, 3, 4, 2), start=1)}
    assert desk_score(b6, weights[Group.PEMBINAAN]) == Decimal("85.00")


def test_balikpapan_desk_score_is_a_recorded_consolidation():
    """B7's 88.50 is not reachable with whole levels: it is the team's consolidated score,
    recorded with what `record_consolidation` requires; every other score is computed."""
    plan = build_pkri_plan(build_plan(size=SIZE))
    weights = weights_by_group()
    scored = [f for f in plan.forms if f.edition == "pkri-2024" and f.levels]
    consolidated = [f for f in scored if f.consolidation is not None]
    assert [f.institution for f in consolidated] == ["Pemerintah Kota Balikpapan"]
    balikpapan = consolidated[0]
    record = balikpapan.consolidation
    assert balikpapan.kind == FormKind.COACHING
    assert desk_score(balikpapan.levels, weights[Group.PEMBINAAN]) == Decimal("88.75")
    assert balikpapan.desk_score == record.score == Decimal("88.50")
    assert len(record.justification) >= MIN_JUSTIFICATION
    assert record.justification == record.justification.strip()
    assert len(record.attendees.splitlines()) >= 2
    assert record.minutes_ref == "Rapat konsolidasi Tim Evaluasi (data demo)"
    group_of = {
        FormKind.COACHING: Group.PEMBINAAN,
        FormKind.SUSTAINABILITY: Group.KEBERLANJUTAN,
        FormKind.REPLICATION: Group.REPLIKASI,
    }
    for form in scored:
        if form is not balikpapan:
            assert form.desk_score == desk_score(form.levels, weights[group_of[form.kind]])


def test_2024_scope_is_the_published_record(pkri_2024):
    assert pkri_2024.state == "closed" and pkri_2024.is_published
    assert set(pkri_2024.stages.values_list("status", flat=True)) <= {"closed", "skipped"}
    loci, objects = _kept(pkri_2024)
    by_kind = Counter(loci.values_list("institution__kind", flat=True))
    assert loci.count() == 631
    assert (by_kind["ministry"], by_kind["agency"], by_kind["state_enterprise"]) == (34, 46, 5)
    assert by_kind["province"] + by_kind["regency"] + by_kind["city"] == 546
    assert not by_kind["regional_enterprise"]
    assert objects.count() == 979
    # Every kept object is a scope candidate: a KIPP Top 2014–2023 or a replication of one.
    tops = set(
        AwardRecord.objects.filter(
            programme="kipp", year__range=(2014, 2023), revoked=False
        ).values_list("innovation_id", flat=True)
    )
    for obj in objects.filter(group=Group.KEBERLANJUTAN):
        assert obj.innovation_id in tops
    for obj in objects.filter(group=Group.REPLIKASI):
        assert obj.innovation_id not in tops
        assert (
            ReplicationLink.objects.filter(
                replica_id=obj.innovation_id, source_id=obj.original_id, source_id__in=tops
            )
            .exclude(status="rejected")
            .exists()
        )
        assert obj.locus.institution_id == obj.innovation.institution_id
    # Every kept locus is in the coaching group and has exactly one coaching form.
    assert not loci.filter(in_pembinaan=False).exists()
    forms = SelfAssessment.objects.filter(edition=pkri_2024)
    assert forms.filter(kind=FormKind.COACHING).count() == 631
    assert forms.exclude(kind=FormKind.COACHING).count() == 979


def test_2024_counts_and_awards_are_computed_as_published(pkri_2024):
    forms = SelfAssessment.objects.filter(edition=pkri_2024)
    coaching = forms.filter(kind=FormKind.COACHING)
    assert coaching.exclude(state=FormState.FORM_MISSING).count() == 308
    interviewed = forms.filter(interview_score__isnull=False)
    assert interviewed.filter(kind=FormKind.SUSTAINABILITY).count() == 58
    assert interviewed.filter(kind=FormKind.REPLICATION).count() == 36
    awards = Award.objects.filter(edition=pkri_2024, status=AwardStatus.DECIDED)
    by_group = Counter(awards.values_list("category__group", flat=True))
    assert by_group == {Group.PEMBINAAN: 14, Group.KEBERLANJUTAN: 38, Group.REPLIKASI: 23}
    assert awards.count() == 75
    assert not Award.objects.filter(edition=pkri_2024).exclude(status=AwardStatus.DECIDED)
    cities = set(
        awards.filter(category__group=Group.PEMBINAAN, stratum="city").values_list(
            "institution__short_name", flat=True
        )
    )
    assert cities == {
        "Kota Balikpapan",
        "Kota Mataram",
        "Kota Payakumbuh",
        "Kota Surabaya",
        "Kota Sawahlunto",
    }
    assert awards.filter(
        category__group=Group.PEMBINAAN, institution__name="Pemerintah Provinsi Jawa Timur"
    ).exists()
    klinik = awards.get(category__group=Group.KEBERLANJUTAN, innovation__name="Klinik BUM Desa")
    assert klinik.unit.name == "Dinas Pemberdayaan Masyarakat dan Desa Provinsi Jawa Timur"
    assert not klinik.is_demo_placeholder
    assert awards.filter(is_demo_placeholder=True).count() == 75 - 7
    # Form outcomes follow the decided awards.
    assert forms.filter(state=FormState.AWARDED).count() == 75


def test_b7_ranking_within_kota(pkri_2024):
    ranked = {
        f.locus.institution.short_name: f
        for f in SelfAssessment.objects.filter(
            edition=pkri_2024, kind=FormKind.COACHING, locus__institution__kind="city"
        )
        .exclude(state=FormState.FORM_MISSING)
        .select_related("locus__institution")
    }
    expected = [
        ("Kota Surabaya", "91.25"),
        ("Kota Balikpapan", "88.50"),
        ("Kota Payakumbuh", "85.00"),
        ("Kota Sawahlunto", "85.00"),
        ("Kota Mataram", "83.75"),
    ]
    for rank, (name, score) in enumerate(expected, start=1):
        assert ranked[name].final_score == Decimal(score)
        assert ranked[name].rank == rank, name
        assert ranked[name].state == FormState.AWARDED
    others = [f for n, f in ranked.items() if n not in dict(expected)]
    assert others and all(f.final_score < Decimal("83.75") for f in others)
    assert all(f.state == FormState.NOT_AWARDED for f in others)


def test_payakumbuh_outcome(pkri_2024):
    loci = Locus.objects.get(edition=pkri_2024, institution__name="Pemerintah Kota Payakumbuh")
    assert loci.in_pembinaan
    objects = ScopeObject.objects.filter(edition=pkri_2024, locus=loci, excluded=False)
    assert {o.innovation.name for o in objects} == {
        "SITARANG",
        "Sipaduko",
        "Klinik Berhenti Merokok",
    }
    assert {o.group for o in objects} == {Group.KEBERLANJUTAN}
    assert all(o.source_tier.startswith("top99@") and o.is_demo_placeholder for o in objects)
    forms = SelfAssessment.objects.filter(edition=pkri_2024, locus=loci)
    assert forms.count() == 4
    window = (dt.date(2024, 4, 29), dt.date(2024, 6, 11))
    for form in forms:
        assert form.submitted_at is not None
        assert window[0] <= form.submitted_at.astimezone(JAKARTA).date() <= window[1]
    coaching = forms.get(kind=FormKind.COACHING)
    levels = {f"p{n}": level for n, level in enumerate((3, 4, 4, 3, 3, 4, 3, 4, 2), start=1)}
    assert coaching.suggested_levels == levels
    assert desk_score(levels, weights_by_group()["pembinaan"]) == coaching.desk_score
    assert coaching.desk_score == Decimal("85.00") and coaching.state == FormState.AWARDED
    for form in forms.exclude(kind=FormKind.COACHING):
        assert form.state == FormState.NOT_SHORTLISTED
        assert form.desk_score < Decimal("77.50")


def test_submitted_forms_are_valid_and_frozen_as_submit_would(pkri_2024, pkri_2025):
    submitted = SelfAssessment.objects.filter(
        edition__in=(pkri_2024, pkri_2025), submitted_at__isnull=False
    ).select_related("edition", "locus__institution", "object__innovation", "object__unit")
    assert submitted.count() > 1000
    for form in submitted:
        ctx = form_context(form, today=form.submitted_at.astimezone(JAKARTA).date())
        assert form_problems(form.kind, form.data, ctx) == [], (form.pk, form.kind)
        own = set(form.evidence.values_list("pk", flat=True))
        assert form.data["declaration_file"] in own
    for form in submitted[:40]:
        assert form.snapshot == build_snapshot(form)
        assert form.snapshot_hash == snapshot_hash(form.snapshot)


def test_2025_forms_are_open_for_the_payakumbuh_logins(pkri_2025):
    assert pkri_2025.state == "forms_open"
    states = Counter(
        SelfAssessment.objects.filter(edition=pkri_2025).values_list("state", flat=True)
    )
    for state in ("announced", "draft", "at_institution", "returned", "submitted"):
        assert states[state] > 0, state
    admin = Person.objects.get(username="admin.payakumbuh")
    operator = Person.objects.get(username="operator.pupr.payakumbuh")
    admin_forms = forms_visible_to(admin, pkri_2025)
    assert admin_forms.filter(kind=FormKind.COACHING, state=FormState.DRAFT).exists()
    assert admin_forms.filter(state=FormState.AT_INSTITUTION).exists()
    operator_forms = forms_visible_to(operator, pkri_2025)
    assert list(operator_forms.values_list("object__innovation__name", "state")) == [
        ("SITARANG", FormState.DRAFT)
    ]


def test_one_demo_entry_and_placeholders_flagged(demo, pkri_2024):
    entry = AuditEntry.objects.get(action=DEMO_ACTION)
    assert entry.after["pkri_loci_2024"] == 631
    [consolidation] = entry.after["pkri_consolidations_2024"]
    assert (consolidation["institution"], consolidation["score"]) == (
        "Pemerintah Kota Balikpapan",
        "88.50",
    )
    assert consolidation["minutes_ref"] == "Rapat konsolidasi Tim Evaluasi (data demo)"
    assert entry.after["pkri_objects_2024"] == 979
    # The published PKRI 2024 participations are real; every other locus, every object and
    # every form (with its scores) is synthetic.
    real = Locus.objects.filter(is_demo_placeholder=False)
    assert set(real.values_list("edition__code", "institution__name")) == {
        ("pkri-2024", name) for name in PUBLISHED_LOCI
    }
    assert Locus.objects.filter(edition=pkri_2024, is_demo_placeholder=True).count() == 631 - 6
    assert not Locus.objects.filter(edition__code="pkri-2025", is_demo_placeholder=False)
    assert not ScopeObject.objects.filter(is_demo_placeholder=False).exists()
    assert not SelfAssessment.objects.filter(is_demo_placeholder=False).exists()
    synthetic = AwardRecord.objects.filter(is_demo_placeholder=True)
    assert synthetic.count() == entry.after["pkri_placeholder_tiers"]
    assert not synthetic.filter(year=2021).exists()


def test_statistics_state_the_published_sentences(pkri_2024):
    from prima.pkri.domain.statistics import edition_statistics

    stats = edition_statistics(pkri_2024)
    assert stats["loci"]["total"] == 631
    assert stats["objects"]["total"] == 979
    assert stats["interviewed"] == {"keberlanjutan": 58, "replikasi": 36}
    assert stats["coaching_assessed"] == 308
    assert stats["awards"]["total"] == 75
    assert stats["sentences"]["T3"] == (
        "PKRI 2024 memantau 979 inovasi pada 631 instansi: 34 kementerian, 46 lembaga, "
        "546 pemerintah daerah, dan 5 BUMN"
    )
    assert stats["sentences"]["T4"] == (
        "Sebanyak 75 penghargaan PKRI 2024 diserahkan pada Gebyar Pelayanan Prima 2024, "
        "8 Oktober 2024"
    )


def test_the_scope_is_what_derive_scope_finds(pkri_2024):
    from prima.pkri.domain.scope import candidates_of

    found, _skipped = candidates_of(pkri_2024)
    objects = ScopeObject.objects.filter(edition=pkri_2024, origin="derived")
    assert {o.innovation_id for o in objects} == set(found)
    for obj in objects:
        candidate = found[obj.innovation_id]
        assert (obj.group, obj.source_tier, obj.award_year, obj.original_id) == (
            candidate.group,
            candidate.source_tier,
            candidate.award_year,
            candidate.original_id,
        )
        assert obj.locus.institution_id == candidate.institution_id
    # Exclusions carry the secretariat's reason; added loci are coaching-only.
    assert all(
        o.excluded_reason for o in ScopeObject.objects.filter(edition=pkri_2024, excluded=True)
    )
    added = Locus.objects.filter(edition=pkri_2024, origin="added")
    assert added.exists() and not ScopeObject.objects.filter(locus__in=added).exists()
