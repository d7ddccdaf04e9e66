"""Plausible Indonesian place names for sub-districts and health centres.

Real sub-district names are not shipped with Prima, so the demo composes names the way
many are formed ("Sukamaju", "Tanjung Harapan", "Sumber Rejo"). Kota Payakumbuh, the
demo's main example, gets its real sub-districts and health centres.
"""

from __future__ import annotations

import random

# Prefixes written together with the second part ("Sukamaju"); the others take a space.
_JOINED = ("Suka", "Sido", "Wono", "Giri", "Karya", "Mekar", "Tirta")
_SPACED = (
    "Sumber",
    "Tanjung",
    "Batu",
    "Air",
    "Pasir",
    "Muara",
    "Sungai",
    "Bukit",
    "Talang",
    "Karang",
    "Rawa",
    "Teluk",
    "Koto",
    "Padang",
    "Lubuk",
    "Tegal",
    "Simpang",
    "Labuhan",
    "Ujung",
    "Tanah",
    "Lembah",
    "Gunung",
    "Kampung",
    "Pulau",
)
_SECOND = (
    "Maju",
    "Jaya",
    "Makmur",
    "Rejo",
    "Baru",
    "Harapan",
    "Indah",
    "Mulya",
    "Sari",
    "Raya",
    "Permai",
    "Asri",
    "Agung",
    "Mukti",
    "Luhur",
    "Tinggi",
    "Panjang",
    "Datar",
    "Merah",
    "Putih",
    "Hijau",
    "Emas",
    "Kencana",
    "Bening",
    "Damai",
    "Sejahtera",
)
_CITY_DISTRICTS = ("Kota", "Barat", "Timur", "Utara", "Selatan", "Tengah")

STREETS = (
    "Jl. Jenderal Sudirman",
    "Jl. Ahmad Yani",
    "Jl. Diponegoro",
    "Jl. Gajah Mada",
    "Jl. Pahlawan",
    "Jl. Merdeka",
    "Jl. Veteran",
    "Jl. Soekarno-Hatta",
    "Jl. Imam Bonjol",
    "Jl. Sultan Hasanuddin",
    "Jl. Pattimura",
    "Jl. Teuku Umar",
    "Jl. Kartini",
    "Jl. Pemuda",
    "Jl. Cut Nyak Dhien",
)

PAYAKUMBUH_DISTRICTS = (
    "Payakumbuh Barat",
    "Payakumbuh Timur",
    "Payakumbuh Utara",
    "Payakumbuh Selatan",
    "Lamposi Tigo Nagori",
)
PAYAKUMBUH_HEALTH_CENTRES = (
    "Ibuh",
    "Padang Karambia",
    "Air Tabit",
    "Lampasi",
    "Tarok",
    "Parit Rantang",
    "Payolansek",
    "Koto Panjang",
)


def place_name(rng: random.Random) -> str:
    """One composed place name."""
    second = rng.choice(_SECOND)
    if rng.random() < 0.3:
        return rng.choice(_JOINED) + second.lower()
    return f"{rng.choice(_SPACED)} {second}"


def place_names(rng: random.Random, count: int, *, city: str = "") -> list[str]:
    """`count` distinct place names; a city's first districts are named after it."""
    names: list[str] = []
    seen: set[str] = set()
    if city:
        for suffix in _CITY_DISTRICTS[: min(count, len(_CITY_DISTRICTS))]:
            name = f"{city} {suffix}"
            names.append(name)
            seen.add(name)
    while len(names) < count:
        name = place_name(rng)
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def address(rng: random.Random, locality: str) -> str:
    """A street address in the locality."""
    return f"{rng.choice(STREETS)} No. {rng.randint(1, 220)}, {locality}"
