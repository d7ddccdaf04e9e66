"""KIPP editions: created from a rule set, frozen when registration opens (kipp.md §5, §6, §15).

- :func:`create_edition` validates an ``editions/<code>.yaml`` rule set (every problem, with
  its path) against its proposal instrument, stores the rules as JSON-ready data and makes
  one stage row per lifecycle state, windows taken from the calendar (WIB); stages the
  rules disable are ``skipped``.
- :func:`open_registration` moves the edition to ``registration_open``, freezes the rules
  (``rules_frozen_at``) and marks the instrument used.
- :func:`advance_kipp_edition` is the secretariat's "next stage" button: the engine's
  ``advance_edition`` plus KIPP's consequences (freezing, automatic admin checks).
- :func:`amend_rules` changes the rules; once frozen only as a recorded amendment with a
  reason, the before/after values in the audit log.
- :func:`extend_registration` records an extension by letter number while registration is
  open, or reopens it from ``registration_closed`` (§5); the extension is appended to
  ``rules.calendar.extensions`` and ``registration_close`` follows it.

The 3T list (``composition.region_3t_list``) names a list that is not in the registry, so an
edition's ``region_3t_codes`` are given explicitly or, by default, taken from the region
codes of every local government flagged ``is_disadvantaged`` in the registry.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from prima.core.access import access_for
from prima.core.domain import audit
from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.enums import InstitutionKind
from prima.core.models import Institution
from prima.evaluation.domain import stages as engine
from prima.evaluation.domain.catalogue import instrument_of, mark_used
from prima.evaluation.domain.instruments import InstrumentError, parse
from prima.evaluation.enums import EditionState, StageStatus
from prima.evaluation.models import Edition, Instrument, Stage
from prima.innovations.enums import Programme
from prima.kipp.domain.rules import (
    WIB,
    EditionRules,
    Problem,
    build_rules,
    check_instrument,
    effective_close,
    to_moment,
    validate_rules,
)
from prima.kipp.domain.stages import KIPP_STAGES, skipped_stages, stage_scoring

REPO_ROOT = Path(settings.BASE_DIR).parent
EDITIONS_DIR = REPO_ROOT / "editions"
INSTRUMENTS_DIR = REPO_ROOT / "instruments"

ORDER = [template.code for template in KIPP_STAGES]
# Governments whose region code may sit on a 3T list (central bodies never do, §11.2).
GOVERNMENT_KINDS = (InstitutionKind.PROVINCE, InstitutionKind.REGENCY, InstitutionKind.CITY)
# Paths an amendment may not touch: identity, and the registration close, which only an
# extension with a letter number may move once registration has opened.
FIXED_PATHS = ("edition.code", "edition.programme")
FROZEN_PATHS = ("calendar.registration", "calendar.extensions")
MIN_REASON = 10
_NAME = r"[A-Za-z_][A-Za-z0-9_-]*"
_PATH = re.compile(rf"{_NAME}(\[\d+\])*(\.{_NAME}(\[\d+\])*)*\Z")
_PATH_PART = re.compile(rf"({_NAME})|\[(\d+)\]")

# rules JSON digest → built rules; rules are immutable per digest, so entries never go stale.
_BUILT: dict[str, EditionRules] = {}


# --------------------------------------------------------------------------- helpers


def json_ready(value: Any) -> Any:
    """Parsed YAML → plain JSON values that validate and build to the same rules.

    Decimals become int when integral, else float (whose ``repr`` gives the same Decimal
    back); dates and times become ISO text.
    """
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(key): json_ready(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_ready(item) for item in value]
    return value


def _digest(data: Any) -> str:
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def problems_text(problems: Iterable[Problem]) -> str:
    return "\n".join(f"- {problem.path}: {problem.message}" for problem in problems)


def _rules_error(problems: list[Problem], what: str) -> DomainError:
    return DomainError(
        _("%(what)s tidak sah (%(count)s masalah):\n%(lines)s")
        % {"what": what, "count": len(problems), "lines": problems_text(problems)},
        field="rules",
    )


def rules_for(edition: Edition) -> EditionRules:
    """The edition's stored rules, built (and cached per content)."""
    digest = _digest(edition.rules)
    built = _BUILT.get(digest)
    if built is None:
        problems = validate_rules(edition.rules)
        if problems:
            raise _rules_error(problems, _("Aturan penyelenggaraan tersimpan"))
        built = build_rules(edition.rules)
        _BUILT[digest] = built
    return built


