"""Background jobs (DESIGN.md §6): progress written sparingly, results and Indonesian errors
stored, the domain untouched by a failed job, uploads removed, and each person sees only
their own jobs on the pages and the API."""

from __future__ import annotations

import logging

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from prima.core.domain.errors import DomainError
from prima.core.domain.jobs import (
    Progress,
    execute_job,
    job_kind,
    job_upload,
    jobs_visible_to,
    outcome,
    start_job,
)
from prima.core.domain.tokens import create_api_token
from prima.core.jobs import start_institution_import
from prima.core.models import AuditEntry, Institution, Job, JobState
from tests.conftest import client_for
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

COUNTED = "tests.jobs.count"
REFUSED = "tests.jobs.refuse"
BROKEN = "tests.jobs.break"
READS_UPLOAD = "tests.jobs.read_upload"


@job_kind(COUNTED)
def _count(job, progress):
    items = int(job.params["items"])
    for done in range(items):
        progress(done, items, "Menghitung")
    return outcome(
        f"{items} butir dihitung.", url="/tugas/", link="Lihat", counts=[("Butir", items)]
    )


@job_kind(REFUSED)
def _refuse(job, progress):
    raise DomainError("Tahap «Penilaian» sudah ditutup; penugasannya tidak dapat diubah.")


@job_kind(BROKEN)
def _break(job, progress):
    raise ZeroDivisionError("rahasia internal")


@job_kind(READS_UPLOAD)
def _read_upload(job, progress):
    with job_upload(job) as file:
        return outcome(file.read().decode())


def run(django_capture_on_commit_callbacks, **kwargs) -> Job:
    with django_capture_on_commit_callbacks(execute=True):
        job = start_job(**{"params": {}, "title": "Uji", **kwargs})
    job.refresh_from_db()
    return job


# --------------------------------------------------------------------------- domain


def test_progress_is_written_at_most_every_half_second_and_at_the_end(
    secretariat, django_assert_num_queries
):
    job = Job.objects.create(kind=COUNTED, title="Uji", started_by=secretariat)
    now = [100.0]
    progress = Progress(job.pk, clock=lambda: now[0])

    with django_assert_num_queries(1):
        for done in range(1000):
            progress(done, 1000, "Memeriksa baris berkas")
    job.refresh_from_db()
    assert (job.done, job.total, job.message) == (0, 1000, "Memeriksa baris berkas")

    now[0] += 0.6
    with django_assert_num_queries(1):
        progress(640)
        progress(700)
    with django_assert_num_queries(1):
        progress.flush()
        progress.flush()
    job.refresh_from_db()
    assert (job.done, job.total, job.percent) == (700, 1000, 70)


def test_a_job_runs_on_commit_and_stores_its_progress_and_result(
    secretariat, django_capture_on_commit_callbacks
):
    job = run(
        django_capture_on_commit_callbacks, kind=COUNTED, params={"items": 250}, actor=secretariat
    )

    assert job.state == JobState.SUCCEEDED
    assert (job.done, job.total, job.percent) == (250, 250, 100)
    assert job.result == {
        "summary": "250 butir dihitung.",
        "url": "/tugas/",
        "link": "Lihat",
        "counts": [["Butir", 250]],
    }
    assert job.started_at and job.finished_at and job.task_id
    assert job.started_by == secretariat and job.error == ""


def test_a_refused_job_stores_the_domain_message_and_writes_nothing(
    secretariat, django_capture_on_commit_callbacks
):
    job = run(django_capture_on_commit_callbacks, kind=REFUSED, actor=secretariat)

    assert job.state == JobState.FAILED
    assert job.error == "Tahap «Penilaian» sudah ditutup; penugasannya tidak dapat diubah."
    assert job.finished_at is not None


