"""Award pages: the decision page, the public list and its downloads, verification, the
institution's awards, the bulk certificate job and the ZIP."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from prima.awards.domain.certificates import issue_certificate, revoke_certificate
from prima.awards.domain.proposals import ProposedRecipient, propose_awards, record_decree
from prima.awards.models import Award, Certificate
from prima.core.models import Job
from tests.awards.helpers import (
    decided_innovation_awards,
    decided_institution_awards,
    edition_with_categories,
)
from tests.conftest import client_for
from tests.factories import AwardRecordFactory, InnovationFactory, InstitutionFactory
from tests.jobs import followed_job
from tests.pdf import pdf_pages

REASON = "Piagam dicabut karena kesalahan nama penerima pada keputusan."
NAMES = ["Kota Surabaya", "Kota Balikpapan", "Kota Payakumbuh"]


def _publish(edition, **publication):
    edition.is_published = True
    rules = dict(edition.rules)
    rules["publication"] = {**rules.get("publication", {}), **publication}
    edition.rules = rules
    edition.save()


@pytest.fixture
def listed(secretariat):
    edition, coaching, sustained = edition_with_categories(secretariat)
    decided_institution_awards(coaching, secretariat, NAMES)  # ranked in this order
    return edition, coaching, sustained


def _names(html: str) -> list[int]:
    return [html.index(name) for name in NAMES]


def test_public_list_is_alphabetical_without_ranks(listed):
    edition, _coaching, _sustained = listed
    _publish(edition, publish_ranks=False)
    html = client_for(None).get(reverse("awards_list", args=[edition.code])).content.decode()
    balikpapan, payakumbuh, surabaya = (html.index(n) for n in sorted(NAMES))
    assert balikpapan < payakumbuh < surabaya
    assert "Peringkat" not in html
    assert "peringkat tidak diumumkan" in html


def test_public_list_follows_rank_when_published(listed):
    edition, _coaching, _sustained = listed
    _publish(edition, publish_ranks=True)
    html = client_for(None).get(reverse("awards_list", args=[edition.code])).content.decode()
    surabaya, balikpapan, payakumbuh = _names(html)
    assert surabaya < balikpapan < payakumbuh
    assert "Peringkat" in html


def test_downloads_hold_exactly_the_list_shown(listed):
    edition, _coaching, _sustained = listed
    _publish(edition, publish_ranks=False)
    client = client_for(None)
    text = client.get(reverse("awards_list_export", args=[edition.code, "csv"])).content
    rows = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))
    assert rows[0] == ["Kategori", "No.", "Inovasi", "Instansi", "Jenis instansi", "Data demo"]
    assert [r[3] for r in rows[1:]] == sorted(NAMES)
    assert [r[1] for r in rows[1:]] == ["1", "2", "3"]
    assert {r[5] for r in rows[1:]} == {"tidak"}

    xlsx = client.get(reverse("awards_list_export", args=[edition.code, "xlsx"])).content
    sheet = list(load_workbook(io.BytesIO(xlsx)).active.iter_rows(values_only=True))
    assert [r[3] for r in sheet[1:]] == sorted(NAMES)

    pdf = client.get(reverse("awards_list_export", args=[edition.code, "pdf"])).content
    text = " ".join(" ".join(pdf_pages(pdf)).split())
    assert (
        text.index("Kota Balikpapan") < text.index("Kota Payakumbuh") < text.index("Kota Surabaya")
    )
    assert "Peringkat" not in text


def test_unknown_download_format_is_not_found(listed):
    edition, _c, _s = listed
    _publish(edition)
    response = client_for(None).get(reverse("awards_list_export", args=[edition.code, "doc"]))
    assert response.status_code == 404


def test_list_page_query_count_does_not_grow_with_rows(secretariat, django_assert_num_queries):
    small, _coaching, sustained_small = edition_with_categories(secretariat)
    decided_innovation_awards(sustained_small, secretariat, count=1)
    big, _coaching2, sustained_big = edition_with_categories(secretariat)
    decided_innovation_awards(sustained_big, secretariat, count=6)
    for edition in (small, big):
        _publish(edition)
    client = client_for(None)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("awards_list", args=[small.code]))
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(reverse("awards_list", args=[big.code]))
    assert response.content.decode().count("<tr>") >= 6


def test_decision_page_query_count_does_not_grow_with_rows(secretariat, django_assert_num_queries):
    small, _c, sustained_small = edition_with_categories(secretariat)
    [award] = decided_innovation_awards(sustained_small, secretariat, count=1)
    issue_certificate(award, actor=secretariat)
    big, _c2, sustained_big = edition_with_categories(secretariat)
    for award in decided_innovation_awards(sustained_big, secretariat, count=5):
        issue_certificate(award, actor=secretariat)
    client = client_for(secretariat)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("awards_edition", args=[small.code]))
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(reverse("awards_edition", args=[big.code]))
    assert response.content.decode().count("/KEBERLANJUTAN/00") == 5


def test_institution_page_query_count_does_not_grow(secretariat, django_assert_num_queries):
    edition, _c, sustained = edition_with_categories(secretariat)
    awards = decided_innovation_awards(sustained, secretariat, count=4)
    _publish(edition)
    lone = awards[0].institution
    busy = InstitutionFactory()
    Award.objects.filter(pk__in=[a.pk for a in awards[1:]]).update(institution=busy)
    for award in awards:
        issue_certificate(award, actor=secretariat)
    for year in (2019, 2020, 2021):
        AwardRecordFactory(
            innovation=InnovationFactory(institution=busy, unit__institution=busy), year=year
        )
    client = client_for(None)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("awards_institution", args=[lone.pk]))
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(reverse("awards_institution", args=[busy.pk]))


def test_institution_awards_merge_programmes_newest_first(secretariat, unit_a):
    edition, _c, sustained = edition_with_categories(secretariat)
    mine = InnovationFactory(unit=unit_a, name="SITARANG")
    propose_awards(
        sustained,
        [ProposedRecipient(institution_id=mine.institution_id, innovation_id=mine.pk, rank=1)],
        actor=secretariat,
    )
    from prima.awards.domain.proposals import decide_awards

    decide_awards(sustained, actor=secretariat)
    AwardRecordFactory(innovation=mine, programme="kipp", year=2019, tier="top99")
    AwardRecordFactory(innovation=mine, programme="kipp", year=2021, tier="top45", revoked=True)
    institution = unit_a.institution
    client = client_for(None)

    hidden = client.get(reverse("awards_institution", args=[institution.pk])).content.decode()
    assert "Top Inovasi" not in hidden  # edition not published yet
    _publish(edition)
    html = client.get(reverse("awards_institution", args=[institution.pk])).content.decode()

    assert html.index("Top Inovasi Pelayanan Publik") < html.index("top99")
    assert "top45" not in html  # revoked record
    detail = client.get(reverse("institution_detail", args=[institution.pk])).content.decode()
    assert reverse("awards_institution", args=[institution.pk]) in detail


class TestVerificationPage:
    @pytest.fixture
    def certificate(self, secretariat):
        edition, _c, sustained = edition_with_categories(secretariat)
        [award, _] = decided_innovation_awards(sustained, secretariat, names=["SITARANG", "X"])
        record_decree(edition, number="B/1/2024", date=dt.date(2024, 10, 1), actor=secretariat)
        return issue_certificate(award, actor=secretariat)

    def test_genuine(self, certificate):
        response = client_for(None).get(reverse("awards_verify", args=[certificate.code]))
        html = response.content.decode()
        assert response.status_code == 200
        assert "Piagam ini ASLI." in html
        assert "SITARANG" in html and "B/1/2024" in html and certificate.number in html

    def test_revoked(self, certificate, secretariat):
        revoke_certificate(certificate, reason=REASON, actor=secretariat)
        html = client_for(None).get(reverse("awards_verify", args=[certificate.code])).content
        assert "TELAH DICABUT" in html.decode() and REASON in html.decode()

    def test_tampered(self, certificate):
        facts = {**certificate.facts, "innovation": "Inovasi Palsu"}
        Certificate.objects.filter(pk=certificate.pk).update(facts=facts)
        html = client_for(None).get(reverse("awards_verify", args=[certificate.code])).content
        assert "TIDAK ASLI" in html.decode()
        assert "Inovasi Palsu" not in html.decode()

    def test_unknown(self, certificate):
        response = client_for(None).get(reverse("awards_verify", args=["ZZZZZZZZZZZZZZZZ"]))
        assert response.status_code == 404
        assert "tidak dikenal" in response.content.decode()

    def test_rate_limited(self, certificate, settings):
        from prima.awards.interfaces.verification import verify_limit

        client = client_for(None)
        for _ in range(verify_limit()):
            assert client.get(reverse("awards_verify", args=["AAAA"])).status_code == 404
        response = client.get(reverse("awards_verify", args=[certificate.code]))
        assert response.status_code == 429
        assert "Terlalu banyak" in response.content.decode()


def test_bulk_job_issues_every_certificate_and_links_back(
    secretariat, django_capture_on_commit_callbacks
):
    edition, _c, sustained = edition_with_categories(secretariat)
    decided_innovation_awards(sustained, secretariat, count=5)
    client = client_for(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("awards_certificates_job", args=[edition.code]))
    job = followed_job(response)

    assert job.state == "succeeded", job.error
    assert (job.done, job.total) == (5, 5)
    assert job.result["issued"] == 5
    assert job.result["url"] == reverse("awards_edition", args=[edition.code])
    assert Certificate.objects.filter(award__edition=edition).count() == 5
    page = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert reverse("awards_edition", args=[edition.code]) in page

    archive = zipfile.ZipFile(
        io.BytesIO(client.get(reverse("awards_certificates_zip", args=[edition.code])).content)
    )
    assert len(archive.namelist()) == 5
    assert all(name.endswith(".pdf") for name in archive.namelist())


def test_decision_page_overrides_need_reasons(secretariat):
    edition, coaching, _s = edition_with_categories(secretariat)
    client = client_for(secretariat)
    institution = InstitutionFactory()
    response = client.post(
        reverse("awards_add", args=[edition.code, coaching.pk]),
        {"institution": institution.pk, "reason": "pendek"},
        follow=True,
    )
    assert not Award.objects.filter(category=coaching).exists()
    assert "20" in response.content.decode()
    client.post(
        reverse("awards_add", args=[edition.code, coaching.pk]),
        {"institution": institution.pk, "reason": "Ditambahkan atas keputusan rapat pleno."},
    )
    assert Award.objects.filter(category=coaching, institution=institution).exists()


def test_job_progress_is_written_to_the_job(secretariat, django_capture_on_commit_callbacks):
    edition, _c, sustained = edition_with_categories(secretariat)
    decided_innovation_awards(sustained, secretariat, count=3)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(None).post(
            f"/api/v1/awards/editions/{edition.code}/certificates",
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {_token(secretariat)}",
        )
    job = Job.objects.get(pk=response.json()["job"])
    assert response.status_code == 202
    assert (job.state, job.done, job.total) == ("succeeded", 3, 3)
    assert "Piagam" in job.message


def _token(person) -> str:
    from prima.core.domain.tokens import create_api_token

    return create_api_token(actor=person, name="uji")[1]


def test_demo_rows_are_marked_on_the_page_and_in_the_downloads(listed):
    edition, coaching, _sustained = listed
    Award.objects.filter(category=coaching, institution__name="Kota Surabaya").update(
        is_demo_placeholder=True
    )
    _publish(edition)
    client = client_for(None)
    html = client.get(reverse("awards_list", args=[edition.code])).content.decode()
    assert 'id="demo-notice"' in html and "ilustrasi" in html
    assert html.count("data demo</span>") == 1
    text = client.get(reverse("awards_list_export", args=[edition.code, "csv"])).content
    rows = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))
    assert {r[3]: r[5] for r in rows[1:]} == {
        "Kota Balikpapan": "tidak",
        "Kota Payakumbuh": "tidak",
        "Kota Surabaya": "ya",
    }


def test_list_without_demo_rows_has_no_notice(listed):
    edition, _coaching, _sustained = listed
    _publish(edition)
    html = client_for(None).get(reverse("awards_list", args=[edition.code])).content.decode()
    assert "demo-notice" not in html


def test_decision_page_offers_a_new_piagam_after_revocation(secretariat):
    edition, _c, sustained = edition_with_categories(secretariat)
    [award, _] = decided_innovation_awards(sustained, secretariat)
    old = issue_certificate(award, actor=secretariat)
    revoke_certificate(old, reason=REASON, actor=secretariat)
    client = client_for(secretariat)
    html = client.get(reverse("awards_edition", args=[edition.code])).content.decode()
    assert old.number in html and "Terbitkan ulang" in html
    assert "0 sudah berpiagam" in html

    client.post(reverse("awards_issue", args=[edition.code, award.pk]))
    new = Certificate.objects.get(award=award, revoked_at__isnull=True)
    html = client.get(reverse("awards_edition", args=[edition.code])).content.decode()
    assert new.number in html and old.number in html
    assert "Terbitkan ulang" not in html
    assert "1 sudah berpiagam" in html