def _require_secretariat(actor: Any) -> None:
    # `actor=None` is the system (the command-line loader run on the server).
    if actor is None:
        return
    access = access_for(actor)
    if not (access.is_secretariat or access.is_superuser):
        raise PermissionDenied(_("Hanya Sekretariat yang dapat mengatur penyelenggaraan KIPP."))


def _lock(edition: Edition) -> Edition:
    return Edition.objects.select_for_update(of=("self",)).get(pk=edition.pk)


def _refresh(edition: Edition, fresh: Edition) -> None:
    for field in edition._meta.concrete_fields:
        setattr(edition, field.attname, getattr(fresh, field.attname))


def position_of(state: str) -> int:
    """Where a lifecycle state sits (planned before every stage, closed after)."""
    if state == EditionState.PLANNED:
        return -1
    if state in ORDER:
        return ORDER.index(state)
    return len(ORDER)


def default_region_3t_codes() -> list[str]:
    """Region codes of the local governments flagged disadvantaged (3T) in the registry."""
    codes = (
        Institution.objects.filter(
            is_disadvantaged=True, kind__in=GOVERNMENT_KINDS, region__isnull=False
        )
        .values_list("region__code", flat=True)
        .distinct()
    )
    return sorted(set(codes))


# --------------------------------------------------------------------------- windows


@dataclass(frozen=True)
class StageWindow:
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None


def stage_windows(rules: EditionRules, close: dt.datetime | None = None) -> dict[str, StageWindow]:
    """Each stage's window from the calendar (WIB); ``close`` is the effective close."""
    calendar = rules.calendar
    close = close or effective_close(rules)

    def first(*names: str) -> Any:
        for name in names:
            window = calendar.window(name)
            if window is not None:
                return window
        return None

    launch = first("launch", "pre_announcement")
    admin = calendar.window("admin_selection")
    desk, desk_end = first("desk_evaluation"), first("desk_plenary", "desk_evaluation")
    panel, panel_end = first("panel_review"), first("panel_plenary", "panel_review")
    final = first("panel_assessment", "presentation", "field_verification")
    final_end = first("final_plenary", "field_verification", "presentation", "panel_assessment")
    results = first("results_announced")
    ceremony = first("award_ceremony")
    return {
        EditionState.LAUNCHED: StageWindow(
            launch.start if launch else None, calendar.registration.start
        ),
        EditionState.REGISTRATION_OPEN: StageWindow(calendar.registration.start, close),
        EditionState.REGISTRATION_CLOSED: StageWindow(close, admin.start if admin else None),
        EditionState.ADMIN_SELECTION: StageWindow(
            admin.start if admin else None, admin.end if admin else None
        ),
        EditionState.DESK_EVALUATION: StageWindow(
            desk.start if desk else None, desk_end.end if desk_end else None
        ),
        EditionState.PANEL_STAGE: StageWindow(
            panel.start if panel else None, panel_end.end if panel_end else None
        ),
        EditionState.OBJECTION_WINDOW: StageWindow(None, None),
        EditionState.FINAL_STAGE: StageWindow(
            final.start if final else None, final_end.end if final_end else None
        ),
        EditionState.RESULTS: StageWindow(
            results.start if results else None, results.end if results else None
        ),
        EditionState.DECREED: StageWindow(
            ceremony.start if ceremony else None, ceremony.end if ceremony else None
        ),
    }


# --------------------------------------------------------------------------- create


def _read_rules(source: str | os.PathLike[str]) -> tuple[dict[str, Any], EditionRules]:
    """Parse and validate a rule set (file path or YAML text); every problem is reported."""
    try:
        data = parse(source)
    except InstrumentError as error:
        problems = [Problem(p.path, p.message) for p in error.problems]
        raise _rules_error(problems, _("Aturan penyelenggaraan")) from error
    except OSError as error:
        raise DomainError(
            _("Berkas aturan %(name)s tidak dapat dibaca: %(error)s")
            % {"name": Path(source).name, "error": error.strerror or error},
            field="rules",
        ) from error
    problems = validate_rules(data)
    if problems:
        raise _rules_error(problems, _("Aturan penyelenggaraan"))
    stored = json_ready(data)
    # What is stored must validate exactly like what was read.
    problems = validate_rules(stored)
    if problems:
        raise _rules_error(problems, _("Aturan penyelenggaraan (bentuk tersimpan)"))
    return stored, build_rules(stored)


