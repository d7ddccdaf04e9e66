"""`prima skm ikm FILE` and `prima skm sample-size N`: no database, exit 2 on bad input."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from tests.skm.spec import (
    COLUMNS,
    EXAMPLE_1,
    EXAMPLE_2,
    EXAMPLE_3,
    ROOT,
    SKM_2004,
    csv_text,
    file_rows,
    responses,
)

EXPECTED_1 = {
    "unit": None,
    "survey": None,
    "instrument": "skm-2017",
    "period": None,
    "status": "CALCULATED",
    "respondents": 12,
    "answers": {f"U{n}": 12 for n in range(1, 10)},
    "nrr": {
        "U1": "3.3333",
        "U2": "3.2500",
        "U3": "3.0000",
        "U4": "3.8333",
        "U5": "3.4167",
        "U6": "3.5000",
        "U7": "3.5833",
        "U8": "2.8333",
        "U9": "3.1667",
    },
    "ikm": "3.3208",
    "ikm_converted": "83.02",
    "grade": "B",
    "performance": "Baik",
    "weight_rule": "printed",
    "alternative": {
        "weight_rule": "exact",
        "ikm": "3.3241",
        "ikm_converted": "83.10",
        "grade": "B",
    },
    "sample_target": 169,
    "sample_adequate": False,
    "warnings": ["sample_below_target"],
}


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("skm", *args, stdout=out)
    return out.getvalue()


def fails(*args: str) -> str:
    with pytest.raises(CommandError) as caught:
        run(*args)
    assert caught.value.returncode == 2
    return str(caught.value)


def write(tmp_path, text: str, name: str = "jawaban.csv", encoding: str = "utf-8") -> str:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def example_file(tmp_path, example: str = EXAMPLE_1, **options) -> str:
    return write(tmp_path, csv_text(file_rows(responses(example, 12)), **options))


def test_json_is_the_section_10_layout(tmp_path):
    document = json.loads(run("ikm", example_file(tmp_path), "--population", "300", "--json"))
    assert document == EXPECTED_1
    assert list(document) == list(EXPECTED_1)


def xlsx_file(tmp_path) -> str:
    book = Workbook()
    sheet = book.active
    sheet.append(list(COLUMNS))
    for row in file_rows(responses(EXAMPLE_1, 12)):
        cells = [row.get(column) for column in COLUMNS]
        cells[1] = dt.datetime(2025, 4, 14)
        sheet.append(cells)
    path = tmp_path / "jawaban.xlsx"
    book.save(path)
    return str(path)


@pytest.mark.parametrize(
    ("separator", "encoding"),
    [(";", "cp1252"), (";", "utf-8-sig"), (",", "utf-8-sig"), (";", "utf-8")],
)
def test_excel_csv_variants_give_the_same_result(tmp_path, separator, encoding):
    rows = file_rows(responses(EXAMPLE_1, 12))
    rows[0]["suggestion"] = "Ruang tunggu nyaman, café ada"
    path = write(tmp_path, csv_text(rows, separator=separator), encoding=encoding)
    assert json.loads(run("ikm", path, "--population", "300", "--json")) == EXPECTED_1


def test_xlsx_gives_the_same_result(tmp_path):
    document = json.loads(run("ikm", xlsx_file(tmp_path), "--population=300", "--json"))
    assert document == EXPECTED_1


def test_weight_rule_exact_when_the_rules_disagree(tmp_path):
    path = example_file(tmp_path, EXAMPLE_2)
    document = json.loads(run("ikm", path, "--weight-rule", "exact", "--json"))
    assert (document["weight_rule"], document["ikm"], document["grade"]) == ("exact", "3.0648", "B")
    assert document["alternative"] == {
        "weight_rule": "printed",
        "ikm": "3.0618",
        "ikm_converted": "76.54",
        "grade": "C",
    }
    assert document["warnings"] == ["weight_rule_grade_differs", "population_unknown"]
    text = run("ikm", path)
    assert "Mutu berbeda menurut aturan bobot: 0,111 → C (76,54); 1/9 → B (76,62)" in text
    assert "Mengapa C:" in text


def test_blanks_count_per_element(tmp_path):
    document = json.loads(run("ikm", example_file(tmp_path, EXAMPLE_3), "--json"))
    assert (document["respondents"], document["answers"]["U4"], document["answers"]["U8"]) == (
        12,
        10,
        9,
    )
    assert (document["ikm"], document["ikm_converted"], document["grade"]) == (
        "3.4404",
        "86.01",
        "B",
    )


def test_the_historical_instrument(tmp_path):
    columns = [*COLUMNS[:7], *SKM_2004.element_codes, "suggestion"]
    rows = [
        {"answered_on": "2010-05-03", **{c: 3 if c <= "E10" else 4 for c in SKM_2004.element_codes}}
    ] * 8
    path = write(tmp_path, csv_text(rows, columns))
    document = json.loads(run("ikm", path, "--instrument", "skm-2004", "--json"))
    assert document["instrument"] == "skm-2004"
    assert (document["ikm"], document["ikm_converted"], document["grade"]) == (
        "3.2660",
        "81.65",
        "A",
    )
    assert document["performance"] == "Sangat Baik"
    # An instrument can also be named by its file.
    by_path = run("ikm", path, "--instrument", str(ROOT / "instruments" / "skm-2004.yaml"))
    assert "Mutu pelayanan: A (kinerja unit: Sangat Baik)" in by_path


def test_human_output(tmp_path):
    text = run("ikm", example_file(tmp_path), "--population", "300")
    assert "IKM (1–4): 3,3208" in text
    assert "Nilai konversi IKM (25–100): 83,02" in text
    assert "Target sampel: 169 (N = 300); belum tercukupi (12)." in text


def test_an_element_nobody_answered_is_named(tmp_path):
    rows = [{**row, "U9": None} for row in file_rows(responses(EXAMPLE_1, 12))]
    path = write(tmp_path, csv_text(rows))
    text = run("ikm", path)
    assert "IKM tidak dihitung: unsur U9 (Sarana dan prasarana) tidak dijawab" in text
    document = json.loads(run("ikm", path, "--json"))
    assert document["status"] == "INCOMPLETE" and "incomplete_element" in document["warnings"]


# --------------------------------------------------------------------------- bad input


def test_acceptance_example_6_nothing_is_computed(tmp_path):
    rows = file_rows(responses(EXAMPLE_1, 4))
    rows[2]["U3"] = 5
    rows[3]["U4"] = None
    message = fails("ikm", write(tmp_path, csv_text(rows)), "--json")
    assert "1 masalah pada 1 baris (dari 4); tidak ada yang dihitung" in message
    assert '- Baris 3, kolom U3: nilai harus 1–4 atau kosong, tertulis "5".' in message


def test_many_problems_are_summarised(tmp_path):
    rows = [{**row, "gender": "X"} for row in file_rows(responses(EXAMPLE_1, 12))] * 3
    message = fails("ikm", write(tmp_path, csv_text(rows)))
    assert "36 masalah pada 36 baris (dari 36)" in message
    assert message.count("\n- Baris ") == 20
    assert message.endswith("… dan 16 masalah lain.")


def test_a_file_entered_twice_is_caught_by_its_references(tmp_path):
    rows = file_rows(responses(EXAMPLE_1, 12)) * 2
    message = fails("ikm", write(tmp_path, csv_text(rows)))
    assert "12 masalah pada 12 baris (dari 24)" in message
    assert (
        '- Baris 13, kolom respondent_ref: "R001" sudah dipakai di baris 1; respondent_ref '
        "harus unik." in message
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--instrument", "skm-2030"), "Instrumen skm-2030 tidak ditemukan; pilih salah satu: "),
        (("--weight-rule", "rata"), "--weight-rule harus printed atau exact, bukan 'rata'."),
        (("--population", "0"), "--population harus bilangan bulat ≥ 1"),
        (("--population", "1.000"), "--population harus bilangan bulat ≥ 1"),
    ],
)
def test_bad_options_exit_2(tmp_path, args, message):
    assert message in fails("ikm", example_file(tmp_path), *args)


def test_bad_files_exit_2(tmp_path):
    assert "tidak dapat dibuka" in fails("ikm", str(tmp_path / "tidak-ada.csv"))
    header_only = write(tmp_path, ",".join(COLUMNS) + "\n")
    assert "berkas tidak berisi satu pun baris jawaban" in fails("ikm", header_only)
    wrong = write(tmp_path, "nama,nilai\nBudi,4\n")
    message = fails("ikm", wrong)
    assert "berkas tidak dapat dipakai:" in message
    assert 'Kolom "nama" (kolom ke-1) tidak dikenal; kolom tambahan harus diawali x_.' in message
    bad_yaml = write(tmp_path, "code: skm-2017\nprogramme: skm\n", "rusak.yaml")
    assert "instrumen SKM tidak sah" in fails("ikm", header_only, "--instrument", bad_yaml)


def test_sample_size():
    assert run("sample-size", "650").strip() == (
        "Target sampel: 242 responden (N = 650; S = 241,67; Krejcie dan Morgan, X² = 3,841, "
        "P = 0,5, d = 0,05)."
    )
    assert "Target sampel: 118 responden" in run("sample_size", "170")
    assert "N harus bilangan bulat ≥ 1" in fails("sample-size", "sepuluh")


def test_console_script_without_a_database(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "prima.settings",
        # A database that cannot exist: the command must never touch it.
        "DATABASE_URL": f"sqlite:///{tmp_path}/missing-dir/none.sqlite3",
    }

    def prima(*args):
        return subprocess.run(
            [sys.executable, "-m", "prima.cli", "skm", *args],
            env=env,
            capture_output=True,
            text=True,
            cwd=tmp_path,
        )

    ok = prima("ikm", example_file(tmp_path), "--population", "300", "--json")
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout) == EXPECTED_1
    rows = file_rows(responses(EXAMPLE_1, 4))
    rows[2]["U3"] = 5
    bad = prima("ikm", write(tmp_path, csv_text(rows), "salah.csv"))
    assert bad.returncode == 2
    assert "Baris 3, kolom U3: nilai harus 1–4 atau kosong" in bad.stderr
    sample = prima("sample-size", "300")
    assert sample.returncode == 0 and "Target sampel: 169 responden" in sample.stdout
    negative = prima("sample-size", "-3")
    assert negative.returncode == 2
    assert "N harus bilangan bulat ≥ 1 (jumlah pengguna layanan), bukan '-3'." in negative.stderr
    assert "Traceback" not in bad.stderr + negative.stderr
