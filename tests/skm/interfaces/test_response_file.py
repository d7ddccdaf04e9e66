"""The canonical response file (skm.md §9, §13.6): CSV as Excel writes it, XLSX, every problem."""

from __future__ import annotations

import codecs
import datetime as dt
import io
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from prima.core.interfaces.tabular import TableError
from prima.skm.domain.index import tally
from prima.skm.domain.periods import parse_period
from prima.skm.interfaces.response_file import (
    Limits,
    RejectedRow,
    RepeatedRefs,
    Response,
    read_responses,
    ref_hash,
    rejected_header,
    rejected_record,
    repeated_ref_errors,
    summarise,
)
from tests.skm.spec import COLUMNS, EXAMPLE_1, SKM_2004, SKM_2017, csv_text, file_rows, responses

SECTION_9 = (
    "respondent_ref,answered_on,service_code,gender,age_band,education,occupation,"
    "U1,U2,U3,U4,U5,U6,U7,U8,U9,suggestion\n"
    'R001,2025-04-14,KK-BARU,P,30_39,sma,wirausaha,4,3,3,4,3,4,4,3,3,"Antrean pagi terlalu '
    'panjang"\n'
    "R002,2025-04-14,KTP-EL,L,60plus,sd,lainnya,3,3,2,4,3,3,4,,3,\n"
)
ROW = {
    "respondent_ref": "R1",
    "answered_on": "2025-04-14",
    "service_code": "KK-BARU",
    **dict.fromkeys(SKM_2017.element_codes, 3),
}


def source(text: str, encoding: str = "utf-8") -> io.BytesIO:
    return io.BytesIO(text.encode(encoding))


def read(text: str, instrument=SKM_2017, **options):
    return list(read_responses(source(text), instrument, **options))


def file_problems(text: str | bytes, **options) -> list[str]:
    data = io.BytesIO(text if isinstance(text, bytes) else text.encode())
    with pytest.raises(TableError) as caught:
        list(read_responses(data, SKM_2017, **options))
    return [str(error) for error in caught.value.errors]


def row_problems(row: dict, **options) -> list[str]:
    (result,) = read(csv_text([row]), **options)
    assert isinstance(result, RejectedRow)
    return [str(error) for error in result.errors]


# --------------------------------------------------------------------------- the spec


def test_the_example_of_section_9():
    first, second = read(SECTION_9)
    assert first == Response(
        row=1,
        respondent_ref="R001",
        answered_on=dt.date(2025, 4, 14),
        service_code="KK-BARU",
        gender="P",
        age_band="30_39",
        education="sma",
        occupation="wirausaha",
        answers={"U1": 4, "U2": 3, "U3": 3, "U4": 4, "U5": 3, "U6": 4, "U7": 4, "U8": 3, "U9": 3},
        suggestion="Antrean pagi terlalu panjang",
    )
    assert second.answers["U8"] is None and second.suggestion == ""


def test_acceptance_example_6_a_bad_value_and_a_blank():
    rows = [dict(ROW, respondent_ref=f"R{n}") for n in range(1, 5)]
    rows[2]["U3"] = 5
    rows[3]["U4"] = None
    results = read(csv_text(rows))
    # Default mode applies nothing: the problem names the row and column.
    rejected = [r for r in results if isinstance(r, RejectedRow)]
    assert [str(e) for r in rejected for e in r.errors] == [
        'Baris 3, kolom U3: nilai harus 1–4 atau kosong, tertulis "5".'
    ]
    assert rejected[0].values["U3"] == "5" and rejected[0].values["respondent_ref"] == "R3"
    summary = summarise(source(csv_text(rows)), SKM_2017)
    assert (summary.error_count, summary.rejected_rows, summary.rows) == (1, 1, 4)
    # "Apply valid rows" takes rows 1, 2 and 4; row 4 counts for every element but U4.
    valid = [r for r in results if isinstance(r, Response)]
    assert [r.row for r in valid] == [1, 2, 4]
    counters = tally([r.answers for r in valid], SKM_2017)
    assert counters.respondents == 3
    assert {code: counters.count(code) for code in SKM_2017.element_codes} == {
        **dict.fromkeys(SKM_2017.element_codes, 3),
        "U4": 2,
    }
    # ... and returns row 3 with its message, row, column and message added.
    header = rejected_header(SKM_2017)
    assert header == ("row", "column", "message", *COLUMNS)
    returned = dict(zip(header, rejected_record(rejected[0], SKM_2017), strict=True))
    assert returned == {
        "row": 3,
        "column": "U3",
        "message": 'U3: nilai harus 1–4 atau kosong, tertulis "5".',
        **dict.fromkeys(COLUMNS, ""),
        "respondent_ref": "R3",
        "answered_on": "2025-04-14",
        "service_code": "KK-BARU",
        **dict.fromkeys(SKM_2017.element_codes, "3"),
        "U3": "5",
    }


