"""Importing a canonical file of responses (skm.md §9, §13 ex. 6): every bad-file case, both
modes, references unique within the file and against the survey, counts and audit."""

from __future__ import annotations

import codecs
import csv
import io

import pytest
from django.core.files.storage import default_storage
from openpyxl import Workbook

from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.enums import Role
from prima.core.interfaces.tabular import TableError
from prima.core.models import AuditEntry
from prima.skm.domain.counters import survey_counters
from prima.skm.domain.responses import ResponseInput, record_response
from prima.skm.domain.versions import instrument
from prima.skm.enums import Channel, SurveyState
from prima.skm.interfaces.response_file import Limits
from prima.skm.interfaces.response_import import ImportMode, import_responses
from prima.skm.models import Response
from tests.factories import ServiceFactory, SurveyFactory, person_with_role
from tests.skm.spec import COLUMNS, csv_text, file_rows

pytestmark = pytest.mark.django_db
APPLY = ImportMode.APPLY_VALID_ROWS
SKM_2017 = instrument("skm-2017")


@pytest.fixture
def survey():
    survey = SurveyFactory(period_code="2025-Q2")
    ServiceFactory(unit=survey.unit, code="KK-BARU")
    ServiceFactory(unit=survey.unit, code="KTP-EL")
    return survey


@pytest.fixture
def operator(survey):
    return person_with_role(Role.UNIT_OPERATOR, unit=survey.unit)


def threes(**given):
    return {f"U{n}": given.get(f"U{n}", 3) for n in range(1, 10)}


def rows(count: int = 4, **changes) -> list[dict]:
    """`count` valid rows (R001…); `changes` maps a 1-based row number to cell changes."""
    made = file_rows([threes() for _ in range(count)])
    for number, cells in changes.items():
        made[int(number.removeprefix("r")) - 1].update(cells)
    return made


def as_file(text: str, encoding: str = "utf-8") -> io.BytesIO:
    return io.BytesIO(text.encode(encoding))


def run(survey, operator, data, **options):
    source = data if isinstance(data, io.BytesIO) else as_file(data)
    return import_responses(survey, source, actor=operator, filename="jawaban.csv", **options)


def refused(survey, operator, data, **options) -> list[str]:
    with pytest.raises(TableError) as caught:
        run(survey, operator, data, **options)
    assert not Response.objects.filter(survey=survey).exists()
    return [str(error) for error in caught.value.errors]


def stored_refs(survey) -> list[str]:
    return list(
        Response.objects.filter(survey=survey)
        .order_by("pk")
        .values_list("respondent_ref", flat=True)
    )


def rejected_lines(outcome) -> list[dict[str, str]]:
    with default_storage.open(outcome.rejected_file, "rb") as handle:
        text = handle.read().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


# --------------------------------------------------------------------------- §13 ex. 6

EXAMPLE_6 = csv_text(rows(4, r3={"U3": 5}, r4={"U4": None}))


def test_example_6_all_or_nothing_imports_nothing_and_names_row_3_column_u3(survey, operator):
    problems = refused(survey, operator, EXAMPLE_6)

    assert problems == ['Baris 3, kolom U3: nilai harus 1–4 atau kosong, tertulis "5".']
    survey.refresh_from_db()
    assert survey.respondents == 0
    assert not AuditEntry.objects.filter(action="skm.responses.imported").exists()


def test_example_6_apply_valid_rows_imports_1_2_4_and_returns_row_3(survey, operator):
    outcome = run(survey, operator, EXAMPLE_6, mode=APPLY)

    assert (outcome.rows, outcome.imported, outcome.rejected) == (4, 3, 1)
    assert stored_refs(survey) == ["R001", "R002", "R004"]
    counters = survey_counters([survey.pk], SKM_2017)
    answered = {code: sum(counters.answers[code].values()) for code in SKM_2017.element_codes}
    assert answered == {**dict.fromkeys(SKM_2017.element_codes, 3), "U4": 2}
    [line] = rejected_lines(outcome)
    assert (line["row"], line["column"], line["respondent_ref"], line["U3"]) == (
        "3",
        "U3",
        "R003",
        "5",
    )
    assert line["message"] == 'U3: nilai harus 1–4 atau kosong, tertulis "5".'
    survey.refresh_from_db()
    assert survey.respondents == 3


