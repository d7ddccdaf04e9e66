"""kipp-default-v1 version 1 and version 2 side by side in the catalogue (DESIGN.md §5: an
instrument is immutable once used; kipp.md §6.1 feasibility rubric added in version 2)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from prima.core.domain.errors import DomainError
from prima.evaluation.domain.catalogue import instrument_of, load_instrument_file, mark_used
from prima.evaluation.models import Instrument

INSTRUMENTS = Path(settings.BASE_DIR).parent / "instruments"
V1_HASH = "b628063244090577bc145e27a6b1488fb143fbe2a4f4d5113a958bd9ec172989"

pytestmark = pytest.mark.django_db


def test_a_used_version_1_stays_as_it_was_when_version_2_is_loaded(secretariat):
    old = load_instrument_file(INSTRUMENTS / "kipp-2025-v1.yaml", actor=secretariat)
    mark_used(old)

    new = load_instrument_file(INSTRUMENTS / "kipp-2025.yaml", actor=secretariat)

    old.refresh_from_db()
    assert (old.code, old.version, old.content_hash) == ("kipp-default-v1", 1, V1_HASH)
    assert (new.code, new.version) == ("kipp-default-v1", 2)
    assert new.pk != old.pk and new.content_hash != old.content_hash
    assert Instrument.objects.filter(code="kipp-default-v1").count() == 2
    # Both rebuild from their stored content and verify against their hash.
    assert instrument_of(old).rubric_for("feasibility") is None
    feasibility = instrument_of(new).rubric_for("feasibility")
    assert feasibility is not None
    assert feasibility.weights() == {
        "dampak": 40,
        "daya_tular": 30,
        "kesiapan_perluasan_nasional": 20,
        "keberlanjutan": 10,
    }
    assert instrument_of(new).rubric_for("presentation") == instrument_of(old).rubric


def test_version_1_content_cannot_be_replaced_by_version_2_content(secretariat, tmp_path):
    old = load_instrument_file(INSTRUMENTS / "kipp-2025-v1.yaml", actor=secretariat)
    mark_used(old)
    text = (INSTRUMENTS / "kipp-2025.yaml").read_text(encoding="utf-8")
    unbumped = tmp_path / "tanpa-versi-baru.yaml"
    unbumped.write_text(text.replace("version: 2\n", "version: 1\n", 1), encoding="utf-8")

    with pytest.raises(DomainError, match="versi baru diperlukan"):
        load_instrument_file(unbumped, actor=secretariat)
    old.refresh_from_db()
    assert old.content_hash == V1_HASH