def test_a_rejected_row_with_several_problems_is_returned_once():
    row = dict(ROW, answered_on="kemarin", U1="9", **dict.fromkeys(SKM_2017.element_codes[1:]))
    (rejected,) = read(csv_text([row]))
    number, columns, message, *_ = rejected_record(rejected, SKM_2017)
    assert (number, columns) == (1, "answered_on, U1")
    assert message.splitlines() == [
        'answered_on: harus tanggal YYYY-MM-DD, tertulis "kemarin".',
        'U1: nilai harus 1–4 atau kosong, tertulis "9".',
    ]


def test_acceptance_example_8_a_date_outside_the_survey_period():
    row = dict(ROW, answered_on="2025-07-01")
    assert row_problems(row, period=parse_period("2025-Q2")) == [
        "Baris 1, kolom answered_on: tanggal 2025-07-01 di luar periode survei 2025-Q2 "
        "(2025-04-01 s.d. 2025-06-30)."
    ]
    (inside,) = read(csv_text([row]), period=parse_period("2025-Q3"))
    assert isinstance(inside, Response)


def test_the_file_path_gives_the_counters_of_the_responses():
    answers = responses(EXAMPLE_1, 12)
    summary = summarise(source(csv_text(file_rows(answers))), SKM_2017)
    assert summary.error_count == 0 and summary.rows == 12
    assert summary.counters == tally(answers, SKM_2017)


def test_skm_2004_files_use_the_e_columns():
    columns = [*COLUMNS[:7], *SKM_2004.element_codes, "suggestion"]
    row = {"answered_on": "2025-01-02", **dict.fromkeys(SKM_2004.element_codes, 4)}
    (result,) = read(csv_text([row], columns), SKM_2004)
    assert result.answers == dict.fromkeys(SKM_2004.element_codes, 4)
    assert "Kolom wajib tidak ada: U1, U2, U3, U4, U5, U6, U7, U8, U9." in file_problems(
        csv_text([row], columns)
    )


# --------------------------------------------------------------------------- encodings


TEXT = "Petugas ramah, café bersih"


@pytest.mark.parametrize(
    ("encoding", "separator", "newline"),
    [
        ("utf-8", ",", "\r\n"),
        ("utf-8", ",", "\n"),
        ("utf-8-sig", ",", "\r\n"),
        ("utf-8-sig", ";", "\r\n"),
        ("cp1252", ";", "\r\n"),
        ("cp1252", ",", "\n"),
        ("utf-8", "\t", "\n"),
    ],
)
def test_csv_as_spreadsheets_write_it(encoding, separator, newline):
    rows = file_rows(responses(EXAMPLE_1, 12))
    rows[0]["suggestion"] = TEXT
    rows[1]["suggestion"] = "Antrean; panjang, sekali"  # quoted: holds both separators
    text = csv_text(rows, separator=separator).replace("\r\n", newline)
    results = list(read_responses(source(text, encoding), SKM_2017))
    assert all(isinstance(r, Response) for r in results)
    assert results[0].suggestion == TEXT
    assert results[1].suggestion == "Antrean; panjang, sekali"
    expected = tally(responses(EXAMPLE_1, 12), SKM_2017)
    assert summarise(source(text, encoding), SKM_2017).counters == expected


def test_windows_1252_is_detected_even_late_in_the_file():
    rows = [dict(ROW, respondent_ref=f"R{n}") for n in range(1, 3000)]
    rows[-1]["suggestion"] = "Pelayanan “cepat”"
    results = read_responses(source(csv_text(rows, separator=";"), "cp1252"), SKM_2017)
    assert list(results)[-1].suggestion == "Pelayanan “cepat”"


def test_bytes_that_are_neither_utf8_nor_windows_1252_are_refused():
    data = csv_text([ROW]).encode() + b"\x81\x8d\n"
    assert "bukan UTF-8 maupun Windows-1252" in file_problems(data)[0]


def test_a_file_with_a_utf8_bom_must_be_utf8_throughout():
    # "é" in Windows-1252 late in a file that starts with a UTF-8 BOM.
    data = codecs.BOM_UTF8 + csv_text([ROW] * 3).encode() + "R9,café\n".encode("cp1252")
    assert file_problems(data) == [
        "Pengodean karakter berkas tidak dikenali (bukan UTF-8 maupun Windows-1252); "
        "simpan ulang sebagai 'CSV UTF-8 (Comma delimited)'."
    ]