def _check_instrument(rules: EditionRules, instrument: Instrument) -> None:
    if instrument.programme != Programme.KIPP:
        raise DomainError(
            _("Instrumen %(code)s bukan instrumen KIPP (program %(programme)s).")
            % {"code": instrument.code, "programme": instrument.programme},
            field="instrument",
        )
    problems = check_instrument(rules, instrument_of(instrument))
    if problems:
        raise DomainError(
            _("Aturan dan instrumen %(code)s tidak cocok (%(count)s masalah):\n%(lines)s")
            % {
                "code": instrument.code,
                "count": len(problems),
                "lines": problems_text(problems),
            },
            field="instrument",
        )


def create_edition(
    *,
    rules_source: str | os.PathLike[str],
    instrument: Instrument,
    actor: Any,
    region_3t_codes: Iterable[str] | None = None,
    title: str = "",
) -> Edition:
    """Create a planned edition from a rule set (a file path or YAML text) and its instrument.

    The rules are validated (all problems, with paths) and checked against the instrument;
    the stage rows get their windows from the calendar. ``region_3t_codes`` defaults to
    :func:`default_region_3t_codes`.
    """
    _require_secretariat(actor)
    data, rules = _read_rules(rules_source)
    _check_instrument(rules, instrument)
    codes = sorted(set(region_3t_codes)) if region_3t_codes is not None else None
    with transaction.atomic():
        if Edition.objects.filter(code=rules.code).exists():
            raise DomainError(
                _("Penyelenggaraan dengan kode %(code)s sudah ada.") % {"code": rules.code},
                field="rules",
            )
        if codes is None:
            codes = default_region_3t_codes()
        close = effective_close(rules)
        edition = Edition.objects.create(
            programme=Programme.KIPP,
            code=rules.code,
            year=rules.year,
            ordinal=rules.ordinal,
            title=title.strip() or _("KIPP %(year)s") % {"year": rules.year},
            theme=rules.theme or "",
            legal_refs=list(rules.legal_refs),
            state=EditionState.PLANNED,
            rules=data,
            instrument=instrument,
            region_3t_codes=codes,
            registration_close=close,
            created_by=actor,
        )
        skipped = skipped_stages(data)
        windows = stage_windows(rules, close)
        Stage.objects.bulk_create(
            [
                Stage(
                    edition=edition,
                    code=template.code,
                    position=position,
                    status=StageStatus.SKIPPED if template.code in skipped else StageStatus.PENDING,
                    starts_at=windows[template.code].starts_at,
                    ends_at=windows[template.code].ends_at,
                    participants_submit=template.participants_submit,
                    assessors_score=template.assessors_score,
                    identities_visible=template.identities_visible,
                    others_scores_visible=template.others_scores_visible,
                    decisions_open=template.decisions_open,
                    objections_open=template.objections_open,
                    scoring=stage_scoring(template, data),
                    assessor_role=template.assessor_role,
                )
                for position, template in enumerate(KIPP_STAGES)
            ]
        )
        audit.record(
            actor=actor,
            action="kipp.edition.create",
            obj=edition,
            after={
                "code": edition.code,
                "instrument": f"{instrument.code} v{instrument.version}",
                "rules_hash": _digest(data),
                "registration_close": close,
                "region_3t_codes": len(codes),
                "skipped_stages": sorted(skipped),
            },
        )
    return edition


# --------------------------------------------------------------------------- lifecycle


def _freeze(edition: Edition, *, actor: Any) -> None:
    """Freeze the rules of a locked edition (once) and mark its instrument used."""
    if edition.rules_frozen_at is not None:
        return
    edition.rules_frozen_at = timezone.now()
    edition.save(update_fields=["rules_frozen_at", "updated_at"])
    mark_used(edition.instrument, actor=actor)
    audit.record(
        actor=actor,
        action="kipp.edition.freeze_rules",
        obj=edition,
        after={"rules_frozen_at": edition.rules_frozen_at, "rules_hash": _digest(edition.rules)},
    )


def open_registration(edition: Edition, *, actor: Any, reason: str = "") -> Edition:
    """Open registration (from ``planned`` or ``launched``): the rules freeze, the
    instrument is marked used."""
    _require_secretariat(actor)
    with transaction.atomic():
        fresh = _lock(edition)
        if fresh.state not in (EditionState.PLANNED, EditionState.LAUNCHED):
            raise DomainError(
                _(
                    "Pendaftaran hanya dapat dibuka dari tahap direncanakan atau diluncurkan; "
                    "tahap sekarang «%(state)s»."
                )
                % {"state": fresh.get_state_display()}
            )
        while fresh.state != EditionState.REGISTRATION_OPEN:
            engine.advance_edition(fresh, actor=actor, reason=reason)
        fresh.refresh_from_db()
        _freeze(fresh, actor=actor)
    _refresh(edition, fresh)
    return edition


