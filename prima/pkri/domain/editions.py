"""PKRI editions: created from a validated rule set (pkri.md §5).

:func:`create_edition` stores the rules (``read_rules_file`` output), loads the instrument
named by ``edition.instrument`` from ``instruments/`` when it is not stored yet, makes one
stage row per :data:`PKRI_STAGES` (windows from the calendar, WIB inclusive), opens the
first stage (``scope_draft``: the secretariat starts deriving the scope at once) and creates
one award category per group through :func:`prima.awards.domain.categories.create_categories`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from prima.awards.domain.categories import CategorySpec, create_categories
from prima.awards.enums import Recipient
from prima.core.domain import audit
from prima.core.domain.errors import DomainError, PermissionDenied
from prima.evaluation.domain.catalogue import load_instrument_file
from prima.evaluation.enums import EditionState, StageStatus
from prima.evaluation.models import Edition, Instrument, Stage
from prima.innovations.enums import Programme
from prima.kipp.domain.rules import to_moment
from prima.pkri.domain.config import PkriRules, rules_for, rules_of, validate
from prima.pkri.domain.stages import PKRI_STAGES
from prima.pkri.enums import Group
from prima.pkri.queries import is_secretariat

REPO_ROOT = Path(settings.BASE_DIR).parent
EDITIONS_DIR = REPO_ROOT / "editions"
INSTRUMENTS_DIR = REPO_ROOT / "instruments"


def require_secretariat(actor: Any, message: str = "") -> None:
    """Refuse anyone but the secretariat (or a superuser), ``None`` included.

    The one PKRI secretariat guard (`prima.pkri.queries.is_secretariat`). Only
    :func:`create_edition` admits the system (``actor=None``, the server command line
    without ``--actor``), and says so itself.
    """
    if actor is None or not is_secretariat(actor):
        raise PermissionDenied(
            message or _("Hanya Sekretariat yang dapat mengatur penyelenggaraan PKRI.")
        )


def _problems_error(problems: list[Any]) -> DomainError:
    lines = "\n".join(f"- {p.path}: {p.message}" for p in problems)
    return DomainError(
        _("Aturan penyelenggaraan PKRI tidak sah (%(count)s masalah):\n%(lines)s")
        % {"count": len(problems), "lines": lines},
        field="rules",
    )


def _instrument_file(code: str, version: int) -> Path | None:
    """The file in instruments/ declaring this code and version, if any."""
    if not INSTRUMENTS_DIR.is_dir():
        return None
    for path in sorted(INSTRUMENTS_DIR.glob("*.y*ml")):
        try:
            head = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError):
            continue
        if (
            isinstance(head, Mapping)
            and head.get("code") == code
            and int(head.get("version", 0) or 0) == version
        ):
            return path
    return None


def instrument_for(rules: PkriRules, *, actor: Any) -> Instrument:
    """The stored instrument the rules name, loaded from instruments/ when missing."""
    row = Instrument.objects.filter(
        code=rules.instrument_code, version=rules.instrument_version
    ).first()
    if row is None:
        path = _instrument_file(rules.instrument_code, rules.instrument_version)
        if path is None:
            raise DomainError(
                _(
                    "Instrumen %(code)s versi %(version)s belum tersimpan dan tidak ada di "
                    "folder instruments/."
                )
                % {"code": rules.instrument_code, "version": rules.instrument_version},
                field="instrument",
            )
        row = load_instrument_file(path, actor=actor)
    if row.programme != Programme.PKRI:
        raise DomainError(
            _("Instrumen %(code)s bukan instrumen PKRI (program %(programme)s).")
            % {"code": row.code, "programme": row.programme},
            field="instrument",
        )
    return row


def _day_start(day: dt.date | None) -> dt.datetime | None:
    return to_moment(day, closing=False) if day is not None else None


def _day_end(day: dt.date | None) -> dt.datetime | None:
    return to_moment(day, closing=True) if day is not None else None


def stage_windows(
    rules: PkriRules,
) -> dict[str, tuple[dt.datetime | None, dt.datetime | None]]:
    """Each stage's window from the calendar (WIB, inclusive days); unknown → (None, None)."""
    forms_first, forms_last = rules.self_assessment
    windows: dict[str, tuple[dt.datetime | None, dt.datetime | None]] = {
        EditionState.SCOPE_FROZEN: (_day_start(rules.announcement_date), _day_start(forms_first)),
        EditionState.FORMS_OPEN: (_day_start(forms_first), _day_end(forms_last)),
    }
    if rules.desk_evaluation is not None:
        windows[EditionState.DESK_EVALUATION] = (
            _day_start(rules.desk_evaluation[0]),
            _day_end(rules.desk_evaluation[1]),
        )
    if rules.interviews is not None:
        windows[EditionState.INTERVIEWS] = (
            _day_start(rules.interviews[0]),
            _day_end(rules.interviews[1]),
        )
    if rules.award_event is not None:
        windows[EditionState.AWARDED] = (
            _day_start(rules.award_event.date),
            _day_end(rules.award_event.date),
        )
    return windows


