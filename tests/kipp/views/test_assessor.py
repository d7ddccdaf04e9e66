"""The assessor pages: code of conduct and conflict gate, to-do list, blind sheets,
draft → final → correction, panel and presentation stages (kipp.md §4.5, §10–§13)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from prima.evaluation.domain.sheets import finalise_sheet, save_sheet
from prima.evaluation.enums import ConflictKind, ConflictNature, EditionState, SheetStatus
from prima.evaluation.models import Conflict, ScoreSheet
from prima.kipp.models import PresentationSlot
from tests.conftest import client_for
from tests.factories import PersonFactory, ServiceUnitFactory
from tests.kipp.factories import EditionFactory, instrument_from_file, rules_from_file
from tests.kipp.views.test_assessor_helpers import (
    E1,
    NOTE,
    RUBRIC,
    UMUM_ANSWERS,
    appoint,
    assign,
    stage_of,
    submitted,
)

pytestmark = pytest.mark.django_db

HOME = reverse("kipp_assessor_home")


@pytest.fixture
def edition(db):
    return EditionFactory(code="kipp-uji-meja", stages=EditionState.DESK_EVALUATION)


@pytest.fixture
def proposal(edition, unit_a):
    return submitted(edition, unit_a, title="Layanan Kesehatan Keliling")


@pytest.fixture
def appointment(edition, evaluator):
    return appoint(edition, evaluator)


@pytest.fixture
def assignment(proposal, appointment):
    return assign(proposal, appointment)


def todo_url(edition):
    return reverse("kipp_assessor_todo", args=[edition.code])


def sheet_url(assignment, name="kipp_assessor_sheet"):
    return reverse(name, args=[assignment.stage.edition.code, assignment.pk])


def form_data(values, *, note=NOTE, action="save", comments=None):
    data = {f"value_{code}": value for code, value in values.items()}
    data.update({f"comment_{code}": text for code, text in (comments or {}).items()})
    data["note"] = note
    data["action"] = action
    return data


# --------------------------------------------------------------------------- gate


class TestCodeOfConductAndConflicts:
    @pytest.fixture
    def fresh(self, edition, evaluator, proposal):
        appointment = appoint(
            edition, evaluator, code_of_conduct_accepted_at=None, conflicts_declared_at=None
        )
        assign(proposal, appointment)
        return appointment

    def test_every_proposal_page_leads_to_the_code_of_conduct_first(self, fresh, evaluator):
        client = client_for(evaluator)
        assignment = fresh.assignments.get()
        code_url = reverse("kipp_assessor_code", args=[fresh.edition.code])

        for url in (
            todo_url(fresh.edition),
            sheet_url(assignment),
            sheet_url(assignment, "kipp_assessor_sheet_finalise"),
            sheet_url(assignment, "kipp_assessor_sheet_correct"),
            reverse("kipp_assessor_conflicts", args=[fresh.edition.code]),
        ):
            response = client.get(url)
            assert response.status_code == 302, url
            assert response["Location"] == code_url

    def test_code_text_covers_independence_confidentiality_and_no_contact(self, fresh, evaluator):
        page = client_for(evaluator).get(reverse("kipp_assessor_code", args=[fresh.edition.code]))
        text = page.content.decode()

        assert "Independen." in text
        assert "Menjaga kerahasiaan." in text
        assert "Tidak berhubungan dengan pengusul." in text

    def test_accepting_the_code_then_declaring_no_conflict_opens_the_list(
        self, fresh, evaluator, proposal
    ):
        client = client_for(evaluator)
        edition = fresh.edition
        conflicts_url = reverse("kipp_assessor_conflicts", args=[edition.code])

        refused = client.post(reverse("kipp_assessor_code", args=[edition.code]), {})
        accepted = client.post(reverse("kipp_assessor_code", args=[edition.code]), {"agree": "on"})
        still_gated = client.get(todo_url(edition))
        declared = client.post(conflicts_url, {"none": "on", **_empty_rows()})
        listing = client.get(todo_url(edition))

        assert refused.status_code == 200
        assert accepted["Location"] == conflicts_url
        assert still_gated["Location"] == conflicts_url
        assert declared["Location"] == todo_url(edition)
        fresh.refresh_from_db()
        assert fresh.is_ready
        assert listing.status_code == 200
        assert proposal.title in listing.content.decode()

    def test_declaration_needs_either_none_or_a_conflict(self, fresh, evaluator):
        fresh.code_of_conduct_accepted_at = fresh.created_at
        fresh.save()
        url = reverse("kipp_assessor_conflicts", args=[fresh.edition.code])

        response = client_for(evaluator).post(url, _empty_rows())

        assert response.status_code == 200
        assert "Centang pernyataan tidak ada konflik" in response.content.decode()
        fresh.refresh_from_db()
        assert fresh.conflicts_declared_at is None

    def test_a_declared_institution_hides_its_proposals_and_more_can_be_added_later(
        self, fresh, evaluator, proposal, institution_a, institution_b
    ):
        fresh.code_of_conduct_accepted_at = fresh.created_at
        fresh.save()
        client = client_for(evaluator)
        url = reverse("kipp_assessor_conflicts", args=[fresh.edition.code])

        first = client.post(
            url,
            {
                **_empty_rows(),
                "konflik-0-institution": institution_a.pk,
                "konflik-0-nature": ConflictNature.FAMILY,
                "konflik-0-reason": "Adik kandung bekerja di sana.",
            },
        )
        later = client.post(
            url,
            {
                **_empty_rows(),
                "konflik-0-institution": institution_b.pk,
                "konflik-0-nature": ConflictNature.CONSULTANCY,
                "konflik-0-reason": "Pernah menjadi konsultan tahun lalu.",
            },
        )

        assert first.status_code == later.status_code == 302
        declared = Conflict.objects.filter(appointment=fresh, kind=ConflictKind.DECLARED)
        assert sorted(declared.values_list("institution__name", flat=True)) == [
            institution_a.name,
            institution_b.name,
        ]
        # The declaration removed the draft-free assignment on institution A's proposal.
        listing = client.get(todo_url(fresh.edition))
        assert proposal.title not in listing.content.decode()
        assert "0 dari 0 final" in listing.content.decode()


def _empty_rows(n=3):
    data = {
        "konflik-TOTAL_FORMS": str(n),
        "konflik-INITIAL_FORMS": "0",
        "konflik-MIN_NUM_FORMS": "0",
        "konflik-MAX_NUM_FORMS": "20",
    }
    for i in range(n):
        data.update(
            {
                f"konflik-{i}-institution": "",
                f"konflik-{i}-nature": "other",
                f"konflik-{i}-reason": "",
            }
        )
    return data


# --------------------------------------------------------------------------- home and to-do


def test_home_lists_the_appointment_and_its_progress(assignment, evaluator, edition):
    page = client_for(evaluator).get(HOME)
    text = page.content.decode()

    assert page.status_code == 200
    assert edition.title in text
    assert "0 dari 1 final" in text
    assert todo_url(edition) in text


class TestTodoList:
    @pytest.fixture
    def three(self, edition, appointment, evaluator):
        """One final, one draft, one unscored: listed draft, unscored, final."""
        units = [ServiceUnitFactory() for _ in range(3)]
        titles = ["A Final", "B Draf", "C Belum"]
        assignments = [
            assign(submitted(edition, unit, title=title), appointment)
            for unit, title in zip(units, titles, strict=True)
        ]
        sheet = save_sheet(assignments[0], E1, note=NOTE, actor=evaluator)
        finalise_sheet(sheet, actor=evaluator)
        save_sheet(assignments[1], {"signifikansi": 80}, actor=evaluator)
        return assignments

    def test_drafts_first_then_unscored_then_final_with_progress_and_deadline(
        self, three, evaluator, edition
    ):
        stage = stage_of(edition)
        stage.ends_at = timezone.now() + dt.timedelta(days=5)
        stage.save()
        response = client_for(evaluator).get(todo_url(edition))
        rows = list(response.context["page"].object_list)
        text = response.content.decode()

        assert [a.subject.title for a in rows] == ["B Draf", "C Belum", "A Final"]
        assert [a.todo for a in rows] == ["draft", "todo", "final"]
        assert "1 dari 3 final" in text
        assert "Tenggat:" in text
        assert "78,50" in text  # Indonesian decimal comma

    @pytest.mark.parametrize(
        ("status", "expected"),
        [("draft", ["B Draf"]), ("todo", ["C Belum"]), ("final", ["A Final"])],
    )
    def test_status_filter(self, three, evaluator, edition, status, expected):
        response = client_for(evaluator).get(todo_url(edition), {"status": status})
        assert [a.subject.title for a in response.context["page"].object_list] == expected
        # Progress counts the whole stage, whatever the filter.
        assert response.context["progress"].total == 3

    def test_title_search(self, three, evaluator, edition):
        response = client_for(evaluator).get(todo_url(edition), {"q": "belum"})
        assert [a.subject.title for a in response.context["page"].object_list] == ["C Belum"]

    def test_fixed_number_of_queries_whatever_the_rows(
        self, edition, appointment, evaluator, django_assert_num_queries
    ):
        client = client_for(evaluator)
        assign(submitted(edition, ServiceUnitFactory()), appointment)
        client.get(todo_url(edition))  # the instrument cache and session are warm from here
        with CaptureQueriesContext(connection) as one_row:
            assert client.get(todo_url(edition)).status_code == 200
        for _ in range(5):
            more = assign(submitted(edition, ServiceUnitFactory()), appointment)
            save_sheet(more, {"signifikansi": 70}, actor=evaluator)

        with django_assert_num_queries(len(one_row.captured_queries)):
            response = client.get(todo_url(edition))

        assert response.context["page"].paginator.count == 6


# --------------------------------------------------------------------------- the sheet


class TestBlindSheet:
    def test_shows_the_frozen_snapshot_and_no_identity(
        self, assignment, evaluator, proposal, institution_a, unit_a
    ):
        frozen_text = UMUM_ANSWERS["signifikansi"]
        proposal.answers = {**proposal.answers, "signifikansi": "Teks yang diubah kemudian."}
        proposal.save()

        response = client_for(evaluator).get(sheet_url(assignment))
        text = response.content.decode()

        assert response.status_code == 200
        assert frozen_text in text
        assert "Teks yang diubah kemudian." not in text
        assert proposal.title in text
        for identity in (institution_a.name, institution_a.short_name, unit_a.name, "Payakumbuh"):
            assert identity not in text
        assert "tanpa identitas" in text

    def test_lists_every_visible_section_with_labels_anchors_and_zero_weight_inputs(
        self, assignment, evaluator
    ):
        response = client_for(evaluator).get(sheet_url(assignment))
        text = response.content.decode()

        for label in ("Ringkasan", "Latar Belakang dan Tujuan", "Strategi Keberlanjutan"):
            assert label in text
        # umum does not see the replication sections.
        assert "Faktor Pembeda" not in text
        assert 'name="value_ringkasan"' in text
        assert "bobot 0%" in text
        assert "0–20 sangat lemah" in text
        assert "81–100 sangat baik" in text

    def test_draft_then_final_then_correction_makes_version_two(self, assignment, evaluator):
        client = client_for(evaluator)

        draft = client.post(sheet_url(assignment), form_data({"signifikansi": 85}, note=""))
        sheet = ScoreSheet.objects.get(assignment=assignment)
        assert draft.status_code == 302
        assert sheet.status == SheetStatus.DRAFT

        to_confirm = client.post(
            sheet_url(assignment),
            form_data(E1, action="finalise", comments={"signifikansi": "Data kuat."}),
        )
        assert to_confirm["Location"] == sheet_url(assignment, "kipp_assessor_sheet_finalise")
        confirm_page = client.get(to_confirm["Location"])
        assert "78,50" in confirm_page.content.decode()
        client.post(to_confirm["Location"])
        sheet.refresh_from_db()
        assert sheet.status == SheetStatus.FINAL
        assert sheet.total == Decimal("78.50")

        # A final sheet no longer takes drafts.
        client.post(sheet_url(assignment), form_data({**E1, "signifikansi": 10}))
        sheet.refresh_from_db()
        assert sheet.total == Decimal("78.50")

        correct_url = sheet_url(assignment, "kipp_assessor_sheet_correct")
        too_short = client.post(
            correct_url, {**_values(E1, signifikansi=95), "note": NOTE, "reason": "salah"}
        )
        assert too_short.status_code == 200
        corrected = client.post(
            correct_url,
            {
                **_values(E1, signifikansi=95),
                "note": NOTE,
                "reason": "Salah ketik nilai signifikansi.",
            },
        )
        assert corrected.status_code == 302
        sheet.refresh_from_db()
        assert sheet.current_version == 2
        version = sheet.versions.get(number=2)
        assert version.reason == "Salah ketik nilai signifikansi."
        assert sheet.total == Decimal("81.50")
        page = client.get(sheet_url(assignment)).content.decode()
        assert "Salah ketik nilai signifikansi." in page
        assert "versi 2" in page

    def test_finalising_an_incomplete_draft_names_what_is_missing(self, assignment, evaluator):
        client = client_for(evaluator)
        partial = {k: v for k, v in E1.items() if k != "ringkasan"}
        client.post(sheet_url(assignment), form_data(partial, action="finalise"))

        confirm = client.get(sheet_url(assignment, "kipp_assessor_sheet_finalise"))
        posted = client.post(sheet_url(assignment, "kipp_assessor_sheet_finalise"))

        assert "Belum dinilai: Ringkasan" in confirm.content.decode()
        assert "Ringkasan" in posted.content.decode()
        assert ScoreSheet.objects.get(assignment=assignment).status == SheetStatus.DRAFT

    def test_out_of_scale_value_is_refused_and_nothing_saved(self, assignment, evaluator):
        response = client_for(evaluator).post(
            sheet_url(assignment), form_data({"signifikansi": 101})
        )

        assert response.status_code == 200
        assert not ScoreSheet.objects.exists()
        assert "is-invalid" in response.content.decode()


def _values(values, **changes):
    return {f"value_{k}": v for k, v in {**values, **changes}.items()}


class TestScopes:
    def test_conflict_by_province_hides_the_proposal_with_a_404(self, edition, proposal):
        person = PersonFactory()
        # institution_a is Kota Payakumbuh, province 13.
        conflicted = appoint(edition, person, home_province="13")
        assignment = assign(proposal, conflicted)
        client = client_for(person)

        listing = client.get(todo_url(edition))

        assert proposal.title not in listing.content.decode()
        assert client.get(sheet_url(assignment)).status_code == 404
        assert client.get(sheet_url(assignment, "kipp_assessor_sheet_finalise")).status_code == 404
        assert client.post(sheet_url(assignment), form_data(E1)).status_code == 404
        assert not ScoreSheet.objects.exists()

    def test_someone_elses_assignment_is_a_404(self, assignment, edition):
        other = PersonFactory()
        appoint(edition, other)
        assert client_for(other).get(sheet_url(assignment)).status_code == 404


# --------------------------------------------------------------------------- panel and final


@pytest.fixture
def edition_2021(db):
    def make(stage):
        return EditionFactory(
            code=f"kipp-uji-2021-{stage}",
            year=2021,
            rules=rules_from_file("kipp-2021.yaml"),
            instrument=instrument_from_file("kipp-2021.yaml"),
            stages=stage,
        )

    return make


PANEL_2021 = {
    "ringkasan": 80,
    "ide_inovatif": 80,
    "signifikansi": 90,
    "kontribusi_tpb": 70,
    "adaptabilitas": 80,
    "keberlanjutan": 80,
    "kolaborasi": 60,
}


class TestPanelStage:
    def test_pairs_see_each_others_final_scores_and_the_proposer(self, edition_2021, unit_a):
        edition = edition_2021(EditionState.PANEL_STAGE)
        proposal = submitted(edition, unit_a, category="pendidikan")
        first, second = PersonFactory(), PersonFactory()
        mine = assign(proposal, appoint(edition, first, role="panelist"), EditionState.PANEL_STAGE)
        theirs = assign(
            proposal, appoint(edition, second, role="panelist"), EditionState.PANEL_STAGE
        )
        finalise_sheet(save_sheet(theirs, PANEL_2021, note=NOTE, actor=second), actor=second)

        response = client_for(first).get(sheet_url(mine))
        text = response.content.decode()

        assert response.status_code == 200
        assert "Nilai penilai lain (final)" in text
        assert "Penilai lain 1" in text
        assert str(second) not in text
        assert unit_a.institution.name in text
        assert "Ide Inovatif" in text

    def test_a_conflicted_panelist_sees_neither_the_proposal_nor_the_scores(
        self, edition_2021, unit_a
    ):
        edition = edition_2021(EditionState.PANEL_STAGE)
        proposal = submitted(edition, unit_a, category="pendidikan")
        scorer, conflicted = PersonFactory(), PersonFactory()
        scored = assign(
            proposal, appoint(edition, scorer, role="panelist"), EditionState.PANEL_STAGE
        )
        finalise_sheet(save_sheet(scored, PANEL_2021, note=NOTE, actor=scorer), actor=scorer)
        blocked = assign(
            proposal,
            appoint(edition, conflicted, role="panelist", affiliation=unit_a.institution),
            EditionState.PANEL_STAGE,
        )

        assert client_for(conflicted).get(sheet_url(blocked)).status_code == 404


class TestPresentationStage:
    def test_scores_the_rubric_with_the_attendance_rule(self, edition_2021, unit_a):
        edition = edition_2021(EditionState.FINAL_STAGE)
        proposal = submitted(edition, unit_a, category="pendidikan")
        PresentationSlot.objects.create(
            proposal=proposal,
            starts_at=edition.created_at,
            mode="online",
            presenter_name="Budi Santoso",
            presenter_position="Wali Kota",
        )
        panelist = PersonFactory()
        assignment = assign(
            proposal, appoint(edition, panelist, role="panelist"), EditionState.FINAL_STAGE
        )
        client = client_for(panelist)

        page = client.get(sheet_url(assignment)).content.decode()
        client.post(sheet_url(assignment), form_data(RUBRIC, action="finalise"))
        client.post(sheet_url(assignment, "kipp_assessor_sheet_finalise"))

        for label in ("Penyampaian", "Substansi", "Video", "Kehadiran pimpinan", "bobot 50%"):
            assert label in page
        assert "100 jika pimpinan instansi hadir" in page
        assert "Budi Santoso — Wali Kota" in page
        sheet = ScoreSheet.objects.get(assignment=assignment)
        # 0.3·80 + 0.5·90 + 0.1·70 + 0.1·100
        assert sheet.total == Decimal("86.00")


def test_desk_stage_never_shows_other_evaluators_scores(edition, proposal, assignment, evaluator):
    other = PersonFactory()
    theirs = assign(proposal, appoint(edition, other))
    finalise_sheet(save_sheet(theirs, E1, note=NOTE, actor=other), actor=other)

    text = client_for(evaluator).get(sheet_url(assignment)).content.decode()

    assert "Nilai penilai lain" not in text
    assert "Penilai lain 1" not in text


def test_after_the_stage_closes_the_sheet_is_read_only(edition, assignment, evaluator):
    finalise_sheet(save_sheet(assignment, E1, note=NOTE, actor=evaluator), actor=evaluator)
    stage = stage_of(edition)
    stage.status = "closed"
    stage.save()
    client = client_for(evaluator)

    listing = client.get(todo_url(edition))
    page = client.get(sheet_url(assignment)).content.decode()
    correction = client.get(sheet_url(assignment, "kipp_assessor_sheet_correct"))

    assert [a.pk for a in listing.context["page"].object_list] == [assignment.pk]
    assert "sudah ditutup" in page
    assert "Koreksi nilai" not in page
    assert 'name="value_signifikansi"' not in page
    assert correction.status_code == 302
