"""The final stage's rubric follows the edition's rules (kipp.md §6.1, §7.1, §13): the 2025
feasibility assessment scores Dampak 40 / Daya tular 30 / Kesiapan perluasan nasional 20 /
Keberlanjutan 10 from the instrument; a presentation edition keeps the presentation rubric
with its attendance rule."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from prima.evaluation.domain.catalogue import load_instrument_file
from prima.evaluation.domain.sheets import SCORING_FEASIBILITY, SCORING_RUBRIC
from prima.evaluation.enums import EditionState, SheetStatus
from prima.evaluation.models import ScoreSheet
from prima.kipp.domain.editions import create_edition
from prima.kipp.domain.stages import KIPP_STAGES, stage_scoring
from prima.kipp.interfaces.sheet_forms import rubric_hint, scores_rubric
from tests.conftest import client_for
from tests.factories import PersonFactory
from tests.kipp.factories import EditionFactory, instrument_from_file, rules_from_file
from tests.kipp.views.test_assessor_helpers import NOTE, api, appoint, assign, submitted

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]
FINAL = next(t for t in KIPP_STAGES if t.code == EditionState.FINAL_STAGE)
DESK = next(t for t in KIPP_STAGES if t.code == EditionState.DESK_EVALUATION)
ATTENDANCE_HINT = "100 jika pimpinan instansi hadir"
# One panelist's feasibility sheet: 0.4·80 + 0.3·70 + 0.2·90 + 0.1·60 = 77.
FEASIBILITY = {
    "dampak": 80,
    "daya_tular": 70,
    "kesiapan_perluasan_nasional": 90,
    "keberlanjutan": 60,
}


def sheet_url(assignment, name="kipp_assessor_sheet"):
    return reverse(name, args=[assignment.stage.edition.code, assignment.pk])


def final_sheet_assignment(edition, unit):
    proposal = submitted(edition, unit, category=edition.rules["categories"][0]["code"])
    panelist = PersonFactory()
    assignment = assign(
        proposal, appoint(edition, panelist, role="panelist"), EditionState.FINAL_STAGE
    )
    return panelist, assignment


# --------------------------------------------------------------------------- the rule


@pytest.mark.parametrize(
    ("rules", "expected"),
    [
        ({"panel_assessment": {"enabled": True, "kind": "feasibility"}}, "rubric:feasibility"),
        # The assessment replaces the presentation when both are on (§13).
        (
            {"panel_assessment": {"enabled": True}, "presentation": {"enabled": True}},
            "rubric:feasibility",
        ),
        (
            {"panel_assessment": {"enabled": False}, "presentation": {"enabled": True}},
            "rubric",
        ),
        ({"presentation": {"enabled": True}}, "rubric"),
    ],
)
def test_final_stage_scoring_follows_the_rules(rules, expected):
    assert stage_scoring(FINAL, rules) == expected
    # Other stages keep their template's value.
    assert stage_scoring(DESK, rules) == "sections"


def test_created_editions_record_the_rubric_on_the_final_stage(secretariat):
    edition_2025 = create_edition(
        rules_source=ROOT / "editions" / "kipp-2025.yaml",
        instrument=load_instrument_file(ROOT / "instruments" / "kipp-2025.yaml", actor=None),
        actor=secretariat,
    )
    edition_2021 = create_edition(
        rules_source=ROOT / "editions" / "kipp-2021.yaml",
        instrument=load_instrument_file(ROOT / "instruments" / "kipp-2021.yaml", actor=None),
        actor=secretariat,
    )

    final_2025 = edition_2025.stages.get(code=EditionState.FINAL_STAGE)
    final_2021 = edition_2021.stages.get(code=EditionState.FINAL_STAGE)
    assert final_2025.scoring == SCORING_FEASIBILITY
    assert final_2021.scoring == SCORING_RUBRIC
    assert edition_2025.instrument.version == 2
    desk = edition_2025.stages.get(code=EditionState.DESK_EVALUATION)
    assert desk.scoring == "sections"
    assert scores_rubric(final_2025) and not scores_rubric(desk)


def test_attendance_hint_only_for_the_presentation_attendance_item():
    final_2025 = EditionFactory(stages=EditionState.FINAL_STAGE).stages.get(
        code=EditionState.FINAL_STAGE
    )
    assert all(rubric_hint(final_2025, code) is None for code in FEASIBILITY)
    assert ATTENDANCE_HINT in str(rubric_hint(final_2025, "kehadiran_pimpinan"))


# --------------------------------------------------------------------------- the sheet page


class TestFeasibilitySheet:
    @pytest.fixture
    def edition(self):
        return EditionFactory(code="kipp-uji-kelayakan", stages=EditionState.FINAL_STAGE)

    def test_shows_the_four_feasibility_items_with_their_weights(self, edition, unit_a):
        panelist, assignment = final_sheet_assignment(edition, unit_a)

        response = client_for(panelist).get(sheet_url(assignment))
        text = response.content.decode()

        assert response.status_code == 200
        for label, weight in (
            ("Dampak", 40),
            ("Daya tular", 30),
            ("Kesiapan perluasan nasional", 20),
            ("Keberlanjutan", 10),
        ):
            assert f'{label} <small class="text-body-secondary">(bobot {weight}%)' in text
        for presentation_item in ("Penyampaian", "Kehadiran pimpinan"):
            assert presentation_item not in text
        assert ATTENDANCE_HINT not in text
        assert "Rubrik penilaian" in text
        # A rubric item is not a section: the "Keberlanjutan" item is not matched with the
        # proposal's "Strategi Keberlanjutan" answer and its word limit.
        assert "Batas 500 kata" not in text

    def test_saving_and_finalising_gives_the_weighted_total(self, edition, unit_a):
        panelist, assignment = final_sheet_assignment(edition, unit_a)
        client = client_for(panelist)
        data = {f"value_{code}": value for code, value in FEASIBILITY.items()}

        client.post(sheet_url(assignment), {**data, "note": NOTE, "action": "finalise"})
        client.post(sheet_url(assignment, "kipp_assessor_sheet_finalise"))

        sheet = ScoreSheet.objects.get(assignment=assignment)
        assert sheet.status == SheetStatus.FINAL
        assert sheet.total == Decimal(77)
        assert sheet.versions.get().instrument_hash == edition.instrument.content_hash

    def test_the_api_lists_the_same_criteria_without_hints(self, edition, unit_a):
        panelist, assignment = final_sheet_assignment(edition, unit_a)
        client, headers = api(panelist)

        response = client.get(f"/api/v1/kipp/assessor/assignments/{assignment.pk}", **headers)

        assert response.status_code == 200
        body = response.json()
        assert body["stage"]["scoring"] == SCORING_FEASIBILITY
        assert [(c["code"], Decimal(str(c["weight"])), c["hint"]) for c in body["criteria"]] == [
            ("dampak", 40, None),
            ("daya_tular", 30, None),
            ("kesiapan_perluasan_nasional", 20, None),
            ("keberlanjutan", 10, None),
        ]


def test_a_presentation_edition_keeps_the_presentation_rubric_and_its_hint(unit_a):
    edition = EditionFactory(
        code="kipp-uji-presentasi",
        year=2021,
        rules=rules_from_file("kipp-2021.yaml"),
        instrument=instrument_from_file("kipp-2021.yaml"),
        stages=EditionState.FINAL_STAGE,
    )
    proposal = submitted(edition, unit_a, category="pendidikan")
    panelist = PersonFactory()
    assignment = assign(
        proposal, appoint(edition, panelist, role="panelist"), EditionState.FINAL_STAGE
    )

    text = client_for(panelist).get(sheet_url(assignment)).content.decode()

    assert assignment.stage.scoring == SCORING_RUBRIC
    assert "Kehadiran pimpinan" in text and "bobot 50%" in text
    assert ATTENDANCE_HINT in text
    assert "Dampak" not in text
