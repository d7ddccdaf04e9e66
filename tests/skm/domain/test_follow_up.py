"""Follow-up plans (skm.md §8): priorities, items, status, adoption and the metrics that
PEKPPP indicators 8 and 9 read (skm.md §13 example 7)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from prima.core.domain.errors import DomainError, PermissionDenied, StaleVersion
from prima.core.enums import Role
from prima.core.models import AuditEntry
from prima.skm.domain.follow_up import (
    ItemInput,
    add_item,
    adopt_plan,
    lowest_elements,
    metrics_from,
    plan_metrics,
    priority_elements,
    reference_survey,
    remove_item,
    rtl_metrics_for,
    set_item_status,
    start_plan,
    update_item,
)
from prima.skm.enums import RtlStatus, SurveyState
from prima.skm.models import FollowUpItem, FollowUpPlan
from tests.factories import ServiceFactory, SurveyFactory, person_with_role
from tests.skm.follow_up_helpers import PDF, calculated_survey, plan_with_items

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def item(**given) -> ItemInput:
    values = {
        "elements": ["U8"],
        "problem": "Pengaduan tidak dijawab lebih dari seminggu.",
        "action": "Menyediakan petugas pengelola pengaduan setiap hari kerja.",
        "owner": "Kepala Seksi Pelayanan",
        "planned_start": dt.date(2025, 7, 1),
        "planned_end": dt.date(2025, 9, 30),
        **given,
    }
    return ItemInput(**values)


@pytest.fixture
def survey(unit_a):
    return calculated_survey(unit_a)


@pytest.fixture
def plan(survey, operator_a):
    return start_plan(survey, actor=operator_a)


# --------------------------------------------------------------------------- §13 example 7


def test_example_7_first_plan_nine_items_through_rtl_metrics_for(unit_a):
    survey = calculated_survey(
        unit_a,
        period_code="2024-Q4",
        state=SurveyState.PUBLISHED,
        published_on=dt.date(2025, 1, 20),
    )
    statuses = [RtlStatus.DONE] * 7 + [RtlStatus.IN_PROGRESS, RtlStatus.CANCELLED]
    plan_with_items(survey, statuses, realised=dt.date(2025, 3, 1))

    metrics = rtl_metrics_for(unit_a, 2025)

    assert metrics.survey_id == survey.pk
    assert metrics.rtl_realised_pct == Decimal("77.78")
    assert isinstance(metrics.rtl_realised_pct, Decimal)
    assert metrics.rtl_completed_date is None
    assert metrics.rtl_report_date == dt.date(2025, 1, 20)


def test_example_7_second_plan_five_items_all_done(unit_a):
    survey = calculated_survey(
        unit_a,
        period_code="2023-Q4",
        state=SurveyState.PUBLISHED,
        published_on=dt.date(2024, 2, 20),
    )
    days = [dt.date(2024, 3, 1), dt.date(2024, 3, 5), dt.date(2024, 5, 2), dt.date(2024, 3, 9)]
    days.insert(2, dt.date(2024, 4, 20))
    plan_with_items(survey, [RtlStatus.DONE] * 5, realised=days, adopted_on=dt.date(2024, 2, 25))

    metrics = rtl_metrics_for(unit_a.pk, 2024)

    assert metrics.rtl_realised_pct == Decimal("100.00")
    assert metrics.rtl_completed_date == dt.date(2024, 5, 2)
    assert metrics.rtl_report_date == dt.date(2024, 2, 20)
    # 2024-02-20 → 2024-05-02 is within three months (PEKPPP ind 9 level 4).
    assert (metrics.rtl_completed_date - metrics.rtl_report_date).days <= 92


def test_only_an_adopted_plan_counts(unit_a):
    survey = calculated_survey(
        unit_a, period_code="2024", state=SurveyState.PUBLISHED, published_on=dt.date(2025, 1, 5)
    )
    plan = plan_with_items(
        survey, [RtlStatus.DONE] * 2, adopted_on=None, realised=dt.date(2025, 2, 1)
    )

    metrics = rtl_metrics_for(unit_a, 2025)
    assert (metrics.survey_id, metrics.rtl_realised_pct, metrics.rtl_completed_date) == (
        survey.pk,
        None,
        None,
    )
    assert metrics.rtl_report_date == dt.date(2025, 1, 5)
    assert plan_metrics(plan).rtl_realised_pct is None


def test_no_reference_survey_gives_no_metrics(unit_a):
    calculated_survey(unit_a, period_code="2024-Q4")  # calculated, not published
    metrics = rtl_metrics_for(unit_a, 2025)
    assert metrics.survey_id is None
    assert metrics.rtl_realised_pct is None
    assert metrics.rtl_completed_date is None
    assert metrics.rtl_report_date is None


def test_a_published_survey_without_a_plan_gives_only_the_report_date(unit_a):
    survey = calculated_survey(
        unit_a, period_code="2024-S2", state=SurveyState.PUBLISHED, published_on=dt.date(2025, 1, 9)
    )
    metrics = rtl_metrics_for(unit_a, 2025)
    assert metrics.survey_id == survey.pk
    assert metrics.rtl_realised_pct is None
    assert metrics.rtl_report_date == dt.date(2025, 1, 9)


def test_the_reference_survey_is_the_latest_published_ending_in_the_previous_year(unit_a, unit_b):
    published = {"state": SurveyState.PUBLISHED, "published_on": dt.date(2025, 1, 2)}
    q1 = calculated_survey(unit_a, period_code="2024-Q1", **published)
    q3 = calculated_survey(unit_a, period_code="2024-Q3", **published)
    calculated_survey(unit_a, period_code="2024-Q4")  # later, but not published
    calculated_survey(unit_a, period_code="2025-Q1", **published)  # ends in the edition year
    calculated_survey(unit_b, period_code="2024-Q4", **published)  # another unit

    assert reference_survey(unit_a, 2025) == q3
    assert reference_survey(unit_a, 2024) is None
    assert q1 != q3


def test_metrics_from_plain_values():
    items = [(RtlStatus.DONE, dt.date(2024, 3, 1)), (RtlStatus.DONE, dt.date(2024, 4, 1))]
    metrics = metrics_from(7, dt.date(2024, 2, 1), True, items)
    assert metrics.rtl_realised_pct == Decimal("100.00")
    assert metrics.rtl_completed_date == dt.date(2024, 4, 1)
    assert metrics_from(7, None, False, items).rtl_realised_pct is None


# --------------------------------------------------------------------------- priorities


def test_the_three_lowest_elements_are_proposed(survey):
    priorities = priority_elements(survey)
    assert [(p.rank, p.code, p.nrr) for p in priorities] == [
        (1, "U8", Decimal("2.8333")),
        (2, "U3", Decimal("3.0000")),
        (3, "U9", Decimal("3.1667")),
    ]
    assert priorities[0].name.startswith("Penanganan pengaduan")


def test_ties_go_to_the_earlier_element_and_unanswered_elements_are_skipped():
    nrr = {"U1": "3.0000", "U2": None, "U3": "2.5000", "U4": "3.0000", "U5": "3.0000"}
    order = ["U1", "U2", "U3", "U4", "U5"]
    assert [code for code, _ in lowest_elements(nrr, order)] == ["U3", "U1", "U4"]


# --------------------------------------------------------------------------- start


@pytest.mark.parametrize("state", [SurveyState.COLLECTING, SurveyState.CLOSED])
def test_a_plan_starts_only_after_calculation(unit_a, operator_a, state):
    survey = SurveyFactory(unit=unit_a, state=state)
    with pytest.raises(DomainError, match="setelah hasil survei dihitung"):
        start_plan(survey, actor=operator_a)
    assert not FollowUpPlan.objects.exists()


def test_a_published_survey_may_start_a_plan(unit_a, admin_a):
    survey = calculated_survey(
        unit_a, state=SurveyState.PUBLISHED, published_on=dt.date(2025, 7, 5)
    )
    plan = start_plan(survey, actor=admin_a, note="Rapat 5 Juli")
    assert plan.survey == survey
    assert plan.note == "Rapat 5 Juli"
    assert AuditEntry.objects.filter(action="skm.follow_up.started").count() == 1


def test_start_with_draft_items_for_the_priorities(survey, operator_a):
    plan = start_plan(survey, actor=operator_a, draft_priorities=True)
    items = list(plan.items.all())
    assert [i.elements for i in items] == [["U8"], ["U3"], ["U9"]]
    assert "2.8333" in items[0].problem
    assert all(i.action == "" and i.owner == "" for i in items)
    assert all(i.status == RtlStatus.PLANNED for i in items)


def test_one_plan_per_survey(plan, survey, operator_a):
    with pytest.raises(DomainError, match="sudah memiliki"):
        start_plan(survey, actor=operator_a)


@pytest.mark.parametrize("persona", ["operator_b", "evaluator", "nobody"])
def test_only_those_who_run_the_survey_start_a_plan(survey, personas, persona):
    with pytest.raises(PermissionDenied):
        start_plan(survey, actor=personas[persona])


def test_analysts_of_the_institution_only_read(survey, institution_a):
    analyst = person_with_role(Role.ANALYST, institution=institution_a)
    with pytest.raises(PermissionDenied):
        start_plan(survey, actor=analyst)


# --------------------------------------------------------------------------- items


def test_add_item_validates_against_instrument_and_services(plan, operator_a, unit_a):
    ServiceFactory(unit=unit_a, code="KTP-EL")
    with pytest.raises(DomainError, match="E01") as error:
        add_item(plan, actor=operator_a, data=item(elements=["E01"]))
    assert error.value.field == "elements"
    with pytest.raises(DomainError) as error:
        add_item(plan, actor=operator_a, data=item(service_code="KK-BARU"))
    assert error.value.field == "service_code"
    with pytest.raises(DomainError) as error:
        add_item(
            plan,
            actor=operator_a,
            data=item(planned_start=dt.date(2025, 9, 1), planned_end=dt.date(2025, 8, 1)),
        )
    assert error.value.field == "planned_end"
    with pytest.raises(DomainError) as error:
        add_item(plan, actor=operator_a, data=item(elements=[]))
    assert error.value.field == "elements"
    with pytest.raises(DomainError) as error:
        add_item(plan, actor=operator_a, data=item(owner="  "))
    assert error.value.field == "owner"
    assert not plan.items.exists()

    added = add_item(
        plan, actor=operator_a, data=item(elements=["U9", "U3"], service_code="KTP-EL")
    )
    assert added.elements == ["U3", "U9"]  # instrument order
    assert added.service_code == "KTP-EL"
    assert added.position == 1
    assert add_item(plan, actor=operator_a, data=item()).position == 2
    assert AuditEntry.objects.filter(action="skm.follow_up.item_added").count() == 2


def test_service_codes_follow_the_survey_restriction(unit_a, operator_a):
    kept = ServiceFactory(unit=unit_a, code="KTP-EL")
    ServiceFactory(unit=unit_a, code="AKTA")
    survey = calculated_survey(unit_a)
    survey.services.set([kept])
    plan = start_plan(survey, actor=operator_a)
    with pytest.raises(DomainError):
        add_item(plan, actor=operator_a, data=item(service_code="AKTA"))
    assert add_item(plan, actor=operator_a, data=item(service_code="KTP-EL")).pk


def test_update_refuses_a_stale_version(plan, operator_a, admin_a):
    row = add_item(plan, actor=operator_a, data=item())
    update_item(row, actor=admin_a, version=1, data=item(owner="Sekretaris Dinas"))
    with pytest.raises(StaleVersion):
        update_item(row, actor=operator_a, version=1, data=item(owner="Kepala Dinas"))
    row.refresh_from_db()
    assert row.owner == "Sekretaris Dinas"
    assert row.version == 2


def test_done_needs_a_realised_date_not_in_the_future(plan, operator_a):
    row = add_item(plan, actor=operator_a, data=item())
    with pytest.raises(DomainError) as error:
        set_item_status(row, actor=operator_a, version=1, status=RtlStatus.DONE)
    assert error.value.field == "realised_on"
    with pytest.raises(DomainError, match="masa depan"):
        set_item_status(
            row,
            actor=operator_a,
            version=1,
            status=RtlStatus.DONE,
            realised_on=TODAY + dt.timedelta(days=1),
        )
    done = set_item_status(
        row, actor=operator_a, version=1, status=RtlStatus.DONE, realised_on=TODAY
    )
    assert (done.status, done.realised_on, done.version) == (RtlStatus.DONE, TODAY, 2)


def test_cancelled_needs_a_reason(plan, operator_a):
    row = add_item(plan, actor=operator_a, data=item())
    with pytest.raises(DomainError) as error:
        set_item_status(row, actor=operator_a, version=1, status=RtlStatus.CANCELLED, reason=" ")
    assert error.value.field == "cancel_reason"
    cancelled = set_item_status(
        row,
        actor=operator_a,
        version=1,
        status=RtlStatus.CANCELLED,
        reason="Anggaran dialihkan ke penanganan bencana",
        realised_on=TODAY,
    )
    assert cancelled.cancel_reason.startswith("Anggaran")
    assert cancelled.realised_on is None
    entry = AuditEntry.objects.get(action="skm.follow_up.item_status")
    assert entry.reason.startswith("Anggaran")


def test_evidence_file_is_checked_and_replaced(plan, operator_a):
    row = add_item(plan, actor=operator_a, data=item())
    fake = SimpleUploadedFile("bukti.pdf", b"<html>bukan pdf</html>", "application/pdf")
    with pytest.raises(DomainError, match="Jenis berkas"):
        set_item_status(row, actor=operator_a, version=1, status="IN_PROGRESS", evidence=fake)
    row.refresh_from_db()
    assert not row.evidence and row.version == 1

    first = set_item_status(
        row,
        actor=operator_a,
        version=1,
        status=RtlStatus.IN_PROGRESS,
        evidence_note="Foto papan pengaduan",
        evidence=SimpleUploadedFile("foto.pdf", PDF, "application/pdf"),
    )
    assert first.evidence.name.endswith(".pdf")
    assert "foto" not in first.evidence.name  # random stored name
    assert first.evidence_note == "Foto papan pengaduan"


def test_remove_only_before_adoption(plan, operator_a):
    draft = add_item(plan, actor=operator_a, data=item())
    kept = add_item(plan, actor=operator_a, data=item())
    remove_item(draft, actor=operator_a, version=1)
    assert list(plan.items.all()) == [kept]
    adopt_plan(plan, actor=operator_a, adopted_on=TODAY, decree_number="800/1/2025")
    with pytest.raises(DomainError, match="Dibatalkan"):
        remove_item(kept, actor=operator_a, version=1)
    assert FollowUpItem.objects.filter(pk=kept.pk).exists()


# --------------------------------------------------------------------------- adoption


def test_adoption_needs_complete_items(survey, operator_a):
    plan = start_plan(survey, actor=operator_a)
    with pytest.raises(DomainError, match="paling sedikit satu butir"):
        adopt_plan(plan, actor=operator_a, adopted_on=TODAY, decree_number="800/1")
    plan.delete()
    plan = start_plan(survey, actor=operator_a, draft_priorities=True)
    with pytest.raises(DomainError, match="butir 1, 2, 3"):
        adopt_plan(plan, actor=operator_a, adopted_on=TODAY, decree_number="800/1")
    for row in plan.items.all():
        update_item(row, actor=operator_a, version=row.version, data=item(elements=row.elements))
    adopted = adopt_plan(plan, actor=operator_a, adopted_on=TODAY, decree_number=" 800/1 ")
    assert (adopted.adopted_on, adopted.decree_number, adopted.adopted_by) == (
        TODAY,
        "800/1",
        operator_a,
    )
    assert AuditEntry.objects.filter(action="skm.follow_up.adopted").count() == 1
    with pytest.raises(DomainError, match="sudah ditetapkan"):
        adopt_plan(plan, actor=operator_a, adopted_on=TODAY, decree_number="800/2")


def test_adoption_date_and_number_are_checked(plan, operator_a):
    add_item(plan, actor=operator_a, data=item())
    with pytest.raises(DomainError) as error:
        adopt_plan(plan, actor=operator_a, adopted_on=TODAY, decree_number="  ")
    assert error.value.field == "decree_number"
    with pytest.raises(DomainError, match="masa depan"):
        adopt_plan(
            plan,
            actor=operator_a,
            adopted_on=TODAY + dt.timedelta(days=2),
            decree_number="800/1",
        )
    with pytest.raises(DomainError, match="sebelum hasil survei dihitung"):
        adopt_plan(plan, actor=operator_a, adopted_on=dt.date(2025, 6, 1), decree_number="800/1")
    plan.refresh_from_db()
    assert plan.adopted_on is None


def test_plan_metrics_count_cancelled_as_not_realised(plan, operator_a):
    rows = [add_item(plan, actor=operator_a, data=item()) for _ in range(3)]
    set_item_status(rows[0], actor=operator_a, version=1, status="DONE", realised_on=TODAY)
    set_item_status(rows[1], actor=operator_a, version=1, status="CANCELLED", reason="Tidak perlu")
    adopt_plan(plan, actor=operator_a, adopted_on=TODAY, decree_number="800/3")
    plan.refresh_from_db()
    metrics = plan_metrics(plan)
    assert metrics.rtl_realised_pct == Decimal("33.33")
    assert metrics.rtl_completed_date is None