def test_imported_rows_are_channel_import_entered_by_the_importer_and_audited_once(
    survey, operator
):
    run(survey, operator, EXAMPLE_6, mode=APPLY)

    assert set(Response.objects.values_list("channel", "entered_by")) == {
        (Channel.IMPORT, operator.pk)
    }
    [entry] = AuditEntry.objects.filter(action="skm.responses.imported")
    assert entry.actor == operator
    assert entry.object_id == str(survey.pk)
    assert (entry.after["rows"], entry.after["imported"], entry.after["rejected"]) == (4, 3, 1)
    assert (entry.after["mode"], entry.after["file"]) == ("apply_valid_rows", "jawaban.csv")


def test_a_valid_file_imports_every_row_with_its_values(survey, operator):
    data = rows(2, r2={"service_code": "KTP-EL", "suggestion": "Antrean panjang", "U9": 4})

    outcome = run(survey, operator, csv_text(data))

    assert (outcome.imported, outcome.rejected, outcome.rejected_file) == (2, 0, "")
    second = Response.objects.get(respondent_ref="R002")
    assert (second.service_code, second.suggestion, second.gender, second.age_band) == (
        "KTP-EL",
        "Antrean panjang",
        "L",
        "30_39",
    )
    assert AuditEntry.objects.filter(action="skm.responses.imported").count() == 1


def test_a_blank_reference_and_blank_service_get_prima_values(survey, operator):
    run(survey, operator, csv_text(rows(1, r1={"respondent_ref": None, "service_code": None})))

    [response] = Response.objects.filter(survey=survey)
    assert response.respondent_ref.startswith("R") and len(response.respondent_ref) == 17
    assert response.service_code == "unspecified"


# --------------------------------------------------------------------------- header


def test_a_wrong_header_is_refused_with_the_column_it_meant(survey, operator):
    columns = [("u1" if name == "U1" else name) for name in COLUMNS]
    text = csv_text([{**row, "u1": 3} for row in rows(2)], columns)

    [problem, missing] = refused(survey, operator, text)

    assert 'Kolom "u1" (kolom ke-8) tidak dikenal; maksudnya U1?' in problem
    assert missing == "Kolom wajib tidak ada: U1."


def test_an_extra_column_is_refused(survey, operator):
    text = csv_text(rows(2), (*COLUMNS, "catatan"))

    assert refused(survey, operator, text) == [
        'Kolom "catatan" (kolom ke-18) tidak dikenal; kolom tambahan harus diawali x_.'
    ]


def test_an_x_column_is_ignored(survey, operator):
    data = [{**row, "x_petugas": "Budi"} for row in rows(2)]

    outcome = run(survey, operator, csv_text(data, (*COLUMNS, "x_petugas")))

    assert outcome.imported == 2


# --------------------------------------------------------------------------- row values


def test_bad_values_are_reported_per_cell(survey, operator):
    data = rows(
        4,
        r1={"U1": 0},
        r2={"U2": "3.0", "gender": "X"},
        r3={"U5": "baik"},
        r4={"answered_on": "14/04/2025"},
    )

    problems = refused(survey, operator, csv_text(data))

    assert problems == [
        'Baris 1, kolom U1: nilai harus 1–4 atau kosong, tertulis "0".',
        'Baris 2, kolom gender: nilai "X" tidak dikenal; pilih salah satu: L, P, atau kosong.',
        'Baris 2, kolom U2: nilai harus 1–4 atau kosong, tertulis "3.0".',
        'Baris 3, kolom U5: nilai harus 1–4 atau kosong, tertulis "baik".',
        'Baris 4, kolom answered_on: harus tanggal YYYY-MM-DD, tertulis "14/04/2025".',
    ]


