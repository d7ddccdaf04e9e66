"""Staff pages of a survey's responses: list, export, paper entry, void, kiosk."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from prima.core.models import AuditEntry
from prima.skm.domain.counters import survey_counters
from prima.skm.domain.responses import ResponseInput, record_response, void_response
from prima.skm.domain.versions import instrument
from prima.skm.enums import Channel, SurveyState
from prima.skm.models import Response, Survey
from tests.conftest import client_for
from tests.factories import ServiceFactory, SurveyFactory

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 4, 14)
SKM_2017 = instrument("skm-2017")
CANONICAL = [
    "respondent_ref",
    "answered_on",
    "service_code",
    "gender",
    "age_band",
    "education",
    "occupation",
    *[f"U{n}" for n in range(1, 10)],
    "suggestion",
]


def answers(**given):
    return {f"U{n}": given.get(f"U{n}", 3) for n in range(1, 10)}


def respond(survey, ref="", day=DAY, channel=Channel.ONLINE, **extra):
    return record_response(
        survey,
        ResponseInput(answered_on=day, answers=answers(), respondent_ref=ref, **extra),
        channel=channel,
    )


@pytest.fixture
def survey(unit_a):
    survey = SurveyFactory(unit=unit_a)
    ServiceFactory(unit=unit_a, code="KTP-EL", name="KTP elektronik")
    return survey


def paper_post(**extra):
    data = {"answered_on": "2025-05-02", "service_code": "KTP-EL", "gender": "L"}
    data.update({f"U{n}": "4" for n in range(1, 10)})
    data.update(extra)
    return data


# ------------------------------------------------------------------------- list


def test_list_shows_accepted_responses_and_voided_ones_apart_with_reason(survey, operator_a):
    kept = respond(survey, "R-KEEP", suggestion="Antrean pagi panjang")
    gone = respond(survey, "R-GONE")
    void_response(gone, actor=operator_a, reason="Lembar tercatat dua kali")
    page = client_for(operator_a).get(reverse("skm_responses", args=[survey.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    accepted, voided = html.split('data-testid="voided"')
    assert kept.respondent_ref in accepted and "Antrean pagi panjang" in accepted
    assert "R-GONE" not in accepted
    assert "R-GONE" in voided and "Lembar tercatat dua kali" in voided
    assert reverse("skm_response_void", args=[survey.pk, kept.pk]) in html


def test_list_filters(survey, operator_a):
    respond(survey, "A-1", channel=Channel.PAPER, service_code="KTP-EL")
    respond(survey, "B-2", day=dt.date(2025, 6, 1))
    client = client_for(operator_a)
    url = reverse("skm_responses", args=[survey.pk])

    def shown(**query):
        html = client.get(url, query).content.decode().split('data-testid="voided"')[0]
        return {ref for ref in ("A-1", "B-2") if ref in html}

    assert shown() == {"A-1", "B-2"}
    assert shown(channel="paper") == {"A-1"}
    assert shown(service="KTP-EL") == {"A-1"}
    assert shown(service="unspecified") == {"B-2"}
    assert shown(dari="2025-05-01") == {"B-2"}
    assert shown(sampai="2025-05-01") == {"A-1"}
    assert shown(q="b-") == {"B-2"}
    assert shown(channel="nonsense") == {"A-1", "B-2"}


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_list_costs_the_same_queries_at_any_size(survey, operator_a, django_assert_num_queries):
    client = client_for(operator_a)
    url = reverse("skm_responses", args=[survey.pk])
    respond(survey)
    void_response(respond(survey), actor=operator_a, reason="Salah ketik petugas")
    one = _queries(client, url)
    for _ in range(30):
        respond(survey, channel=Channel.PAPER)
    for _ in range(3):
        void_response(respond(survey), actor=operator_a, reason="Salah ketik petugas")
    with django_assert_num_queries(one):
        assert client.get(url).status_code == 200


def test_csv_export_is_the_canonical_layout(survey, operator_a):
    record_response(
        survey,
        ResponseInput(
            answered_on=DAY,
            answers=answers(U4=None, U1=4),
            service_code="KTP-EL",
            gender="P",
            age_band="30_39",
            education="sma",
            occupation="wirausaha",
            suggestion="Antrean pagi terlalu panjang",
            respondent_ref="R001",
        ),
        channel=Channel.PAPER,
        actor=operator_a,
    )
    void_response(respond(survey, "R002"), actor=operator_a, reason="Lembar tercatat dua kali")
    client = client_for(operator_a)
    url = reverse("skm_responses", args=[survey.pk])
    download = client.get(url, {"unduh": "csv"})
    assert download["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert rows[0][: len(CANONICAL)] == CANONICAL
    assert rows[0][len(CANONICAL) :] == ["x_channel", "x_created_at"]
    assert rows[1][: len(CANONICAL)] == [
        "R001",
        "2025-04-14",
        "KTP-EL",
        "P",
        "30_39",
        "sma",
        "wirausaha",
        "4",
        "3",
        "3",
        "",
        "3",
        "3",
        "3",
        "3",
        "3",
        "Antrean pagi terlalu panjang",
    ]
    assert rows[1][len(CANONICAL)] == "paper"
    assert len(rows) == 2  # the voided one is not exported with the accepted

    voided = client.get(url, {"unduh": "csv", "status": "batal"})
    rows = list(csv.reader(io.StringIO(voided.content.decode("utf-8-sig"))))
    assert rows[0][-2:] == ["x_voided_at", "x_void_reason"]
    assert [row[0] for row in rows[1:]] == ["R002"]
    assert rows[1][-1] == "Lembar tercatat dua kali"


def test_xlsx_export_and_unknown_format(survey, operator_a):
    respond(survey, "R001")
    client = client_for(operator_a)
    url = reverse("skm_responses", args=[survey.pk])
    download = client.get(url, {"unduh": "xlsx"})
    sheet = load_workbook(io.BytesIO(download.content)).active
    values = list(sheet.values)
    assert list(values[0][: len(CANONICAL)]) == CANONICAL
    assert values[1][0] == "R001" and values[1][7] == 3
    assert client.get(url, {"unduh": "pdf"}).status_code == 404


def test_export_respects_filters(survey, operator_a):
    respond(survey, "A-1", channel=Channel.PAPER)
    respond(survey, "B-2")
    download = client_for(operator_a).get(
        reverse("skm_responses", args=[survey.pk]), {"unduh": "csv", "channel": "paper"}
    )
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == ["A-1"]


# ------------------------------------------------------------------------- paper entry


def test_paper_entry_records_a_paper_response_by_the_operator(survey, operator_a):
    client = client_for(operator_a)
    url = reverse("skm_response_entry", args=[survey.pk])
    assert "Simpan dan isi berikutnya" in client.get(url).content.decode()
    saved = client.post(url, paper_post(respondent_ref="L-001"), follow=True)
    assert saved.redirect_chain[-1][0] == reverse("skm_responses", args=[survey.pk])
    assert "L-001" in saved.content.decode()
    response = Response.objects.get(survey=survey)
    assert response.channel == Channel.PAPER
    assert response.entered_by == operator_a
    assert response.answered_on == dt.date(2025, 5, 2)
    assert response.service_code == "KTP-EL"
    assert Survey.objects.get(pk=survey.pk).respondents == 1
    assert AuditEntry.objects.filter(action="skm.response.entered").count() == 1


def test_save_and_enter_next_keeps_date_and_service(survey, operator_a):
    client = client_for(operator_a)
    url = reverse("skm_response_entry", args=[survey.pk])
    saved = client.post(url, paper_post(lanjut="1"))
    assert saved.status_code == 302
    assert saved["Location"].startswith(url)
    page = client.get(saved["Location"])
    form = page.context["form"]
    assert form.initial["answered_on"] == dt.date(2025, 5, 2)
    assert form.initial["service_code"] == "KTP-EL"
    assert "tersimpan" in page.content.decode()
    assert not form.is_bound  # an empty sheet: answers start blank


def test_paper_entry_shows_every_problem_and_stores_nothing(survey, operator_a):
    respond(survey, "L-001")
    client = client_for(operator_a)
    page = client.post(
        reverse("skm_response_entry", args=[survey.pk]),
        paper_post(answered_on="2025-07-01", respondent_ref="L-001"),
    )
    assert page.status_code == 200
    form = page.context["form"]
    assert "sudah dipakai" in form.errors["respondent_ref"][0]
    assert "di luar periode" in " ".join(
        form.non_field_errors() + form.errors.get("answered_on", [])
    )
    assert Response.objects.filter(survey=survey).count() == 1


def test_paper_entry_refuses_a_survey_that_is_not_collecting(unit_a, operator_a):
    survey = SurveyFactory(unit=unit_a, state=SurveyState.CLOSED)
    client = client_for(operator_a)
    url = reverse("skm_response_entry", args=[survey.pk])
    assert "tidak sedang menerima jawaban" in client.get(url).content.decode()
    page = client.post(url, paper_post())
    assert "tidak sedang menerima jawaban" in page.content.decode()
    assert not Response.objects.exists()


# ------------------------------------------------------------------------- void


def test_void_with_reason_takes_the_response_out_of_the_figures(survey, operator_a):
    response = respond(survey, "R-1")
    respond(survey, "R-2")
    client = client_for(operator_a)
    url = reverse("skm_response_void", args=[survey.pk, response.pk])
    assert "R-1" in client.get(url).content.decode()
    short = client.post(url, {"reason": "salah"})
    assert "paling sedikit 10 karakter" in short.content.decode()
    assert Response.objects.get(pk=response.pk).voided_at is None
    done = client.post(url, {"reason": "Lembar tercatat dua kali"})
    assert done.status_code == 302
    row = Response.objects.get(pk=response.pk)
    assert row.voided_by == operator_a and row.void_reason == "Lembar tercatat dua kali"
    assert Survey.objects.get(pk=survey.pk).respondents == 1
    assert survey_counters([survey.pk], SKM_2017).respondents == 1
    again = client.post(url, {"reason": "Lembar tercatat dua kali"})
    assert "Sudah dibatalkan" in again.content.decode()


def test_void_is_refused_once_calculated(survey, operator_a):
    response = respond(survey)
    Survey.objects.filter(pk=survey.pk).update(state=SurveyState.CALCULATED)
    client = client_for(operator_a)
    page = client.post(
        reverse("skm_response_void", args=[survey.pk, response.pk]),
        {"reason": "Lembar tercatat dua kali"},
    )
    assert page.status_code == 200
    assert Response.objects.get(pk=response.pk).voided_at is None


def test_void_of_another_survey_response_is_404(survey, operator_a, unit_a):
    other = SurveyFactory(unit=unit_a, period_code="2025-Q3")
    response = respond(other, day=dt.date(2025, 7, 2))
    url = reverse("skm_response_void", args=[survey.pk, response.pk])
    assert client_for(operator_a).get(url).status_code == 404


# ------------------------------------------------------------------------- kiosk


@pytest.fixture
def today_survey(unit_a):
    today = timezone.localdate()
    quarter = (today.month - 1) // 3 + 1
    return SurveyFactory(unit=unit_a, period_code=f"{today.year}-Q{quarter}")


def test_kiosk_accepts_answer_after_answer_and_thanks_each_citizen(today_survey, operator_a):
    client = client_for(operator_a)
    url = reverse("skm_kiosk", args=[today_survey.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Sangat sopan dan ramah" in page.content.decode()
    for _ in range(2):
        sent = client.post(url, {"U1": "4", "U7": "3", "gender": "P"})
        assert sent.status_code == 302 and sent["Location"] == url
        fresh = client.get(url)
        assert "Terima kasih" in fresh.content.decode()
        assert not fresh.context["form"].is_bound
    rows = Response.objects.filter(survey=today_survey)
    assert rows.count() == 2
    assert {row.channel for row in rows} == {Channel.KIOSK}
    assert {row.answered_on for row in rows} == {timezone.localdate()}
    assert not any(name.startswith("skm") for name in client.cookies)


def test_kiosk_shows_problems_on_the_form(today_survey, operator_a):
    page = client_for(operator_a).post(reverse("skm_kiosk", args=[today_survey.pk]), {})
    assert page.status_code == 200
    assert "Jawab paling sedikit satu unsur" in page.content.decode()
    assert not Response.objects.exists()
