"""The registry's long operations as background jobs: importing institutions and service
units from a file (DESIGN.md §6). The upload is stored first; the job checks every row
and applies all of them or none, exactly as `prima.core.interfaces.registry_io` does."""

from __future__ import annotations

from typing import Any

from django.core.files import File
from django.urls import reverse
from django.utils.translation import gettext as _

from prima.core.access import access_for
from prima.core.domain.errors import PermissionDenied
from prima.core.domain.jobs import (
    Progress,
    job_actor,
    job_kind,
    job_upload,
    outcome,
    start_job,
)
from prima.core.interfaces import registry_io
from prima.core.models import Job

INSTITUTION_IMPORT = "core.registry.import_institutions"
UNIT_IMPORT = "core.registry.import_units"


def start_institution_import(upload: File, *, actor: Any) -> Job:
    """Store the file and queue the import of institutions (secretariat only)."""
    if not access_for(actor).is_secretariat:
        raise PermissionDenied(_("Hanya Sekretariat yang dapat mengimpor instansi."))
    return start_job(
        kind=INSTITUTION_IMPORT,
        title=_("Impor instansi (%(file)s)") % {"file": upload.name or "berkas"},
        params={},
        actor=actor,
        upload=upload,
        back_url=reverse("institution_import"),
    )


def start_unit_import(upload: File, *, actor: Any) -> Job:
    """Store the file and queue the import of service units (secretariat, Admin Lokal)."""
    access = access_for(actor)
    if not (access.is_secretariat or access.admin_institution_ids):
        raise PermissionDenied(
            _("Hanya Sekretariat atau Admin Lokal yang dapat mengimpor unit pelayanan.")
        )
    return start_job(
        kind=UNIT_IMPORT,
        title=_("Impor unit pelayanan (%(file)s)") % {"file": upload.name or "berkas"},
        params={},
        actor=actor,
        upload=upload,
        back_url=reverse("unit_import"),
    )


def _imported(result: registry_io.ImportResult, noun: str, url: str, link: str) -> dict[str, Any]:
    return outcome(
        _(
            "Impor %(noun)s selesai: %(created)d baru, %(updated)d diperbarui, "
            "%(unchanged)d tidak berubah."
        )
        % {
            "noun": noun,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
        },
        url=url,
        link=link,
        counts=[
            (_("Baru"), result.created),
            (_("Diperbarui"), result.updated),
            (_("Tidak berubah"), result.unchanged),
        ],
        created=result.created,
        updated=result.updated,
        unchanged=result.unchanged,
    )


@job_kind(INSTITUTION_IMPORT)
def institution_import_job(job: Job, progress: Progress) -> dict[str, Any]:
    with job_upload(job) as file:
        result = registry_io.import_institutions(file, actor=job_actor(job), progress=progress)
    return _imported(result, _("instansi"), reverse("institution_list"), _("Lihat daftar instansi"))


@job_kind(UNIT_IMPORT)
def unit_import_job(job: Job, progress: Progress) -> dict[str, Any]:
    with job_upload(job) as file:
        result = registry_io.import_units(file, actor=job_actor(job), progress=progress)
    return _imported(
        result, _("unit pelayanan"), reverse("unit_list"), _("Lihat daftar unit pelayanan")
    )
