"""The secretariat's evaluation pages (kipp.md §10, §11, §13): the hub, appointments and
conflicts, assignment runs, the score table and its exports, consolidation, corrections,
and the plenary flow of acceptance example A8 (Top-5 with strata and an override)."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from prima.core.models import AuditEntry, Job
from prima.evaluation.domain.runs import run_assignment
from prima.evaluation.enums import EditionState, PickReason, SelectionKind
from prima.evaluation.models import (
    Appointment,
    Assignment,
    AssignmentRun,
    Conflict,
    Consolidation,
    ScoreSheet,
    SelectionOverride,
    SelectionRun,
)
from prima.kipp.enums import ProposalState
from prima.kipp.interfaces.score_tables import score_header, score_table
from prima.kipp.models import Proposal
from tests.conftest import client_for
from tests.factories import InstitutionFactory, PersonFactory, RegionFactory
from tests.jobs import followed_job
from tests.kipp.domain.test_decisions import (
    A5,
    a6_edition,
    desk_proposal,
    evaluator,
    finalist,
    score,
    stage_of,
    values_for,
)
from tests.kipp.factories import AssignmentFactory, EditionFactory, ProposalFactory

D = Decimal
S = ProposalState
DESK = EditionState.DESK_EVALUATION


@pytest.fixture
def edition(db):
    return EditionFactory(code="kipp-2025-uji", stages=DESK)


def url(name: str, *args) -> str:
    return reverse(name, args=args)


# --------------------------------------------------------------------------- hub


def test_hub_shows_progress_per_evaluator(edition, secretariat):
    proposals, _team = a6_edition(edition)
    late = evaluator(edition, "Dr. Terlambat")
    AssignmentFactory(subject=proposals["A"].subject, appointment=late)

    response = client_for(secretariat).get(url("kipp_evaluation_hub", edition.code))

    assert response.status_code == 200
    rows = {row.name: row for row in response.context["rows"]}
    assert (rows["Evaluator 1"].assigned, rows["Evaluator 1"].final) == (4, 4)
    assert (rows["Dr. Terlambat"].assigned, rows["Dr. Terlambat"].open) == (1, 1)
    assert response.context["total"]["assigned"] == 13
    assert response.context["percent"] == 92
    assert "Kirim pengingat" in response.content.decode()


def test_reminder_button_mails_the_late_evaluators(
    edition, secretariat, mailoutbox, django_capture_on_commit_callbacks
):
    proposals, _team = a6_edition(edition)
    late = evaluator(edition, "Dr. Terlambat")
    AssignmentFactory(subject=proposals["A"].subject, appointment=late)
    client = client_for(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("kipp_evaluation_remind", edition.code))

    job = followed_job(response)
    assert [m.to for m in mailoutbox] == [[late.person.email]]
    assert (job.state, job.result["sent"]) == ("succeeded", 1)
    assert job.result["url"] == url("kipp_evaluation_hub", edition.code)
    assert "Pengingat dikirim kepada 1 penilai." in client.get(response.url).content.decode()


# --------------------------------------------------------------------------- people


def test_appoint_an_evaluator_after_searching_for_the_person(edition, secretariat, institution_a):
    person = PersonFactory(full_name="Prof. Siti Aminah", email="siti@ui.ac.id")
    client = client_for(secretariat)

    found = client.get(url("kipp_evaluation_appoint", edition.code), {"q": "aminah"})
    assert "Prof. Siti Aminah" in found.content.decode()

    response = client.post(
        url("kipp_evaluation_appoint", edition.code),
        {
            "person": person.pk,
            "role": "evaluator",
            "affiliation": institution_a.pk,
            "home_province": "31",
            "university": "Universitas Indonesia",
            "expertise": "kesehatan masyarakat",
            "categories": ["AC4"],
            "min_load": 0,
            "max_load": "",
        },
    )

    assert response.status_code == 302
    appointment = Appointment.objects.get(edition=edition, person=person)
    assert (appointment.affiliation, appointment.categories, appointment.max_load) == (
        institution_a,
        ["AC4"],
        None,
    )


def test_appointing_twice_shows_the_domain_refusal(edition, secretariat):
    appointment = evaluator(edition, "Dr. Budi")
    response = client_for(secretariat).post(
        url("kipp_evaluation_appoint", edition.code),
        {"person": appointment.person.pk, "role": "panelist", "min_load": 0},
    )
    assert response.status_code == 200
    assert "dua peran" in response.content.decode()


def test_deactivate_needs_a_reason(edition, secretariat):
    appointment = evaluator(edition, "Dr. Budi")
    client = client_for(secretariat)
    target = url("kipp_evaluation_deactivate", appointment.pk)
    assert client.post(target, {"reason": ""}).status_code == 200
    assert client.post(target, {"reason": "Mengundurkan diri"}).status_code == 302
    assert Appointment.objects.get(pk=appointment.pk).is_active is False


def test_secretariat_records_a_conflict_that_removes_a_live_assignment(edition, secretariat):
    proposal = ProposalFactory(edition=edition, state=S.DESK_REVIEW)
    appointment = evaluator(edition, "Dr. Budi")
    AssignmentFactory(subject=proposal.subject, appointment=appointment)
    client = client_for(secretariat)

    response = client.post(
        url("kipp_evaluation_conflict_add", edition.code),
        {
            "appointment": appointment.pk,
            "subject": proposal.subject_id,
            "nature": "consultancy",
            "reason": "Pernah menjadi pendamping inovasi ini.",
        },
    )

    assert response.status_code == 302
    conflict = Conflict.objects.get(appointment=appointment)
    assert conflict.kind == "secretariat_entered"
    assert not Assignment.objects.filter(appointment=appointment).exists()
    listing = client.get(url("kipp_evaluation_conflicts", edition.code))
    assert "Pernah menjadi pendamping inovasi ini." in listing.content.decode()


# --------------------------------------------------------------------------- runs


def test_run_then_deploy_through_the_pages(
    edition, secretariat, mailoutbox, django_capture_on_commit_callbacks
):
    for _ in range(2):
        ProposalFactory(edition=edition, state=S.ADMIN_PASSED)
    for i in range(3):
        evaluator(edition, f"Evaluator {i}")
    client = client_for(secretariat)

    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(
            url("kipp_evaluation_runs", edition.code, DESK),
            {"label": "Putaran 1", "demand": 2, "max_load": ""},
        )
    run = AssignmentRun.objects.get(label="Putaran 1")
    job = followed_job(created)
    assert (job.state, job.result["run"], job.result["status"]) == ("succeeded", run.pk, "optimal")
    assert job.result["url"] == url("kipp_evaluation_run", run.pk)
    progress = client.get(created.url).content.decode()
    assert "Proses «Putaran 1» selesai: optimal." in progress
    assert f'href="{url("kipp_evaluation_run", run.pk)}"' in progress
    detail = client.get(job.result["url"])
    assert detail.context["histogram"] == [(1, 2), (2, 1)]
    assert detail.context["pair_count"] == 4

    confirm = client.get(url("kipp_evaluation_run_deploy", run.pk))
    assert confirm.context["preview"]["create"] == 4
    with django_capture_on_commit_callbacks(execute=True):
        deployed = client.post(url("kipp_evaluation_run_deploy", run.pk), {"confirm": "on"})

    assert deployed.status_code == 302
    assert Assignment.objects.filter(stage__edition=edition).count() == 4
    assert set(Proposal.objects.filter(edition=edition).values_list("state", flat=True)) == {
        S.DESK_REVIEW
    }
    assert len(mailoutbox) == 3


def test_infeasible_run_shows_its_indonesian_diagnosis(
    edition, secretariat, django_capture_on_commit_callbacks
):
    ProposalFactory(edition=edition, state=S.ADMIN_PASSED)
    evaluator(edition, "Satu-satunya")
    client = client_for(secretariat)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("kipp_evaluation_runs", edition.code, DESK), {"label": "Kurang", "demand": 3}
        )

    run = AssignmentRun.objects.get(label="Kurang")
    assert run.status == "infeasible"
    job = followed_job(response)
    assert job.result["summary"] == "Proses «Kurang» tidak layak; lihat diagnosisnya."
    page = client.get(job.result["url"]).content.decode()
    assert "Diagnosis" in page
    assert run.diagnosis and run.diagnosis[0] in page


def test_a_run_that_cannot_start_is_refused_on_the_form_without_a_job(edition, secretariat):
    stage = stage_of(edition, DESK)
    stage.assessor_role = ""
    stage.save()

    response = client_for(secretariat).post(
        url("kipp_evaluation_runs", edition.code, DESK), {"label": "Terlambat", "demand": 1}
    )

    assert response.status_code == 200
    assert "tidak memiliki peran penilai" in response.content.decode()
    assert not Job.objects.exists()


def test_compare_two_runs(edition, secretariat):
    for _ in range(2):
        ProposalFactory(edition=edition, state=S.ADMIN_PASSED)
    for i in range(2):
        evaluator(edition, f"Evaluator {i}")
    desk = stage_of(edition, DESK)
    first = run_assignment(desk, actor=secretariat, label="k1", parameters={"demand": 1})
    second = run_assignment(desk, actor=secretariat, label="k2", parameters={"demand": 2})

    response = client_for(secretariat).get(
        url("kipp_evaluation_run", second.pk), {"banding": first.pk}
    )

    comparison = response.context["comparison"]
    assert (comparison["added"], comparison["removed"], comparison["kept"]) == (2, 0, 2)


def test_runs_list_query_count_does_not_grow(edition, secretariat):
    ProposalFactory(edition=edition, state=S.ADMIN_PASSED)
    evaluator(edition, "Evaluator 1")
    desk = stage_of(edition, DESK)
    client = client_for(secretariat)
    target = url("kipp_evaluation_runs", edition.code, DESK)
    run_assignment(desk, actor=secretariat, label="r0", parameters={"demand": 1})
    client.get(target)
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(target).context["page"].object_list) == 1
    for i in range(4):
        run_assignment(desk, actor=secretariat, label=f"r{i + 1}", parameters={"demand": 1})
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(target).context["page"].object_list) == 5
    assert len(many) == len(one)


# --------------------------------------------------------------------------- scores


def test_a5_disagreement_leads_the_consolidation_queue(edition, secretariat):
    _proposals, _team = a6_edition(edition)

    response = client_for(secretariat).get(url("kipp_evaluation_scores", edition.code, DESK))

    rows = list(response.context["page"].object_list)
    first = rows[0].result
    assert first.title == "A5"
    assert (first.official, first.spread, first.disagreement) == (D("77.00"), D("17.0000"), True)
    assert [t.total for t in rows[0].reviewers] == [D("78.5000"), D("84.7500"), D("67.7500")]
    page = response.content.decode()
    assert "Evaluator 1 78.50" in page
    assert response.context["flagged"] == 1


def test_score_table_query_count_does_not_grow(edition, secretariat):
    team = [evaluator(edition, f"Evaluator {i}") for i in range(3)]
    client = client_for(secretariat)
    target = url("kipp_evaluation_scores", edition.code, DESK)
    desk_proposal(edition, "P0", ["80.00", "81.00", "82.00"], team)
    client.get(target)
    with CaptureQueriesContext(connection) as one:
        assert client.get(target).context["page"].paginator.count == 1
    for i in range(1, 6):
        desk_proposal(edition, f"P{i}", ["70.00", "75.00", "90.00"], team)
    with CaptureQueriesContext(connection) as many:
        assert client.get(target).context["page"].paginator.count == 6
    assert len(many) == len(one)


def test_xlsx_export_matches_the_table(edition, secretariat):
    a6_edition(edition)
    client = client_for(secretariat)
    filters = {"flag": "", "sort": "nilai"}

    page = client.get(url("kipp_evaluation_scores", edition.code, DESK), filters)
    export = client.get(
        url("kipp_evaluation_scores_export", edition.code, DESK), {**filters, "format": "xlsx"}
    )

    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    shown = [row.cells() for row in page.context["page"].object_list]
    assert list(rows[0]) == score_header()
    assert len(rows) - 1 == len(shown) == 4
    for exported, cells in zip(rows[1:], shown, strict=True):
        assert [("" if v is None else v) for v in exported] == [
            ("ya" if c is True else "tidak" if c is False else c) for c in cells
        ]
    assert [row[1] for row in rows[1:]] == ["A", "C", "B", "A5"]
    assert rows[1][7] == "85.00"


def test_sheets_export_has_one_row_per_sheet_per_section(edition, secretariat):
    a6_edition(edition)
    response = client_for(secretariat).get(
        url("kipp_evaluation_sheets_export", edition.code, DESK), {"format": "csv"}
    )
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 1 + 4 * 3 * 8  # 4 proposals × 3 sheets × 8 umum sections


def test_score_detail_and_consolidation(edition, secretariat):
    proposals, _team = a6_edition(edition)
    subject = proposals["A5"].subject
    client = client_for(secretariat)

    detail = client.get(url("kipp_evaluation_score_detail", edition.code, DESK, subject.pk))
    rows = {criterion.code: values for criterion, values, _mean in detail.context["rows"]}
    assert rows["latar_belakang"] == [D(row[0]) for row in A5]

    response = client.post(
        url("kipp_evaluation_consolidate", edition.code, DESK, subject.pk),
        {
            "score": "80.00",
            "justification": "Tim sepakat setelah membahas bukti signifikansi.",
            "attendees": "Evaluator 1\nEvaluator 2\nEvaluator 3",
            "minutes_ref": "BA/TE/2025/03",
        },
    )

    assert response.status_code == 302
    assert Consolidation.objects.get(subject=subject).score == D("80.00")
    [row] = [r for r in score_table(stage_of(edition, DESK)) if r.result.subject_id == subject.pk]
    assert (row.result.official, row.result.consolidated) == (D("77.00"), D("80.00"))


def test_secretariat_corrects_a_final_sheet(edition, secretariat):
    proposals, _team = a6_edition(edition)
    sheet = ScoreSheet.objects.filter(subject=proposals["A"].subject).first()
    values = {f"value_{code}": v for code, v in values_for("85.00").items()}
    values["value_signifikansi"] = 95

    response = client_for(secretariat).post(
        url("kipp_evaluation_sheet_correct", sheet.pk),
        {**values, "note": "Catatan umum.", "reason": "Salah ketik nilai signifikansi."},
    )

    assert response.status_code == 302
    sheet.refresh_from_db()
    assert (sheet.current_version, sheet.total) == (2, D("88.0000"))


# --------------------------------------------------------------------------- nomination (A6)


def test_a6_nomination_through_the_pages(edition, secretariat):
    _proposals, _team = a6_edition(edition)
    client = client_for(secretariat)

    proposed = client.post(url("kipp_evaluation_nomination", edition.code))
    run = SelectionRun.objects.get(kind=SelectionKind.PROPOSED)
    assert proposed.url == url("kipp_evaluation_selection", run.pk)
    adopted = client.post(proposed.url, {"minutes_ref": "BA/TE/2025/01"})
    adopted_run = SelectionRun.objects.get(kind=SelectionKind.ADOPTED)
    assert adopted.url == url("kipp_evaluation_selection", adopted_run.pk)
    assert "Catat nominasi (4 proposal diputuskan)" in client.get(adopted.url).content.decode()

    client.post(url("kipp_evaluation_nominate", adopted_run.pk))

    states = dict(Proposal.objects.filter(edition=edition).values_list("title", "state"))
    assert states == {
        "A": S.NOMINATED,
        "B": S.NOT_NOMINATED,
        "C": S.NOMINATED,
        "A5": S.NOT_NOMINATED,
    }


# --------------------------------------------------------------------------- A8 (pages)

# kipp.md §18 A8: (official score, province, 3T); every candidate is a local government.
A8 = {
    "P1": ("92.10", "35", False),
    "P2": ("91.40", "35", False),
    "P3": ("90.75", "35", False),
    "P4": ("89.20", "13", False),
    "P5": ("88.60", "64", False),
    "P6": ("87.90", "52", False),
    "P7": ("86.30", "91", True),
    "P8": ("85.50", "53", True),
}
SWAP = "Pleno menilai P6 lebih berdampak bagi layanan dasar di daerahnya."


@pytest.fixture
def a8_edition(db):
    """Nominees P1–P8 of a Top-5 finalist tier constrained by 3T min 1, province max 2."""
    edition = EditionFactory(code="kipp-a8", stages=DESK)
    rules = edition.rules
    rules["finalists"] = {"mode": "top_n", "tiers": ["top5_uji"]}
    rules["tiers"].insert(
        0, {"code": "top5_uji", "level": "finalist", "groups": ["umum"], "size": 5}
    )
    rules["composition"] = {
        "applies_to": ["top5_uji"],
        "region_3t_list": "kipp-uji-3t",
        "constraints": [
            {"stratum": "region_3t", "value": True, "min": 1},
            {"stratum": "province_local", "max": 2},
        ],
    }
    edition.save()
    team = evaluator(edition, "Evaluator A8")
    proposals = {}
    for index, (name, (total, province, is_3t)) in enumerate(A8.items()):
        region = RegionFactory(code=f"{province}.{index + 10}", province_code=province)
        institution = InstitutionFactory(region=region)
        proposal = ProposalFactory(
            edition=edition,
            title=name,
            state=S.NOMINATED,
            innovation__unit__institution=institution,
        )
        proposal.subject.region_3t = is_3t
        proposal.subject.save()
        score(proposal.subject, values_for(total), team)
        proposals[name] = proposal
    return edition, proposals


def test_a8_top5_with_strata_override_and_finalists_through_the_pages(a8_edition, secretariat):
    edition, proposals = a8_edition
    sid = {name: p.subject_id for name, p in proposals.items()}
    client = client_for(secretariat)

    finalists_page = client.get(url("kipp_evaluation_finalists", edition.code))
    assert "Usulkan top5_uji (5)" in finalists_page.content.decode()
    proposed = client.post(url("kipp_evaluation_finalists", edition.code), {"tier": "top5_uji"})
    run = SelectionRun.objects.get(tier="top5_uji", kind=SelectionKind.PROPOSED)
    assert run.selected_ids == [sid[n] for n in ("P1", "P2", "P4", "P5", "P7")]
    page = client.get(proposed.url)
    rows = {row["title"]: row for row in page.context["rows"]}
    assert rows["P7"]["reason"] == PickReason.QUOTA
    assert rows["P1"]["reason"] == PickReason.MERIT
    assert rows["P3"]["displaced"] == "province_local = 35, maks 2"
    assert "province_local = 35, maks 2" in page.content.decode()

    adopted = client.post(
        proposed.url,
        {
            "swap1-removed": sid["P5"],
            "swap1-added": sid["P6"],
            "swap1-justification": SWAP,
            "minutes_ref": "BA/TPI/2021/07",
        },
    )
    adopted_run = SelectionRun.objects.get(tier="top5_uji", kind=SelectionKind.ADOPTED)
    assert adopted.url == url("kipp_evaluation_selection", adopted_run.pk)
    assert adopted_run.selected_ids == [sid[n] for n in ("P1", "P2", "P4", "P6", "P7")]
    assert adopted_run.violations == []
    override = SelectionOverride.objects.get(run=adopted_run)
    assert (override.removed_id, override.added_id) == (sid["P5"], sid["P6"])
    assert (override.justification, override.minutes_ref) == (SWAP, "BA/TPI/2021/07")

    client.post(url("kipp_evaluation_decide_finalists", edition.code), {"run": adopted_run.pk})

    after = {p.title: p for p in Proposal.objects.filter(edition=edition)}
    assert {n for n, p in after.items() if p.state == S.FINALIST} == {"P1", "P2", "P4", "P6", "P7"}
    assert {n for n, p in after.items() if p.state == S.NOT_FINALIST} == {"P3", "P5", "P8"}
    assert after["P6"].tiers == ["top5_uji"]
    assert AuditEntry.objects.filter(action="kipp.proposal.finalist").count() == 8


def test_a8_violating_override_is_shown_and_needs_acknowledgement(a8_edition, secretariat):
    edition, proposals = a8_edition
    sid = {name: p.subject_id for name, p in proposals.items()}
    client = client_for(secretariat)
    client.post(url("kipp_evaluation_finalists", edition.code), {"tier": "top5_uji"})
    run = SelectionRun.objects.get(tier="top5_uji", kind=SelectionKind.PROPOSED)
    swap = {
        "swap1-removed": sid["P7"],
        "swap1-added": sid["P3"],
        "swap1-justification": "Pleno memilih P3 karena dampaknya lebih luas.",
        "minutes_ref": "BA/TPI/2021/08",
    }

    refused = client.post(url("kipp_evaluation_selection", run.pk), swap)
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "region_3t" in page and "province_local" in page
    assert not SelectionRun.objects.filter(kind=SelectionKind.ADOPTED).exists()

    saved = client.post(url("kipp_evaluation_selection", run.pk), {**swap, "acknowledge": "on"})
    adopted = SelectionRun.objects.get(kind=SelectionKind.ADOPTED)
    assert saved.url == url("kipp_evaluation_selection", adopted.pk)
    assert adopted.violations_acknowledged is True
    assert {v["kind"] for v in adopted.violations} == {"min", "max"}


def test_short_justification_is_refused_on_the_form(a8_edition, secretariat):
    edition, proposals = a8_edition
    client = client_for(secretariat)
    client.post(url("kipp_evaluation_finalists", edition.code), {"tier": "top5_uji"})
    run = SelectionRun.objects.get(kind=SelectionKind.PROPOSED)
    response = client.post(
        url("kipp_evaluation_selection", run.pk),
        {
            "swap1-removed": proposals["P5"].subject_id,
            "swap1-added": proposals["P6"].subject_id,
            "swap1-justification": "terlalu pendek",
            "minutes_ref": "BA/1",
        },
    )
    assert response.status_code == 200
    assert "minimal 20 karakter" in response.content.decode()
    assert not SelectionRun.objects.filter(kind=SelectionKind.ADOPTED).exists()


def test_selection_export_matches_the_ranking(a8_edition, secretariat):
    edition, _proposals = a8_edition
    client = client_for(secretariat)
    client.post(url("kipp_evaluation_finalists", edition.code), {"tier": "top5_uji"})
    run = SelectionRun.objects.get(kind=SelectionKind.PROPOSED)

    response = client.get(url("kipp_evaluation_selection_export", run.pk), {"format": "xlsx"})

    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [row[2] for row in rows[1:]] == list(A8)
    assert rows[7][13] == "Kuota komposisi"  # P7
    assert rows[3][14] == "province_local = 35, maks 2"  # P3


# --------------------------------------------------------------------------- lists


def test_appointment_and_conflict_lists_query_count_does_not_grow(edition, secretariat):
    client = client_for(secretariat)
    proposal = ProposalFactory(edition=edition)
    pages = (
        url("kipp_evaluation_appointments", edition.code),
        url("kipp_evaluation_conflicts", edition.code),
    )

    def add(i: int) -> None:
        appointment = evaluator(edition, f"Evaluator {i}")
        Conflict.objects.create(
            appointment=appointment, kind="declared", subject=proposal.subject, reason="Keluarga"
        )

    add(0)
    for target in pages:
        client.get(target)
    counts = []
    for target in pages:
        with CaptureQueriesContext(connection) as one:
            assert client.get(target).context["page"].paginator.count == 1
        counts.append(len(one))
    for i in range(1, 5):
        add(i)
    for target, expected in zip(pages, counts, strict=True):
        with CaptureQueriesContext(connection) as many:
            assert client.get(target).context["page"].paginator.count == 5
        assert len(many) == expected


# --------------------------------------------------------------------------- winners (§13)


def test_winners_through_the_pages(db, secretariat):
    edition = EditionFactory(code="kipp-akhir", stages=EditionState.FINAL_STAGE)
    edition.rules["tiers"][1]["size"] = 1
    edition.save()
    panel = [evaluator(edition, f"Panelis {i}", role="panelist") for i in (1, 2)]
    best = finalist(edition, "Terbaik", "95.00", 90, panel)
    other = finalist(edition, "Lainnya", "88.00", 70, panel)
    client = client_for(secretariat)
    target = url("kipp_evaluation_winners", edition.code)

    waiting = client.get(target)
    assert [p.title for p, pending in waiting.context["waiting"] if pending == []] == [
        "Lainnya",
        "Terbaik",
    ]
    for proposal in (best, other):
        client.post(url("kipp_evaluation_mark_presented", proposal.pk))
    page = client.get(target)
    assert [cells[-1] for _row, cells in page.context["rows"]] == ["93.33", "82.00"]

    proposed = client.post(target, {"tier": "top45"})
    run = SelectionRun.objects.get(tier="top45", kind=SelectionKind.PROPOSED)
    client.post(proposed.url, {"minutes_ref": "BA/TPI/2025/09", "acknowledge": "on"})
    adopted = SelectionRun.objects.get(tier="top45", kind=SelectionKind.ADOPTED)
    assert adopted.selected_ids == run.selected_ids == [best.subject_id]

    client.post(url("kipp_evaluation_decide_winners", edition.code), {"run_top45": adopted.pk})

    states = dict(Proposal.objects.filter(edition=edition).values_list("title", "state"))
    assert states == {"Terbaik": S.WINNER, "Lainnya": S.FINALIST_ONLY}
    export = client.get(url("kipp_evaluation_final_scores_export", edition.code), {"format": "csv"})
    body = export.content.decode("utf-8-sig")
    assert "93.33" in body and "Komponen desk" in body
