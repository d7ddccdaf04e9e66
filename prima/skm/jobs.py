"""SKM's long operations as background jobs (DESIGN.md §6): importing a file of responses.

The upload page and the API refuse at once what would fail at once (who asks, the survey's
state, the mode, a file over 50 MB), store the file and queue the job; the kind reads the
file in passes through :func:`prima.skm.interfaces.response_import.import_responses`, reporting
progress, and returns what the job page shows: a sentence, counts, and a link to the file
of rows left out (apply-valid-rows mode) or to the survey.

Registered by importing this module from the SKM URLconf and API (both load at start-up);
``SkmConfig.ready`` should import it too so a worker that never loads the URLconf knows
the kind.
"""

from __future__ import annotations

from typing import Any

from django.core.files import File
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.domain.jobs import (
    Progress,
    job_actor,
    job_kind,
    job_upload,
    outcome,
    start_job,
    store_upload,
)
from prima.core.models import Job
from prima.skm.domain.permissions import may_run_survey
from prima.skm.interfaces.response_file import IMPORT_LIMITS
from prima.skm.interfaces.response_import import (
    ImportMode,
    check_importable,
    import_mode,
    import_responses,
    rejected_file_exists,
)
from prima.skm.models import Survey
from prima.skm.queries import surveys_visible_to

RESPONSE_IMPORT = "skm.responses.import"


def survey_page(survey_id: int) -> str:
    """The survey's detail page (area "surveys"), or its import page until it exists."""
    try:
        return reverse("skm_survey", args=[survey_id])
    except NoReverseMatch:
        return reverse("skm_import", args=[survey_id])


def start_response_import(survey: Survey, upload: File, *, actor: Any, mode: str | None) -> Job:
    """Store the file and queue its import into the survey (those who run the survey,
    while it collects)."""
    chosen = import_mode(mode)
    check_importable(survey, actor=actor)
    if not upload.size:
        raise DomainError(
            _("Berkas kosong: pilih berkas CSV atau XLSX berisi jawaban."), field="file"
        )
    stored = store_upload(upload, max_bytes=IMPORT_LIMITS.max_bytes)
    return start_job(
        kind=RESPONSE_IMPORT,
        title=_("Impor jawaban SKM %(survey)s (%(file)s)")
        % {"survey": survey, "file": stored["filename"]},
        params={"survey": survey.pk, "mode": chosen.value, **stored},
        actor=actor,
        back_url=reverse("skm_import", args=[survey.pk]),
    )


class SurveyHidden(PermissionDenied):
    """The person may not read the survey at all (the API answers 404 then)."""


def rejected_file_of(job_id: int, person: Any) -> tuple[Job, str] | None:
    """The import job and its stored file of rejected rows, for the person who ran the
    import or who runs the survey; None when there is no such file. Raises
    PermissionDenied for anyone else (SurveyHidden when they cannot read the survey)."""
    job = Job.objects.filter(pk=job_id, kind=RESPONSE_IMPORT).first()
    result = job.result if job is not None and isinstance(job.result, dict) else {}
    name = str(result.get("rejected_file") or "")
    if job is None or not rejected_file_exists(name):
        return None
    if job.started_by_id != getattr(person, "pk", None):
        refused = _("Anda tidak berwenang mengunduh baris yang ditolak ini.")
        survey_id = int((job.params or {}).get("survey") or 0)
        survey = surveys_visible_to(person).filter(pk=survey_id).first()
        if survey is None:
            raise SurveyHidden(refused)
        if not may_run_survey(person, survey):
            raise PermissionDenied(refused)
    return job, name


def rejected_download(job_id: int) -> str:
    """The page that serves the rows an import left out."""
    return reverse("skm_import_rejected", args=[job_id])


@job_kind(RESPONSE_IMPORT)
def response_import_job(job: Job, progress: Progress) -> dict[str, Any]:
    params = job.params or {}
    survey_id = int(params.get("survey") or 0)
    survey = Survey.objects.select_related("unit").filter(pk=survey_id).first()
    if survey is None:
        raise DomainError(_("Survei pekerjaan impor ini sudah tidak ada."))
    with job_upload(job) as file:
        result = import_responses(
            survey,
            getattr(file, "file", file),
            actor=job_actor(job),
            mode=str(params.get("mode") or ImportMode.ALL_OR_NOTHING),
            filename=str(params.get("filename") or ""),
            progress=progress,
        )
    if result.rejected:
        summary = _(
            "Impor selesai: %(imported)s jawaban disimpan, %(rejected)s baris ditolak. Unduh "
            "baris yang ditolak, perbaiki, hapus kolom row, column dan message, lalu unggah "
            "lagi berkas itu saja."
        ) % {"imported": result.imported, "rejected": result.rejected}
        url, link = rejected_download(job.pk), _("Unduh baris yang ditolak (CSV)")
    else:
        summary = _("Impor selesai: %(imported)s jawaban disimpan.") % {"imported": result.imported}
        url, link = survey_page(survey.pk), _("Kembali ke survei")
    return outcome(
        summary,
        url=url,
        link=link,
        counts=[
            (_("Baris dibaca"), result.rows),
            (_("Jawaban disimpan"), result.imported),
            (_("Baris ditolak"), result.rejected),
        ],
        survey=survey.pk,
        mode=result.mode,
        rows=result.rows,
        imported=result.imported,
        rejected=result.rejected,
        rejected_file=result.rejected_file,
        rejected_url=rejected_download(job.pk) if result.rejected_file else "",
        rejected_api=f"/api/v1/skm/imports/{job.pk}/rejected" if result.rejected_file else "",
    )
