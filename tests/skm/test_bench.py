"""The SKM benchmark (bench/skm.py) in its tiniest mode: generated files are canonical and
deterministic, the import path takes them, and the IKM per unit from raw rows is the same
through the ORM, through DuckDB over Parquet and from the maintained counters."""

from __future__ import annotations

import datetime as dt
import json
import random

import pytest

from bench import skm as bench
from bench import skm_child
from bench.skm_http import read_form
from prima.skm.domain.versions import CURRENT_INSTRUMENT, instrument
from prima.skm.enums import AgeBand, Education, Gender, Occupation
from prima.skm.interfaces.response_file import IMPORT_LIMITS, Response, columns_of, read_responses

TODAY = dt.date(2026, 11, 25)


def test_codes_match_the_enums_and_the_canonical_columns():
    assert set(bench.GENDERS) == set(Gender.values)
    assert set(bench.AGE_BANDS) == set(AgeBand.values)
    assert set(bench.EDUCATIONS) == set(Education.values)
    assert set(bench.OCCUPATIONS) == set(Occupation.values)
    assert columns_of(instrument(CURRENT_INSTRUMENT)) == bench.COLUMNS


def test_plan_puts_the_scale_in_one_survey_and_ten_percent_elsewhere():
    plan = bench.plan_for(1_000)
    assert plan.big == 1_000
    assert len(plan.others) == 4
    assert plan.rows[-1] == bench.TINY_ROWS
    assert 90 <= sum(plan.others) <= 100
    assert bench.plan_for(1_000) == plan
    assert len(bench.plan_for(10_000_000).others) == 99


def test_generated_files_are_deterministic_valid_and_split(tmp_path, monkeypatch):
    monkeypatch.setattr(bench, "FILE_ROWS", 400)
    first = bench.generate(0, 1_000, "2026-Q4", TODAY, tmp_path)
    assert [p.name for p in first] == [
        "survey000-000.csv",
        "survey000-001.csv",
        "survey000-002.csv",
    ]
    texts = [p.read_text() for p in first]
    (tmp_path / "again").mkdir()
    again = bench.generate(0, 1_000, "2026-Q4", TODAY, tmp_path / "again")
    assert [p.read_text() for p in again] == texts
    rows = [
        row
        for path in first
        for row in read_responses(path, instrument(CURRENT_INSTRUMENT), limits=IMPORT_LIMITS)
    ]
    assert len(rows) == 1_000 and all(isinstance(row, Response) for row in rows)
    assert len({row.respondent_ref for row in rows}) == 1_000
    assert all(dt.date(2026, 10, 1) <= row.answered_on <= TODAY for row in rows)
    assert any(row.suggestion for row in rows)
    assert any(value is None for row in rows for value in row.answers.values())


def test_postgres_bench_database_is_never_the_main_one():
    url = "postgres://postgres@127.0.0.1:5432/prima"
    assert bench.postgres_bench_url(url) == "postgres://postgres@127.0.0.1:5432/prima_bench_skm"
    assert bench.current_period(TODAY) == "2026-Q4"
    assert bench.current_period(dt.date(2027, 1, 1)) == "2027-Q1"


def test_form_reader_picks_the_survey_form_over_the_language_switch():
    html = """
    <form method="post" action="/i18n/setlang/"><input type="hidden" name="language" value="en">
    <select name="next"><option value="/">x</option></select></form>
    <form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="abc">
    <input type="radio" name="U1" value="1"><input type="radio" name="U1" value="4">
    <select name="gender"><option value="">-</option><option value="P">P</option></select>
    <input type="radio" name="U2" value="3"><textarea name="suggestion"></textarea></form>
    """
    form = read_form(html)
    assert form.fixed == {"csrfmiddlewaretoken": "abc", "suggestion": ""}
    filled = form.fill(random.Random(1))
    assert filled["gender"] == "P" and filled["U2"] == "3" and filled["U1"] in ("1", "4")


@pytest.mark.django_db
def test_tiny_run_imports_and_gets_identical_ikm_three_ways(tmp_path):
    plan = bench.plan_for(60)
    setup = skm_child.setup(
        {
            "period": "2026-Q4",
            "services": list(bench.SERVICES),
            "surveys": [{"rows": rows} for rows in plan.rows],
        }
    )
    files = [
        bench.generate(n, rows, "2026-Q4", TODAY, tmp_path) for n, rows in enumerate(plan.rows)
    ]
    jobs = {
        "actor": setup["secretariat"],
        "baseline_survey": setup["surveys"][0]["id"],
        "baseline_file": str(files[0][0]),
        "files": [
            {"survey": setup["surveys"][n]["id"], "path": str(path), "rows": rows}
            for n, (paths, rows) in enumerate(zip(files, plan.rows, strict=True))
            for path in paths
        ],
    }
    imported = skm_child.import_files(json.loads(json.dumps(jobs)))
    assert imported["rows"] == plan.total
    assert imported["baseline"]["rows"] == 60  # rolled back: not counted twice
    result = skm_child.ikm(tmp_path, 1)
    assert result["units"] == len(plan.rows)
    assert result["rows"] == plan.total
    assert result["identical"] and result["counters_identical"]
