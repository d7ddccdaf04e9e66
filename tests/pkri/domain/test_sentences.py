"""Generated statements T1–T5 (pkri.md §8, §10 required outputs; acceptance example B8)."""

from __future__ import annotations

import datetime as dt

import pytest

from prima.pkri.domain.sentences import format_number, t1, t2, t3, t4, t5


def test_b8_t1_for_payakumbuh() -> None:
    assert (
        t1("Kota Payakumbuh", 14, 308)
        == "Kota Payakumbuh masuk 14 instansi terbaik dari 308 instansi yang berpartisipasi"
    )


def test_b8_t2_for_payakumbuh() -> None:
    assert (
        t2("Kota Payakumbuh", 5, "city", 2024)
        == "Kota Payakumbuh menjadi salah satu dari 5 pemerintah kota terbaik pada PKRI 2024"
    )


def test_b8_t3_scope_counts() -> None:
    assert (
        t3(2024, 979, 631, 34, 46, 546, 5)
        == "PKRI 2024 memantau 979 inovasi pada 631 instansi: 34 kementerian, 46 lembaga, "
        "546 pemerintah daerah, dan 5 BUMN"
    )


def test_t4_award_event() -> None:
    assert (
        t4(2024, 75, "Gebyar Pelayanan Prima 2024", dt.date(2024, 10, 8))
        == "Sebanyak 75 penghargaan PKRI 2024 diserahkan pada Gebyar Pelayanan Prima 2024, "
        "8 Oktober 2024"
    )


@pytest.mark.parametrize(
    ("kind", "label"),
    [
        ("ministry", "kementerian"),
        ("agency", "lembaga"),
        ("province", "pemerintah provinsi"),
        ("regency", "pemerintah kabupaten"),
        ("city", "pemerintah kota"),
        ("state_enterprise", "BUMN"),
    ],
)
def test_t2_label_of_each_institution_kind(kind: str, label: str) -> None:
    assert t2("X", 2, kind, 2024) == f"X menjadi salah satu dari 2 {label} terbaik pada PKRI 2024"


def test_t2_rejects_unknown_kind() -> None:
    with pytest.raises(ValueError):
        t2("X", 2, "kota", 2024)


def test_t5_running_object() -> None:
    assert (
        t5("SITARANG", "Dinas PUPR", "Kota Payakumbuh", 2017, 12500, "people", "", 2023)
        == "SITARANG (Dinas PUPR, Kota Payakumbuh) masih berjalan sejak 2017 dan melayani "
        "12.500 orang pada 2023"
    )
    assert t5("A", "U", "I", 2019, 40, "other", " kunjungan ", 2023).endswith(
        "melayani 40 kunjungan pada 2023"
    )
    assert "1.065 rumah tangga" in t5("A", "U", "I", 2019, 1065, "households", "", 2023)


@pytest.mark.parametrize(
    ("n", "text"),
    [(0, "0"), (979, "979"), (1065, "1.065"), (1_234_567, "1.234.567"), (-5_000_000, "-5.000.000")],
)
def test_format_number_uses_dot_thousands(n: int, text: str) -> None:
    assert format_number(n) == text
