"""Award tier history import (kipp.md §17) and acceptance example A10, second bullet."""

from __future__ import annotations

import io
from typing import cast

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.interfaces.tabular import TableError
from prima.core.models import AuditEntry
from prima.innovations.models import AwardRecord, Innovation
from prima.kipp.domain.tier_import import (
    TierCount,
    history_summary,
    pending_review,
    resolve_review_item,
    summarise,
)
from prima.kipp.interfaces.tier_import import COLUMNS, import_tier_history
from tests.factories import AwardRecordFactory, InnovationFactory, ServiceUnitFactory

HEADER = ",".join(COLUMNS)


def innovation(**fields) -> Innovation:
    """An innovation from the factory, typed as the model."""
    return cast(Innovation, InnovationFactory(**fields))


def line(year, tier, title, *, level="finalist", group="umum", unit="Dinas Layanan", **extra):
    values = {
        "year": str(year),
        "tier_code": tier,
        "level": level,
        "group": group,
        "innovation_title": title,
        "unit_name": unit,
        "institution_name": "Pemerintah Kota Payakumbuh",
        "institution_type": "kota",
        "region_code": "13.76",
        "category": "",
        "decree_no": f"Kep {year}",
        **extra,
    }
    return ",".join(values[c] for c in COLUMNS)


def upload(lines, name="tier.csv"):
    return SimpleUploadedFile(name, "\n".join([HEADER, *lines]).encode("utf-8"))


def a10_lines():
    """Ten top99 lists, top15_khusus 2020/2022/2023, and the two 2021 lists of 15."""
    rows = [
        line(year, "top99", f"Inovasi {year} nomor {n}")
        for year in range(2014, 2024)
        for n in range(99)
    ]
    rows += [
        line(year, "top15_khusus", f"Khusus {year} nomor {n}", group="khusus")
        for year in (2020, 2021, 2022, 2023)
        for n in range(15)
    ]
    rows += [
        line(2021, "top15_replikasi", f"Replikasi 2021 nomor {n}", group="replikasi")
        for n in range(15)
    ]
    return rows


@pytest.mark.django_db
def test_a10_importing_2014_2023_finalist_lists_gives_the_published_1065(
    secretariat, institution_a
):
    result = import_tier_history(upload(a10_lines()), actor=secretariat)
    summary = history_summary()

    assert result.created_records == 1065
    assert AwardRecord.objects.filter(level="finalist", year__range=(2014, 2023)).count() == 1065
    assert summary.finalist_total == 1065
    assert summary.matches and summary.verdict == "sama"
    by_tier = {(c.year, c.tier): c.count for c in summary.counts}
    assert by_tier[(2021, "top15_replikasi")] == 15 and by_tier[(2019, "top99")] == 99
    # Each record keeps the entry group of its line.
    groups = dict(AwardRecord.objects.values_list("tier", "group").distinct())
    assert groups == {"top99": "umum", "top15_khusus": "khusus", "top15_replikasi": "replikasi"}
    assert Innovation.objects.filter(imported=True).count() == 1065
    entry = AuditEntry.objects.get(action="kipp.tiers.imported")
    assert entry.after is not None and entry.after["records_created"] == 1065


@pytest.mark.django_db
def test_reimporting_the_same_file_creates_nothing_new(secretariat, institution_a):
    lines = [line(2019, "top99", "SITARANG"), line(2019, "top45", "SITARANG", level="winner")]
    import_tier_history(upload(lines), actor=secretariat)

    again = import_tier_history(upload(lines), actor=secretariat)

    assert again.created_records == 0
    assert again.duplicates == [2, 3]
    assert AwardRecord.objects.count() == 2
    assert Innovation.objects.count() == 1


def test_summary_reports_a_difference_from_the_published_total():
    summary = summarise(
        [TierCount(2019, "top99", "finalist", 99), TierCount(2019, "top45", "winner", 45)]
    )
    assert summary.finalist_total == 99
    assert not summary.matches
    assert summary.verdict == "berbeda: -966"


@pytest.mark.django_db
def test_unknown_institution_rejects_the_whole_file_naming_row_and_column(
    secretariat, institution_a
):
    lines = [
        line(2019, "top99", "SITARANG"),
        line(2019, "top99", "Lain", institution_name="Pemerintah Kota Antah"),
    ]
    with pytest.raises(TableError) as caught:
        import_tier_history(upload(lines), actor=secretariat)

    error = caught.value.errors[0]
    assert (error.row, error.column) == (3, "institution_name")
    assert "tidak ada di registri" in error.message
    assert "Baris 3, kolom institution_name" in str(caught.value)
    assert not AwardRecord.objects.exists() and not Innovation.objects.exists()


@pytest.mark.django_db
def test_every_row_is_checked_before_anything_is_written(secretariat, institution_a):
    lines = [
        line(2013, "top99", "Terlalu awal"),
        line(2019, "Top 99!", "Kode salah"),
        line(2019, "top99", "Tingkat salah", level="juara"),
        line(2019, "top99", "Jenis salah", institution_type="provinsi"),
        line(2019, "top99", "Dobel"),
        line(2019, "top99", "dobel"),
    ]
    with pytest.raises(TableError) as caught:
        import_tier_history(upload(lines), actor=secretariat)

    cells = {(e.row, e.column) for e in caught.value.errors}
    assert cells == {
        (2, "year"),
        (3, "tier_code"),
        (4, "level"),
        (5, "institution_type"),
        (7, "innovation_title"),
    }
    assert not AwardRecord.objects.exists()


