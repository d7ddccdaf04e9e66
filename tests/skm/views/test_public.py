"""The citizens' survey pages (skm.md §7, mpp.md §9) and the staff QR/code pages."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from prima.core.documents import qr_matrix
from prima.skm.domain.tokens import issue_codes, issue_link_token, normalise_code
from prima.skm.enums import Channel, SurveyState, TokenKind
from prima.skm.interfaces.posters import code_page_link, survey_link
from prima.skm.models import Response, SurveyToken
from tests.conftest import client_for
from tests.factories import ServiceFactory, SurveyFactory
from tests.pdf import pdf_pages, qr_symbols

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
QUARTER = f"{TODAY.year}-Q{(TODAY.month - 1) // 3 + 1}"


def answers(value: int = 4, **extra: str) -> dict[str, str]:
    return {**{f"U{n}": str(value) for n in range(1, 10)}, **extra}


@pytest.fixture
def survey(unit_a):
    ServiceFactory(unit=unit_a, code="KTP-EL", name="KTP elektronik")
    return SurveyFactory(unit=unit_a, period_code=QUARTER, public_id="Zq3xK9pLmN2vR7tY")


def url(survey) -> str:
    return reverse("skm_public_survey", args=[survey.public_id])


# ------------------------------------------------------------------- the open form


def test_the_form_asks_every_element_in_indonesian_and_accessibly(survey):
    response = Client().get(url(survey))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Dinas PUPR Kota Payakumbuh" in page
    assert 'name="viewport"' in page
    assert "csrfmiddlewaretoken" in page
    assert page.count("<fieldset") >= 10  # nine elements + "about you"
    assert page.count("<legend") >= 10
    assert "Bagaimana pendapat Saudara" in page or "Persyaratan" in page or "U1." in page
    for value in ("Tidak sesuai", "Sangat sesuai", "Dikelola dengan baik"):
        assert value in page
    # Every radio has a label; the language switch is in the page.
    radios = re.findall(r'<input type="radio"[^>]*id="([^"]+)"', page)
    assert len(radios) == 36
    assert all(f'for="{radio}"' in page for radio in radios)
    assert 'value="en"' in page and "English" in page
    assert "KTP elektronik" in page


def test_answering_stores_an_online_response_dated_today_in_jakarta(survey):
    client = Client()
    response = client.post(url(survey), answers(service_code="KTP-EL", gender="P"))

    assert response.status_code == 302
    assert response["Location"] == reverse("skm_public_thanks", args=[survey.public_id])
    stored = Response.objects.get()
    assert stored.survey == survey
    assert stored.channel == Channel.ONLINE
    assert stored.answered_on == timezone.localdate()
    assert stored.service_code == "KTP-EL"
    assert stored.gender == "P"
    assert stored.entered_by is None
    survey.refresh_from_db()
    assert survey.respondents == 1
    thanks = client.get(response["Location"])
    assert "Terima kasih, jawaban Anda sudah kami terima." in thanks.content.decode()


def test_one_answer_per_browser_per_survey(survey, unit_b):
    other = SurveyFactory(unit=unit_b, period_code=QUARTER)
    client = Client()
    client.post(url(survey), answers())

    again = client.get(url(survey))
    assert again.status_code == 200
    assert "Anda sudah mengisi survei ini." in again.content.decode()
    assert 'type="radio"' not in again.content.decode()
    resent = client.post(url(survey), answers())
    assert resent.status_code == 409
    assert Response.objects.filter(survey=survey).count() == 1
    # Another survey is still open to the same browser; another browser may answer.
    assert client.post(url(other), answers()).status_code == 302
    assert Client().post(url(survey), answers()).status_code == 302
    assert Response.objects.filter(survey=survey).count() == 2


def test_a_forged_cookie_does_not_count(survey):
    client = Client()
    client.cookies[f"skm_{survey.public_id}"] = survey.public_id
    assert 'type="radio"' in client.get(url(survey)).content.decode()


def test_bad_answers_change_nothing_and_say_why(survey):
    response = Client().post(url(survey), {"U1": "7", "suggestion": "x"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Jawaban belum terkirim" in page
    assert not Response.objects.exists()

    empty = Client().post(url(survey), {})
    assert empty.status_code == 400
    assert "Jawab paling sedikit satu unsur" in empty.content.decode()
    assert not Response.objects.exists()


def test_the_form_is_csrf_protected(survey):
    client = Client(enforce_csrf_checks=True)
    assert client.post(url(survey), answers()).status_code == 403
    assert not Response.objects.exists()


def test_surveys_are_only_reached_by_their_public_id(survey):
    assert Client().get(f"/survei/{survey.pk}/").status_code == 404
    assert Client().get("/survei/tidak-ada-survei-ini/").status_code == 404
    assert Client().get(reverse("skm_public_thanks", args=["tidak-ada"])).status_code == 404


@pytest.mark.parametrize(
    "state, text",
    [
        (SurveyState.PLANNED, "Survei ini belum dibuka."),
        (SurveyState.CLOSED, "Survei ini sudah ditutup."),
        (SurveyState.CALCULATED, "Survei ini sudah ditutup."),
    ],
)
def test_a_survey_not_collecting_shows_a_friendly_page(unit_a, state, text):
    survey = SurveyFactory(unit=unit_a, period_code=QUARTER, state=state)
    for response in (Client().get(url(survey)), Client().post(url(survey), answers())):
        assert response.status_code == 200
        assert text in response.content.decode()
    assert not Response.objects.exists()


def test_a_collecting_survey_whose_period_is_over_is_closed(unit_a):
    survey = SurveyFactory(unit=unit_a, period_code=f"{TODAY.year - 1}-Q1")
    response = Client().post(url(survey), answers())
    assert "Survei ini sudah ditutup." in response.content.decode()
    assert not Response.objects.exists()


def test_a_published_survey_links_to_its_result(unit_a):
    survey = SurveyFactory(unit=unit_a, period_code="2025-Q2", state=SurveyState.PUBLISHED)
    page = Client().get(url(survey)).content.decode()
    assert reverse("skm_public_result", args=[survey.public_id]) in page


def test_a_survey_requiring_a_code_refuses_the_open_link(survey):
    survey.requires_token = True
    survey.save()
    page = Client().get(url(survey))
    assert page.status_code == 200
    assert "hanya dapat diisi dengan kode sekali pakai" in page.content.decode()
    assert 'type="radio"' not in page.content.decode()
    assert reverse("skm_public_code") in page.content.decode()
    assert Client().post(url(survey), answers()).status_code == 403
    assert not Response.objects.exists()


@override_settings(SKM_SUBMITS_PER_HOUR=2)
def test_submissions_are_rate_limited_per_address(survey):
    assert Client(REMOTE_ADDR="10.0.0.1").post(url(survey), answers()).status_code == 302
    assert Client(REMOTE_ADDR="10.0.0.1").post(url(survey), answers()).status_code == 302
    refused = Client(REMOTE_ADDR="10.0.0.1").post(url(survey), answers())
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Terlalu banyak jawaban dikirim dari jaringan Anda" in refused.content.decode()
    assert Client(REMOTE_ADDR="10.0.0.2").post(url(survey), answers()).status_code == 302
    assert Response.objects.count() == 3


def test_the_page_speaks_english_on_request(survey):
    client = Client()
    client.post(reverse("set_language"), {"language": "en", "next": url(survey)})
    page = client.get(url(survey))
    assert page["Content-Language"] == "en"


# ------------------------------------------------------------------- one-time codes


@pytest.fixture
def code(survey, operator_a, unit_a) -> str:
    (issued,) = issue_codes(actor=operator_a, unit=unit_a, count=1, issued_on=TODAY)
    return issued


CODE_URL = "/survei/kode/"


def test_a_code_opens_the_units_survey_and_is_used_once(survey, code):
    client = Client()
    step1 = client.post(CODE_URL, {"code": normalise_code(code).lower()})
    assert step1.status_code == 200
    page = step1.content.decode()
    assert "Dinas PUPR Kota Payakumbuh" in page
    assert f'value="{code}"' in page
    assert 'name="answering"' in page
    assert SurveyToken.objects.get().used_at is None

    step2 = client.post(CODE_URL, {"code": code, "answering": "1", **answers()})
    assert step2.status_code == 302
    stored = Response.objects.get()
    assert stored.channel == Channel.TOKEN
    assert SurveyToken.objects.get().used_at is not None

    again = Client().post(CODE_URL, {"code": code})
    assert again.status_code == 410
    assert "sudah dipakai" in again.content.decode()
    twice = Client().post(CODE_URL, {"code": code, "answering": "1", **answers()})
    assert twice.status_code == 410
    assert Response.objects.count() == 1


def test_a_code_works_for_a_survey_that_requires_codes(survey, code):
    survey.requires_token = True
    survey.save()
    response = Client().post(CODE_URL, {"code": code, "answering": "1", **answers()})
    assert response.status_code == 302
    assert Response.objects.get().channel == Channel.TOKEN


def test_an_unknown_code_says_so(survey, code):
    response = Client().post(CODE_URL, {"code": "ABCD-EFGH"})
    assert response.status_code == 400
    assert "Kode tidak dikenal" in response.content.decode()
    malformed = Client().post(CODE_URL, {"code": "12"})
    assert "Kode harus 8 huruf/angka" in malformed.content.decode()


def test_an_expired_code_answers_410(survey, operator_a, unit_a):
    (old,) = issue_codes(
        actor=operator_a,
        unit=unit_a,
        count=1,
        issued_on=TODAY - dt.timedelta(days=10),
        valid_days=2,
    )
    response = Client().post(CODE_URL, {"code": old})
    assert response.status_code == 410
    assert "kedaluwarsa" in response.content.decode()


def test_a_code_without_a_collecting_survey_stays_unused(operator_a, unit_a):
    (issued,) = issue_codes(actor=operator_a, unit=unit_a, count=1, issued_on=TODAY)
    response = Client().post(CODE_URL, {"code": issued})
    assert response.status_code == 200
    assert "sedang tidak membuka survei" in response.content.decode()
    assert SurveyToken.objects.get().used_at is None


@override_settings(SKM_CODE_FAILURES_PER_HOUR=3)
def test_code_guessing_is_throttled_per_address(survey, code):
    guesser = Client(REMOTE_ADDR="10.9.9.9")
    for guess in ("AAAA-AAAA", "BBBB-BBBB", "CCCC-CCCC"):
        assert guesser.post(CODE_URL, {"code": guess}).status_code == 400
    fourth = guesser.post(CODE_URL, {"code": "DDDD-DDDD"})
    assert fourth.status_code == 400
    # Blocked now, even with the right code.
    blocked = guesser.post(CODE_URL, {"code": code})
    assert blocked.status_code == 429
    assert "Terlalu banyak kode yang salah" in blocked.content.decode()
    # Someone else at another address is not affected.
    assert Client(REMOTE_ADDR="10.1.1.1").post(CODE_URL, {"code": code}).status_code == 200


def test_the_code_page_prefills_from_the_link():
    page = Client().get(CODE_URL, {"kode": "k7p4mx2q"}).content.decode()
    assert 'value="K7P4-MX2Q"' in page
    assert 'autocomplete="off"' in page


# ------------------------------------------------------------------- after-service links


def test_an_after_service_link_is_answered_once(survey, unit_a):
    secret = issue_link_token(unit=unit_a, service_code="KTP-EL", completed_on=TODAY)
    link = reverse("skm_public_token", args=[secret])

    form = Client().get(link)
    assert form.status_code == 200
    assert 'value="KTP-EL" selected' in form.content.decode()
    done = Client().post(link, answers())
    assert done.status_code == 302
    stored = Response.objects.get()
    assert (stored.channel, stored.service_code) == (Channel.TOKEN, "KTP-EL")

    for again in (Client().get(link), Client().post(link, answers())):
        assert again.status_code == 410
        assert "sudah dipakai" in again.content.decode()
    assert Response.objects.count() == 1


def test_links_and_codes_do_not_open_each_others_page(survey, code, unit_a):
    assert Client().get(reverse("skm_public_token", args=[normalise_code(code)])).status_code == 404
    secret = issue_link_token(unit=unit_a, service_code="", completed_on=TODAY)
    assert Client().post(CODE_URL, {"code": secret}).status_code == 400
    assert Client().get(reverse("skm_public_token", args=["x" * 43])).status_code == 404


def test_an_expired_link_answers_410(survey, unit_a):
    secret = issue_link_token(unit=unit_a, service_code="", completed_on=TODAY)
    SurveyToken.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    response = Client().get(reverse("skm_public_token", args=[secret]))
    assert response.status_code == 410
    assert "kedaluwarsa" in response.content.decode()


# ------------------------------------------------------------------- staff: QR, poster, codes


def test_the_qr_page_shows_the_link_and_downloads(survey, operator_a):
    client = client_for(operator_a)
    page = client.get(reverse("skm_survey_qr", args=[survey.pk]))
    assert page.status_code == 200
    link = survey_link(survey.public_id)
    assert link.endswith(f"/survei/{survey.public_id}/")
    assert link in page.content.decode()
    assert "<svg" in page.content.decode()

    png = client.get(reverse("skm_survey_qr", args=[survey.pk]), {"unduh": "png"})
    assert png["Content-Type"] == "image/png"
    assert png.content.startswith(b"\x89PNG")
    svg = client.get(reverse("skm_survey_qr", args=[survey.pk]), {"unduh": "svg"})
    assert svg["Content-Type"] == "image/svg+xml"
    assert svg.content.startswith(b"<svg")
    assert "attachment" in svg["Content-Disposition"]


def test_the_poster_carries_the_survey_link_as_qr(survey, operator_a):
    response = client_for(operator_a).get(reverse("skm_survey_poster", args=[survey.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(" ".join(pdf_pages(response.content)).split())
    assert "SURVEI KEPUASAN MASYARAKAT" in text
    assert f"Periode {QUARTER}" in text
    assert "Dinas PUPR Kota Payakumbuh" in text
    symbols = list(qr_symbols(response.content).values())
    assert symbols == [qr_matrix(survey_link(survey.public_id))]


def test_issuing_codes_answers_the_pdf_of_slips_once(survey, operator_a, unit_a):
    client = client_for(operator_a)
    page_url = reverse("skm_unit_codes", args=[unit_a.pk])
    assert client.get(page_url).status_code == 200

    response = client.post(
        page_url,
        {
            "count": "5",
            "issued_on": TODAY.isoformat(),
            "valid_days": "14",
            "service_code": "KTP-EL",
            "batch": "Loket 2",
        },
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="kode-survei-loket-2.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    text = " ".join(pdf_pages(response.content))
    printed = re.findall(r"\b[A-Z0-9]{4}-[A-Z0-9]{4}\b", text)
    assert len(set(printed)) == 5
    assert list(qr_symbols(response.content).values()) == [qr_matrix(code_page_link())]
    tokens = SurveyToken.objects.filter(unit=unit_a, kind=TokenKind.CODE, batch="Loket 2")
    assert tokens.count() == 5
    assert set(tokens.values_list("service_code", flat=True)) == {"KTP-EL"}
    # The printed codes work.
    assert Client().post(CODE_URL, {"code": printed[0]}).status_code == 200

    listing = client.get(page_url).content.decode()
    assert "Loket 2" in listing
    assert printed[0] not in listing


def test_bad_issue_requests_show_errors_and_issue_nothing(operator_a, unit_a):
    response = client_for(operator_a).post(
        reverse("skm_unit_codes", args=[unit_a.pk]),
        {"count": "5000", "issued_on": TODAY.isoformat(), "valid_days": "30"},
    )
    assert response.status_code == 400
    assert "is-invalid" in response.content.decode()
    assert not SurveyToken.objects.exists()


def test_the_batch_list_counts_used_and_expired_codes_in_fixed_queries(
    survey, operator_a, unit_a, django_assert_num_queries
):
    client = client_for(operator_a)
    page_url = reverse("skm_unit_codes", args=[unit_a.pk])
    codes = issue_codes(actor=operator_a, unit=unit_a, count=3, issued_on=TODAY, batch="A")
    Client().post(CODE_URL, {"code": codes[0], "answering": "1", **answers()})
    client.get(page_url)  # warm the session and access caches
    small = _queries(client, page_url)
    for batch in ("B", "C", "D"):
        issue_codes(actor=operator_a, unit=unit_a, count=2, issued_on=TODAY, batch=batch)
    with django_assert_num_queries(small):
        page = client.get(page_url).content.decode()
    row = re.search(r"<th scope=\"row\">A</th>(.*?)</tr>", page, re.S)
    assert row is not None
    numbers = re.findall(r'<td class="text-end">(\d+)</td>', row.group(1))
    assert numbers == ["3", "1", "0"]


def _queries(client: Client, page_url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(page_url)
    return len(captured)


def test_a_truncated_link_gets_a_page_that_says_what_to_do(survey, unit_a):
    secret = issue_link_token(unit=unit_a, service_code="", completed_on=TODAY)
    page = Client().get(reverse("skm_public_token", args=[secret[:-5]]))
    assert page.status_code == 404
    text = page.content.decode()
    assert "Tautan survei tidak dikenal" in text
    assert reverse("skm_public_code") in text
