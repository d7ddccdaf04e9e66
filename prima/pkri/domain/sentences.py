"""The generated statements T1–T5 of PKRI statistics (pkri.md §8, §10 required outputs).

Official Indonesian statements: plain strings, never translated. Numbers use "." as the
thousands separator, dates read "8 Oktober 2024". Whether a statement may be shown (the
edition has reached ``results``) is the caller's rule.

Pure: no ORM.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from prima.core.dates import full_date

# T2 label_tipe by institution kind code (DESIGN.md §4 English codes).
KIND_LABELS: Mapping[str, str] = {
    "ministry": "kementerian",
    "agency": "lembaga",
    "province": "pemerintah provinsi",
    "regency": "pemerintah kabupaten",
    "city": "pemerintah kota",
    "state_enterprise": "BUMN",
}
# T5 satuan by beneficiary measure; `other` uses the form's free text.
MEASURE_LABELS: Mapping[str, str] = {
    "people": "orang",
    "households": "rumah tangga",
    "businesses": "pelaku usaha",
    "documents": "dokumen",
    "transactions": "transaksi",
}


def format_number(n: int) -> str:
    """``1065`` → ``1.065``; ``-5000000`` → ``-5.000.000``."""
    return f"{n:,}".replace(",", ".")


def t1(institution: str, n_best: int, n_participants: int) -> str:
    """``Kota Payakumbuh masuk 14 instansi terbaik dari 308 instansi yang berpartisipasi``."""
    return (
        f"{institution} masuk {format_number(n_best)} instansi terbaik dari "
        f"{format_number(n_participants)} instansi yang berpartisipasi"
    )


def t2(institution: str, n_kind: int, kind: str, year: int) -> str:
    """``Kota Payakumbuh menjadi salah satu dari 5 pemerintah kota terbaik pada PKRI 2024``."""
    if kind not in KIND_LABELS:
        raise ValueError(f"t2: unknown institution kind {kind!r} (known: {sorted(KIND_LABELS)})")
    return (
        f"{institution} menjadi salah satu dari {format_number(n_kind)} {KIND_LABELS[kind]} "
        f"terbaik pada PKRI {year}"
    )


def t3(
    year: int,
    n_objects: int,
    n_loci: int,
    ministries: int,
    agencies: int,
    local_governments: int,
    state_enterprises: int,
) -> str:
    """``PKRI 2024 memantau 979 inovasi pada 631 instansi: 34 kementerian, …, dan 5 BUMN``."""
    f = format_number
    return (
        f"PKRI {year} memantau {f(n_objects)} inovasi pada {f(n_loci)} instansi: "
        f"{f(ministries)} kementerian, {f(agencies)} lembaga, "
        f"{f(local_governments)} pemerintah daerah, dan {f(state_enterprises)} BUMN"
    )


def t4(year: int, n_awards: int, event_name: str, event_date: dt.date) -> str:
    """``Sebanyak 75 penghargaan PKRI 2024 diserahkan pada Gebyar …, 8 Oktober 2024``."""
    return (
        f"Sebanyak {format_number(n_awards)} penghargaan PKRI {year} diserahkan pada "
        f"{event_name}, {full_date(event_date)}"
    )


def t5(
    title: str,
    unit: str,
    institution: str,
    since_year: int,
    count: int,
    measure: str,
    measure_other: str,
    year: int,
) -> str:
    """``{judul} ({unit}, {instansi}) masih berjalan sejak … dan melayani … pada {tahun}``."""
    if measure == "other":
        label = measure_other.strip()
    elif measure in MEASURE_LABELS:
        label = MEASURE_LABELS[measure]
    else:
        raise ValueError(f"t5: unknown measure {measure!r}")
    return (
        f"{title} ({unit}, {institution}) masih berjalan sejak {since_year} dan melayani "
        f"{format_number(count)} {label} pada {year}"
    )
