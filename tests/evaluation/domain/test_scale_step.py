"""An instrument scale's step binds section scores only (PKRI levels stored as points)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from prima.core.domain.errors import DomainError
from prima.evaluation.domain.instruments import load_instrument
from prima.evaluation.domain.sheets import Criterion, _clean_value, scale_for

ROOT = Path(__file__).resolve().parents[3]
PKRI = load_instrument(ROOT / "instruments" / "pkri-2024.yaml")
K1 = Criterion("k1", "K1 Kesinambungan", Decimal(20))


def test_section_values_must_be_whole_levels():
    scale = scale_for("sections", PKRI)
    assert scale.step == 25
    assert _clean_value(K1, 75, scale) == 75
    with pytest.raises(DomainError, match="kelipatan 25"):
        _clean_value(K1, 80, scale)


def test_interview_rubric_items_are_free_from_0_to_100():
    scale = scale_for("rubric:interview", PKRI)
    assert scale.step is None
    assert _clean_value(Criterion("penyampaian", "Penyampaian", Decimal(10)), 88, scale) == 88


def test_a_step_must_divide_the_scale():
    from prima.evaluation.domain.instruments import validate

    data = {
        "code": "x",
        "version": 1,
        "programme": "pkri",
        "title": "X",
        "rounding": {"places": 2, "mode": "half_up"},
        "scale": {"type": "integer", "min": 0, "max": 100, "step": 30},
        "groups": [{"code": "a", "label": "A"}],
        "sections": [{"code": "s", "label": "S", "max_words": 0, "weights": {"a": 100}}],
    }
    assert [str(p) for p in validate(data)] == ["scale.step: rentang 0–100 bukan kelipatan 30"]