def test_a_date_outside_the_period_is_refused(survey, operator):
    data = rows(2, r2={"answered_on": "2025-07-01"})

    assert refused(survey, operator, csv_text(data)) == [
        "Baris 2, kolom answered_on: tanggal 2025-07-01 di luar periode survei 2025-Q2 "
        "(2025-04-01 s.d. 2025-06-30)."
    ]


def test_an_unknown_service_is_refused(survey, operator):
    data = rows(2, r1={"service_code": "SIM-B"})

    assert refused(survey, operator, csv_text(data)) == [
        'Baris 1, kolom service_code: kode layanan "SIM-B" tidak ada dalam katalog layanan unit.'
    ]


def test_a_service_outside_the_surveys_services_is_refused(survey, operator):
    survey.services.set([survey.unit.services.get(code="KK-BARU")])

    problems = refused(survey, operator, csv_text(rows(2, r2={"service_code": "KTP-EL"})))

    assert problems[0].startswith("Baris 2, kolom service_code:")


# --------------------------------------------------------------------------- references


def test_a_reference_repeated_in_the_file_is_refused_after_its_first_use(survey, operator):
    data = rows(3, r3={"respondent_ref": "R001"})

    assert refused(survey, operator, csv_text(data)) == [
        'Baris 3, kolom respondent_ref: "R001" sudah dipakai di baris 1; respondent_ref harus unik.'
    ]
    outcome = run(survey, operator, csv_text(data), mode=APPLY)
    assert stored_refs(survey) == ["R001", "R002"]
    [line] = rejected_lines(outcome)
    assert (line["row"], line["column"], line["respondent_ref"]) == ("3", "respondent_ref", "R001")


def test_a_reference_already_stored_in_the_survey_is_refused(survey, operator):
    record_response(
        survey,
        ResponseInput(answered_on=survey.period_start, answers=threes(), respondent_ref="R002"),
        channel=Channel.PAPER,
        actor=operator,
    )

    with pytest.raises(TableError) as caught:
        run(survey, operator, csv_text(rows(3)))
    assert [str(error) for error in caught.value.errors] == [
        'Baris 2, kolom respondent_ref: "R002" sudah dipakai oleh jawaban yang tersimpan di '
        "survei ini; respondent_ref harus unik."
    ]
    assert stored_refs(survey) == ["R002"]
    applied = run(survey, operator, csv_text(rows(3)), mode=APPLY)
    assert (applied.imported, applied.rejected) == (2, 1)
    assert stored_refs(survey) == ["R002", "R001", "R003"]


def test_references_are_checked_across_chunks_of_a_large_file(survey, operator):
    data = rows(12_000)
    data[11_000]["respondent_ref"] = "R5000"  # repeats row 5000's reference
    data[7_000]["U7"] = 9

    outcome = run(survey, operator, csv_text(data), mode=APPLY)

    assert (outcome.rows, outcome.imported, outcome.rejected) == (12_000, 11_998, 2)
    assert [line["row"] for line in rejected_lines(outcome)] == ["7001", "11001"]
    survey.refresh_from_db()
    assert survey.respondents == 11_998


# --------------------------------------------------------------------------- encodings, formats


def test_a_semicolon_csv_in_windows_1252_as_indonesian_excel_saves_it(survey, operator):
    data = rows(2, r1={"suggestion": "Pelayanan ramah – terima kasih, café"})
    text = csv_text(data, separator=";")

    outcome = run(survey, operator, as_file(text, "cp1252"))

    assert outcome.imported == 2
    assert Response.objects.get(respondent_ref="R001").suggestion == (
        "Pelayanan ramah – terima kasih, café"
    )


