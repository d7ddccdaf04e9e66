"""Reading uploaded spreadsheets: the files civil servants really send, good and bad."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files import File
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from prima.core.interfaces.tabular import (
    CellError,
    CellValueError,
    TableError,
    parse_bool,
    parse_choice,
    parse_int,
    read_table,
)

REQUIRED = ("name", "kind")
OPTIONAL = ("region_code", "user_population", "is_border")


def upload(content: bytes, name: str = "data.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def xlsx(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def errors_of(content: bytes, name: str = "data.csv", **kwargs) -> list[str]:
    with pytest.raises(TableError) as caught:
        read_table(upload(content, name), required=REQUIRED, optional=OPTIONAL, **kwargs)
    return [str(e) for e in caught.value.errors]


def test_utf8_csv_with_bom_and_messy_headers():
    content = "\ufeff Name ,KIND,Region Code\nKementerian Kesehatan,ministry,\n".encode()
    table = read_table(upload(content), required=REQUIRED, optional=OPTIONAL)
    assert table.format == "csv"
    assert table.columns == ["name", "kind", "region_code"]
    assert table.rows[0].number == 2
    assert table.rows[0].values == {
        "name": "Kementerian Kesehatan",
        "kind": "ministry",
        "region_code": "",
    }


def test_semicolon_csv_saved_by_indonesian_excel_in_windows_1252():
    content = (
        "name;kind;region_code\r\n"
        "Dinas Kependudukan Kab. Bekasi – Cikarang;dinas;32.16\r\n"
        '"Samsat Kab. Bekasi; Unit Tambun";samsat;32.16\r\n'
    ).encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")  # the test file really is not UTF-8
    table = read_table(upload(content), required=REQUIRED, optional=OPTIONAL)
    assert [r.get("name") for r in table.rows] == [
        "Dinas Kependudukan Kab. Bekasi – Cikarang",
        "Samsat Kab. Bekasi; Unit Tambun",
    ]
    assert table.rows[1].get("region_code") == "32.16"
    assert table.rows[1].number == 3


def test_blank_lines_are_skipped_but_row_numbers_follow_the_file():
    content = b"name,kind\n\nKementerian A,ministry\n,\nLembaga B,agency\n"
    table = read_table(upload(content), required=REQUIRED)
    assert [(r.number, r.get("name")) for r in table.rows] == [
        (3, "Kementerian A"),
        (5, "Lembaga B"),
    ]


def test_missing_required_columns_are_named():
    assert errors_of(b"nama,region_code\nKota A,13.76\n") == [
        "Baris 1: kolom wajib tidak ada: name, kind.",
        "Baris 1, kolom nama: kolom tidak dikenal; kolom yang dikenal: name, kind, "
        "region_code, user_population, is_border.",
    ]


def test_duplicate_header_is_reported_with_column_letters():
    errors = errors_of(b"name,kind,name\nA,ministry,B\n")
    assert errors == ["Baris 1, kolom name: judul kolom muncul dua kali (kolom A dan C)."]


def test_more_values_than_columns_points_at_the_separator():
    errors = errors_of(b"name,kind\nKota A,city,13.76\n")
    assert errors == [
        "Baris 2: berisi 3 nilai, padahal hanya ada 2 kolom; periksa pemisah (koma/titik koma) "
        "dan tanda kutip."
    ]


@pytest.mark.parametrize("content", [b"", b"   \r\n \n"])
def test_empty_file_is_refused(content):
    assert errors_of(content) == ["Berkas kosong; isi baris judul kolom dan data."]


def test_header_without_data_is_refused():
    assert errors_of(b"name,kind\n") == ["Berkas hanya berisi judul kolom; isi data mulai baris 2."]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "Format berkas tidak dikenal (PDF)"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "Format berkas tidak dikenal (PNG)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "Format .xls (Excel 97-2003)"),
        (b"name,kind\x00\x00\x01\x02", "Format berkas tidak dikenal"),
    ],
)
def test_unknown_formats_are_refused_by_content(content, expected):
    (message,) = errors_of(content, name="data.csv")
    assert message.startswith(expected)


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "halo")
    (message,) = errors_of(buffer.getvalue(), name="data.xlsx")
    assert "bukan lembar kerja XLSX yang sah" in message


def test_xlsx_values_come_back_as_the_text_people_typed():
    content = xlsx(
        [
            ["Name", "kind", "user_population", "is_border", "region_code"],
            ["'-Unit Minus", "dinas", 12000.0, True, "13.76"],
            ["Dinas Kesehatan", "dinas", 350, False, None],
        ]
    )
    table = read_table(upload(content, "data.xlsx"), required=REQUIRED, optional=OPTIONAL)
    assert table.format == "xlsx"
    first, second = table.rows
    assert first.values == {
        "name": "-Unit Minus",  # the export's formula guard is removed again
        "kind": "dinas",
        "user_population": "12000",
        "is_border": "ya",
        "region_code": "13.76",
    }
    assert second.number == 3
    assert second.get("is_border") == "tidak"
    assert second.get("region_code") == ""


def test_xlsx_formulas_are_refused_naming_row_and_column():
    content = xlsx(
        [
            ["name", "kind", "user_population"],
            ["Puskesmas Ibuh", "puskesmas", 100],
            ["Puskesmas Lampasi", "puskesmas", "=C2*2"],
            ["=UPPER(A2)", "puskesmas", 5],
        ]
    )
    errors = errors_of(content, name="unit.xlsx")
    assert errors == [
        "Baris 3, kolom user_population: sel berisi rumus (=C2*2); ganti rumus dengan nilainya "
        "(salin lalu Tempel Nilai / Paste Values).",
        "Baris 4, kolom name: sel berisi rumus (=UPPER(A2)); ganti rumus dengan nilainya "
        "(salin lalu Tempel Nilai / Paste Values).",
    ]


def test_a_50_mb_file_is_refused_before_anything_is_read(tmp_path, settings):
    settings.IMPORT_MAX_BYTES = 20 * 1024 * 1024
    path = tmp_path / "besar.csv"
    line = b"Dinas Kependudukan dan Pencatatan Sipil,dinas\n"
    with path.open("wb") as handle:
        handle.write(b"name,kind\n")
        handle.write(line * (50 * 1024 * 1024 // len(line) + 1))
    assert path.stat().st_size > 50 * 1024 * 1024
    with path.open("rb") as handle:
        big = File(handle, name="besar.csv")
        with pytest.raises(TableError) as caught:
            read_table(big, required=REQUIRED)
        assert handle.tell() == 0  # refused on the size alone, not a byte parsed
    message = str(caught.value.errors[0])
    assert message.startswith("Berkas terlalu besar (50")
    assert "batasnya 20" in message


def test_cell_errors_read_as_sentences():
    assert (
        str(CellError(14, "kind", "nilai 'kementrian' tidak dikenal"))
        == "Baris 14, kolom kind: nilai 'kementrian' tidak dikenal"
    )
    assert str(CellError(3, "", "kosong")) == "Baris 3: kosong"
    assert str(CellError(0, "", "Berkas kosong.")) == "Berkas kosong."


def test_parse_choice_lists_every_code():
    with pytest.raises(CellValueError) as caught:
        parse_choice("kementrian", ["ministry", "agency", "city"])
    assert caught.value.message == (
        "nilai 'kementrian' tidak dikenal; pilih salah satu: ministry, agency, city."
    )
    with pytest.raises(CellValueError, match="wajib diisi"):
        parse_choice("", ["ministry"])


@pytest.mark.parametrize(
    ("text", "value"),
    [("ya", True), ("YA", True), ("true", True), ("1", True), ("tidak", False), ("", False)],
)
def test_parse_bool(text, value):
    assert parse_bool(text) is value


def test_parse_bool_refuses_other_words():
    with pytest.raises(CellValueError, match="isi 'ya' atau 'tidak'"):
        parse_bool("mungkin")


@pytest.mark.parametrize(("text", "value"), [("12500", 12500), ("12.500", 12500), ("", None)])
def test_parse_int_accepts_indonesian_thousands(text, value):
    assert parse_int(text) == value


@pytest.mark.parametrize(
    ("text", "message"), [("12,5", "bukan bilangan bulat"), ("-3", "tidak boleh kurang dari 0")]
)
def test_parse_int_refusals(text, message):
    with pytest.raises(CellValueError, match=message):
        parse_int(text)