@pytest.mark.parametrize(
    ("head", "message"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "Format .xls (Excel 97-2003) tidak didukung"),
        ("respondent_ref".encode("utf-16"), "UTF-16"),
        (b"PK\x03\x04not really a zip", "bukan lembar kerja XLSX yang sah"),
        (b"", "Berkas kosong: baris judul kolom tidak ada."),
        (b"\n\n", "Berkas kosong: baris judul kolom tidak ada."),
    ],
)
def test_files_that_cannot_be_read(head, message):
    assert message in file_problems(head)[0]


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(TableError, match="tidak dapat dibuka"):
        list(read_responses(tmp_path / "tidak-ada.csv", SKM_2017))


# --------------------------------------------------------------------------- XLSX


def xlsx(rows: list[list[object]]) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    return data


def test_xlsx_with_typed_cells_reads_like_the_csv():
    answers = responses(EXAMPLE_1, 12)
    rows: list[list[object]] = [list(COLUMNS)]
    for index, row in enumerate(file_rows(answers), start=1):
        cells: list[object] = [row.get(c) for c in COLUMNS]
        cells[0] = 1000 + index  # a number as reference
        cells[1] = dt.datetime(2025, 4, 14)  # a date cell
        cells[-1] = None
        rows.append(cells)
    rows.append([None] * len(COLUMNS))  # an empty row Excel keeps
    summary = summarise(xlsx(rows), SKM_2017)
    assert summary.error_count == 0 and summary.rows == 12
    assert summary.counters == tally(answers, SKM_2017)
    first = next(read_responses(xlsx(rows), SKM_2017))
    assert (first.respondent_ref, first.answered_on) == ("1001", dt.date(2025, 4, 14))


def test_xlsx_text_starting_with_an_equals_sign_is_text():
    data = xlsx([list(COLUMNS), [ROW.get(c) for c in COLUMNS]])
    book = load_workbook(data)
    cell = book.active.cell(row=2, column=len(COLUMNS))
    cell.value = "=> antrean terlalu panjang"
    cell.data_type = "s"
    saved = io.BytesIO()
    book.save(saved)
    (result,) = read_responses(saved, SKM_2017)
    assert result.suggestion == "=> antrean terlalu panjang"


def test_xlsx_problems_name_row_and_column():
    header = list(COLUMNS)
    good = [ROW.get(c) for c in COLUMNS]
    formula = list(good)
    formula[header.index("U2")] = "=1+2"
    decimal = list(good)
    decimal[header.index("U5")] = 3.5
    timed = list(good)
    timed[1] = dt.datetime(2025, 4, 14, 9, 30)
    results = list(read_responses(xlsx([header, good, formula, decimal, timed]), SKM_2017))
    assert isinstance(results[0], Response)
    assert [str(e) for r in results[1:] for e in r.errors] == [
        "Baris 2, kolom U2: sel berisi rumus; ganti rumus dengan nilainya (Tempel Nilai).",
        'Baris 3, kolom U5: nilai harus 1–4 atau kosong, tertulis "3.5".',
        'Baris 4, kolom answered_on: harus tanggal YYYY-MM-DD, tertulis "2025-04-14T09:30:00".',
    ]


# --------------------------------------------------------------------------- header


def test_column_order_is_free_and_x_columns_are_ignored():
    columns = ["x_petugas", *reversed(COLUMNS), "x_catatan"]
    text = csv_text([dict(ROW, x_petugas="Budi", x_catatan="kertas")], columns)
    (result,) = read(text)
    assert isinstance(result, Response) and result.answers["U1"] == 3


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (
            [c for c in COLUMNS if c not in ("U9", "suggestion")],
            ["Kolom wajib tidak ada: U9, suggestion."],
        ),
        (
            [*COLUMNS, "catatan"],
            ['Kolom "catatan" (kolom ke-18) tidak dikenal; kolom tambahan harus diawali x_.'],
        ),
        (
            [c if c != "U1" else "u1" for c in COLUMNS],
            [
                'Kolom "u1" (kolom ke-8) tidak dikenal; maksudnya U1? Nama kolom harus persis '
                "sama, termasuk huruf besar/kecil dan spasi.",
                "Kolom wajib tidak ada: U1.",
            ],
        ),
        (
            [c if c != "gender" else "gender " for c in COLUMNS],
            [
                'Kolom "gender " (kolom ke-4) tidak dikenal; maksudnya gender? Nama kolom harus '
                "persis sama, termasuk huruf besar/kecil dan spasi.",
                "Kolom wajib tidak ada: gender.",
            ],
        ),
        ([*COLUMNS, "U3"], ["Kolom U3 muncul lebih dari sekali."]),
    ],
)
def test_header_problems_are_all_reported(header, expected):
    assert file_problems(csv_text([], header)) == expected


