"""Who may download a PKRI form's evidence through an assessor's assignment: the assigned,
non-conflicted evaluator only (desk sheet links; the same page serves panelists)."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from prima.evaluation.domain.appointments import declare_conflicts
from prima.evaluation.enums import EditionState
from prima.pkri.domain.desk import start_desk_evaluation
from prima.pkri.models import FormEvidence, SelfAssessment
from tests.conftest import client_for
from tests.pkri.desk_factories import appoint, assign, submitted_object_form
from tests.pkri.factories import PkriEditionFactory

COVERED_PAGES = {"pkri_assessor_evidence"}
COVERED_OPERATIONS: set[tuple[str, str]] = set()

PDF = b"%PDF-1.4 bukti penilaian"


def _with_evidence(form: SelfAssessment, name: str) -> FormEvidence:
    """A file uploaded before submission and named in the frozen answers."""
    evidence = FormEvidence.objects.create(
        form=form,
        field="evidence",
        file=ContentFile(PDF, name=f"{name}.pdf"),
        original_name=f"{name}.pdf",
        content_type="application/pdf",
        size=len(PDF),
        sha256="0" * 64,
    )
    snapshot = dict(form.snapshot or {})
    snapshot["data"] = dict(snapshot.get("data") or {}, evidence=[evidence.pk])
    SelfAssessment.objects.filter(pk=form.pk).update(snapshot=snapshot)
    form.refresh_from_db()
    return evidence


@pytest.fixture
def world(personas, institution_a, institution_b):
    edition = PkriEditionFactory(code="pkri-uji-bukti", stages=EditionState.FORMS_CLOSED)
    form = submitted_object_form(edition, institution_b, name="Inovasi Dinilai")
    other = submitted_object_form(edition, institution_b, name="Inovasi Lain")
    start_desk_evaluation(edition, actor=personas["secretariat"])
    evidence = _with_evidence(form, "sk-tim")
    other_evidence = _with_evidence(other, "rahasia")
    assignment = assign(form, appoint(edition, personas["evaluator"]))
    url = reverse("pkri_assessor_evidence", args=[assignment.pk, evidence.pk])
    return {
        "assignment": assignment,
        "evidence": evidence,
        "other_evidence": other_evidence,
        "url": url,
        "form": form,
    }


def test_the_assigned_evaluator_downloads_the_file_linked_on_the_sheet(personas, world):
    client = client_for(personas["evaluator"])

    sheet = client.get(reverse("pkri_evaluator_sheet", args=[world["assignment"].pk]))
    download = client.get(world["url"])

    assert world["url"] in sheet.content.decode()
    assert "sk-tim.pdf" in sheet.content.decode()
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF


def test_a_file_of_another_form_is_not_served_through_the_assignment(personas, world):
    url = reverse(
        "pkri_assessor_evidence", args=[world["assignment"].pk, world["other_evidence"].pk]
    )
    assert client_for(personas["evaluator"]).get(url).status_code == 404


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("secretariat", 403),
        ("admin_a", 403),
        ("operator_a", 403),
        ("operator_b", 403),
        ("nobody", 403),
    ],
)
def test_non_assessors_are_refused(personas, world, persona, status):
    assert client_for(personas[persona]).get(world["url"]).status_code == status


def test_anonymous_goes_to_login(world):
    response = client_for(None).get(world["url"])
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_a_conflicted_evaluator_gets_404(personas, world):
    appointment = world["assignment"].appointment
    declare_conflicts(
        appointment,
        [
            {
                "institution": world["form"].locus.institution_id,
                "nature": "family",
                "reason": "Saudara kandung.",
            }
        ],
        actor=personas["evaluator"],
    )
    assert client_for(personas["evaluator"]).get(world["url"]).status_code == 404