@pytest.mark.django_db
def test_semicolon_bom_cp1252_csv_and_xlsx_are_read(secretariat, institution_a):
    text = "\n".join([HEADER, line(2019, "top99", "Layanan Caf\u00e9")]).replace(",", ";")
    import_tier_history(SimpleUploadedFile("tier.csv", text.encode("cp1252")), actor=secretariat)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(COLUMNS))
    sheet.append(line(2020, "top99", "Layanan Café").split(","))
    buffer = io.BytesIO()
    workbook.save(buffer)
    import_tier_history(SimpleUploadedFile("tier.xlsx", buffer.getvalue()), actor=secretariat)

    stored = Innovation.objects.get()
    assert stored.name == "Layanan Café"
    assert set(stored.awards.values_list("year", flat=True)) == {2019, 2020}


@pytest.mark.django_db
def test_xlsx_formula_is_refused(secretariat, institution_a):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(COLUMNS))
    row = line(2019, "top99", "Rumus").split(",")
    row[0] = "=2000+19"
    sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)

    with pytest.raises(TableError) as caught:
        import_tier_history(SimpleUploadedFile("t.xlsx", buffer.getvalue()), actor=secretariat)

    assert (caught.value.errors[0].row, caught.value.errors[0].column) == (2, "year")


@pytest.mark.django_db
def test_single_match_gets_the_tier_and_new_titles_become_imported_innovations(
    secretariat, institution_a, unit_a
):
    existing = innovation(unit=unit_a, name="SITARANG: Sistem Tata Ruang")
    lines = [
        line(2019, "top99", "sitarang sistem tata ruang"),
        line(2019, "top99", "Baru Sekali", unit="Dinas PUPR Kota Payakumbuh"),
        line(2019, "top99", "Unit Baru", unit="Puskesmas Lampasi"),
    ]
    result = import_tier_history(upload(lines), actor=secretariat)

    assert result.attached == 1 and result.created_innovations == 2 and result.created_units == 1
    assert existing.awards.get().tier == "top99"
    new = Innovation.objects.get(name="Baru Sekali")
    assert new.imported and new.unit == unit_a
    assert Innovation.objects.get(name="Unit Baru").unit.name == "Puskesmas Lampasi"


@pytest.mark.django_db
def test_ambiguous_match_is_queued_and_resolving_it_records_the_tier(
    secretariat, institution_a, unit_a
):
    first = innovation(unit=unit_a, name="Layanan Antar")
    second = innovation(unit=ServiceUnitFactory(institution=institution_a), name="LAYANAN ANTAR")
    lines = [line(2021, "top99", "Layanan Antar")]

    result = import_tier_history(upload(lines), actor=secretariat)
    again = import_tier_history(upload(lines), actor=secretariat)

    assert result.queued == [2] and again.queued == [2]
    assert not AwardRecord.objects.exists()
    [item] = pending_review()
    assert sorted(item.candidates) == sorted([first.pk, second.pk])

    award = resolve_review_item(
        item.entry_id, item.index, innovation_id=second.pk, actor=secretariat
    )

    assert award.innovation == second and award.tier == "top99" and award.year == 2021
    assert pending_review() == []
    assert AuditEntry.objects.filter(action="kipp.tiers.review_resolved").count() == 1
    # Once resolved, the same row is a duplicate, not a new queue item.
    assert import_tier_history(upload(lines), actor=secretariat).duplicates == [2]


@pytest.mark.django_db
def test_resolving_as_new_creates_an_imported_innovation(secretariat, institution_a, unit_a):
    innovation(unit=unit_a, name="Layanan Antar")
    innovation(unit=unit_a, name="Layanan-Antar")
    import_tier_history(upload([line(2022, "top99", "Layanan Antar")]), actor=secretariat)
    [item] = pending_review()

    award = resolve_review_item(item.entry_id, item.index, innovation_id=None, actor=secretariat)

    assert award.innovation.imported
    assert Innovation.objects.count() == 3


@pytest.mark.django_db
def test_a_non_candidate_choice_is_refused(secretariat, institution_a, unit_a):
    innovation(unit=unit_a, name="Layanan Antar")
    innovation(unit=unit_a, name="Layanan Antar!")
    other = innovation(unit=unit_a, name="Lain")
    import_tier_history(upload([line(2022, "top99", "Layanan Antar")]), actor=secretariat)
    [item] = pending_review()

    with pytest.raises(DomainError, match="kandidat"):
        resolve_review_item(item.entry_id, item.index, innovation_id=other.pk, actor=secretariat)


@pytest.mark.django_db
def test_only_the_secretariat_imports(admin_a):
    with pytest.raises(PermissionDenied):
        import_tier_history(upload([line(2019, "top99", "X")]), actor=admin_a)


@pytest.mark.django_db
def test_summary_counts_decreed_records_too(secretariat):
    AwardRecordFactory(year=2019, tier="top99", level="finalist")
    assert history_summary().finalist_total == 1
