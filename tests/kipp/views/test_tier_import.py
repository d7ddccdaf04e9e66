"""The secretariat's tier-history import pages: upload, summary, review queue."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from prima.innovations.models import AwardRecord
from prima.kipp.domain.tier_import import pending_review
from prima.kipp.interfaces.tier_import import import_tier_history
from tests.conftest import client_for
from tests.jobs import followed_job
from tests.kipp.domain.test_tier_import import a10_lines, innovation, line, upload


def test_upload_applies_the_file_and_the_page_shows_the_summary(
    secretariat, institution_a, django_capture_on_commit_callbacks
):
    client = client_for(secretariat)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("kipp_tier_import"), {"file": upload(a10_lines())})

    job = followed_job(response)
    assert (job.state, job.result["records"], job.done, job.total) == (
        "succeeded",
        1065,
        1065,
        1065,
    )
    assert "1065 tier dicatat" in client.get(response.url).content.decode()
    page = client.get(job.result["url"]).content.decode()
    assert "2014–2023: 1065; angka resmi 1065: sama" in page
    assert "top15_replikasi" in page


def test_a_bad_file_lists_every_problem_and_writes_nothing(
    secretariat, institution_a, django_capture_on_commit_callbacks
):
    client = client_for(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("kipp_tier_import"),
            {"file": upload([line(2019, "top99", "X", institution_name="Kota Antah")])},
        )

    page = client.get(response.url).content.decode()
    assert followed_job(response).state == "failed"
    assert "Berkas tidak diterapkan" in page
    assert "institution_name" in page and "tidak ada di registri" in page
    assert f'href="{reverse("kipp_tier_import")}"' in page
    assert not AwardRecord.objects.exists()


def test_summary_shows_a_difference(secretariat, institution_a):
    import_tier_history(upload([line(2019, "top99", "X")]), actor=secretariat)

    page = client_for(secretariat).get(reverse("kipp_tier_import")).content.decode()

    assert "angka resmi 1065: berbeda: -1064" in page


def test_review_queue_lists_candidates_and_resolving_records_the_tier(
    secretariat, institution_a, unit_a
):
    first = innovation(unit=unit_a, name="Layanan Antar")
    innovation(unit=unit_a, name="Layanan Antar.")
    import_tier_history(upload([line(2021, "top99", "Layanan Antar")]), actor=secretariat)
    client = client_for(secretariat)
    [item] = pending_review()

    page = client.get(reverse("kipp_tier_import_review")).content.decode()
    url = reverse("kipp_tier_import_resolve", args=[item.entry_id, item.index])
    form = client.get(url).content.decode()
    response = client.post(url, {"choice": str(first.pk)})

    assert "Layanan Antar." in page and url in page
    assert "Buat inovasi baru" in form
    assert response.status_code == 302
    assert first.awards.get().tier == "top99"
    assert client.get(url).status_code == 302  # already settled


def test_review_queue_query_count_does_not_grow_with_rows(
    secretariat, institution_a, unit_a, django_assert_num_queries
):
    innovation(unit=unit_a, name="Satu")
    innovation(unit=unit_a, name="satu")
    import_tier_history(upload([line(2021, "top99", "Satu")]), actor=secretariat)
    client = client_for(secretariat)
    client.get(reverse("kipp_tier_import_review"))  # warm the session and access caches
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("kipp_tier_import_review"))
    for n in range(3):
        innovation(unit=unit_a, name=f"Dua {n}")
        innovation(unit=unit_a, name=f"dua {n}!")
    import_tier_history(
        upload([line(2021, "top99", f"Dua {n}") for n in range(3)]), actor=secretariat
    )
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(reverse("kipp_tier_import_review"))
    assert response.content.decode().count("Putuskan") == 4
