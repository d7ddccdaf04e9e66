"""A citizen answers the SKM on a phone from the counter's QR link; the operator sees it.

390-px viewport (a common phone): the operator reads the survey's link on its QR page,
a citizen (not signed in) opens it, answers every element with large touch targets,
sends it and sees the thank-you page; back on the survey page the operator sees one
respondent.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from prima.skm.domain.versions import instrument
from prima.skm.enums import Channel
from prima.skm.models import Response
from tests.factories import PASSWORD, ServiceFactory, SurveyFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def log_in(page: Page, username: str) -> None:
    page.goto(reverse("login"))
    expect(page.get_by_role("heading", name="Masuk ke Prima")).to_be_visible()
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("heading", name="Masuk ke Prima")).to_have_count(0)


def test_a_citizen_answers_from_the_qr_link_and_the_operator_sees_the_count(
    page, operator_a, unit_a
):
    today = timezone.localdate()
    ServiceFactory(unit=unit_a, code="IMB", name="Persetujuan Bangunan Gedung")
    survey = SurveyFactory(unit=unit_a, period_code=f"{today.year}-Q{(today.month - 1) // 3 + 1}")
    page.set_viewport_size(PHONE)

    # The operator reads the survey's link beside its QR code.
    log_in(page, "operator_a")
    page.goto(reverse("skm_survey_qr", args=[survey.pk]))
    expect(page.get_by_test_id("qr").locator("svg")).to_be_visible()
    link = page.get_by_test_id("survey-link").get_attribute("href") or ""
    path = urlsplit(link).path
    assert path == f"/survei/{survey.public_id}/"

    # A citizen, signed out, opens it on a phone.
    page.context.clear_cookies()
    page.goto(path)
    expect(page.get_by_role("heading", name="Dinas PUPR Kota Payakumbuh")).to_be_visible()
    expect(page.get_by_role("button", name="English")).to_be_visible()
    # Mobile-first: nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.get_by_label("Jenis layanan yang Anda terima").select_option("IMB")
    for element in instrument(survey.instrument).elements:
        group = page.get_by_role("group", name=re.compile(re.escape(element.question or "")))
        expect(group).to_be_visible()
        choice = group.get_by_label(element.answers[4], exact=True)
        box = group.locator(".skm-answer").nth(3).bounding_box()
        assert box is not None and box["height"] >= 44 and box["width"] >= 300
        choice.check()
        expect(choice).to_be_checked()
    page.get_by_label("Jenis kelamin").select_option("P")
    page.get_by_label("Saran dan masukan").fill("Ruang tunggu nyaman, terima kasih.")
    page.get_by_role("button", name="Kirim jawaban").click()

    expect(
        page.get_by_role("heading", name="Terima kasih, jawaban Anda sudah kami terima.")
    ).to_be_visible()
    stored = Response.objects.get()
    assert (stored.channel, stored.service_code, stored.gender) == (Channel.ONLINE, "IMB", "P")

    # The same phone cannot answer twice.
    page.goto(path)
    expect(page.get_by_text("Anda sudah mengisi survei ini.")).to_be_visible()

    # The operator sees the respondent on the survey page.
    log_in(page, "operator_a")
    page.goto(reverse("skm_survey", args=[survey.pk]))
    expect(page.get_by_test_id("respondents")).to_have_text("1")
