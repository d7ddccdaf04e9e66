"""Evidence uploads: type from content, size limit, random stored names, removal."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.models import AuditEntry
from prima.innovations.domain.evidence import add_evidence, remove_evidence
from prima.innovations.models import Evidence
from tests.innovations.conftest import PDF_BYTES, pdf_upload, png_upload

pytestmark = pytest.mark.django_db


def test_pdf_is_stored_under_a_random_name_and_audited(operator_a, innovation_a):
    evidence = add_evidence(
        innovation_a,
        actor=operator_a,
        upload=pdf_upload("SK Bupati ../../etc.pdf"),
        description="SK penetapan inovasi",
        is_public=True,
    )
    assert evidence.content_type == "application/pdf"
    # Only the last path component of the user's name is kept, and only as a label.
    assert evidence.original_name == "etc.pdf"
    stored = Path(evidence.file.name)
    assert stored.parts[0] == "evidence"
    assert stored.suffix == ".pdf"
    assert "SK" not in stored.name and len(stored.stem) == 32
    assert Path(evidence.file.path).read_bytes() == PDF_BYTES
    assert evidence.size == len(PDF_BYTES)
    entry = AuditEntry.objects.get(action="evidence.added")
    assert entry.after["sha256"] == evidence.sha256
    assert entry.after["is_public"] is True


def test_png_image_is_accepted(operator_a, innovation_a):
    evidence = add_evidence(innovation_a, actor=operator_a, upload=png_upload())
    assert evidence.content_type == "image/png"


@pytest.mark.parametrize(
    "content",
    [
        b"<!doctype html><html><script>alert(1)</script></html>",
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200,
    ],
    ids=["html", "exe"],
)
def test_renamed_html_or_exe_is_refused(operator_a, innovation_a, content):
    upload = SimpleUploadedFile("laporan.pdf", content, content_type="application/pdf")
    with pytest.raises(DomainError) as refused:
        add_evidence(innovation_a, actor=operator_a, upload=upload)
    assert refused.value.field == "file"
    assert "Jenis berkas tidak diterima" in refused.value.message
    assert not Evidence.objects.exists()
    assert not AuditEntry.objects.exists()


@override_settings(UPLOAD_MAX_BYTES=64)
def test_oversize_file_is_refused(operator_a, innovation_a):
    with pytest.raises(DomainError, match="terlalu besar"):
        add_evidence(innovation_a, actor=operator_a, upload=pdf_upload(content=PDF_BYTES * 3))
    assert not Evidence.objects.exists()


def test_same_file_twice_is_refused(operator_a, innovation_a):
    add_evidence(innovation_a, actor=operator_a, upload=pdf_upload("a.pdf"))
    with pytest.raises(DomainError, match=r"sudah diunggah sebagai «a\.pdf»"):
        add_evidence(innovation_a, actor=operator_a, upload=pdf_upload("b.pdf"))
    assert Evidence.objects.count() == 1


def test_other_institution_may_not_add_evidence(operator_b, innovation_a):
    with pytest.raises(PermissionDenied):
        add_evidence(innovation_a, actor=operator_b, upload=pdf_upload())
    assert not Evidence.objects.exists()


def test_removal_deletes_the_row_and_then_the_file(
    operator_a, innovation_a, django_capture_on_commit_callbacks
):
    evidence = add_evidence(innovation_a, actor=operator_a, upload=pdf_upload())
    path = Path(evidence.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        remove_evidence(evidence, actor=operator_a)
    assert not Evidence.objects.exists()
    assert not path.exists()
    entry = AuditEntry.objects.get(action="evidence.removed")
    assert entry.before["original_name"] == "laporan.pdf"


def test_other_institution_may_not_remove(operator_a, operator_b, innovation_a):
    evidence = add_evidence(innovation_a, actor=operator_a, upload=pdf_upload())
    with pytest.raises(PermissionDenied):
        remove_evidence(evidence, actor=operator_b)
    assert Evidence.objects.count() == 1