def advance_kipp_edition(
    edition: Edition, *, actor: Any, reason: str, force: bool = False
) -> Stage | None:
    """Close the running stage and open the next one (the engine's ``advance_edition``).

    Reaching registration freezes the rules; opening the administrative selection runs the
    automatic checks of every submitted proposal. ``edition.state`` is the state the
    secretariat saw: a concurrent advance makes this one fail.
    """
    _require_secretariat(actor)
    if not reason.strip():
        raise DomainError(_("Tuliskan alasan perpindahan tahap."), field="reason")
    # Imported here: the admin check reads edition rules through this module.
    from prima.kipp.domain.admin_check import start_admin_check

    with transaction.atomic():
        opened = engine.advance_edition(edition, actor=actor, reason=reason.strip(), force=force)
        fresh = _lock(edition)
        if position_of(fresh.state) >= position_of(EditionState.REGISTRATION_OPEN):
            _freeze(fresh, actor=actor)
        if opened is not None and opened.code == EditionState.ADMIN_SELECTION:
            start_admin_check(fresh, actor=actor)
    _refresh(edition, fresh)
    return opened


def configure_stage(
    stage: Stage,
    *,
    starts_at: dt.datetime | None,
    ends_at: dt.datetime | None,
    flags: Mapping[str, Any],
    reason: str = "",
    actor: Any,
) -> Stage:
    """Set a pending or running stage's window and flags in one transaction (the engine's
    ``update_stage_window`` and ``set_stage_flags``; each change audited)."""
    _require_secretariat(actor)
    with transaction.atomic():
        if (starts_at, ends_at) != (stage.starts_at, stage.ends_at):
            engine.update_stage_window(stage, starts_at, ends_at, actor=actor, reason=reason)
        engine.set_stage_flags(stage, flags, actor=actor, reason=reason)
    return stage


# --------------------------------------------------------------------------- amendments


def _parse_path(path: str) -> list[str | int]:
    """``tiers[1].size`` → ``["tiers", 1, "size"]``."""
    if not _PATH.match(path):
        raise DomainError(
            _(
                "Alamat aturan %(path)r tidak dapat dibaca; contoh: desk_evaluation.selection"
                ".passing_grade atau tiers[1].size."
            )
            % {"path": path},
            field="changes",
        )
    return [
        match[1] if match[1] is not None else int(match[2]) for match in _PATH_PART.finditer(path)
    ]


def _get(data: Any, parts: list[str | int]) -> Any:
    node = data
    for part in parts:
        if isinstance(part, int):
            node = node[part] if isinstance(node, list) and part < len(node) else None
        else:
            node = node.get(part) if isinstance(node, dict) else None
        if node is None:
            return None
    return node


def _set(data: dict[str, Any], parts: list[str | int], value: Any, path: str) -> None:
    node: Any = data
    for part in parts[:-1]:
        if isinstance(part, int):
            ok = isinstance(node, list) and part < len(node)
            node = node[part] if ok else None
        else:
            if isinstance(node, dict) and part not in node:
                node[part] = {}
            node = node.get(part) if isinstance(node, dict) else None
        if not isinstance(node, dict | list):
            raise DomainError(
                _("Alamat aturan %(path)s tidak menunjuk ke bagian yang ada.") % {"path": path},
                field="changes",
            )
    last = parts[-1]
    if isinstance(last, int):
        if not isinstance(node, list) or last >= len(node):
            raise DomainError(
                _("Alamat aturan %(path)s: indeks di luar daftar.") % {"path": path},
                field="changes",
            )
        node[last] = value
    elif isinstance(node, dict):
        node[last] = value
    else:
        raise DomainError(
            _("Alamat aturan %(path)s tidak menunjuk ke bagian yang ada.") % {"path": path},
            field="changes",
        )


