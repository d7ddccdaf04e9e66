"""Evidence files behind the answers of a PKRI form (pkri.md §6.1 "PDFs ≤ 2 MB each").

A file is uploaded for one answer (`FormEvidence.field`, e.g. ``legal_basis.0.file``,
``sop.file``, ``evidence``); when that answer is a file slot of the stored answers the
file's id is written into it, so the form refers to it at once. Files can be added and
removed only by the person who may edit the form, while the forms stage is open.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from prima.core.domain import audit
from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.models import Person
from prima.core.uploads import PDF, check_upload, delete_on_commit, refuse_duplicate, stored_upload
from prima.pkri.domain import forms as form_domain
from prima.pkri.models import FormEvidence, SelfAssessment

MAX_BYTES = 2 * 1024 * 1024
MAX_FILES_PER_FORM = 80
AUDIT_FIELDS = ("form", "field", "original_name", "content_type", "size", "sha256")
# An answer path: field codes and row numbers joined by dots (e.g. budget.2.file).
FIELD_RE = re.compile(r"^[a-z_]+(\.(\d{1,3}|[a-z_]+)){0,3}$")


def _require_editor(form: SelfAssessment, actor: Any) -> None:
    if not form_domain.may_edit(actor, form):
        raise PermissionDenied(_("Anda tidak berwenang mengubah bukti formulir ini sekarang."))
    if not form_domain.forms_open(form.edition):
        raise DomainError(_("Pengisian formulir tidak sedang dibuka; bukti tidak dapat diubah."))


def _clean_field(form: SelfAssessment, field: str) -> str:
    field = (field or "").strip()
    top = field.split(".", 1)[0]
    if not FIELD_RE.match(field) or top not in form_domain.FIELDS_BY_KIND[form.kind]:
        raise DomainError(
            _("Isian «%(field)s» tidak dikenal pada formulir ini.") % {"field": field},
            field="field",
        )
    return field


def _link(data: dict[str, Any], path: str, pk: int) -> bool:
    """Write the file id into the answer at ``path`` when it names a file slot; True if so.

    Rows must already exist (save the form after adding a row); dict answers such as
    ``sop`` are created as needed. ``evidence`` slots that are lists get the id appended.
    """
    parts = path.split(".")
    last = parts[-1]
    if last not in form_domain.FILE_KEYS:
        return False
    container: Any = data
    for part in parts[:-1]:
        if isinstance(container, list):
            if not part.isdigit() or int(part) >= len(container):
                return False
            container = container[int(part)]
        elif isinstance(container, dict):
            if part.isdigit():
                return False
            container = container.setdefault(part, {})
        else:
            return False
    if not isinstance(container, dict):
        return False
    top_list = len(parts) == 1 and last == "evidence"
    if top_list or isinstance(container.get(last), list):
        current = list(container.get(last) or [])
        if pk not in current:
            current.append(pk)
        container[last] = current
    else:
        container[last] = pk
    return True


def _unlink(value: Any, pk: int) -> Any:
    """The answers with every reference to file ``pk`` removed."""
    if isinstance(value, dict):
        result: dict[str, Any] = {}
        for key, item in value.items():
            if key in form_domain.FILE_KEYS and item == pk:
                result[key] = None
            elif key in form_domain.FILE_KEYS and isinstance(item, list):
                result[key] = [i for i in item if i != pk]
            else:
                result[key] = _unlink(item, pk)
        return result
    if isinstance(value, list):
        return [_unlink(item, pk) for item in value]
    return value


def add_evidence(
    form: SelfAssessment, *, field: str, upload: UploadedFile, actor: Person
) -> FormEvidence:
    """Store a PDF (≤ 2 MB, type read from the content, random stored name) for one answer.

    The same file twice on one form is refused. The file's id is written into the
    answer when ``field`` names a file slot of the stored answers (form version + 1).
    """
    _require_editor(form, actor)
    field = _clean_field(form, field)
    checked = check_upload(upload, allowed=frozenset({PDF}), max_bytes=MAX_BYTES)
    existing = form.evidence.all()
    if existing.count() >= MAX_FILES_PER_FORM:
        raise DomainError(
            _("Satu formulir paling banyak memiliki %(n)s berkas bukti; hapus yang tidak perlu.")
            % {"n": MAX_FILES_PER_FORM},
            field="file",
        )
    refuse_duplicate(existing, checked)
    evidence = FormEvidence(
        form=form,
        field=field,
        original_name=checked.original_name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    with stored_upload(evidence.file, checked, upload), transaction.atomic():
        form_domain.lock_form(form)
        _require_editor(form, actor)
        evidence.save()
        data = dict(form.data or {})
        if _link(data, field, evidence.pk):
            form.data = data
            form.version += 1
            if form.state == form_domain.S.ANNOUNCED:
                form.state = form_domain.S.DRAFT
            form.updated_by = actor
            form.save(update_fields=["data", "state", "version", "updated_by", "updated_at"])
        audit.record(
            actor=actor,
            action="pkri.form.evidence_added",
            obj=evidence,
            after=audit.snapshot(evidence, AUDIT_FIELDS),
        )
    return evidence


def remove_evidence(evidence: FormEvidence, *, actor: Person) -> None:
    """Delete a file while the form is editable; answers naming it are cleared."""
    form = evidence.form
    _require_editor(form, actor)
    with transaction.atomic():
        form_domain.lock_form(form)
        _require_editor(form, actor)
        before = audit.snapshot(evidence, AUDIT_FIELDS)
        cleaned = _unlink(form.data or {}, evidence.pk)
        if cleaned != (form.data or {}):
            form.data = cleaned
            form.version += 1
            form.updated_by = actor
            form.save(update_fields=["data", "version", "updated_by", "updated_at"])
        audit.record(actor=actor, action="pkri.form.evidence_removed", obj=evidence, before=before)
        evidence.delete()
        delete_on_commit(evidence.file)
