"""Staff survey pages: list, plan, detail with its actions, settings, coverage, dashboard."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from prima.core.enums import Role
from prima.skm.domain.responses import ResponseInput, record_response
from prima.skm.enums import Channel, SurveyState
from prima.skm.models import InstrumentSetting, Survey
from tests.conftest import client_for
from tests.factories import ServiceFactory, ServiceUnitFactory, SurveyFactory, person_with_role

pytestmark = pytest.mark.django_db


def answer(survey, n: int = 1, *, skip: str = "") -> None:
    for _ in range(n):
        record_response(
            survey,
            ResponseInput(
                answered_on=survey.period_start,
                answers={f"U{i}": (None if f"U{i}" == skip else 3) for i in range(1, 10)},
            ),
            channel=Channel.ONLINE,
        )


def post(person, survey, action, **data):
    url = reverse("skm_survey_transition", args=[survey.pk, action])
    return client_for(person).post(url, data, follow=True)


# --------------------------------------------------------------------------- list


def test_the_list_shows_only_the_persons_scope(unit_a, unit_b, operator_a, secretariat):
    mine = SurveyFactory(unit=unit_a)
    theirs = SurveyFactory(unit=unit_b)
    page = client_for(operator_a).get(reverse("skm_surveys")).content.decode()
    assert reverse("skm_survey", args=[mine.pk]) in page
    assert reverse("skm_survey", args=[theirs.pk]) not in page
    page = client_for(secretariat).get(reverse("skm_surveys")).content.decode()
    assert reverse("skm_survey", args=[theirs.pk]) in page


def test_the_list_filters_and_exports(unit_a, secretariat):
    SurveyFactory(unit=unit_a, period_code="2025-Q2", state=SurveyState.COLLECTING)
    SurveyFactory(unit=unit_a, period_code="2026-Q1", state=SurveyState.PLANNED)
    client = client_for(secretariat)
    page = client.get(reverse("skm_surveys"), {"period": "2026"}).content.decode()
    assert "2026-Q1" in page and "2025-Q2" not in page
    page = client.get(reverse("skm_surveys"), {"state": "COLLECTING"}).content.decode()
    assert "2025-Q2" in page and "2026-Q1" not in page
    csv = client.get(reverse("skm_surveys"), {"unduh": "csv", "period": "2025-Q2"})
    text = csv.content.decode("utf-8-sig").splitlines()
    assert text[0].startswith("id,unit_id,unit,instansi")
    assert len(text) == 2 and "2025-Q2" in text[1]
    xlsx = client.get(reverse("skm_surveys"), {"unduh": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_people_without_an_skm_scope_get_403(evaluator, nobody):
    for person in (evaluator, nobody):
        assert client_for(person).get(reverse("skm_surveys")).status_code == 403


# --------------------------------------------------------------------------- create


def test_an_operator_plans_a_survey_for_their_unit(unit_a, operator_a):
    unit_a.user_population = 1000
    unit_a.save()
    ServiceFactory(unit=unit_a, code="IMB")
    client = client_for(operator_a)
    page = client.get(reverse("skm_survey_create")).content.decode()
    assert "IMB" in page  # one unit: its services are offered at once
    response = client.post(
        reverse("skm_survey_create"),
        {"unit": unit_a.pk, "period_code": "2026-Q4", "instrument": "skm-2017"},
    )
    survey = Survey.objects.get(unit=unit_a)
    assert response.status_code == 302
    assert response["Location"] == reverse("skm_survey", args=[survey.pk])
    assert (survey.population, survey.sample_target) == (250, 152)


def test_an_overlapping_period_is_refused_on_the_form(unit_a, operator_a):
    SurveyFactory(unit=unit_a, period_code="2026")
    response = client_for(operator_a).post(
        reverse("skm_survey_create"),
        {"unit": unit_a.pk, "period_code": "2026-Q4", "instrument": "skm-2017"},
    )
    assert response.status_code == 200
    assert "bertumpang tindih" in response.content.decode()
    assert Survey.objects.filter(unit=unit_a).count() == 1


def test_the_historical_instrument_is_not_offered(unit_a, operator_a):
    response = client_for(operator_a).post(
        reverse("skm_survey_create"),
        {"unit": unit_a.pk, "period_code": "2026-Q4", "instrument": "skm-2004"},
    )
    assert not Survey.objects.exists()
    assert "skm-2004" not in response.context["form"].fields["instrument"].choices[0]


def test_the_secretariat_picks_the_unit_by_id(unit_b, secretariat):
    response = client_for(secretariat).post(
        reverse("skm_survey_create"),
        {"unit": unit_b.pk, "period_code": "2026-Q4", "instrument": "skm-2017"},
    )
    assert response.status_code == 302
    assert Survey.objects.get().unit == unit_b


# --------------------------------------------------------------------------- detail


def test_the_detail_shows_live_respondents_against_the_target(unit_a, operator_a):
    survey = SurveyFactory(unit=unit_a, population=300, sample_target=169)
    answer(survey, 3)
    response = client_for(operator_a).get(reverse("skm_survey", args=[survey.pk]))
    page = response.content.decode()
    assert '<strong data-testid="respondents">3</strong>' in page
    assert "target 169" in page
    assert 'aria-valuenow="1"' in page
    assert reverse("skm_survey_transition", args=[survey.pk, "close"]) in page
    assert reverse("skm_survey_update", args=[survey.pk]) in page


def test_readers_see_the_detail_without_actions(unit_a, institution_a):
    survey = SurveyFactory(unit=unit_a)
    viewer = person_with_role(Role.VIEWER, institution=institution_a)
    page = client_for(viewer).get(reverse("skm_survey", args=[survey.pk])).content.decode()
    assert 'data-testid="respondents"' in page
    assert reverse("skm_survey_transition", args=[survey.pk, "close"]) not in page
    assert (
        client_for(viewer)
        .post(reverse("skm_survey_transition", args=[survey.pk, "close"]))
        .status_code
        == 403
    )
    survey.refresh_from_db()
    assert survey.state == SurveyState.COLLECTING


def test_the_detail_query_count_does_not_grow(unit_a, operator_a, django_assert_num_queries):
    small = SurveyFactory(unit=unit_a, period_code="2025-Q1", state=SurveyState.COLLECTING)
    big = SurveyFactory(unit=unit_a, period_code="2025-Q2", state=SurveyState.COLLECTING)
    answer(small, 1)
    answer(big, 6)
    for _ in range(4):
        big.services.add(ServiceFactory(unit=unit_a))
    for survey in (small, big):
        survey.state = SurveyState.CLOSED
        survey.save()
    client = client_for(operator_a)
    client.get(reverse("skm_survey", args=[small.pk]))  # warm the session and setting rows
    with CaptureQueriesContext(connection) as small_queries:
        client.get(reverse("skm_survey", args=[small.pk]))
    with django_assert_num_queries(len(small_queries)):
        client.get(reverse("skm_survey", args=[big.pk]))


def test_actions_run_the_whole_life_from_the_detail_page(unit_a, operator_a):
    survey = SurveyFactory(unit=unit_a, state=SurveyState.PLANNED)
    assert "Pengumpulan jawaban dimulai" in post(operator_a, survey, "start").content.decode()
    answer(survey, 2, skip="U4")
    post(operator_a, survey, "close")
    page = client_for(operator_a).get(reverse("skm_survey", args=[survey.pk])).content.decode()
    assert 'data-testid="missing"' in page and "U4 Biaya/tarif" in page
    page = post(operator_a, survey, "calculate").content.decode()
    survey.refresh_from_db()
    assert survey.state == SurveyState.CALCULATED and survey.result_status == "INCOMPLETE"
    assert "Hasil tidak lengkap" in page and "U4 Biaya/tarif" in page
    # Incomplete: no publication offered; reopening needs a reason.
    assert reverse("skm_survey_transition", args=[survey.pk, "publish"]) not in page
    page = post(operator_a, survey, "reopen", reason="x").content.decode()
    assert "paling sedikit 10 karakter" in page
    survey.refresh_from_db()
    assert survey.state == SurveyState.CALCULATED
    post(operator_a, survey, "reopen", reason="Jawaban U4 dari kertas belum dimasukkan.")
    answer(survey, 1)
    post(operator_a, survey, "close")
    post(operator_a, survey, "calculate")
    page = post(
        operator_a,
        survey,
        "publish",
        published_on="2025-07-01",
        publication_media=["website", "social_media"],
        url="https://example.go.id/skm",
    ).content.decode()
    survey.refresh_from_db()
    assert survey.state == SurveyState.PUBLISHED
    assert survey.publication_media == ["website", "social_media"]
    assert "Situs web, Media sosial" in page


def test_publishing_without_media_changes_nothing(unit_a, operator_a):
    survey = SurveyFactory(unit=unit_a)
    answer(survey, 2)
    post(operator_a, survey, "close")
    post(operator_a, survey, "calculate")
    page = post(operator_a, survey, "publish", published_on="2025-07-01").content.decode()
    survey.refresh_from_db()
    assert survey.state == SurveyState.CALCULATED
    assert "alert-danger" in page or "wajib" in page.lower()


def test_transitions_are_post_only_and_unknown_actions_404(unit_a, operator_a):
    survey = SurveyFactory(unit=unit_a)
    client = client_for(operator_a)
    assert (
        client.get(reverse("skm_survey_transition", args=[survey.pk, "close"])).status_code == 405
    )
    assert (
        client.post(reverse("skm_survey_transition", args=[survey.pk, "hapus"])).status_code == 404
    )


# --------------------------------------------------------------------------- update


def test_update_detects_a_stale_version(unit_a, operator_a):
    survey = SurveyFactory(unit=unit_a)
    url = reverse("skm_survey_update", args=[survey.pk])
    client = client_for(operator_a)
    assert client.get(url).status_code == 200
    ok = client.post(url, {"population": "650", "version": survey.version})
    assert ok.status_code == 302
    survey.refresh_from_db()
    assert (survey.population, survey.sample_target) == (650, 242)
    stale = client.post(url, {"population": "100", "version": survey.version - 1})
    assert stale.status_code == 409
    assert "Buka versi terbaru" in stale.content.decode()
    survey.refresh_from_db()
    assert survey.population == 650


# --------------------------------------------------------------------------- settings


def test_the_secretariat_changes_the_weight_rule(secretariat, operator_a):
    url = reverse("skm_instruments")
    page = client_for(operator_a).get(url).content.decode()
    assert "skm-2017" in page and "skm-2004" in page and "Simpan skm-2017" not in page
    refused = client_for(operator_a).post(
        url, {"code": "skm-2017", "skm-2017-weight_rule": "exact"}
    )
    assert refused.status_code == 403
    client_for(secretariat).post(
        url,
        {
            "code": "skm-2017",
            "skm-2017-weight_rule": "exact",
            "skm-2017-accepts_new_surveys": "on",
        },
    )
    setting = InstrumentSetting.objects.get(code="skm-2017")
    assert (setting.weight_rule, setting.accepts_new_surveys) == ("exact", True)


# --------------------------------------------------------------------------- coverage


def test_units_without_a_survey_in_an_ended_year(unit_a, institution_a, admin_a):
    covered = ServiceUnitFactory(institution=institution_a, name="Puskesmas Tercakup")
    SurveyFactory(unit=covered, period_code="2025-Q3", state=SurveyState.PUBLISHED)
    outside = ServiceUnitFactory(name="Unit Instansi Lain")
    client = client_for(admin_a)
    page = client.get(reverse("skm_uncovered_units")).content.decode()
    assert "2025" in page
    assert unit_a.name in page
    assert covered.name not in page and outside.name not in page
    # The current year (2026) has not ended: it falls back to the last ended year.
    assert client.get(reverse("skm_uncovered_units"), {"tahun": "2026"}).context["year"] == 2025
    csv = client.get(reverse("skm_uncovered_units"), {"unduh": "csv"})
    assert unit_a.name in csv.content.decode("utf-8-sig")


# --------------------------------------------------------------------------- dashboard


def test_the_dashboard_panel_lists_surveys_waiting_for_the_operator(unit_a, operator_a):
    survey = SurveyFactory(unit=unit_a, state=SurveyState.CLOSED)
    page = client_for(operator_a).get(reverse("dashboard")).content.decode()
    assert "Survei Kepuasan Masyarakat (SKM)" in page
    assert reverse("skm_survey", args=[survey.pk]) in page


def test_the_dashboard_has_no_skm_panel_without_a_scope(evaluator):
    page = client_for(evaluator).get(reverse("dashboard")).content.decode()
    assert "Survei Kepuasan Masyarakat (SKM)" not in page
