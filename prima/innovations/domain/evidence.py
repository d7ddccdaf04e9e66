"""Evidence files (bukti dukung) behind an innovation's claims."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from prima.core.domain import audit
from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.models import Person
from prima.core.uploads import check_upload, delete_on_commit, refuse_duplicate, stored_upload
from prima.innovations.domain.permissions import may_edit
from prima.innovations.models import Evidence, Innovation

AUDIT_FIELDS = (
    "innovation",
    "file",
    "original_name",
    "content_type",
    "size",
    "sha256",
    "description",
    "is_public",
)
MAX_EVIDENCE_PER_INNOVATION = 30
MAX_DESCRIPTION = 255


def add_evidence(
    innovation: Innovation,
    *,
    actor: Person,
    upload: UploadedFile,
    description: str = "",
    is_public: bool = False,
) -> Evidence:
    """Attach an uploaded PDF or image to the innovation.

    The type is read from the content (a renamed HTML or EXE file is refused), the size
    is limited, and the file is stored under a random name; the user's file name is
    kept only as a label. The same file twice on one innovation is refused.
    """
    if not may_edit(actor, innovation):
        raise PermissionDenied(_("Anda tidak berwenang menambah bukti dukung pada inovasi ini."))
    description = description.strip()
    if len(description) > MAX_DESCRIPTION:
        raise DomainError(
            _("Keterangan terlalu panjang (%(length)s karakter); paling banyak %(limit)s.")
            % {"length": len(description), "limit": MAX_DESCRIPTION},
            field="description",
        )
    checked = check_upload(upload)
    existing = innovation.evidence.all()
    if existing.count() >= MAX_EVIDENCE_PER_INNOVATION:
        raise DomainError(
            _(
                "Satu inovasi paling banyak memiliki %(limit)s bukti dukung; "
                "hapus bukti yang tidak diperlukan lagi terlebih dahulu."
            )
            % {"limit": MAX_EVIDENCE_PER_INNOVATION},
            field="file",
        )
    refuse_duplicate(existing, checked)
    evidence = Evidence(
        innovation=innovation,
        original_name=checked.original_name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        description=description,
        is_public=is_public,
        uploaded_by=actor,
    )
    with stored_upload(evidence.file, checked, upload), transaction.atomic():
        evidence.save()
        audit.record(
            actor=actor,
            action="evidence.added",
            obj=evidence,
            after=audit.snapshot(evidence, AUDIT_FIELDS),
        )
    return evidence


def remove_evidence(evidence: Evidence, *, actor: Person) -> None:
    """Delete an evidence record; its file is removed once the deletion is committed."""
    if not may_edit(actor, evidence.innovation):
        raise PermissionDenied(_("Anda tidak berwenang menghapus bukti dukung ini."))
    with transaction.atomic():
        before = audit.snapshot(evidence, AUDIT_FIELDS)
        audit.record(actor=actor, action="evidence.removed", obj=evidence, before=before)
        evidence.delete()
        delete_on_commit(evidence.file)