def test_a_utf8_csv_with_a_byte_order_mark(survey, operator):
    data = codecs.BOM_UTF8 + csv_text(rows(2, r2={"suggestion": "Sangat baik 👍"})).encode()

    outcome = run(survey, operator, io.BytesIO(data))

    assert outcome.imported == 2
    assert Response.objects.get(respondent_ref="R002").suggestion == "Sangat baik 👍"


def test_an_xlsx_file(survey, operator):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(COLUMNS))
    for row in rows(3, r3={"U3": 5}):
        sheet.append([row.get(column) for column in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)

    outcome = run(survey, operator, buffer, mode=APPLY)

    assert (outcome.imported, outcome.rejected) == (2, 1)
    assert stored_refs(survey) == ["R001", "R002"]


# --------------------------------------------------------------------------- limits, empty, junk


def test_a_file_over_the_size_limit_is_refused(survey, operator):
    text = csv_text(rows(20))

    problems = refused(survey, operator, text, limits=Limits(max_bytes=1024, max_rows=100))

    assert problems == ["Berkas terlalu besar (0.0 MB); batasnya 0 MB."]


def test_a_file_over_the_row_limit_is_refused(survey, operator):
    problems = refused(
        survey, operator, csv_text(rows(4)), limits=Limits(max_bytes=10**6, max_rows=3)
    )

    assert problems == ["Berkas berisi lebih dari 3 baris; pecah menjadi beberapa berkas."]


def test_an_empty_file_is_refused(survey, operator):
    assert refused(survey, operator, io.BytesIO(b"")) == [
        "Berkas kosong: baris judul kolom tidak ada."
    ]


def test_a_file_with_only_the_header_is_refused(survey, operator):
    assert refused(survey, operator, csv_text([]), mode=APPLY) == [
        "Berkas tidak berisi satu baris jawaban pun."
    ]


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.7\n%\x81\x8d\x8f\x90\x9d\n1 0 obj << /Type /Catalog >> endobj\n",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x81\x8d",
        b"Nama,Alamat\nBudi,Jl. Merdeka 1\n",
    ],
    ids=["pdf", "png", "other-table"],
)
def test_a_file_that_is_not_a_response_csv_is_refused(survey, operator, content):
    problems = refused(survey, operator, io.BytesIO(content))

    assert problems


def test_an_xls_or_broken_xlsx_is_refused(survey, operator):
    xls = refused(survey, operator, io.BytesIO(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64)))
    zip_junk = refused(survey, operator, io.BytesIO(b"PK\x03\x04" + bytes(64)))

    assert "Format .xls" in xls[0]
    assert "bukan lembar kerja XLSX" in zip_junk[0]


# --------------------------------------------------------------------------- who and when


def test_only_a_collecting_survey_accepts_an_import(survey, operator):
    survey.state = SurveyState.CLOSED
    survey.save()

    with pytest.raises(DomainError, match="tidak sedang menerima jawaban"):
        run(survey, operator, csv_text(rows(1)))


def test_an_operator_of_another_unit_may_not_import(survey):
    outsider = person_with_role(Role.UNIT_OPERATOR)

    with pytest.raises(PermissionDenied):
        run(survey, outsider, csv_text(rows(1)))
    assert not Response.objects.exists()


def test_an_unknown_mode_is_refused(survey, operator):
    with pytest.raises(DomainError, match="Mode impor"):
        run(survey, operator, csv_text(rows(1)), mode="sebagian")


def test_progress_is_reported_and_ends_at_the_row_count(survey, operator):
    calls = []

    run(survey, operator, csv_text(rows(2500)), progress=lambda *args: calls.append(args))

    assert calls[0] == (1000, None, "Memeriksa baris 1000…")
    assert (1000, 2500, "Menyimpan baris 1000…") in calls
    assert calls[-1] == (2500, 2500, "Selesai.")
