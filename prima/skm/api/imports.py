"""SKM API: importing a file of responses into a survey (skm.md §9).

`POST /skm/surveys/{id}/import` stores the file and answers `202` with the job to poll
(`GET /jobs/{id}`); the job's `result` holds `rows`, `imported`, `rejected` and, when rows
were left out (mode `apply_valid_rows`), `rejected_api`: the path of
`GET /skm/imports/{job_id}/rejected`, the CSV of those rows with `row`, `column` and
`message` in front of the canonical columns. In mode `all_or_nothing` (the default) a file
with any bad row changes nothing; the job fails with `result.errors` by row and column.
"""

from __future__ import annotations

from typing import Any

from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile

from prima.core.api_auth import token_person
from prima.core.api_jobs import JobStarted, job_started
from prima.skm.jobs import SurveyHidden, rejected_file_of, start_response_import
from prima.skm.queries import surveys_visible_to

router = Router(tags=["SKM"])


class ErrorOut(Schema):
    detail: str


@router.post(
    "/surveys/{survey_id}/import",
    response={202: JobStarted, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Impor berkas jawaban (CSV/XLSX tata letak baku) sebagai pekerjaan latar",
)
def import_responses(
    request: HttpRequest,
    survey_id: int,
    file: File[UploadedFile],
    mode: Form[str] = "all_or_nothing",
) -> tuple[int, dict[str, Any]]:
    """`mode`: `all_or_nothing` (default) or `apply_valid_rows`. Only while the survey
    collects, for the people who run it; at most 50 MB and 1,000,000 rows."""
    person = token_person(request)
    survey = surveys_visible_to(person).filter(pk=survey_id).first()
    if survey is None:
        raise HttpError(404, _("Survei tidak ditemukan."))
    job = start_response_import(survey, file, actor=person, mode=mode)
    return 202, job_started(job)


@router.get(
    "/imports/{job_id}/rejected",
    response={200: None, 403: ErrorOut, 404: ErrorOut},
    summary="Unduh baris yang ditolak sebuah impor (CSV)",
)
def rejected_rows(request: HttpRequest, job_id: int) -> Any:
    """For the person who ran the import and the people who run the survey."""
    try:
        found = rejected_file_of(job_id, token_person(request))
    except SurveyHidden:
        found = None
    if found is None:
        raise HttpError(404, _("Impor ini tidak memiliki berkas baris yang ditolak."))
    job, name = found
    return FileResponse(
        default_storage.open(name, "rb"),
        as_attachment=True,
        filename=f"baris-ditolak-impor-{job.pk}.csv",
        content_type="text/csv; charset=utf-8",
    )