def test_a_refused_import_stores_every_row_problem_and_leaves_the_registry_unchanged(
    secretariat, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile(
        "instansi.csv", b"name;kind\nKementerian Kesehatan;ministry\nBadan X;lembaga\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        job = start_institution_import(upload, actor=secretariat)
    job.refresh_from_db()

    assert job.state == JobState.FAILED
    assert job.error.startswith("Baris 3, kolom kind: nilai 'lembaga' tidak dikenal")
    assert job.result["error_count"] == 1
    assert job.result["errors"][0]["row"] == 3 and job.result["errors"][0]["column"] == "kind"
    assert not Institution.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="institution.").exists()
    assert default_storage.listdir("jobs")[1] == []  # the upload is gone


def test_an_unexpected_error_is_logged_and_shown_as_a_generic_indonesian_message(
    secretariat, django_capture_on_commit_callbacks, caplog
):
    with caplog.at_level(logging.ERROR, logger="prima.core.domain.jobs"):
        job = run(django_capture_on_commit_callbacks, kind=BROKEN, actor=secretariat)

    assert job.state == JobState.FAILED
    assert f"Pekerjaan #{job.pk} gagal karena kesalahan tak terduga" in job.error
    assert "rahasia internal" not in job.error
    assert "rahasia internal" in caplog.text


def test_messages_are_written_in_the_language_of_the_person_who_started_the_job(
    admin_a, django_capture_on_commit_callbacks
):
    from django.utils import translation

    from prima.core.jobs import INSTITUTION_IMPORT

    # Started in English; run after the request's language is gone, as a worker would.
    with django_capture_on_commit_callbacks(execute=True), translation.override("en"):
        job = start_job(
            kind=INSTITUTION_IMPORT,
            title="Impor",
            params={},
            actor=admin_a,
            upload=SimpleUploadedFile("i.csv", b"name,kind\nX,ministry\n"),
        )
    job.refresh_from_db()
    # The worker has no request: the job itself carries the language.
    assert job.params["language"] == "en"
    assert job.error == "Only the Secretariat can import institutions."


def test_the_upload_is_stored_for_the_job_and_deleted_when_it_ends(
    secretariat, django_capture_on_commit_callbacks
):
    job = run(
        django_capture_on_commit_callbacks,
        kind=READS_UPLOAD,
        actor=secretariat,
        upload=SimpleUploadedFile("data.csv", b"isi berkas"),
    )

    assert job.result["summary"] == "isi berkas"
    assert job.params["filename"] == "data.csv"
    assert job.params["upload"].startswith("jobs/")
    assert not default_storage.exists(job.params["upload"])


def test_an_oversized_upload_is_refused_before_anything_is_stored(secretariat, settings):
    settings.IMPORT_MAX_BYTES = 5
    with pytest.raises(DomainError, match="Berkas terlalu besar"):
        start_job(
            kind=READS_UPLOAD,
            title="Uji",
            params={},
            actor=secretariat,
            upload=SimpleUploadedFile("data.csv", b"lebih dari lima"),
        )
    assert not Job.objects.exists()


def test_an_unknown_kind_cannot_be_started(secretariat):
    with pytest.raises(ValueError, match=r"tests\.jobs\.nothing"):
        start_job(kind="tests.jobs.nothing", title="Uji", params={}, actor=secretariat)


def test_a_job_that_is_not_queued_is_not_run_again(secretariat):
    job = Job.objects.create(
        kind=COUNTED,
        title="Uji",
        params={"items": 3},
        started_by=secretariat,
        state=JobState.SUCCEEDED,
    )
    assert execute_job(job.pk) == JobState.SUCCEEDED
    job.refresh_from_db()
    assert job.started_at is None and job.result is None


def test_a_person_sees_their_own_jobs_and_a_superuser_all(secretariat, admin_a):
    mine = Job.objects.create(kind=COUNTED, title="Milik sekretariat", started_by=secretariat)
    theirs = Job.objects.create(kind=COUNTED, title="Milik admin", started_by=admin_a)
    root = PersonFactory(is_superuser=True)

    assert list(jobs_visible_to(secretariat)) == [mine]
    assert list(jobs_visible_to(admin_a)) == [theirs]
    assert set(jobs_visible_to(root)) == {mine, theirs}
    assert not jobs_visible_to(None).exists()


# --------------------------------------------------------------------------- pages


def test_the_job_page_shows_a_progress_bar_and_polls_until_finished(secretariat):
    job = Job.objects.create(
        kind=COUNTED,
        title="Impor instansi (instansi.csv)",
        started_by=secretariat,
        state=JobState.RUNNING,
        done=30,
        total=120,
        message="Memeriksa baris berkas",
    )
    client = client_for(secretariat)

    page = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert "<h1>Impor instansi (instansi.csv)</h1>" in page
    assert 'max="100" value="25"' in page and "25% · 30 dari 120" in page
    assert "Memeriksa baris berkas" in page
    assert 'hx-trigger="every 1s"' in page and f'hx-get="/tugas/{job.pk}/"' in page

    partial = client.get(reverse("job_detail", args=[job.pk]), headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode()
    assert 'id="job-status"' in partial.content.decode()

    Job.objects.filter(pk=job.pk).update(
        state=JobState.SUCCEEDED,
        done=120,
        result=outcome(
            "Impor instansi selesai: 120 baru.",
            url="/instansi/",
            link="Lihat daftar instansi",
            counts=[("Baru", 120)],
        ),
    )
    done = client.get(reverse("job_detail", args=[job.pk]), headers={"HX-Request": "true"})
    text = done.content.decode()
    assert "hx-trigger" not in text
    assert "Impor instansi selesai: 120 baru." in text
    assert (
        '<a class="btn btn-primary" href="/instansi/" id="job-result-link">'
        "Lihat daftar instansi</a>" in text
    )


def test_a_failed_job_shows_its_error_and_the_way_back(secretariat):
    job = Job.objects.create(
        kind=REFUSED,
        title="Penugasan",
        started_by=secretariat,
        state=JobState.FAILED,
        error="Label proses penugasan wajib diisi.",
        params={"back": "/instansi/impor/"},
    )
    page = client_for(secretariat).get(reverse("job_detail", args=[job.pk])).content.decode()
    assert "Label proses penugasan wajib diisi." in page
    assert 'href="/instansi/impor/"' in page


def test_another_persons_job_is_not_found(secretariat, admin_a):
    job = Job.objects.create(kind=COUNTED, title="Rahasia", started_by=secretariat)
    client = client_for(admin_a)

    assert client.get(reverse("job_detail", args=[job.pk])).status_code == 404
    assert "Rahasia" not in client.get(reverse("job_list")).content.decode()


def _jobs(person, n, first=0):
    Job.objects.bulk_create(
        [
            Job(kind=COUNTED, title=f"Pekerjaan {i}", started_by=person)
            for i in range(first, first + n)
        ]
    )


def test_the_job_list_is_newest_first_with_a_fixed_number_of_queries(
    secretariat, django_assert_num_queries
):
    client = client_for(secretariat)
    _jobs(secretariat, 2)
    client.get(reverse("job_list"))
    with django_assert_num_queries(5) as two:
        response = client.get(reverse("job_list"))
    assert len(response.context["page"].object_list) == 2
    _jobs(secretariat, 18, first=2)
    with django_assert_num_queries(len(two.captured_queries)):
        response = client.get(reverse("job_list"))
    titles = [job.title for job in response.context["page"].object_list]
    assert len(titles) == 20 and titles[0] == "Pekerjaan 19"


# --------------------------------------------------------------------------- API


def _api(person):
    _token, key = create_api_token(actor=person, name="uji")
    return client_for(None), {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_api_lists_and_shows_the_callers_jobs(
    secretariat, admin_a, django_capture_on_commit_callbacks
):
    job = run(
        django_capture_on_commit_callbacks, kind=COUNTED, params={"items": 4}, actor=secretariat
    )
    Job.objects.create(kind=COUNTED, title="Milik admin", started_by=admin_a)
    client, auth = _api(secretariat)

    listed = client.get("/api/v1/jobs", **auth).json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == job.pk
    one = client.get(f"/api/v1/jobs/{job.pk}", **auth).json()
    assert (one["state"], one["percent"], one["done"], one["total"]) == ("succeeded", 100, 4, 4)
    assert one["result"]["summary"] == "4 butir dihitung."
    assert one["page"] == f"/tugas/{job.pk}/"
    assert client.get("/api/v1/jobs", {"state": "failed"}, **auth).json()["count"] == 0
    assert client.get("/api/v1/jobs", {"state": "selesai"}, **auth).status_code == 400


def test_api_list_query_count_does_not_grow(secretariat, django_assert_num_queries):
    client, auth = _api(secretariat)
    _jobs(secretariat, 2)
    client.get("/api/v1/jobs", **auth)
    with django_assert_num_queries(3) as two:
        assert client.get("/api/v1/jobs", **auth).json()["count"] == 2
    _jobs(secretariat, 18)
    with django_assert_num_queries(len(two.captured_queries)):
        assert client.get("/api/v1/jobs", **auth).json()["count"] == 20


# --------------------------------------------------------------------------- matrix

PERSONAS = ("secretariat", "admin_a", "operator_a", "operator_b", "evaluator", "nobody", "public")
LOGIN = "login"
# The job belongs to the secretariat: everyone else gets 404, as for any object outside
# their scope; the list is everyone's own.
OWN_LIST = {**dict.fromkeys(PERSONAS, 200), "public": LOGIN}
OWN_JOB = {**dict.fromkeys(PERSONAS, 404), "secretariat": 200, "public": LOGIN}
API_OWN_LIST = {**dict.fromkeys(PERSONAS, 200), "public": 401}
API_OWN_JOB = {**dict.fromkeys(PERSONAS, 404), "secretariat": 200, "public": 401}

MATRIX = [
    ("job_list", False, OWN_LIST),
    ("job_detail", True, OWN_JOB),
    ("/api/v1/jobs", False, API_OWN_LIST),
    ("/api/v1/jobs/{job}", True, API_OWN_JOB),
]
COVERED_PAGES = {"job_list", "job_detail"}
COVERED_OPERATIONS = {("get", "/jobs"), ("get", "/jobs/{job}")}


@pytest.mark.parametrize(("route", "needs_job", "expected"), MATRIX, ids=[m[0] for m in MATRIX])
def test_job_authorisation_matrix(route, needs_job, expected, personas):
    job = Job.objects.create(kind=COUNTED, title="Uji", started_by=personas["secretariat"])
    outcome_by_persona = {}
    for name in PERSONAS:
        person = personas[name]
        if route.startswith("/api/"):
            client, auth = _api(person) if person is not None else (client_for(None), {})
            response = client.get(route.format(job=job.pk), **auth)
        else:
            args = [job.pk] if needs_job else []
            response = client_for(person).get(reverse(route, args=args))
        status = response.status_code
        if status == 302 and response.url.startswith(reverse("login")):
            status = LOGIN
        outcome_by_persona[name] = status
    assert outcome_by_persona == expected
