"""Creating a PKRI edition from its rule file (pkri.md §5), and the `prima pkri` command."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from prima.awards.models import AwardCategory
from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.models import AuditEntry
from prima.evaluation.enums import EditionState, StageStatus
from prima.evaluation.models import Edition, Instrument
from prima.kipp.domain.rules import WIB
from prima.pkri.domain.config import read_rules_file
from prima.pkri.domain.editions import EDITIONS_DIR, create_edition, require_secretariat
from prima.pkri.domain.stages import PKRI_STAGE_CODES

pytestmark = pytest.mark.django_db

RULES = EDITIONS_DIR / "pkri-2024.yaml"


def test_create_edition_from_the_2024_rules(secretariat):
    assert not Instrument.objects.filter(code="pkri-default-v1").exists()
    edition = create_edition(read_rules_file(RULES), actor=secretariat)

    assert (edition.programme, edition.code, edition.year) == ("pkri", "pkri-2024", 2024)
    assert edition.instrument.code == "pkri-default-v1"  # loaded from instruments/
    assert edition.state == EditionState.SCOPE_DRAFT
    stages = list(edition.stages.order_by("position"))
    assert [s.code for s in stages] == list(PKRI_STAGE_CODES)
    assert stages[0].status == StageStatus.OPEN
    assert {s.status for s in stages[1:]} == {StageStatus.PENDING}
    forms = next(s for s in stages if s.code == EditionState.FORMS_OPEN)
    # 29 Apr – 11 Jun 2024 WIB, inclusive: closes 2024-06-11 23:59:59 WIB.
    assert forms.starts_at.astimezone(WIB).isoformat() == "2024-04-29T00:00:00+07:00"
    assert forms.ends_at.astimezone(WIB).strftime("%Y-%m-%d %H:%M:%S") == "2024-06-11 23:59:59"
    assert forms.participants_submit

    categories = {c.code: c for c in AwardCategory.objects.filter(edition=edition)}
    assert set(categories) == {"pembinaan", "keberlanjutan", "replikasi"}
    coaching = categories["pembinaan"]
    assert coaching.recipient == "institution"
    assert coaching.count == 14 and coaching.slots["city"] == 5
    assert coaching.min_score == 70
    assert coaching.title == "Penyelenggara Inovasi Pelayanan Publik Terbaik Tahun 2024"
    assert categories["keberlanjutan"].recipient == "innovation"
    assert categories["keberlanjutan"].count == 38 and categories["keberlanjutan"].slots == {}
    assert categories["replikasi"].count == 23
    assert AuditEntry.objects.filter(action="pkri.edition.create").count() == 1


def test_duplicate_code_and_bad_rules_are_refused(secretariat):
    data = read_rules_file(RULES)
    create_edition(data, actor=secretariat)
    with pytest.raises(DomainError) as refused:
        create_edition(data, actor=secretariat)
    assert "sudah ada" in refused.value.message
    broken = {**data, "edition": {**data["edition"], "code": "pkri-x", "programme": "kipp"}}
    with pytest.raises(DomainError) as refused:
        create_edition(broken, actor=secretariat)
    assert "edition.programme" in refused.value.message
    assert Edition.objects.filter(programme="pkri").count() == 1


def test_only_the_secretariat_creates_editions(admin_a):
    with pytest.raises(PermissionDenied):
        create_edition(read_rules_file(RULES), actor=admin_a)


def test_command_creates_and_lists(secretariat):
    out = io.StringIO()
    call_command("pkri", "edition", "create", str(RULES), "--actor", "sekretariat", stdout=out)
    assert "pkri-2024" in out.getvalue()
    assert "keberlanjutan (38)" in out.getvalue()
    out = io.StringIO()
    call_command("pkri", "edition", "list", stdout=out)
    assert out.getvalue().startswith("pkri-2024\t2024\t")
    assert "lokus 0" in out.getvalue()


def test_command_reports_rule_problems(tmp_path, secretariat):
    bad = tmp_path / "bad.yaml"
    bad.write_text("edition: {programme: kipp}\n", encoding="utf-8")
    with pytest.raises(CommandError) as failed:
        call_command("pkri", "edition", "create", str(bad), "--actor", "sekretariat")
    assert "scope" in str(failed.value)
    with pytest.raises(CommandError):
        call_command("pkri", "edition", "create", str(tmp_path / "missing.yaml"))


def test_the_system_creates_editions_from_the_command_line_without_an_actor():
    out = io.StringIO()

    call_command("pkri", "edition", "create", str(RULES), stdout=out)

    edition = Edition.objects.get(programme="pkri", year=2024)
    assert edition.created_by is None
    assert edition.state == EditionState.SCOPE_DRAFT


def test_scope_and_decision_writes_refuse_a_missing_actor(secretariat):
    from prima.pkri.domain.decisions import publish_shortlist
    from prima.pkri.domain.scope import derive_scope

    edition = create_edition(read_rules_file(RULES), actor=secretariat)

    with pytest.raises(PermissionDenied):
        require_secretariat(None)
    with pytest.raises(PermissionDenied):
        derive_scope(edition, actor=None)
    with pytest.raises(PermissionDenied):
        publish_shortlist(edition, number="1/2024", date=edition.created_at.date(), actor=None)
    require_secretariat(secretariat)
