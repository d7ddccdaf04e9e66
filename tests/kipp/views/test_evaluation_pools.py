"""Category pools in KIPP's panel assignment (kipp.md §6.1 `panel_assessment.pools`, §11.1,
§13): a run of the final stage under the 2025 rules keeps every panelist to the finalists of
their own categories, says so on its pages, and the appointments list flags panelists
without a category."""

from __future__ import annotations

from collections import Counter

import pytest
from django.urls import reverse

from prima.evaluation.domain.runs import run_assignment
from prima.evaluation.enums import EditionState, RunStatus
from prima.evaluation.models import Appointment, AssignmentRun
from prima.kipp.domain.decisions import stage_candidates
from prima.kipp.enums import ProposalState
from tests.conftest import client_for
from tests.factories import PersonFactory
from tests.jobs import followed_job
from tests.kipp.domain.test_decisions import evaluator, stage_of
from tests.kipp.factories import EditionFactory, ProposalFactory

FINAL = EditionState.FINAL_STAGE


@pytest.fixture
def edition(db):
    """A 2025 edition (`editions/kipp-2025.yaml`) in its final stage: the panel assessment
    pools panelists by category and needs 2 reviewers per finalist."""
    return EditionFactory(code="kipp-2025-kelompok", stages=FINAL)


def url(name: str, *args) -> str:
    return reverse(name, args=args)


def finalists(edition, category: str, n: int) -> list[int]:
    return [
        ProposalFactory(
            edition=edition, state=ProposalState.CONFIRMED_FINALIST, category=category
        ).subject_id
        for _ in range(n)
    ]


def panelist(edition, name: str, categories: list[str], max_load: int = 4) -> Appointment:
    return evaluator(
        edition,
        name,
        role="panelist",
        categories=categories,
        max_load=max_load,
        home_province="",
    )


def test_panel_run_under_2025_rules_never_crosses_categories(
    edition, secretariat, django_capture_on_commit_callbacks
):
    by_category = {code: finalists(edition, code, 3) for code in ("AC1", "AC4", "AC7")}
    panel = {
        "AC1": [panelist(edition, f"Ideologi {i}", ["AC1"]) for i in range(2)],
        "AC4": [panelist(edition, f"Kesehatan {i}", ["AC4"]) for i in range(2)],
        "AC7": [panelist(edition, f"Birokrasi {i}", ["AC7"]) for i in range(2)],
    }
    both = panelist(edition, "Lintas Bidang", ["AC4", "AC7"], max_load=6)
    idle = panelist(edition, "Belum Berkategori", [], max_load=6)
    client = client_for(secretariat)

    runs_page = client.get(url("kipp_evaluation_runs", edition.code, FINAL)).content.decode()
    assert "Kelompok kategori:" in runs_page and "<strong>ya</strong>" in runs_page
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(
            url("kipp_evaluation_runs", edition.code, FINAL), {"label": "Panel 2025"}
        )

    run = AssignmentRun.objects.get(label="Panel 2025")
    assert followed_job(created).result["status"] == RunStatus.OPTIMAL
    assert run.parameters["pools"] == "by_category" and run.parameters["requested"] == {}
    category_of = {s: code for code, subjects in by_category.items() for s in subjects}
    pools = {
        a.pk: set(a.categories)
        for a in [*(a for group in panel.values() for a in group), both, idle]
    }
    assert all(category_of[s] in pools[a] for s, a, _v in run.pairs)
    assert Counter(s for s, _a, _v in run.pairs) == dict.fromkeys(category_of, 2)
    assert idle.pk not in {a for _s, a, _v in run.pairs}
    detail = client.get(url("kipp_evaluation_run", run.pk))
    assert 'Kelompok kategori</dt><dd class="col-sm-9">ya</dd>' in detail.content.decode()


def test_a_short_pool_is_diagnosed_not_filled_from_another_category(edition, secretariat):
    health = finalists(edition, "AC4", 3)
    finalists(edition, "AC7", 1)
    panelist(edition, "Kesehatan", ["AC4"], max_load=3)
    panelist(edition, "Lintas", ["AC4", "AC7"], max_load=1)
    law = {panelist(edition, f"Birokrasi {i}", ["AC7"], max_load=6).pk for i in range(3)}
    stage = stage_of(edition, FINAL)

    pooled = run_assignment(
        stage, actor=secretariat, label="kelompok", subjects=stage_candidates(stage)
    )
    edition.rules["panel_assessment"]["pools"] = "none"
    edition.save(update_fields=["rules"])
    free = run_assignment(
        stage_of(edition, FINAL), actor=secretariat, label="bebas", subjects=stage_candidates(stage)
    )

    assert pooled.status == RunStatus.INFEASIBLE
    assert (
        "Kelompok kategori AC4: 3 subjek × 2 penilai = 6 penilaian, tetapi jumlah beban "
        "maksimum 2 penilai di kelompok ini hanya 4 (kurang 2)."
    ) in pooled.diagnosis
    # With the pools switched off in the rules the same panel crosses categories.
    assert free.status == RunStatus.OPTIMAL and free.parameters["pools"] is None
    assert {(s, a) for s, a, _v in free.pairs if s in health and a in law}


def test_appointments_flag_panelists_without_a_category(edition, secretariat, institution_a):
    panelist(edition, "Berkategori", ["AC4"])
    panelist(edition, "Tanpa Kategori", [])
    evaluator(edition, "Evaluator Meja", categories=[])  # desk: no pools, no flag
    client = client_for(secretariat)

    page = client.get(url("kipp_evaluation_appointments", edition.code)).content.decode()

    assert page.count("tanpa kategori</span>") == 1
    row = page.split("Tanpa Kategori", 1)[1].split("</tr>", 1)[0]
    assert "tanpa kategori</span>" in row
    assert "Tahap Presentasi dan penilaian akhir memakai kelompok kategori" in page

    person = PersonFactory(full_name="Panelis Baru")
    response = client.post(
        url("kipp_evaluation_appoint", edition.code),
        {
            "person": person.pk,
            "role": "panelist",
            "affiliation": institution_a.pk,
            "home_province": "31",
            "university": "Universitas Indonesia",
            "expertise": "kebijakan publik",
            "min_load": 0,
            "max_load": "",
        },
        follow=True,
    )
    messages = [str(m) for m in response.context["messages"]]
    assert (
        "Panelis Baru belum punya kategori, padahal tahap Presentasi dan penilaian akhir "
        "memakai kelompok kategori: penilai ini tidak akan mendapat proposal di sana."
    ) in messages