def test_a_blank_header_column_must_stay_empty():
    # Excel writes a trailing separator: a blank header, blank cells below; that is fine.
    columns = [*COLUMNS, ""]
    assert isinstance(read(csv_text([ROW], columns))[0], Response)
    assert row_problems_of(csv_text([dict(ROW, **{"": "catatan"})], columns)) == [
        "Baris 1: ada nilai di luar kolom berjudul (kolom ke-18); periksa pemisah "
        "(koma/titik koma) dan tanda kutip."
    ]


def row_problems_of(text: str) -> list[str]:
    return [str(e) for r in read(text) if isinstance(r, RejectedRow) for e in r.errors]


def test_a_row_with_more_values_than_the_header_is_refused():
    text = csv_text([ROW]).rstrip("\r\n") + ",4,4\r\n"
    assert row_problems_of(text) == [
        "Baris 1: ada nilai di luar kolom berjudul (kolom ke-18, 19); periksa pemisah "
        "(koma/titik koma) dan tanda kutip."
    ]


def test_a_row_with_fewer_values_reads_the_missing_ones_as_blank():
    text = csv_text([]) + "R1,2025-04-14,KK-BARU,,,,,4,4\r\n"
    (result,) = read(text)
    assert result.answers == {"U1": 4, "U2": 4, **dict.fromkeys(SKM_2017.element_codes[2:])}


# --------------------------------------------------------------------------- rows


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("answered_on", None, "kolom answered_on: wajib diisi (tanggal YYYY-MM-DD)."),
        ("answered_on", "14/04/2025", 'harus tanggal YYYY-MM-DD, tertulis "14/04/2025".'),
        ("answered_on", "2025-02-30", 'harus tanggal YYYY-MM-DD, tertulis "2025-02-30".'),
        ("answered_on", "20250414", 'harus tanggal YYYY-MM-DD, tertulis "20250414".'),
        ("U3", "0", 'kolom U3: nilai harus 1–4 atau kosong, tertulis "0".'),
        ("U3", "5", 'kolom U3: nilai harus 1–4 atau kosong, tertulis "5".'),
        ("U3", "3.0", 'kolom U3: nilai harus 1–4 atau kosong, tertulis "3.0".'),
        ("U3", "baik", 'kolom U3: nilai harus 1–4 atau kosong, tertulis "baik".'),
        ("U3", "٣", 'kolom U3: nilai harus 1–4 atau kosong, tertulis "٣".'),
        ("gender", "l", 'kolom gender: nilai "l" tidak dikenal; pilih salah satu: L, P, atau'),
        ("age_band", "20-29", 'kolom age_band: nilai "20-29" tidak dikenal; pilih salah satu: '),
        ("education", "S1", 'kolom education: nilai "S1" tidak dikenal; pilih salah satu: none'),
        ("occupation", "guru", 'kolom occupation: nilai "guru" tidak dikenal'),
        (
            "respondent_ref",
            "R" * 65,
            "kolom respondent_ref: paling banyak 64 karakter, tertulis 65",
        ),
        ("suggestion", "x" * 2001, "kolom suggestion: paling banyak 2.000 karakter, tertulis 2001"),
    ],
)
def test_each_bad_value_is_named_by_row_and_column(column, value, message):
    (problem,) = row_problems(dict(ROW, **{column: value}))
    assert problem.startswith("Baris 1, kolom ") and message in problem


def test_a_row_with_every_element_blank_is_refused():
    row = dict(ROW, **dict.fromkeys(SKM_2017.element_codes))
    assert row_problems(row) == [
        "Baris 1: semua unsur kosong; jawaban tanpa satu unsur pun ditolak."
    ]


def test_every_problem_of_a_row_is_reported():
    row = dict(ROW, answered_on="kemarin", gender="X", U1="9", U9="0")
    assert [p.split(":")[0] for p in row_problems(row)] == [
        "Baris 1, kolom answered_on",
        "Baris 1, kolom gender",
        "Baris 1, kolom U1",
        "Baris 1, kolom U9",
    ]


def test_values_are_trimmed_and_blanks_take_their_defaults():
    text = csv_text([dict(ROW, respondent_ref="  ", service_code=" ", U1=" 4 ", U2="  ")])
    (result,) = read(text)
    assert result.respondent_ref is None
    assert result.service_code == "unspecified"
    assert (result.answers["U1"], result.answers["U2"]) == (4, None)
    assert result.gender is None and result.occupation is None


