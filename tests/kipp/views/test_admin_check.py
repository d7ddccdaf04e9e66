"""Administrative check pages and API: queue, filters, proposal check, decisions, export."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from prima.core.domain.tokens import create_api_token
from prima.core.models import AuditEntry, Job
from prima.kipp.domain.admin_check import decide_admin_check, start_admin_check
from prima.kipp.enums import ProposalState as S
from prima.kipp.models import AdminCheck, Proposal
from tests.conftest import client_for
from tests.factories import AwardRecordFactory, InnovationFactory
from tests.jobs import followed_job
from tests.kipp.domain.test_admin_check import ANSWERS, admin_edition, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition(secretariat, unit_a, unit_b):
    """Four proposals from Payakumbuh and Surabaya: one clean, one too young, and a near
    copy of another (both carry the careless_content warning)."""
    edition = admin_edition()
    submitted(edition, unit=unit_a, title="Bank Sampah Sekolah", answers=ANSWERS[2])
    submitted(edition, unit=unit_a, title="Mobil Sehat Keliling", answers=ANSWERS[0])
    submitted(
        edition,
        unit=unit_b,
        title="Izin Usaha Sehari",
        answers=ANSWERS[1],
        started_on=dt.date(2024, 5, 1),
    )
    copied = dict(ANSWERS[0], ringkasan=ANSWERS[0]["ringkasan"] + " Juga di kecamatan.")
    submitted(edition, unit=unit_b, title="Ambulans Desa Keliling", answers=copied)
    start_admin_check(edition, actor=secretariat)
    return edition


def proposal(title: str) -> Proposal:
    return Proposal.objects.get(title=title)


def queue(client, edition, **params):
    return client.get(reverse("kipp_admin_check_queue", args=[edition.code]), params)


def queue_rows(person, edition, **params) -> list[dict[str, Any]]:
    return queue(client_for(person), edition, **params).context["rows"]


# --------------------------------------------------------------------------- queue


def test_queue_lists_every_proposal_with_its_automatic_result(secretariat, edition):
    page = queue(client_for(secretariat), edition).content.decode()

    assert "Mobil Sehat Keliling" in page and "Izin Usaha Sehari" in page
    assert "age_below_minimum" in page and "careless_content" in page
    assert "Ada yang gagal" in page and "Semua terpenuhi" in page
    assert reverse("kipp_admin_check_pass_clean", args=[edition.code]) in page
    rows = {row["proposal"].title: row for row in queue_rows(secretariat, edition)}
    assert rows["Mobil Sehat Keliling"]["status"] == rows["Ambulans Desa Keliling"]["status"]
    assert rows["Ambulans Desa Keliling"]["status"] == "warning"
    assert rows["Ambulans Desa Keliling"]["top"] >= 80
    assert rows["Bank Sampah Sekolah"]["top"] is None
    counts = {
        key: count
        for _label, count, key in queue(client_for(secretariat), edition).context["counts"]
    }
    assert counts == {"failed": 1, "warning": 2, "passed": 1, "pending": 0}


@pytest.mark.parametrize(
    "params, titles",
    [
        ({"automatic": "failed"}, {"Izin Usaha Sehari"}),
        ({"automatic": "warning"}, {"Mobil Sehat Keliling", "Ambulans Desa Keliling"}),
        ({"automatic": "passed"}, {"Bank Sampah Sekolah"}),
        ({"automatic": "clean"}, {"Bank Sampah Sekolah"}),
        ({"automatic": "pending"}, set()),
        ({"province": "13"}, {"Mobil Sehat Keliling", "Bank Sampah Sekolah"}),
        ({"q": "keliling"}, {"Mobil Sehat Keliling", "Ambulans Desa Keliling"}),
        ({"q": "surabaya desa"}, {"Ambulans Desa Keliling"}),
        ({"decision": "passed"}, {"Mobil Sehat Keliling"}),
        (
            {"decision": "undecided", "group": "umum", "category": "AC4"},
            {"Izin Usaha Sehari", "Ambulans Desa Keliling", "Bank Sampah Sekolah"},
        ),
    ],
)
def test_queue_filters(secretariat, edition, params, titles):
    decide_admin_check(proposal("Mobil Sehat Keliling"), passed=True, actor=secretariat)

    response = queue(client_for(secretariat), edition, **params)

    shown = {row["proposal"].title for row in response.context["rows"]}
    assert shown == titles


@pytest.mark.parametrize("count", [1, 5])
def test_queue_queries_do_not_grow_with_rows(secretariat, count, django_assert_num_queries):
    edition = admin_edition()
    for _ in range(count):
        submitted(edition)
    start_admin_check(edition, actor=secretariat)
    client = client_for(secretariat)
    queue(client, edition)
    with django_assert_num_queries(11):
        response = queue(client, edition)
    assert len(response.context["rows"]) == count


def test_readers_see_the_queue_without_actions(personas, edition, django_user_model):
    from prima.core.enums import Role
    from tests.factories import person_with_role

    viewer = person_with_role(Role.VIEWER, username="pemantau")
    page = queue(client_for(viewer), edition).content.decode()

    assert "Izin Usaha Sehari" in page
    assert reverse("kipp_admin_check_pass_clean", args=[edition.code]) not in page


# --------------------------------------------------------------------------- one proposal


def test_check_page_shows_snapshot_results_and_the_near_copy(secretariat, edition):
    original = proposal("Mobil Sehat Keliling")
    copy = proposal("Ambulans Desa Keliling")

    page = (
        client_for(secretariat)
        .get(reverse("kipp_admin_check_detail", args=[edition.code, original.pk]))
        .content.decode()
    )

    assert ANSWERS[0]["signifikansi"] in page
    assert "Signifikansi" in page and "/600 kata" in page
    assert "bukti_mulai_implementasi" in page
    assert "Terpenuhi" in page
    assert reverse("kipp_admin_check_detail", args=[edition.code, copy.pk]) in page
    assert "kemungkinan salinan" in page
    assert "Simpan keputusan" in page
    # The warning suggests careless_content as the reason, should the proposal fail.
    form = client_for(secretariat).get(
        reverse("kipp_admin_check_detail", args=[edition.code, copy.pk])
    )
    assert form.context["form"].initial["reasons"] == ["careless_content"]


def test_a_decision_moves_on_to_the_next_undecided(secretariat, edition):
    first = proposal("Mobil Sehat Keliling")
    url = reverse("kipp_admin_check_decide", args=[edition.code, first.pk])

    response = client_for(secretariat).post(url, {"result": "pass", "note": ""})

    first.refresh_from_db()
    assert first.state == S.ADMIN_PASSED
    assert first.participant_state == S.SUBMITTED
    following = (
        Proposal.objects.filter(edition=edition, state=S.SUBMITTED, pk__gt=first.pk)
        .order_by("pk")
        .first()
    )
    assert following is not None
    assert response["Location"] == reverse(
        "kipp_admin_check_detail", args=[edition.code, following.pk]
    )


def test_a_fail_without_reason_is_shown_on_the_form(secretariat, edition):
    young = proposal("Izin Usaha Sehari")
    url = reverse("kipp_admin_check_decide", args=[edition.code, young.pk])

    response = client_for(secretariat).post(url, {"result": "fail", "note": ""})

    assert response.status_code == 422
    assert "minimal satu kode alasan" in response.content.decode()
    done = client_for(secretariat).post(
        url, {"result": "fail", "reasons": ["age_below_minimum"], "note": ""}
    )
    assert done.status_code == 302
    young.refresh_from_db()
    assert young.state == S.ADMIN_FAILED
    assert young.admin_check.reasons == ["age_below_minimum"]


def test_override_from_the_page(secretariat, edition):
    young = proposal("Izin Usaha Sehari")
    url = reverse("kipp_admin_check_override", args=[edition.code, young.pk])
    client = client_for(secretariat)

    client.post(url, {"rule": "age", "note": "singkat"})
    assert AdminCheck.objects.get(proposal=young).overrides == []

    client.post(url, {"rule": "age", "note": "Mulai 2023 sesuai SK Bupati yang dilampirkan."})

    assert AdminCheck.objects.get(proposal=young).overrides[0]["rule"] == "age"


def test_bulk_pass_needs_confirmation(secretariat, edition):
    url = reverse("kipp_admin_check_pass_clean", args=[edition.code])
    client = client_for(secretariat)

    client.post(url, {"note": "x"})
    assert not Proposal.objects.filter(state=S.ADMIN_PASSED).exists()

    client.post(url, {"confirm": "on", "note": "Lolos otomatis"})

    # The near copies carry a warning: only the clean proposal is passed.
    assert set(Proposal.objects.filter(state=S.ADMIN_PASSED).values_list("title", flat=True)) == {
        "Bank Sampah Sekolah"
    }


def test_start_and_recompute_buttons(secretariat, edition, django_capture_on_commit_callbacks):
    client = client_for(secretariat)
    AdminCheck.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(reverse("kipp_admin_check_start", args=[edition.code]))
    job = followed_job(started)
    assert AdminCheck.objects.count() == 4
    assert (job.state, job.done, job.total) == ("succeeded", 6, 6)  # 4 proposals + 2 steps
    assert job.result["url"] == reverse("kipp_admin_check_queue", args=[edition.code])
    assert "1 pasang proposal sangat mirip" in client.get(started.url).content.decode()
    AdminCheck.objects.update(similar=[], similar_computed_at=None)
    assert "belum dihitung" in queue(client, edition).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        recomputed = client.post(reverse("kipp_admin_check_similarity", args=[edition.code]))

    job = followed_job(recomputed)
    assert "Kemiripan 4 proposal dihitung ulang; 1 pasang" in job.result["summary"]
    response = client.get(job.result["url"])
    page = response.content.decode()
    assert "terakhir dihitung" in page
    rows = {row["proposal"].title: row for row in response.context["rows"]}
    assert rows["Ambulans Desa Keliling"]["top"] >= 80
    assert AuditEntry.objects.filter(action="kipp.admin_check.similarity").count() == 1


def test_recompute_outside_the_check_is_refused_with_a_message(secretariat):
    from prima.evaluation.enums import EditionState
    from tests.kipp.factories import EditionFactory

    closed = EditionFactory(stages=EditionState.REGISTRATION_CLOSED)
    response = client_for(secretariat).post(
        reverse("kipp_admin_check_similarity", args=[closed.code]), follow=True
    )
    assert "dihitung saat tahap seleksi administrasi berjalan" in response.content.decode()
    assert not AuditEntry.objects.filter(action="kipp.admin_check.similarity").exists()
    assert not Job.objects.exists()  # refused at once, nothing queued


def test_export_holds_the_check_table(secretariat, edition):
    decide_admin_check(
        proposal("Izin Usaha Sehari"),
        passed=False,
        reasons=["age_below_minimum"],
        actor=secretariat,
    )
    client = client_for(secretariat)

    xlsx = client.get(reverse("kipp_admin_check_export", args=[edition.code]), {"format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    csv = client.get(
        reverse("kipp_admin_check_export", args=[edition.code]),
        {"format": "csv", "automatic": "failed"},
    ).content.decode("utf-8-sig")

    assert rows[0][:3] == ("ID", "Judul inovasi", "Instansi")
    by_title = {row[1]: row for row in rows[1:]}
    assert by_title["Izin Usaha Sehari"][10] == "age_below_minimum"
    assert by_title["Izin Usaha Sehari"][12] == "Tidak lolos"
    assert by_title["Bank Sampah Sekolah"][9] == "Semua terpenuhi"
    assert by_title["Mobil Sehat Keliling"][9] == "Ada peringatan"
    assert by_title["Mobil Sehat Keliling"][11] == "careless_content"
    copy = proposal("Ambulans Desa Keliling")
    assert (
        by_title["Mobil Sehat Keliling"][18] == copy.pk
        and by_title["Mobil Sehat Keliling"][17] >= 80
    )
    assert by_title["Bank Sampah Sekolah"][17:19] in ((None, None), ("", ""))
    assert len(csv.strip().splitlines()) == 2 and "Izin Usaha Sehari" in csv


# --------------------------------------------------------------------------- API


def bearer(person) -> dict[str, str]:
    """Request headers with a new API token of the person."""
    _, key = create_api_token(actor=person, name=f"uji-{uuid.uuid4().hex[:8]}")
    return {"Authorization": f"Bearer {key}"}


def test_api_lists_with_filters(secretariat, edition):
    url = f"/api/v1/kipp/editions/{edition.code}/admin-check"
    client = client_for(None)

    everything = client.get(url, headers=bearer(secretariat)).json()
    failed = client.get(url + "?automatic=failed", headers=bearer(secretariat)).json()

    assert everything["count"] == 4
    assert failed["count"] == 1
    item = failed["items"][0]
    assert item["title"] == "Izin Usaha Sehari"
    assert item["automatic_status"] == "failed"
    assert item["failed"] == ["age_below_minimum"]


def test_api_decides_and_reports_refusals(secretariat, edition):
    young = proposal("Izin Usaha Sehari")
    url = f"/api/v1/kipp/editions/{edition.code}/admin-check/{young.pk}/decision"
    client = client_for(None)
    headers = bearer(secretariat)

    refused = client.post(url, {"passed": False}, content_type="application/json", headers=headers)
    done = client.post(
        url,
        {"passed": False, "reasons": ["age_below_minimum", "other"], "note": "Mulai 2024."},
        content_type="application/json",
        headers=headers,
    )

    assert refused.status_code == 422
    assert "kode alasan" in refused.json()["detail"]
    assert done.status_code == 200
    assert done.json()["state"] == S.ADMIN_FAILED
    assert done.json()["reasons"] == ["age_below_minimum", "other"]


def test_api_detail_lists_checks_and_similar(secretariat, edition):
    original = proposal("Mobil Sehat Keliling")
    data = (
        client_for(secretariat)
        .get(f"/api/v1/kipp/editions/{edition.code}/admin-check/{original.pk}")
        .json()
    )

    assert {check["rule"] for check in data["checks"]} >= {
        "age",
        "attachments",
        "category",
        "similar_content",
    }
    assert data["automatic_status"] == "warning"
    assert data["similar"][0]["title"] == "Ambulans Desa Keliling"
    assert data["similar"][0]["similarity"] >= 0.8 and data["similar"][0]["possible_copy"]
    assert data["top_similarity"] == data["similar"][0]["similarity"]
    assert data["similar_computed_at"] is not None


def test_api_override_start_and_pass_clean(
    secretariat, edition, django_capture_on_commit_callbacks
):
    client = client_for(None)
    headers = bearer(secretariat)
    base = f"/api/v1/kipp/editions/{edition.code}/admin-check"
    young = proposal("Izin Usaha Sehari")

    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(f"{base}/start", headers=headers)
    assert started.status_code == 202
    job = client.get(started.json()["url"], headers=headers).json()
    overridden = client.post(
        f"{base}/{young.pk}/override",
        {"code": "age_below_minimum", "note": "Dikoreksi sesuai SK pembentukan."},
        content_type="application/json",
        headers=headers,
    )
    passed = client.post(
        f"{base}/pass-clean", {"note": ""}, content_type="application/json", headers=headers
    )

    assert job["state"] == "succeeded"
    assert {k: job["result"][k] for k in ("checked", "failed", "warnings", "clean")} == {
        "checked": 4,
        "failed": 1,
        "warnings": 2,
        "clean": 1,
    }
    assert job["result"]["similar_pairs"] == 1
    assert overridden.json()["automatic_status"] == "passed"
    assert passed.json() == {"passed": 2}


def test_reentry_warning_links_the_earlier_innovation(secretariat, unit_b):
    edition = admin_edition()
    old: Any = InnovationFactory(unit=unit_b, name="Kampung Digital Sejahtera")
    AwardRecordFactory(innovation=old, year=2021)
    entry = submitted(edition, title="Kampung Digital Sejahtera!")
    start_admin_check(edition, actor=secretariat)

    page = (
        client_for(secretariat)
        .get(reverse("kipp_admin_check_detail", args=[edition.code, entry.pk]))
        .content.decode()
    )

    assert "Peringatan" in page
    assert reverse("innovation_detail", args=[old.pk]) in page


@pytest.mark.parametrize("count", [1, 5])
def test_api_list_queries_do_not_grow_with_rows(secretariat, count, django_assert_num_queries):
    edition = admin_edition()
    for _ in range(count):
        submitted(edition)
    start_admin_check(edition, actor=secretariat)
    client = client_for(secretariat)
    url = f"/api/v1/kipp/editions/{edition.code}/admin-check"
    client.get(url)
    with django_assert_num_queries(6):
        data = client.get(url).json()
    assert data["count"] == count


@pytest.mark.parametrize("count", [1, 5])
@pytest.mark.parametrize("status", ["warning", "passed", "pending"])
def test_queue_filter_by_status_runs_in_the_database(
    secretariat, count, status, django_assert_num_queries
):
    """Filtering by the automatic result costs the same queries for 1 or many matches."""
    edition = admin_edition()
    for _ in range(count):
        original = submitted(edition, answers=ANSWERS[0])
        submitted(edition, answers=ANSWERS[0])  # an exact copy: both get the warning
        submitted(edition)  # passes
        submitted(edition, files=("sk_inovator",))  # fails
    start_admin_check(edition, actor=secretariat)
    AdminCheck.objects.filter(proposal=original).delete()  # not checked yet: pending
    client = client_for(secretariat)
    queue(client, edition, automatic=status)
    expected = {"warning": 2 * count - 1, "passed": count, "pending": 1}[status]

    with django_assert_num_queries(11):
        response = queue(client, edition, automatic=status)

    rows = response.context["rows"]
    assert len(rows) == expected
    assert {row["status"] for row in rows} == {status}


@pytest.mark.parametrize("count", [1, 5])
def test_api_status_filter_queries_do_not_grow(secretariat, count, django_assert_num_queries):
    edition = admin_edition()
    for _ in range(count):
        submitted(edition, files=("sk_inovator",))
        submitted(edition)
    start_admin_check(edition, actor=secretariat)
    client = client_for(secretariat)
    url = f"/api/v1/kipp/editions/{edition.code}/admin-check?automatic=failed"
    client.get(url)
    with django_assert_num_queries(6):
        data = client.get(url).json()
    assert data["count"] == count
    assert {item["automatic_status"] for item in data["items"]} == {"failed"}
