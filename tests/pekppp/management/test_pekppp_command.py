"""`prima pekppp ipp FILE [--json]`: no database, exit 2 on bad input (pekppp.md §9, §12)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.pekppp.spec import EXAMPLE_1

EXPECTED_1 = {
    "instrument": "pekppp-2023",
    "aspect_scores": {
        "I": "3.3300", "II": "3.8000", "III": "3.7000",
        "IV": "3.7000", "V": "3.0000", "VI": "2.5000",
    },
    "ipp_f02": "3.422200",
    "ipp_raw": "3.422200",
    "ipp": "3.42",
    "grade": "B-",
    "predicate": "Baik (Dengan Catatan)",
    "percent": "68.44",
    "combination": "f02_only",
    "combination_used": "f02_only",
    "f03_score": None,
    "f03_responses": None,
    "warnings": [],
    "improve_first": [
        {"number": 29, "code": "29.f.B", "score": 2, "global_weight": "6.00", "gain": "0.1800"},
        {"number": 13, "code": "13.b.K", "score": 2, "global_weight": "5.00", "gain": "0.1500"},
        {"number": 30, "code": "30.f.B", "score": 3, "global_weight": "6.00", "gain": "0.1200"},
        {"number": 27, "code": "27.e.Ak", "score": 2, "global_weight": "2.50", "gain": "0.0750"},
        {"number": 17, "code": "17.c.As", "score": 3, "global_weight": "3.60", "gain": "0.0720"},
    ],
}  # fmt: skip


def document(**changes):
    return {
        "instrument": "pekppp-2023",
        "scores": {str(number): level for number, level in EXAMPLE_1.items()},
        "f03_score": None,
        "combination": "f02_only",
        **changes,
    }


def write(tmp_path, content, name="nilai.json"):
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return str(path)


def run(*args):
    out = io.StringIO()
    call_command("pekppp", *args, stdout=out)
    return out.getvalue()


def fails(*args):
    with pytest.raises(CommandError) as caught:
        run(*args)
    assert caught.value.returncode == 2
    return str(caught.value)


def test_json_output_is_the_section_9_fields(tmp_path):
    assert json.loads(run("ipp", write(tmp_path, document()), "--json")) == EXPECTED_1


def test_human_output(tmp_path):
    text = run("ipp", write(tmp_path, document()))
    assert "IPP: 3.42" in text
    assert "Kategori: B-" in text
    assert "Predikat: Baik (Dengan Catatan)" in text
    assert "Persentase (hanya tampilan): 68.44%" in text
    assert "indikator 29 (29.f.B): nilai 2, bobot global 6.00%, kenaikan 0.1800" in text


def test_weighted_combination_example_5(tmp_path):
    enough = document(combination="weighted", f03_score=4.0, f03_responses=10)
    data = json.loads(run("ipp", write(tmp_path, enough), "--json"))
    assert (data["ipp_raw"], data["ipp"], data["grade"]) == ("3.566650", "3.57", "B")
    assert data["combination_used"] == "weighted"
    short = document(combination="weighted", f03_score="4.0", f03_responses=8)
    data = json.loads(run("ipp", write(tmp_path, short), "--json"))
    assert (data["ipp"], data["grade"], data["warnings"]) == ("3.42", "B-", ["F-03 insufficient"])
    assert "Peringatan: F-03 belum cukup responden" in run("ipp", write(tmp_path, short))


def test_a_missing_or_out_of_range_score_names_the_indicator(tmp_path):
    content = document()
    del content["scores"]["7"]
    content["scores"]["12"] = 6
    message = fails("ipp", write(tmp_path, content))
    assert "tidak ada yang dihitung" in message
    assert "scores.7: indikator 7 (7.a.T) belum dinilai" in message
    assert "scores.12: indikator 12 (12.b.Ak): nilai 6 di luar skala 0–5" in message


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "bukan JSON yang sah (baris 1"),
        ("[]", "isi berkas harus objek JSON"),
        (json.dumps({"scores": [1, 2]}), '"scores" wajib berupa objek'),
        (json.dumps(document(instrument="pekppp-1999")), "Instrumen 'pekppp-1999' tidak dikenal"),
        (json.dumps(document(skor=1)), "kunci tidak dikenal: skor"),
        (json.dumps(document(combination="campur")), "combination: harus f02_only atau weighted"),
        (json.dumps(document(f03_score="empat")), "f03_score harus angka"),
        (json.dumps(document(instrument="pekppp-2017")), "tidak memuat daftar indikator"),
    ],
)
def test_bad_files_exit_2(tmp_path, content, message):
    assert message in fails("ipp", write(tmp_path, content))


def test_a_missing_file_exits_2(tmp_path):
    assert "berkas tidak ditemukan" in fails("ipp", str(tmp_path / "tidak-ada.json"))


def test_console_script_without_a_database(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "prima.settings",
        # A database that cannot exist: the command must never touch it.
        "DATABASE_URL": f"sqlite:///{tmp_path}/missing-dir/none.sqlite3",
    }

    def prima(*args):
        return subprocess.run(
            [sys.executable, "-m", "prima.cli", "pekppp", *args],
            env=env,
            capture_output=True,
            text=True,
            cwd=tmp_path,
        )

    ok = prima("ipp", write(tmp_path, document()), "--json")
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout) == EXPECTED_1
    content = document()
    content["scores"]["30"] = -1
    bad = prima("ipp", write(tmp_path, content, "salah.json"))
    assert bad.returncode == 2
    assert "indikator 30 (30.f.B): nilai -1 di luar skala 0–5" in bad.stderr
