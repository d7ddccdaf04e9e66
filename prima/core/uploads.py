"""Uploaded files: checks (size, type read from the content, never the name), safe names,
storing and deleting the file together with the row that holds it."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

import filetype
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.fields.files import FieldFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from prima.core.domain.errors import DomainError

PDF = "application/pdf"
IMAGES = frozenset({"image/jpeg", "image/png", "image/webp"})
EVIDENCE_TYPES = frozenset({PDF, *IMAGES})
EXTENSIONS = {PDF: "pdf", "image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
TYPE_LABELS = {PDF: "PDF", "image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WebP"}


@dataclass(frozen=True)
class CheckedUpload:
    content_type: str
    size: int
    sha256: str
    original_name: str
    storage_name: str


def check_upload(
    upload: UploadedFile, *, allowed: frozenset[str] = EVIDENCE_TYPES, max_bytes: int | None = None
) -> CheckedUpload:
    """Validate an upload; raise DomainError (in the user's language) if it is empty, too big
    or mistyped."""
    limit = max_bytes if max_bytes is not None else settings.UPLOAD_MAX_BYTES
    size = upload.size or 0
    if size == 0:
        raise DomainError(_("Berkas kosong."), field="file")
    if size > limit:
        raise DomainError(
            _("Berkas terlalu besar (%(size)s); batasnya %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
            field="file",
        )
    upload.seek(0)
    head = upload.read(8192)
    kind = filetype.guess(head)
    content_type = kind.mime if kind is not None else ""
    if content_type not in allowed:
        accepted = ", ".join(sorted(TYPE_LABELS.get(t, t) for t in allowed))
        raise DomainError(
            _("Jenis berkas tidak diterima; isi berkas harus %(accepted)s.")
            % {"accepted": accepted},
            field="file",
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    original = PurePath(upload.name or "berkas").name[:200]
    return CheckedUpload(
        content_type=content_type,
        size=size,
        sha256=digest.hexdigest(),
        original_name=original,
        # Stored names are random: a user's file name never reaches the file system.
        storage_name=f"{uuid.uuid4().hex}.{EXTENSIONS[content_type]}",
    )


def refuse_duplicate(existing: QuerySet[Any], checked: CheckedUpload) -> None:
    """Raise DomainError when one of ``existing`` (rows with ``sha256`` and ``original_name``)
    already holds the same content."""
    duplicate = existing.filter(sha256=checked.sha256).first()
    if duplicate is not None:
        raise DomainError(
            _("Berkas yang sama sudah diunggah sebagai «%(name)s».")
            % {"name": duplicate.original_name},
            field="file",
        )


@contextmanager
def stored_upload(file: FieldFile, checked: CheckedUpload, upload: UploadedFile) -> Iterator[None]:
    """Store ``upload`` under its random name in ``file``; the block writes the row.

    If the block fails, the row was not written, so the stored file (an orphan) is deleted.
    """
    file.save(checked.storage_name, upload, save=False)
    try:
        yield
    except BaseException:
        file.delete(save=False)
        raise


def delete_on_commit(file: FieldFile) -> None:
    """Delete the stored file once the current transaction (deleting its row) commits."""
    storage, name = file.storage, file.name
    if name:
        transaction.on_commit(lambda: storage.delete(name))
