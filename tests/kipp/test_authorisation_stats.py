"""Who may read an edition's funnel statistics, on the page, the export and the API."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from prima.core.domain.tokens import create_api_token
from prima.evaluation.enums import EditionState
from prima.kipp.enums import ProposalState
from tests.conftest import client_for
from tests.kipp.factories import EditionFactory, ProposalFactory

COVERED_PAGES = {
    "kipp_funnel",
    "kipp_funnel_export",
    "kipp_local_winners_export",
    "kipp_tier_import",
    "kipp_tier_import_review",
    "kipp_tier_import_resolve",
}
EDITION_PAGES = {"kipp_funnel", "kipp_funnel_export", "kipp_local_winners_export"}
COVERED_OPERATIONS = {("get", "/kipp/editions/{}/funnel")}

# Before the decree only national readers see the numbers; afterwards everyone does.
RUNNING = {
    "secretariat": 200,
    "admin_a": 403,
    "operator_a": 403,
    "operator_b": 403,
    "evaluator": 403,
    "nobody": 403,
    "public": 403,
}


@pytest.fixture
def running_edition(db):
    edition = EditionFactory(code="kipp-2025-uji", stages=EditionState.DESK_EVALUATION)
    ProposalFactory(edition=edition, state=ProposalState.DESK_REVIEW)
    ProposalFactory(edition=edition, state=ProposalState.DRAFT)
    return edition


@pytest.mark.parametrize("name", sorted(EDITION_PAGES))
@pytest.mark.parametrize("persona, expected", sorted(RUNNING.items()))
def test_running_edition_numbers_are_for_national_readers(
    personas, running_edition, name, persona, expected
):
    response = client_for(personas[persona]).get(reverse(name, args=[running_edition.code]))
    assert response.status_code == expected


@pytest.mark.parametrize("persona", sorted(RUNNING))
def test_decreed_published_edition_numbers_are_public(personas, running_edition, persona):
    running_edition.state = EditionState.DECREED
    running_edition.is_published = True
    running_edition.save()

    response = client_for(personas[persona]).get(
        reverse("kipp_funnel", args=[running_edition.code])
    )

    assert response.status_code == 200
    assert "Terdaftar" in response.content.decode()


def test_export_holds_the_breakdown_and_a_total_row(personas, running_edition):
    response = client_for(personas["secretariat"]).get(
        reverse("kipp_funnel_export", args=[running_edition.code]) + "?rincian=group"
    )
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))

    assert rows[0][0] == "Kelompok"
    assert rows[1][:3] == ("umum", 2, 1)
    assert rows[-1][:3] == ("Jumlah", 2, 1)


def test_api_answers_national_readers_and_refuses_others(personas, running_edition):
    url = f"/api/v1/kipp/editions/{running_edition.code}/funnel"
    _, key = create_api_token(actor=personas["secretariat"], name="uji")

    ok = client_for(None).get(url, HTTP_AUTHORIZATION=f"Bearer {key}")
    refused = client_for(None).get(url)

    assert ok.status_code == 200
    assert ok.json()["steps"][0] == {"code": "registered", "proposals": 2, "institutions": 2}
    assert refused.status_code == 403
    assert "belum dibuka" in refused.json()["detail"]


def test_api_refuses_an_unknown_breakdown(personas, running_edition):
    client = client_for(personas["secretariat"])
    response = client.get(f"/api/v1/kipp/editions/{running_edition.code}/funnel?breakdown=warna")
    assert response.status_code == 422


def test_local_winners_export_lists_local_governments_tiers_without_revoked_ones(
    personas, running_edition, institution_a
):
    from tests.factories import AwardRecordFactory, InnovationFactory, ServiceUnitFactory

    unit = ServiceUnitFactory(institution=institution_a)
    kept = AwardRecordFactory(
        innovation=InnovationFactory(unit=unit, name="SITARANG"),
        year=2025,
        tier="top45",
        level="winner",
        decree_ref="Kep 1/2025",
    )
    AwardRecordFactory(
        innovation=InnovationFactory(unit=unit, name="Dicabut"),
        year=2025,
        tier="top45",
        level="winner",
        revoked=True,
    )
    response = client_for(personas["secretariat"]).get(
        reverse("kipp_local_winners_export", args=[running_edition.code])
    )
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))

    assert rows[1] == (
        "Pemerintah Kota Payakumbuh",
        "Pemerintah Kota",
        "13.76",
        "SITARANG",
        "top45",
        "Pemenang",
        "Kep 1/2025",
    )
    assert len(rows) == 2
    assert kept.innovation.institution == institution_a


# The tier-history import and its review queue are the secretariat's alone.
TIER_IMPORT = {
    "secretariat": 200,
    "admin_a": 403,
    "operator_a": 403,
    "operator_b": 403,
    "evaluator": 403,
    "nobody": 403,
    "public": 302,
}


@pytest.fixture
def queued_item(personas, unit_a):
    from prima.kipp.domain.tier_import import pending_review
    from prima.kipp.interfaces.tier_import import import_tier_history
    from tests.factories import InnovationFactory
    from tests.kipp.domain.test_tier_import import line, upload

    InnovationFactory(unit=unit_a, name="Layanan Antar")
    InnovationFactory(unit=unit_a, name="Layanan Antar!")
    import_tier_history(
        upload([line(2021, "top99", "Layanan Antar")]), actor=personas["secretariat"]
    )
    [item] = pending_review()
    return item


@pytest.mark.parametrize(
    "name", ["kipp_tier_import", "kipp_tier_import_review", "kipp_tier_import_resolve"]
)
@pytest.mark.parametrize("persona, expected", sorted(TIER_IMPORT.items()))
def test_tier_import_pages_are_for_the_secretariat(personas, queued_item, name, persona, expected):
    args = [queued_item.entry_id, queued_item.index] if name == "kipp_tier_import_resolve" else []
    response = client_for(personas[persona]).get(reverse(name, args=args))
    assert response.status_code == expected


@pytest.mark.parametrize("persona", ["admin_a", "operator_a", "evaluator", "nobody"])
def test_tier_import_upload_is_refused_to_others(personas, persona):
    from tests.kipp.domain.test_tier_import import line, upload

    response = client_for(personas[persona]).post(
        reverse("kipp_tier_import"), {"file": upload([line(2019, "top99", "X")])}
    )
    assert response.status_code == 403