def _sync_stages(edition: Edition, rules: EditionRules, data: Mapping[str, Any]) -> None:
    """Pending (or skipped) stages follow the amended calendar and enabled stages."""
    skipped = skipped_stages(data)
    windows = stage_windows(rules, edition.registration_close)
    for stage in Stage.objects.filter(
        edition=edition, status__in=(StageStatus.PENDING, StageStatus.SKIPPED)
    ):
        status = StageStatus.SKIPPED if stage.code in skipped else StageStatus.PENDING
        window = windows.get(stage.code, StageWindow(stage.starts_at, stage.ends_at))
        template = next((t for t in KIPP_STAGES if t.code == stage.code), None)
        scoring = stage_scoring(template, data) if template is not None else stage.scoring
        changed = (status, window.starts_at, window.ends_at, scoring) != (
            stage.status,
            stage.starts_at,
            stage.ends_at,
            stage.scoring,
        )
        if changed:
            stage.status, stage.starts_at, stage.ends_at = status, window.starts_at, window.ends_at
            stage.scoring = scoring
            stage.save(update_fields=["status", "starts_at", "ends_at", "scoring"])


def amend_rules(
    edition: Edition, changes: Mapping[str, Any], *, reason: str, actor: Any
) -> Edition:
    """Change values of the rule set, addressed by path (``desk_evaluation.selection
    .passing_grade``, ``tiers[1].size``); the whole set is validated again.

    After the rules froze, this is a recorded amendment: a reason is required and the audit
    entry keeps every path's value before and after. The registration close moves only by
    :func:`extend_registration`.
    """
    _require_secretariat(actor)
    if not changes:
        raise DomainError(_("Tidak ada perubahan aturan."), field="changes")
    reason = reason.strip()
    with transaction.atomic():
        fresh = _lock(edition)
        if fresh.state == EditionState.CLOSED:
            raise DomainError(_("Penyelenggaraan sudah ditutup; aturannya tidak dapat diubah."))
        frozen = fresh.rules_frozen_at is not None
        if frozen and len(reason) < MIN_REASON:
            raise DomainError(
                _(
                    "Perubahan aturan setelah pendaftaran dibuka adalah amandemen: tuliskan "
                    "alasannya (minimal %(n)s karakter)."
                )
                % {"n": MIN_REASON},
                field="reason",
            )
        data = copy.deepcopy(fresh.rules)
        before: dict[str, Any] = {}
        after: dict[str, Any] = {}
        for path, value in changes.items():
            parts = _parse_path(path)
            dotted = ".".join(str(part) for part in parts if isinstance(part, str))
            if any(dotted == p or dotted.startswith(p + ".") for p in FIXED_PATHS):
                raise DomainError(
                    _("%(path)s tidak dapat diubah.") % {"path": path}, field="changes"
                )
            if frozen and any(dotted == p or dotted.startswith(p + ".") for p in FROZEN_PATHS):
                raise DomainError(
                    _(
                        "%(path)s tidak dapat diubah setelah pendaftaran dibuka; gunakan "
                        "perpanjangan pendaftaran dengan nomor surat."
                    )
                    % {"path": path},
                    field="changes",
                )
            before[path] = copy.deepcopy(_get(data, parts))
            after[path] = json_ready(value)
            _set(data, parts, after[path], path)
        problems = validate_rules(data)
        if problems:
            raise _rules_error(problems, _("Aturan setelah perubahan"))
        rules = build_rules(data)
        _check_instrument(rules, fresh.instrument)
        fresh.rules = data
        fresh.year, fresh.ordinal = rules.year, rules.ordinal
        fresh.theme, fresh.legal_refs = rules.theme or "", list(rules.legal_refs)
        if not frozen:
            fresh.registration_close = effective_close(rules)
        fresh.save(
            update_fields=[
                "rules",
                "year",
                "ordinal",
                "theme",
                "legal_refs",
                "registration_close",
                "updated_at",
            ]
        )
        _sync_stages(fresh, rules, data)
        audit.record(
            actor=actor,
            action="kipp.edition.amend_rules" if frozen else "kipp.edition.edit_rules",
            obj=fresh,
            before=before,
            after=after,
            reason=reason,
        )
    _refresh(edition, fresh)
    return edition


# --------------------------------------------------------------------------- extension