def category_specs(rules: PkriRules) -> list[CategorySpec]:
    """One award category per group (code = group code), in the order of the rules."""
    specs = []
    for position, group in enumerate(rules.groups.values()):
        coaching = group.code == Group.PEMBINAAN
        specs.append(
            CategorySpec(
                code=group.code,
                title=group.award_title,
                recipient=Recipient.INSTITUTION if coaching else Recipient.INNOVATION,
                group=group.code,
                count=group.award_count,
                slots=dict(group.award_slots) if coaching else {},
                min_score=group.min_final_score,
                position=position,
            )
        )
    return specs


def create_edition(data: dict[str, Any], *, actor: Any) -> Edition:
    """Create a PKRI edition from validated rule data (`config.read_rules_file`).

    The edition opens in ``scope_draft``. Refused when the rules have problems or the code
    exists already. ``actor=None`` is the system (``prima pkri edition create FILE``
    without ``--actor``): the only PKRI write that admits it.
    """
    if actor is not None:
        require_secretariat(actor)
    problems = validate(data)
    if problems:
        raise _problems_error(problems)
    rules = rules_of(data)
    with transaction.atomic():
        if Edition.objects.filter(code=rules.code).exists():
            raise DomainError(
                _("Penyelenggaraan dengan kode %(code)s sudah ada.") % {"code": rules.code},
                field="rules",
            )
        instrument = instrument_for(rules, actor=actor)
        edition = Edition.objects.create(
            programme=Programme.PKRI,
            code=rules.code,
            year=rules.year,
            ordinal=data["edition"].get("ordinal"),
            title=rules.title,
            legal_refs=list(data["edition"].get("legal_refs") or []),
            state=EditionState.SCOPE_DRAFT,
            rules=data,
            instrument=instrument,
            created_by=actor,
        )
        windows = stage_windows(rules)
        now = timezone.now()
        Stage.objects.bulk_create(
            [
                Stage(
                    edition=edition,
                    code=template.code,
                    position=position,
                    status=StageStatus.OPEN if position == 0 else StageStatus.PENDING,
                    opened_at=now if position == 0 else None,
                    starts_at=windows.get(template.code, (None, None))[0],
                    ends_at=windows.get(template.code, (None, None))[1],
                    participants_submit=template.participants_submit,
                    assessors_score=template.assessors_score,
                    identities_visible=template.identities_visible,
                    others_scores_visible=template.others_scores_visible,
                    decisions_open=template.decisions_open,
                    scoring=template.scoring,
                    assessor_role=template.assessor_role,
                )
                for position, template in enumerate(PKRI_STAGES)
            ]
        )
        categories = create_categories(edition, category_specs(rules), actor=actor)
        audit.record(
            actor=actor,
            action="pkri.edition.create",
            obj=edition,
            after={
                "code": edition.code,
                "year": edition.year,
                "instrument": f"{instrument.code} v{instrument.version}",
                "state": edition.state,
                "categories": {c.code: c.count for c in categories},
            },
        )
    return edition


def forms_window(edition: Edition) -> tuple[dt.date, dt.date]:
    """The self-assessment window of the rules (WIB days, inclusive)."""
    return rules_for(edition).self_assessment


__all__ = [
    "EDITIONS_DIR",
    "INSTRUMENTS_DIR",
    "category_specs",
    "create_edition",
    "forms_window",
    "instrument_for",
    "require_secretariat",
    "rules_for",
    "stage_windows",
]
