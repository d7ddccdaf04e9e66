"""The instrument catalogue: loading YAML into the database, immutability once used."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.models import AuditEntry
from prima.evaluation.domain import instruments
from prima.evaluation.domain.catalogue import instrument_of, load_instrument_file, mark_used
from prima.evaluation.models import Instrument

SOURCE = Path(settings.BASE_DIR).parent / "instruments" / "kipp-2025.yaml"


def variant(tmp_path: Path, old: str, new: str, name: str = "varian.yaml") -> Path:
    text = SOURCE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.fixture
def unique_title(tmp_path):
    """kipp-2025 with a title no other test uses, so its content hash is new."""
    loaded = instruments.load_instrument(SOURCE)
    return variant(tmp_path, f'title: "{loaded.title}"', f'title: "Uji {uuid.uuid4().hex}"')


def test_load_stores_canonical_json_content_and_hash(secretariat):
    row = load_instrument_file(SOURCE, actor=secretariat)

    loaded = instruments.load_instrument(SOURCE)
    assert (row.code, row.version, row.programme) == (loaded.code, loaded.version, "kipp")
    assert row.content_hash == instruments.content_hash(loaded)
    assert json.loads(json.dumps(row.content)) == row.content  # plain JSON
    assert row.source_name == "kipp-2025.yaml"
    assert AuditEntry.objects.filter(
        action="evaluation.instrument.load", object_id=str(row.pk)
    ).exists()


def test_loading_identical_content_again_returns_the_same_row(secretariat):
    first = load_instrument_file(SOURCE, actor=secretariat)
    entries = AuditEntry.objects.count()

    again = load_instrument_file(SOURCE, actor=secretariat)

    assert again.pk == first.pk
    assert Instrument.objects.filter(code=first.code).count() == 1
    assert AuditEntry.objects.count() == entries


def test_changed_content_replaces_an_unused_instrument(secretariat, tmp_path, unique_title):
    row = load_instrument_file(unique_title, actor=secretariat)
    changed = tmp_path / "ubah.yaml"
    changed.write_text(
        unique_title.read_text(encoding="utf-8").replace('title: "Uji', 'title: "Diubah'),
        encoding="utf-8",
    )

    replaced = load_instrument_file(changed, actor=secretariat)

    assert replaced.pk == row.pk
    assert replaced.title.startswith("Diubah")
    assert replaced.content_hash == instruments.content_hash(instruments.load_instrument(changed))
    entry = AuditEntry.objects.get(action="evaluation.instrument.replace", object_id=str(row.pk))
    assert entry.before["content_hash"] == row.content_hash


def test_changed_content_of_a_used_instrument_needs_a_new_version(secretariat, tmp_path):
    row = load_instrument_file(SOURCE, actor=secretariat)
    assert mark_used(row) is True
    changed = variant(tmp_path, "max_words: 300", "max_words: 350")

    with pytest.raises(DomainError, match="versi baru diperlukan"):
        load_instrument_file(changed, actor=secretariat)

    row.refresh_from_db()
    assert row.content_hash == instruments.content_hash(instruments.load_instrument(SOURCE))


def test_a_new_version_of_a_used_instrument_is_a_new_row(secretariat, tmp_path):
    row = load_instrument_file(SOURCE, actor=secretariat)
    mark_used(row)
    newer = variant(tmp_path, "version: 2", "version: 3")

    second = load_instrument_file(newer, actor=secretariat)

    assert second.pk != row.pk
    assert (second.code, second.version) == (row.code, 3)


def test_an_invalid_file_lists_every_problem(secretariat, tmp_path):
    broken = variant(tmp_path, "max_words: 300", "max_words: -5")
    broken.write_text(
        broken.read_text(encoding="utf-8").replace("places: 2", "places: dua"), encoding="utf-8"
    )

    with pytest.raises(DomainError) as caught:
        load_instrument_file(broken, actor=secretariat)

    message = caught.value.message
    assert "2 masalah" in message
    assert "max_words" in message
    assert "places" in message
    assert not Instrument.objects.filter(source_name="varian.yaml").exists()


def test_only_the_secretariat_or_the_system_loads_instruments(evaluator, unique_title):
    with pytest.raises(PermissionDenied):
        load_instrument_file(unique_title, actor=evaluator)

    row = load_instrument_file(unique_title, actor=None)  # the management command
    assert AuditEntry.objects.get(action="evaluation.instrument.load", object_id=str(row.pk))


def test_mark_used_sets_the_time_once(secretariat):
    row = load_instrument_file(SOURCE, actor=secretariat)

    assert mark_used(row, actor=secretariat) is True
    first = row.used_at
    assert mark_used(row, actor=secretariat) is False

    row.refresh_from_db()
    assert row.used_at == first
    assert (
        AuditEntry.objects.filter(
            action="evaluation.instrument.mark_used", object_id=str(row.pk)
        ).count()
        == 1
    )


def test_instrument_of_rebuilds_the_domain_instrument_once_per_hash(secretariat, unique_title):
    row = load_instrument_file(unique_title, actor=secretariat)

    built = instrument_of(row)

    assert built == instruments.load_instrument(unique_title)
    assert instrument_of(Instrument.objects.get(pk=row.pk)) is built


def test_instrument_of_refuses_content_edited_outside_the_domain(secretariat, unique_title):
    row = load_instrument_file(unique_title, actor=secretariat)
    row.content["sections"][0]["max_words"] = 9999
    Instrument.objects.filter(pk=row.pk).update(content=row.content)

    with pytest.raises(DomainError, match="tidak cocok"):
        instrument_of(Instrument.objects.get(pk=row.pk))
