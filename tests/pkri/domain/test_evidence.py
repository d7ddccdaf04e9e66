# ruff: noqa: F811 (fixtures imported from tests.pkri.forms_factories)
"""Evidence files behind PKRI form answers: PDF only, ≤ 2 MB, linked to the answer."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from prima.core.domain.errors import DomainError, PermissionDenied
from prima.pkri.domain import evidence as evidence_domain
from prima.pkri.domain import forms as domain
from tests.pkri.forms_factories import edition, form_a, pdf  # noqa: F401 (fixtures)


def test_upload_for_a_file_answer_fills_that_answer(form_a, operator_a):
    evidence = evidence_domain.add_evidence(
        form_a, field="sop.file", upload=pdf(), actor=operator_a
    )

    form_a.refresh_from_db()
    assert form_a.data == {"sop": {"file": evidence.pk}}
    assert evidence.original_name == "bukti.pdf"
    assert evidence.file.name.endswith(".pdf") and "bukti" not in evidence.file.name
    assert evidence.content_type == "application/pdf"


def test_general_evidence_is_appended_to_the_list(form_a, operator_a):
    first = evidence_domain.add_evidence(
        form_a, field="evidence", upload=pdf(body=b"1"), actor=operator_a
    )
    second = evidence_domain.add_evidence(
        form_a, field="evidence", upload=pdf(body=b"2"), actor=operator_a
    )
    form_a.refresh_from_db()
    assert form_a.data["evidence"] == [first.pk, second.pk]


def test_a_renamed_non_pdf_is_refused(form_a, operator_a):
    fake = SimpleUploadedFile("surat.pdf", b"<html>bukan pdf</html>", "application/pdf")
    with pytest.raises(DomainError, match="PDF"):
        evidence_domain.add_evidence(form_a, field="evidence", upload=fake, actor=operator_a)


def test_a_file_over_two_megabytes_is_refused(form_a, operator_a):
    big = pdf(body=b"x" * (2 * 1024 * 1024))
    with pytest.raises(DomainError, match="terlalu besar"):
        evidence_domain.add_evidence(form_a, field="evidence", upload=big, actor=operator_a)


def test_unknown_answer_paths_are_refused(form_a, operator_a):
    with pytest.raises(DomainError, match="tidak dikenal"):
        evidence_domain.add_evidence(form_a, field="../../etc", upload=pdf(), actor=operator_a)


def test_others_cannot_upload_and_removal_clears_the_answer(form_a, operator_a, operator_b):
    with pytest.raises(PermissionDenied):
        evidence_domain.add_evidence(form_a, field="evidence", upload=pdf(), actor=operator_b)
    evidence = evidence_domain.add_evidence(
        form_a, field="sop.file", upload=pdf(), actor=operator_a
    )

    evidence_domain.remove_evidence(evidence, actor=operator_a)

    form_a.refresh_from_db()
    assert form_a.data == {"sop": {"file": None}}
    assert not form_a.evidence.exists()


def test_files_cannot_change_after_sending(form_a, operator_a):
    evidence = evidence_domain.add_evidence(
        form_a, field="evidence", upload=pdf(), actor=operator_a
    )
    domain.send_to_institution(form_a, actor=operator_a)
    with pytest.raises(PermissionDenied):
        evidence_domain.remove_evidence(evidence, actor=operator_a)
