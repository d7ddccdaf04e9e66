"""Typed proposal attachments (kipp.md §7.3): upload and remove while the proposal is editable.

File types and the size limit come from the edition's rules (``attachments.file_types``,
``max_file_mb``); the type is read from the content by :func:`prima.core.uploads.check_upload`.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from prima.core.domain import audit
from prima.core.domain.errors import DomainError
from prima.core.models import Person
from prima.core.uploads import (
    EXTENSIONS,
    check_upload,
    delete_on_commit,
    refuse_duplicate,
    stored_upload,
)
from prima.kipp.domain.proposals import edition_rules, require_content_editor
from prima.kipp.enums import AttachmentKind
from prima.kipp.models import Proposal, ProposalAttachment

AUDIT_FIELDS = ("proposal", "kind", "original_name", "size", "sha256")
MAX_PER_PROPOSAL = 30
# Rule-set file type → the content type check_upload detects. Types that check_upload
# cannot store yet (docx, xlsx, pptx, mp4) are not offered.
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
}
MEGABYTE = 1024 * 1024


def upload_limits(proposal: Proposal) -> tuple[frozenset[str], int]:
    """The accepted content types and the maximum size in bytes for this edition."""
    rules = edition_rules(proposal.edition).attachments
    allowed = frozenset(
        CONTENT_TYPES[t]
        for t in rules.file_types
        if t in CONTENT_TYPES and CONTENT_TYPES[t] in EXTENSIONS
    )
    return allowed, int(rules.max_file_mb * Decimal(MEGABYTE))


def add_attachment(
    proposal: Proposal, *, kind: str, upload: UploadedFile, actor: Person
) -> ProposalAttachment:
    """Attach a typed file to the proposal; the same file twice is refused."""
    require_content_editor(actor, proposal)
    if kind not in AttachmentKind.values:
        raise DomainError(
            _("Jenis lampiran «%(kind)s» tidak dikenal.") % {"kind": kind}, field="kind"
        )
    allowed, max_bytes = upload_limits(proposal)
    if not allowed:
        raise DomainError(_("Edisi ini tidak menerima unggahan berkas."), field="file")
    checked = check_upload(upload, allowed=allowed, max_bytes=max_bytes)
    existing = proposal.attachments.all()
    if existing.count() >= MAX_PER_PROPOSAL:
        raise DomainError(
            _("Satu proposal paling banyak memiliki %(n)s lampiran.") % {"n": MAX_PER_PROPOSAL},
            field="file",
        )
    refuse_duplicate(existing, checked)
    attachment = ProposalAttachment(
        proposal=proposal,
        kind=kind,
        original_name=checked.original_name,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    with stored_upload(attachment.file, checked, upload), transaction.atomic():
        attachment.save()
        audit.record(
            actor=actor,
            action="kipp.proposal.attachment_added",
            obj=proposal,
            after=audit.snapshot(attachment, AUDIT_FIELDS),
        )
    return attachment


def remove_attachment(attachment: ProposalAttachment, *, actor: Person) -> None:
    """Delete an attachment; its file goes once the deletion is committed."""
    proposal = attachment.proposal
    require_content_editor(actor, proposal)
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="kipp.proposal.attachment_removed",
            obj=proposal,
            before=audit.snapshot(attachment, AUDIT_FIELDS),
        )
        attachment.delete()
        delete_on_commit(attachment.file)
