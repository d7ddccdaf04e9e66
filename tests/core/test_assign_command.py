"""`prima assign PROBLEM.json [--json]`: no database; exit 0 optimal, 1 bad input, 2 infeasible."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

PROBLEM = {
    "demand_default": 2,
    "subjects": [
        {"id": "P1", "institution": "I1", "province": "13"},
        {"id": "P2", "demand": 1, "province": "31"},
    ],
    "assessors": [
        {"id": "E1", "max": 2, "institution": "I1"},
        {"id": "E2", "min": 1, "max": 2},
        {"id": "E3", "max": 2, "province": "31"},
        {"id": "E7", "max": 2},
    ],
    "affinity": [["P1", "E1", 0.99], ["P1", "E2", 0.83], ["P1", "E7", 0.7], ["P2", "E3", 0.9]],
    "conflicts": [["P1", "E7"]],
    "conflict_rules": ["same_institution", "same_province"],
    "pinned": [["P2", "E7"]],
}


def write(tmp_path, data):
    path = tmp_path / "problem.json"
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return str(path)


def run(*args):
    out = io.StringIO()
    call_command("assign", *args, stdout=out)
    return out.getvalue()


def test_json_output(tmp_path):
    result = json.loads(run(write(tmp_path, PROBLEM), "--json"))
    # P1 can use E2 and E3 only (E1 same institution, E7 explicit); P2 is pinned to E7.
    assert result == {
        "status": "optimal",
        "objective": pytest.approx(0.83),
        "assignments": [
            {"subject": "P1", "assessor": "E2", "affinity": 0.83},
            {"subject": "P1", "assessor": "E3", "affinity": 0.0},
            {"subject": "P2", "assessor": "E7", "affinity": 0.0},
        ],
        "loads": {"E1": 0, "E2": 1, "E3": 1, "E7": 1},
        "diagnosis": None,
    }


def test_human_output(tmp_path):
    text = run(write(tmp_path, PROBLEM))
    assert "Status: optimal" in text
    assert "Objektif (total afinitas): 0.830000" in text
    assert "P1  E2  0.830000" in text
    assert "E2     1  [1, 2]" in text


def test_infeasible_exits_2_with_the_diagnosis(tmp_path):
    data = {**PROBLEM, "demand_default": 9}
    out = io.StringIO()
    with pytest.raises(SystemExit) as caught:
        call_command("assign", write(tmp_path, data), "--json", stdout=out)
    assert caught.value.code == 2
    result = json.loads(out.getvalue())
    assert result["status"] == "infeasible"
    assert "Kapasitas penilai 8 < kebutuhan 10 penilaian (kurang 2)." in result["diagnosis"]

    out = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("assign", write(tmp_path, data), stdout=out)
    assert "Diagnosis:\n  - Kapasitas penilai 8 < kebutuhan 10" in out.getvalue()


POOLED = {
    "pools": "by_category",
    "demand_default": 1,
    "subjects": [{"id": "P1", "category": "AC1"}, {"id": "P2", "category": "AC4"}],
    "assessors": [
        {"id": "E1", "max": 2, "categories": ["AC4"]},
        {"id": "E2", "max": 2, "categories": ["AC1", "AC4"]},
    ],
    "affinity": [["P1", "E1", 0.9], ["P2", "E1", 0.5]],
}


def test_pools_keep_each_assessor_to_their_categories(tmp_path):
    result = json.loads(run(write(tmp_path, POOLED), "--json"))
    # The attractive pair P1-E1 crosses categories; only E2 is in P1's pool.
    assert [(a["subject"], a["assessor"]) for a in result["assignments"]] == [
        ("P1", "E2"),
        ("P2", "E1"),
    ]

    short = {**POOLED, "demand_default": 2}
    out = io.StringIO()
    with pytest.raises(SystemExit) as caught:
        call_command("assign", write(tmp_path, short), stdout=out)
    assert caught.value.code == 2
    assert (
        "Subjek P1 hanya punya 1 penilai yang boleh menilai, padahal kebutuhannya 2; "
        "terblokir 1 (1 di luar kelompok kategori): E1 [outside_pool]."
    ) in out.getvalue()

    with pytest.raises(CommandError) as bad:
        run(write(tmp_path, {**POOLED, "subjects": [{"id": "P1"}]}))
    assert bad.value.returncode == 1
    assert "subjects[0].category: wajib diisi bila pools = by_category" in str(bad.value)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ({**PROBLEM, "affinity": [["P1", "E9", 0.5]]}, "affinity[0]: penilai 'E9' tidak ada"),
        ({**PROBLEM, "assessors": [{"id": "E1", "min": 3, "max": 2}]}, "assessors[0].min:"),
        ("{not json", "JSON tidak sah pada baris 1 kolom 2"),
    ],
)
def test_malformed_input_exits_1_naming_the_field(tmp_path, content, message):
    with pytest.raises(CommandError) as caught:
        run(write(tmp_path, content), "--json")
    assert caught.value.returncode == 1
    assert message in str(caught.value)


def test_missing_file_exits_1(tmp_path):
    with pytest.raises(CommandError) as caught:
        run(str(tmp_path / "nope.json"))
    assert caught.value.returncode == 1
    assert "tidak dapat dibaca" in str(caught.value)


def test_console_script_exit_codes_without_a_database(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "prima.settings",
        # A database that cannot exist: the command must never touch it.
        "DATABASE_URL": f"sqlite:///{tmp_path}/missing-dir/none.sqlite3",
    }

    def prima(*args):
        return subprocess.run(
            [sys.executable, "-m", "prima.cli", "assign", *args],
            env=env,
            capture_output=True,
            text=True,
        )

    ok = prima(write(tmp_path, PROBLEM), "--json")
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["status"] == "optimal"
    infeasible = prima(write(tmp_path, {**PROBLEM, "demand_default": 9}))
    assert infeasible.returncode == 2
    assert "Kapasitas penilai 8 < kebutuhan 10 penilaian (kurang 2)." in infeasible.stdout
    bad = prima(write(tmp_path, {**PROBLEM, "subjects": [{"id": "P1", "demand": 0}]}))
    assert bad.returncode == 1
    assert "subjects[0].demand: harus bilangan bulat ≥ 1" in bad.stderr
