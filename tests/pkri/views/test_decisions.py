"""The secretariat's PKRI decision pages and the panel's interview sheet."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from prima.awards.models import Award
from prima.core.enums import InstitutionKind
from prima.evaluation.enums import EditionState, SheetStatus
from prima.evaluation.models import Assignment, ScoreSheet
from prima.pkri.domain.decisions import publish_shortlist
from prima.pkri.domain.interviews import open_interviews, schedule_interview
from prima.pkri.domain.rankings import compute_rankings
from prima.pkri.enums import FormState, Group
from prima.pkri.models import InterviewSlot
from tests.conftest import client_for
from tests.factories import InstitutionFactory
from tests.pkri.decision_factories import (
    categories,
    edition_at,
    evaluated_coaching,
    evaluated_form,
    interview_day,
    panelist,
)

pytestmark = pytest.mark.django_db


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _city(name):
    return InstitutionFactory(kind=InstitutionKind.CITY, short_name=name, name=f"Pemerintah {name}")


def test_hub_publishes_the_shortlist_with_number_and_date(secretariat):
    edition = edition_at(EditionState.DESK_EVALUATION)
    form = evaluated_form(edition, desk="82.00")
    client = client_for(secretariat)

    hub = client.get(reverse("pkri_decisions", args=[edition.code]))
    assert "Terbitkan daftar wawancara" in hub.content.decode()
    response = client.post(
        reverse("pkri_decisions_step", args=[edition.code, "daftar-wawancara"]),
        {"number": "B/300/PP.00.05/2024", "date": "2024-07-08"},
        follow=True,
    )

    assert "Daftar wawancara diterbitkan." in response.content.decode()
    form.refresh_from_db()
    assert form.state == FormState.SHORTLISTED
    edition.refresh_from_db()
    assert edition.state == EditionState.SHORTLIST_PUBLISHED


def test_shortlist_page_shows_the_cut_off_and_the_ties(secretariat):
    edition = edition_at(EditionState.DESK_EVALUATION, **{"groups.keberlanjutan.shortlist.size": 1})
    evaluated_form(edition, desk="80.00", name="Sipaduko")
    evaluated_form(edition, desk="80.00", name="SITARANG")
    publish_shortlist(edition, number="B/1/2024", date=interview_day().date(), actor=secretariat)

    page = client_for(secretariat).get(reverse("pkri_decisions_shortlist", args=[edition.code]))

    text = page.content.decode()
    assert "Batas: 1 peserta teratas dengan nilai dokumen minimal 60" in text
    assert text.count("seri di batas") == 2
    assert "Sipaduko" in text and "SITARANG" in text


def test_shortlist_page_queries_do_not_grow_with_rows(secretariat):
    edition = edition_at(EditionState.DESK_EVALUATION)
    evaluated_form(edition, desk="80.00")
    client = client_for(secretariat)
    url = reverse("pkri_decisions_shortlist", args=[edition.code])
    one = _count(client, url)
    for desk in ("70.00", "75.00", "90.00", "61.00"):
        evaluated_form(edition, desk=desk)
    assert _count(client, url) == one


def test_interviews_page_schedules_a_slot(secretariat, institution_b):
    edition = edition_at(EditionState.SHORTLIST_PUBLISHED)
    form = evaluated_form(
        edition,
        desk="80.00",
        institution=institution_b,
        state=FormState.SHORTLISTED,
        name="Klinik BUM Desa",
    )
    panel = [panelist(edition) for _ in range(3)]
    client = client_for(secretariat)

    response = client.post(
        reverse("pkri_decisions_interviews", args=[edition.code]),
        {
            "form": form.pk,
            "starts_at": "2024-07-12T09:00",
            "link": "https://rapat.contoh/pkri",
            "panelists": [p.pk for p in panel],
            "presenter_name": "Rina",
            "presenter_position": "Kepala Dinas",
        },
        follow=True,
    )

    text = response.content.decode()
    assert "Wawancara dijadwalkan." in text
    assert "Klinik BUM Desa" in text
    assert panel[0].person.full_name in text
    slot = InterviewSlot.objects.get(form=form)
    assert slot.starts_at.isoformat() == "2024-07-12T02:00:00+00:00"


def test_interviews_page_names_the_conflicted_panelist(secretariat, institution_b):
    edition = edition_at(EditionState.SHORTLIST_PUBLISHED)
    form = evaluated_form(
        edition, desk="80.00", institution=institution_b, state=FormState.SHORTLISTED
    )
    conflicted = panelist(edition, affiliation=institution_b)
    panel = [panelist(edition), panelist(edition), conflicted]

    response = client_for(secretariat).post(
        reverse("pkri_decisions_interviews", args=[edition.code]),
        {"form": form.pk, "starts_at": "2024-07-12T09:00", "panelists": [p.pk for p in panel]},
    )

    assert response.status_code == 200
    assert "berkonflik" in response.content.decode()
    assert not InterviewSlot.objects.filter(form=form).exists()


def test_interviews_page_queries_do_not_grow_with_rows(secretariat):
    edition = edition_at(EditionState.SHORTLIST_PUBLISHED)
    panel = [panelist(edition) for _ in range(3)]
    client = client_for(secretariat)
    url = reverse("pkri_decisions_interviews", args=[edition.code])

    def scheduled(hour):
        form = evaluated_form(edition, desk="80.00", state=FormState.SHORTLISTED)
        schedule_interview(form, starts_at=interview_day(hour), panelists=panel, actor=secretariat)

    scheduled(8)
    one = _count(client, url)
    for hour in (9, 10, 11):
        scheduled(hour)
    assert _count(client, url) == one


@pytest.fixture
def ranked_cities(secretariat):
    edition = edition_at(EditionState.PLENARY)
    categories(edition, secretariat)
    return edition


def test_rankings_page_shows_ranks_award_marks_and_ties(secretariat, ranked_cities):
    edition = ranked_cities
    rows = (
        ("Kota Surabaya", "91.25"),
        ("Kota Payakumbuh", "85.00"),
        ("Kota Mataram", "83.75"),
        ("Kota Balikpapan", "83.50"),
        ("Kota Seri 1", "80.00"),
        ("Kota Seri 2", "80.00"),
        ("Kota Demo 1", "60.00"),
    )
    for name, score in rows:
        evaluated_coaching(edition, _city(name), desk=score, levels={"p8": 4})
    compute_rankings(edition, actor=secretariat)

    page = client_for(secretariat).get(reverse("pkri_decisions_rankings", args=[edition.code]))

    text = page.content.decode()
    assert "Pemerintah Kota" in text  # the kind's heading
    assert text.index("Kota Surabaya") < text.index("Kota Payakumbuh") < text.index("Kota Demo 1")
    assert text.count("★ Usulan dari peringkat") == 5
    assert text.count("seri di batas</span>") == 2
    assert Award.objects.filter(edition=edition).count() == 5


def test_rankings_page_queries_do_not_grow_with_rows(secretariat, ranked_cities):
    edition = ranked_cities
    client = client_for(secretariat)
    url = reverse("pkri_decisions_rankings", args=[edition.code])
    evaluated_coaching(edition, _city("Kota A"), desk="90.00")
    interviewed = evaluated_form(edition, desk="80.00", state=FormState.INTERVIEWED)
    interviewed.final_score = Decimal("82.00")
    interviewed.save(update_fields=["final_score"])
    compute_rankings(edition, actor=secretariat)
    one = _count(client, url)
    for n, score in enumerate(("88.00", "86.00", "75.00", "71.00")):
        evaluated_coaching(edition, _city(f"Kota B{n}"), desk=score)
        other = evaluated_form(edition, desk="80.00", state=FormState.INTERVIEWED)
        other.final_score = Decimal(score)
        other.save(update_fields=["final_score"])
    compute_rankings(edition, actor=secretariat)
    assert _count(client, url) == one


def _export(client, edition, group, fmt="csv"):
    url = reverse("pkri_decisions_rankings", args=[edition.code])
    return client.get(url, {"unduh": fmt, "kelompok": group})


def _csv_rows(response):
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_rankings_csv_holds_the_rows_of_the_page_in_order(secretariat, ranked_cities):
    edition = ranked_cities
    for name, score in (
        ("Kota Surabaya", "91.25"),
        ("Kota Seri 1", "80.00"),
        ("Kota Seri 2", "80.00"),
        ("Kota Payakumbuh", "85.00"),
        ("Kota Mataram", "83.75"),
        ("Kota Balikpapan", "83.50"),
        ("Kota Demo 1", "60.00"),
    ):
        evaluated_coaching(edition, _city(name), desk=score, levels={"p8": 4})
    regency = InstitutionFactory(
        kind=InstitutionKind.REGENCY, short_name="Kab. Sleman", name="Pemerintah Kab. Sleman"
    )
    evaluated_coaching(edition, regency, desk="88.00", levels={"p8": 4})
    compute_rankings(edition, actor=secretariat)
    client = client_for(secretariat)
    page = client.get(reverse("pkri_decisions_rankings", args=[edition.code])).content.decode()

    response = _export(client, edition, Group.PEMBINAAN)

    assert response.status_code == 200
    assert 'filename="pkri-' in response["Content-Disposition"]
    header, *rows = _csv_rows(response)
    assert header == [
        "Jenis instansi",
        "Peringkat dalam jenis",
        "Instansi",
        "Nilai dokumen",
        "Nilai akhir",
        "Penghargaan",
        "Seri di batas",
    ]
    names = [row[2] for row in rows]
    cities = ["Kota Surabaya", "Kota Payakumbuh", "Kota Mataram", "Kota Balikpapan"]
    assert sorted(names) == sorted(
        [*cities, "Kota Seri 1", "Kota Seri 2", "Kota Demo 1", "Kab. Sleman"]
    )
    positions = [page.index(f"<td>{name}</td>") for name in names]
    assert positions == sorted(positions)  # same order as the page
    surabaya = rows[names.index("Kota Surabaya")]
    assert surabaya[1] == "1" and surabaya[3] == "91.25" and surabaya[4] == "91.25"
    assert surabaya[5] == "Usulan dari peringkat" and surabaya[6] == "tidak"
    assert rows[names.index("Kab. Sleman")][0] != surabaya[0]  # the kind of each row
    assert [row[6] for row in rows].count("ya") == 2  # the tie at the cut-off
    assert rows[names.index("Kota Demo 1")][5] == ""  # no award mark


def test_rankings_csv_of_an_object_group_has_innovation_and_interview(secretariat, ranked_cities):
    edition = ranked_cities
    form = evaluated_form(
        edition, desk="80.00", state=FormState.INTERVIEWED, name="Klinik Desa Sehat"
    )
    form.interview_score = Decimal("90.00")
    form.final_score = Decimal("84.00")
    form.save(update_fields=["interview_score", "final_score"])
    compute_rankings(edition, actor=secretariat)

    header, *rows = _csv_rows(_export(client_for(secretariat), edition, Group.KEBERLANJUTAN))

    assert header[:2] == ["Peringkat", "Inovasi"]
    assert "Nilai wawancara" in header and "Jenis instansi" not in header
    assert rows == [
        [
            "1",
            "Klinik Desa Sehat",
            form.locus.institution.short_name or form.locus.institution.name,
            "80.00",
            "90.00",
            "84.00",
            rows[0][6],
            "tidak",
        ]
    ]


def test_rankings_xlsx_opens_with_the_header_row(secretariat, ranked_cities):
    edition = ranked_cities
    evaluated_coaching(edition, _city("Kota Surabaya"), desk="91.25")
    compute_rankings(edition, actor=secretariat)

    response = _export(client_for(secretariat), edition, Group.PEMBINAAN, "xlsx")

    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0][:3] == ["Jenis instansi", "Peringkat dalam jenis", "Instansi"]
    assert values[1][1:3] == [1, "Kota Surabaya"]


@pytest.mark.parametrize(
    "params", [{"unduh": "pdf", "kelompok": "pembinaan"}, {"unduh": "csv", "kelompok": "x"}]
)
def test_rankings_export_refuses_unknown_format_or_group(secretariat, ranked_cities, params):
    url = reverse("pkri_decisions_rankings", args=[ranked_cities.code])
    assert client_for(secretariat).get(url, params).status_code == 404


def test_rankings_export_queries_do_not_grow_with_rows(secretariat, ranked_cities):
    edition = ranked_cities
    client = client_for(secretariat)
    url = reverse("pkri_decisions_rankings", args=[edition.code])
    url += "?unduh=csv&kelompok=pembinaan"
    evaluated_coaching(edition, _city("Kota A"), desk="90.00")
    compute_rankings(edition, actor=secretariat)
    one = _count(client, url)
    for n, score in enumerate(("88.00", "86.00", "75.00", "71.00")):
        evaluated_coaching(edition, _city(f"Kota B{n}"), desk=score)
    compute_rankings(edition, actor=secretariat)
    assert _count(client, url) == one
    assert len(_csv_rows(client.get(url))) == 6


@pytest.fixture
def slot(secretariat, institution_b):
    edition = edition_at(EditionState.SHORTLIST_PUBLISHED)
    form = evaluated_form(
        edition,
        desk="80.00",
        institution=institution_b,
        state=FormState.SHORTLISTED,
        name="Klinik BUM Desa",
    )
    panel = [panelist(edition) for _ in range(3)]
    schedule_interview(form, starts_at=interview_day(), panelists=panel, actor=secretariat)
    return edition, form, panel


def test_panel_home_lists_the_slot(slot):
    _edition, _form, panel = slot
    page = client_for(panel[0].person).get(reverse("pkri_panel"))
    text = page.content.decode()
    assert "Klinik BUM Desa" in text
    assert "Belum diisi" in text


def test_panelist_saves_then_finalises_the_interview_sheet(secretariat, slot):
    edition, form, panel = slot
    open_interviews(edition, actor=secretariat)
    assignment = Assignment.objects.get(subject=form.subject, appointment=panel[0])
    client = client_for(panel[0].person)
    url = reverse("pkri_panel_sheet", args=[assignment.pk])
    values = {
        "value_substansi_bukti": "100",
        "value_strategi_keberlanjutan": "75",
        "value_replikasi_penyebaran": "50",
        "value_penyampaian": "",
        "note": "",
    }

    draft = client.post(url, {**values, "action": "save"}, follow=True)
    assert "Draf lembar nilai wawancara tersimpan." in draft.content.decode()
    refused = client.post(url, {**values, "action": "finalise"})
    assert "beri nilai untuk: Penyampaian" in refused.content.decode()
    final = client.post(
        url,
        {**values, "value_penyampaian": "100", "note": "Jelas dan berbukti.", "action": "finalise"},
        follow=True,
    )

    assert "Lembar nilai wawancara difinalkan." in final.content.decode()
    sheet = ScoreSheet.objects.get(assignment=assignment)
    assert sheet.status == SheetStatus.FINAL
    assert sheet.total == Decimal("82.5")  # 40 + 22.5 + 10 + 10


def test_sheet_is_read_only_before_the_interviews_open(slot):
    _edition, form, panel = slot
    assignment = Assignment.objects.get(subject=form.subject, appointment=panel[0])
    client = client_for(panel[0].person)
    url = reverse("pkri_panel_sheet", args=[assignment.pk])

    response = client.post(url, {"value_substansi_bukti": "100", "action": "save"}, follow=True)

    assert "tidak dapat diubah" in response.content.decode()
    assert not ScoreSheet.objects.filter(assignment=assignment).exists()


def test_panel_home_queries_do_not_grow_with_rows(secretariat):
    edition = edition_at(EditionState.SHORTLIST_PUBLISHED)
    panel = [panelist(edition) for _ in range(3)]
    client = client_for(panel[0].person)

    def scheduled(hour):
        form = evaluated_form(edition, desk="80.00", state=FormState.SHORTLISTED)
        schedule_interview(form, starts_at=interview_day(hour), panelists=panel, actor=secretariat)

    scheduled(8)
    one = _count(client, reverse("pkri_panel"))
    for hour in (9, 10, 11):
        scheduled(hour)
    assert _count(client, reverse("pkri_panel")) == one