def test_service_codes_are_checked_against_the_catalogue_when_given():
    assert row_problems(dict(ROW, service_code="SIM"), service_codes={"KK-BARU"}) == [
        'Baris 1, kolom service_code: kode layanan "SIM" tidak ada dalam katalog layanan unit.'
    ]
    (blank,) = read(csv_text([dict(ROW, service_code="")]), service_codes={"KK-BARU"})
    assert blank.service_code == "unspecified"


def test_empty_lines_are_skipped_but_keep_their_number():
    text = csv_text([ROW, {}, ROW]).replace(",,,,,,,,,,,,,,,,", ";;;")
    rows = read(text.replace(";;;", ""))
    assert [r.row for r in rows] == [1, 3]


def test_repeated_references_name_the_first_row():
    rows = [dict(ROW, respondent_ref=ref) for ref in ("A", "B", "A", "", "", "B", "A")]
    summary = summarise(source(csv_text(rows)), SKM_2017)
    assert [str(e) for e in summary.errors] == [
        'Baris 3, kolom respondent_ref: "A" sudah dipakai di baris 1; respondent_ref harus unik.',
        'Baris 6, kolom respondent_ref: "B" sudah dipakai di baris 2; respondent_ref harus unik.',
        'Baris 7, kolom respondent_ref: "A" sudah dipakai di baris 1; respondent_ref harus unik.',
    ]
    assert (summary.error_count, summary.rejected_rows, summary.rows) == (3, 3, 7)


def test_references_sharing_a_hash_are_compared_as_text():
    refs = RepeatedRefs()
    for ref in ("A", "B", "A", "C", "A"):
        refs.add(ref)
    assert refs.repeated() == {ref_hash("A")}
    # Rows whose hashes collide but whose text differs are no error.
    assert repeated_ref_errors({1: "A", 9: "A2"}) == []
    assert [e.row for e in repeated_ref_errors({1: "A", 9: "A", 4: "A"})] == [4, 9]


def test_summary_keeps_the_first_problems_and_counts_them_all():
    rows = [dict(ROW, respondent_ref=f"R{n}", U1="7") for n in range(30)]
    summary = summarise(source(csv_text(rows)), SKM_2017, max_errors=5)
    assert summary.error_count == 30 and summary.rejected_rows == 30
    assert [e.row for e in summary.errors] == [1, 2, 3, 4, 5]


# --------------------------------------------------------------------------- limits


def test_import_limits_on_rows_and_size():
    text = csv_text([dict(ROW, respondent_ref=f"R{n}") for n in range(5)])
    with pytest.raises(TableError, match=r"lebih dari 3 baris"):
        list(read_responses(source(text), SKM_2017, limits=Limits(10**6, 3)))
    assert len(list(read_responses(source(text), SKM_2017, limits=Limits(10**6, 5)))) == 5
    with pytest.raises(TableError, match="Berkas terlalu besar"):
        list(read_responses(source(text), SKM_2017, limits=Limits(100, 10)))


# --------------------------------------------------------------------------- properties

answer = st.one_of(st.none(), st.integers(1, 4))
answer_sets = st.lists(
    st.fixed_dictionaries(dict.fromkeys(SKM_2017.element_codes, answer)).filter(
        lambda r: any(v is not None for v in r.values())
    ),
    min_size=1,
    max_size=25,
)
blank_line = st.sampled_from(["", "{0}{0}{0}{0}", " {0} {0} ", "{0}" * 16])


@settings(max_examples=50, deadline=None)
@given(
    answer_sets,
    st.sampled_from([",", ";"]),
    st.lists(st.tuples(st.integers(0, 30), blank_line), max_size=5),
)
def test_blank_rows_change_nothing(answers, separator, blanks):
    lines = csv_text(file_rows(answers), separator=separator).split("\r\n")
    before = summarise(source("\r\n".join(lines)), SKM_2017)
    for position, line in blanks:
        lines.insert(1 + position % len(lines), line.format(separator))
    after = summarise(source("\r\n".join(lines)), SKM_2017)
    assert after.counters == before.counters == tally(answers, SKM_2017)
    assert after.error_count == before.error_count == 0


@settings(max_examples=25, deadline=None)
@given(answer_sets, st.randoms(use_true_random=False))
def test_the_order_of_columns_and_rows_does_not_matter(answers, rnd: random.Random):
    columns = list(COLUMNS)
    rnd.shuffle(columns)
    rows = file_rows(answers)
    rnd.shuffle(rows)
    summary = summarise(source(csv_text(rows, columns)), SKM_2017)
    assert summary.counters == tally(answers, SKM_2017)
