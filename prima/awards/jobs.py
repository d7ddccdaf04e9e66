"""Awards' long operations as background jobs: issuing all certificates of an edition."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from prima.awards.domain.certificates import issue_missing_certificates
from prima.awards.domain.permissions import require_secretariat
from prima.core.domain.errors import DomainError
from prima.core.domain.jobs import Progress, job_actor, job_kind, outcome, start_job
from prima.core.models import Job
from prima.evaluation.models import Edition

CERTIFICATES = "awards.certificates"


def start_certificates_job(edition: Edition, *, actor: Any) -> Job:
    """Queue the issue of every missing certificate of the edition (secretariat only)."""
    require_secretariat(actor)
    return start_job(
        kind=CERTIFICATES,
        title=_("Buat semua piagam — %(edition)s") % {"edition": edition.code},
        params={"edition": edition.pk},
        actor=actor,
        back_url=reverse("awards_edition", args=[edition.code]),
    )


@job_kind(CERTIFICATES)
def certificates_job(job: Job, progress: Progress) -> dict[str, Any]:
    edition = Edition.objects.filter(pk=job.params.get("edition")).first()
    if edition is None:
        raise DomainError(_("Penyelenggaraan pekerjaan ini sudah tidak ada."))
    summary = issue_missing_certificates(edition, actor=job_actor(job), progress=progress)
    text = _("%(n)s piagam diterbitkan; %(already)s sudah ada sebelumnya.") % {
        "n": summary.issued,
        "already": summary.already,
    }
    if summary.failures:
        text += " " + _("%(n)s gagal: %(list)s.") % {
            "n": len(summary.failures),
            "list": "; ".join(f"{f.award} ({f.message})" for f in summary.failures),
        }
    return outcome(
        text,
        url=reverse("awards_edition", args=[edition.code]),
        link=_("Lihat penghargaan dan unduh piagam"),
        counts=[
            (_("Piagam baru"), summary.issued),
            (_("Sudah ada"), summary.already),
            (_("Gagal"), len(summary.failures)),
        ],
        issued=summary.issued,
        already=summary.already,
        numbers=list(summary.numbers),
        failures=[{"award": f.award, "message": f.message} for f in summary.failures],
        zip=reverse("awards_certificates_zip", args=[edition.code]),
    )