def extend_registration(
    edition: Edition,
    *,
    new_close: dt.datetime,
    letter_no: str,
    actor: Any,
    letter_date: dt.date | None = None,
) -> Edition:
    """Extend registration to ``new_close`` by the letter ``letter_no`` (§5, §15).

    Allowed while registration is open, or from ``registration_closed``, which reopens it.
    The extension is appended to ``rules.calendar.extensions`` (the history) and becomes
    the effective close; the registration stage's window follows.
    """
    _require_secretariat(actor)
    letter_no = (letter_no or "").strip()
    if not letter_no:
        raise DomainError(
            _("Perpanjangan pendaftaran memerlukan nomor surat pengumuman."), field="letter_no"
        )
    if timezone.is_naive(new_close):
        raise DomainError(_("Batas baru harus menyertakan zona waktu."), field="new_close")
    moment = to_moment(new_close, closing=True)
    assert moment is not None
    with transaction.atomic():
        fresh = _lock(edition)
        state = fresh.state
        if state not in (EditionState.REGISTRATION_OPEN, EditionState.REGISTRATION_CLOSED):
            raise DomainError(
                _(
                    "Pendaftaran hanya dapat diperpanjang saat dibuka atau segera setelah "
                    "ditutup; tahap sekarang «%(state)s»."
                )
                % {"state": fresh.get_state_display()}
            )
        current = fresh.registration_close
        if current is not None and moment <= current:
            raise DomainError(
                _("Batas baru %(new)s harus setelah batas sekarang %(old)s WIB.")
                % {
                    "new": moment.astimezone(WIB).strftime("%d-%m-%Y %H:%M"),
                    "old": current.astimezone(WIB).strftime("%d-%m-%Y %H:%M"),
                },
                field="new_close",
            )
        day = letter_date or timezone.now().astimezone(WIB).date()
        data = copy.deepcopy(fresh.rules)
        calendar = data.setdefault("calendar", {})
        history = list(calendar.get("extensions") or [])
        entry = {"new_close": moment.isoformat(), "letter_no": letter_no, "date": day.isoformat()}
        history.append(entry)
        calendar["extensions"] = history
        problems = validate_rules(data)
        if problems:
            raise _rules_error(problems, _("Aturan setelah perpanjangan"))
        before = {"registration_close": current, "state": state}
        fresh.rules = data
        fresh.registration_close = moment
        fresh.save(update_fields=["rules", "registration_close", "updated_at"])
        registration = Stage.objects.get(edition=fresh, code=EditionState.REGISTRATION_OPEN)
        if state == EditionState.REGISTRATION_CLOSED:
            _reopen(fresh, registration)
        registration.ends_at = moment
        registration.save(update_fields=["ends_at"])
        Stage.objects.filter(edition=fresh, code=EditionState.REGISTRATION_CLOSED).update(
            starts_at=moment
        )
        audit.record(
            actor=actor,
            action="kipp.edition.extend_registration",
            obj=fresh,
            before=before,
            after={"registration_close": moment, "state": fresh.state, "extension": entry},
            reason=letter_no,
        )
    _refresh(edition, fresh)
    return edition


def _reopen(edition: Edition, registration: Stage) -> None:
    """``registration_closed`` → ``registration_open`` on a locked edition (§5 extension)."""
    closed = Stage.objects.get(edition=edition, code=EditionState.REGISTRATION_CLOSED)
    closed.status, closed.opened_at = StageStatus.PENDING, None
    closed.save(update_fields=["status", "opened_at"])
    registration.status, registration.closed_at = StageStatus.OPEN, None
    registration.save(update_fields=["status", "closed_at"])
    edition.state = EditionState.REGISTRATION_OPEN
    edition.save(update_fields=["state", "updated_at"])


def extensions_of(edition: Edition) -> list[dict[str, Any]]:
    """The extension history in the order granted, each with its close as a datetime."""
    entries = (edition.rules.get("calendar") or {}).get("extensions") or []
    history = []
    for entry in entries:
        history.append(
            {
                "new_close": to_moment(entry.get("new_close"), closing=True),
                "letter_no": entry.get("letter_no", ""),
                "date": entry.get("date", ""),
            }
        )
    return history


def original_close(edition: Edition) -> dt.datetime:
    return rules_for(edition).calendar.registration.end


def rule_files(directory: Path) -> list[str]:
    """YAML file names in one of the repository's rule directories, sorted."""
    if not directory.is_dir():
        return []
    return sorted(p.name for p in directory.iterdir() if p.suffix in (".yaml", ".yml"))


def set_edition_published(edition: Edition, *, published: bool, actor: Any) -> Edition:
    """Show the edition on the public KIPP pages (or take it off). Announcements still decide
    which results the public sees; this only opens the edition's public page and lists."""
    _require_secretariat(actor)
    with transaction.atomic():
        locked = _lock(edition)
        if locked.is_published == published:
            return locked
        locked.is_published = published
        locked.save(update_fields=["is_published", "updated_at"])
        audit.record(
            actor=actor,
            action="kipp.edition.publish" if published else "kipp.edition.unpublish",
            obj=locked,
            before={"is_published": not published},
            after={"is_published": published},
        )
    edition.is_published = published
    return locked
