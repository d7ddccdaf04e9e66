"""The life of a survey (skm.md §4–§6): plan, collect, close, calculate, publish.

Every write is one function here: it checks the actor, validates, writes the survey and
its audit entry in one transaction and changes nothing when a rule refuses. States run
``PLANNED → COLLECTING → CLOSED → CALCULATED → PUBLISHED``; a closed or calculated survey
may return to collecting, with a reason, until it is published. Calculation freezes the
§10 result on the survey; a later change of the version's weight rule by the secretariat
leaves it alone until someone recalculates it explicitly (audited, with a reason).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from prima.core.access import access_for
from prima.core.domain import audit
from prima.core.domain.errors import DomainError, PermissionDenied, StaleVersion
from prima.core.models import Person, Service, ServiceUnit
from prima.skm.domain.periods import Period, parse_period
from prima.skm.domain.permissions import (
    may_run_survey,
    may_run_unit,
    read_scope,
    reads_any_survey,
    runs_all,
    within,
)
from prima.skm.domain.results import survey_document, survey_result
from prima.skm.domain.sample import default_population, sample_target
from prima.skm.domain.versions import CURRENT_INSTRUMENT, instrument, known_codes, setting_for
from prima.skm.enums import PublicationMedium, ResultStatus, SurveyState, WeightRule
from prima.skm.models import FollowUpPlan, InstrumentSetting, Survey

REASON_MIN_LENGTH = 10
PUBLIC_ID_BYTES = 12  # 16 URL-safe characters
# Results that count as "the unit ran its survey" for a year (skm.md §4 flag).
RESULT_STATES = (SurveyState.CALCULATED, SurveyState.PUBLISHED)
# Population, services and the token requirement can change until the result is frozen.
EDITABLE_STATES = (SurveyState.PLANNED, SurveyState.COLLECTING, SurveyState.CLOSED)
AUDITED_FIELDS = (
    "state",
    "population",
    "sample_target",
    "services",
    "requires_token",
    "weight_rule",
    "result_status",
    "ikm",
    "ikm_converted",
    "grade",
    "published_on",
    "publication_media",
    "publication_url",
)
_FROZEN_RESULT = {
    "weight_rule": "",
    "result_status": "",
    "result": None,
    "ikm": None,
    "ikm_converted": None,
    "grade": "",
    "calculated_at": None,
}


# --------------------------------------------------------------------------- helpers


def _snapshot(survey: Survey) -> dict[str, Any]:
    return audit.snapshot(survey, AUDITED_FIELDS)


def _require_runner(actor: Person, survey: Survey) -> None:
    if not may_run_survey(actor, survey):
        raise PermissionDenied(_("Anda tidak berwenang menjalankan survei unit ini."))


def _lock(survey: Survey) -> Survey:
    return Survey.objects.select_for_update().select_related("unit").get(pk=survey.pk)


def _require_state(survey: Survey, allowed: Sequence[str], action: str) -> None:
    if survey.state not in allowed:
        raise DomainError(
            _("Survei %(period)s berstatus «%(state)s»; %(action)s tidak dapat dilakukan.")
            % {"period": survey.period_code, "state": survey.get_state_display(), "action": action}
        )


def _clean_reason(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if len(reason) < REASON_MIN_LENGTH:
        raise DomainError(
            _("Tulis alasan paling sedikit %(min)s karakter.") % {"min": REASON_MIN_LENGTH},
            field="reason",
        )
    return reason


def _copy(target: Survey, source: Survey, fields: Iterable[str]) -> None:
    for name in fields:
        setattr(target, name, getattr(source, name))


def _save(survey: Survey, fields: Iterable[str]) -> None:
    survey.version += 1
    survey.save(update_fields=[*fields, "version", "updated_at"])


def default_population_for(unit: ServiceUnit, period: Period) -> int | None:
    """N of skm.md §6 when none is entered: the unit's yearly users ÷ 4, 2 or 1, rounded up;
    None when the unit has no yearly figure (then there is no target sample)."""
    if not unit.user_population:
        return None
    return default_population(unit.user_population, period.kind)


def _population(unit: ServiceUnit, period: Period, population: int | None) -> int | None:
    if population is None:
        return default_population_for(unit, period)
    if isinstance(population, bool) or not isinstance(population, int) or population < 1:
        raise DomainError(
            _("Populasi pengguna layanan harus bilangan bulat paling sedikit 1."),
            field="population",
        )
    return population


def _services(unit: ServiceUnit, services: Iterable[Service]) -> list[Service]:
    chosen = list(dict.fromkeys(services))
    foreign = [service.code for service in chosen if service.unit_id != unit.pk]
    if foreign:
        raise DomainError(
            _("Layanan %(codes)s bukan layanan unit %(unit)s.")
            % {"codes": ", ".join(sorted(foreign)), "unit": unit.name},
            field="services",
        )
    inactive = [service.code for service in chosen if not service.is_active]
    if inactive:
        raise DomainError(
            _("Layanan %(codes)s tidak aktif.") % {"codes": ", ".join(sorted(inactive))},
            field="services",
        )
    return chosen


def overlapping_survey(
    unit: ServiceUnit, period: Period, *, exclude: int | None = None
) -> Survey | None:
    """The unit's survey whose period overlaps ``period`` (skm.md §4 forbids two)."""
    clash = Survey.objects.filter(
        unit=unit, period_start__lte=period.last_day, period_end__gte=period.first_day
    )
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    return clash.order_by("period_start").first()


def instruments_for_new_surveys() -> list[str]:
    """Versions a new survey may pin: those whose setting accepts new surveys."""
    return [code for code in known_codes() if setting_for(code).accepts_new_surveys]


# --------------------------------------------------------------------------- planning


def create_survey(
    *,
    actor: Person,
    unit: ServiceUnit,
    period_code: str,
    instrument: str | None = None,
    services: Iterable[Service] = (),
    population: int | None = None,
    requires_token: bool = False,
) -> Survey:
    """Plan a survey of ``unit`` for a period (state PLANNED).

    ``instrument`` defaults to the current version and must accept new surveys;
    ``services`` (empty = every service of the unit) must be the unit's own;
    ``population`` (N) defaults to the unit's yearly users for the period's share, and the
    target sample follows from it (Krejcie–Morgan). A period overlapping another survey of
    the unit is refused (a 2025-Q2 survey clashes with 2025-S1 or 2025).
    """
    if not may_run_unit(actor, unit):
        raise PermissionDenied(_("Anda tidak berwenang membuat survei untuk unit ini."))
    if not unit.is_active:
        raise DomainError(_("Unit %(unit)s tidak aktif.") % {"unit": unit.name}, field="unit")
    period = parse_period(period_code or "")
    code = (instrument or CURRENT_INSTRUMENT).strip()
    _instrument_of(code)
    if not setting_for(code).accepts_new_surveys:
        raise DomainError(
            _("Instrumen %(code)s tidak dipakai lagi untuk survei baru; pilih %(allowed)s.")
            % {"code": code, "allowed": ", ".join(instruments_for_new_surveys()) or "–"},
            field="instrument",
        )
    chosen = _services(unit, services)
    size = _population(unit, period, population)
    with transaction.atomic():
        # Locking the unit serialises two creations for it, so the overlap check holds.
        ServiceUnit.objects.select_for_update().filter(pk=unit.pk).first()
        clash = overlapping_survey(unit, period)
        if clash is not None:
            raise DomainError(
                _(
                    "Unit ini sudah memiliki survei %(other)s yang periodenya bertumpang tindih "
                    "dengan %(period)s; survei satu unit tidak boleh bertumpang tindih."
                )
                % {"other": clash.period_code, "period": period.code},
                field="period_code",
            )
        survey = Survey.objects.create(
            unit=unit,
            institution_id=unit.institution_id,
            province_code=unit.institution.province_code,
            period_code=period.code,
            period_kind=period.kind,
            period_start=period.first_day,
            period_end=period.last_day,
            instrument=code,
            population=size,
            sample_target=sample_target(size) if size else None,
            state=SurveyState.PLANNED,
            public_id=secrets.token_urlsafe(PUBLIC_ID_BYTES),
            requires_token=bool(requires_token),
            created_by=actor,
        )
        if chosen:
            survey.services.set(chosen)
        audit.record(
            actor=actor,
            action="skm.survey.created",
            obj=survey,
            after={**_snapshot(survey), "unit": unit.pk, "period": period.code, "instrument": code},
        )
    return survey


def _instrument_of(code: str) -> Any:
    try:
        return instrument(code)
    except DomainError as error:
        raise DomainError(error.message, field="instrument") from error


def update_survey(
    survey: Survey,
    *,
    actor: Person,
    version: int,
    population: int | None,
    services: Iterable[Service],
    requires_token: bool,
) -> Survey:
    """Change N, the service restriction and the token requirement before calculation.

    ``version`` is the one the actor read (StaleVersion when someone saved since);
    ``population`` None means the default N of the unit (unknown without a yearly figure).
    Nothing is written when nothing changes.
    """
    _require_runner(actor, survey)
    with transaction.atomic():
        locked = _lock(survey)
        if locked.version != version:
            raise StaleVersion(
                _(
                    "Survei ini telah diubah orang lain sejak Anda membukanya; muat ulang "
                    "halaman dan ulangi perubahan Anda."
                ),
                field="version",
            )
        _require_state(locked, EDITABLE_STATES, _("mengubah survei"))
        period = parse_period(locked.period_code)
        size = _population(locked.unit, period, population)
        chosen = _services(locked.unit, services)
        before = _snapshot(locked)
        current = set(locked.services.values_list("pk", flat=True))
        changed = (
            size != locked.population
            or {service.pk for service in chosen} != current
            or bool(requires_token) != locked.requires_token
        )
        if not changed:
            _copy(survey, locked, ("version",))
            return survey
        locked.population = size
        locked.sample_target = sample_target(size) if size else None
        locked.requires_token = bool(requires_token)
        locked.services.set(chosen)
        _save(locked, ("population", "sample_target", "requires_token"))
        audit.record(
            actor=actor,
            action="skm.survey.updated",
            obj=locked,
            before=before,
            after=_snapshot(locked),
        )
    _copy(survey, locked, ("population", "sample_target", "requires_token", "version"))
    return survey


# --------------------------------------------------------------------------- states


# What a transition writes besides the state, computed from the locked row.
Changes = dict[str, Any] | Callable[[Survey], dict[str, Any]]


def _transition(
    survey: Survey,
    *,
    actor: Person,
    allowed: Sequence[str],
    target: SurveyState | None,
    action: str,
    audit_action: str,
    reason: str = "",
    changes: Changes | None = None,
    guard: Callable[[Survey], None] | None = None,
) -> Survey:
    """Check the actor, lock the survey, check its state (and ``guard`` on the locked
    row), write ``target`` (None keeps the state) with ``changes`` and the audit entry."""
    _require_runner(actor, survey)
    with transaction.atomic():
        locked = _lock(survey)
        _require_state(locked, allowed, action)
        if guard is not None:
            guard(locked)
        before = _snapshot(locked)
        values = (changes(locked) if callable(changes) else changes) or {}
        if target is not None:
            values = {"state": target, **values}
        for name, value in values.items():
            setattr(locked, name, value)
        _save(locked, values)
        audit.record(
            actor=actor,
            action=audit_action,
            obj=locked,
            before=before,
            after=_snapshot(locked),
            reason=reason,
        )
    _copy(survey, locked, [*values, "version"])
    return survey


def start_collecting(survey: Survey, *, actor: Person) -> Survey:
    """PLANNED → COLLECTING: the public form, codes, kiosk, paper entry and imports open."""
    return _transition(
        survey,
        actor=actor,
        allowed=(SurveyState.PLANNED,),
        target=SurveyState.COLLECTING,
        action=_("memulai pengumpulan"),
        audit_action="skm.survey.started",
    )


def close_survey(survey: Survey, *, actor: Person) -> Survey:
    """COLLECTING → CLOSED: no more responses; voiding wrong entries is still possible."""
    return _transition(
        survey,
        actor=actor,
        allowed=(SurveyState.COLLECTING,),
        target=SurveyState.CLOSED,
        action=_("menutup pengumpulan"),
        audit_action="skm.survey.closed",
    )


def _no_adopted_plan(survey: Survey) -> None:
    if survey.state == SurveyState.CALCULATED and _has_adopted_plan(survey):
        raise DomainError(
            _(
                "Rencana tindak lanjut survei ini sudah ditetapkan berdasarkan hasilnya; "
                "survei tidak dapat dibuka kembali."
            )
        )


def reopen_survey(survey: Survey, *, actor: Person, reason: str) -> Survey:
    """CLOSED or CALCULATED → COLLECTING, with a reason, until publication (skm.md §4).

    A calculated result is dropped (it is calculated again after the next closing); a
    survey whose follow-up plan is adopted keeps its result and cannot be reopened.
    """
    reason = _clean_reason(reason)
    return _transition(
        survey,
        actor=actor,
        allowed=(SurveyState.CLOSED, SurveyState.CALCULATED),
        target=SurveyState.COLLECTING,
        action=_("membuka kembali pengumpulan"),
        audit_action="skm.survey.reopened",
        reason=reason,
        changes=dict(_FROZEN_RESULT),
        guard=_no_adopted_plan,
    )


def _has_adopted_plan(survey: Survey) -> bool:
    return FollowUpPlan.objects.filter(survey_id=survey.pk, adopted_on__isnull=False).exists()


def _current_rule(survey: Survey) -> WeightRule:
    return WeightRule(setting_for(survey.instrument).weight_rule)


def _frozen(survey: Survey) -> dict[str, Any]:
    """The survey's result under the version's current weight rule, as the fields that
    freeze it."""
    result = survey_result(survey, weight_rule=_current_rule(survey))
    main = result.result
    return {
        "weight_rule": str(result.weight_rule),
        "result_status": str(result.status),
        "result": survey_document(survey, result),
        "ikm": main.ikm if main else None,
        "ikm_converted": main.ikm_converted if main else None,
        "grade": main.grade if main else "",
        "calculated_at": timezone.now(),
    }


def _has_responses(survey: Survey) -> None:
    if survey.respondents == 0:
        raise DomainError(_("Survei ini belum memiliki jawaban; hasil belum dapat dihitung."))


def calculate_survey(survey: Survey, *, actor: Person) -> Survey:
    """CLOSED → CALCULATED: compute the IKM from the counters and freeze it (skm.md §5, §10).

    Uses the version's current weight rule and records it. An element nobody answered
    makes the result INCOMPLETE (no IKM; the page names the element); a survey without
    any accepted response cannot be calculated.
    """
    return _transition(
        survey,
        actor=actor,
        allowed=(SurveyState.CLOSED,),
        target=SurveyState.CALCULATED,
        action=_("menghitung hasil"),
        audit_action="skm.survey.calculated",
        changes=_frozen,
        guard=_has_responses,
    )


def _rule_changed(survey: Survey) -> None:
    rule = _current_rule(survey)
    if survey.weight_rule == rule:
        raise DomainError(
            _(
                "Hasil ini sudah memakai aturan bobot yang berlaku (%(rule)s); tidak ada "
                "yang perlu dihitung ulang."
            )
            % {"rule": rule.label}
        )


def recalculate_survey(survey: Survey, *, actor: Person, reason: str) -> Survey:
    """Recompute a frozen result with the version's current weight rule (skm.md §5).

    A change of the rule by the secretariat never touches calculated or published results;
    this is the explicit, audited action that does, with a reason. Refused when the result
    already uses the current rule (it would not change).
    """
    _require_runner(actor, survey)
    reason = _clean_reason(reason)
    return _transition(
        survey,
        actor=actor,
        allowed=RESULT_STATES,
        target=None,
        action=_("menghitung ulang hasil"),
        audit_action="skm.survey.recalculated",
        reason=reason,
        changes=_frozen,
        guard=_rule_changed,
    )


def _media(media: Iterable[str]) -> list[str]:
    given = list(dict.fromkeys(str(m).strip() for m in media if str(m).strip()))
    unknown = [m for m in given if m not in PublicationMedium.values]
    if unknown:
        raise DomainError(
            _("Media publikasi %(media)s tidak dikenal; pilih dari: %(known)s.")
            % {"media": ", ".join(unknown), "known": ", ".join(PublicationMedium.values)},
            field="media",
        )
    if not given:
        raise DomainError(_("Pilih paling sedikit satu media publikasi."), field="media")
    return [m for m in PublicationMedium.values if m in given]


def publish_survey(
    survey: Survey,
    *,
    actor: Person,
    published_on: dt.date,
    media: Iterable[str],
    url: str = "",
) -> Survey:
    """CALCULATED → PUBLISHED: record the date and media of publication (skm.md §4).

    The media feed PEKPPP indicators 6 and 7 and the date indicator 9. An INCOMPLETE
    result cannot be published; the date may not lie in the future nor before the period.
    """
    _require_runner(actor, survey)
    chosen = _media(media)
    url = (url or "").strip()
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError as error:
            raise DomainError(
                _("Tautan publikasi harus alamat web lengkap (https://…)."), field="url"
            ) from error
        if len(url) > Survey._meta.get_field("publication_url").max_length:  # type: ignore[operator]
            raise DomainError(_("Tautan publikasi terlalu panjang."), field="url")
    if not isinstance(published_on, dt.date):
        raise DomainError(_("Isi tanggal publikasi."), field="published_on")
    if published_on > timezone.localdate():
        raise DomainError(_("Tanggal publikasi tidak boleh di masa depan."), field="published_on")
    if published_on < survey.period_start:
        raise DomainError(
            _("Tanggal publikasi tidak boleh sebelum awal periode survei (%(start)s).")
            % {"start": survey.period_start.isoformat()},
            field="published_on",
        )
    return _transition(
        survey,
        actor=actor,
        allowed=(SurveyState.CALCULATED,),
        target=SurveyState.PUBLISHED,
        action=_("mempublikasikan hasil"),
        audit_action="skm.survey.published",
        changes={"published_on": published_on, "publication_media": chosen, "publication_url": url},
        guard=_complete,
    )


def _complete(survey: Survey) -> None:
    if survey.result_status == ResultStatus.INCOMPLETE:
        raise DomainError(
            _(
                "Hasil tidak lengkap (ada unsur tanpa jawaban) tidak dapat dipublikasikan; "
                "buka kembali pengumpulan untuk melengkapinya."
            )
        )


def available_actions(survey: Survey) -> list[str]:
    """The state actions a runner may take now (the detail page and the API show them)."""
    state = survey.state
    actions: list[str] = []
    if state == SurveyState.PLANNED:
        actions.append("start")
    elif state == SurveyState.COLLECTING:
        actions.append("close")
    elif state == SurveyState.CLOSED:
        actions += ["calculate", "reopen"]
    elif state == SurveyState.CALCULATED:
        if survey.result_status != ResultStatus.INCOMPLETE:
            actions.append("publish")
        actions.append("reopen")
    if state in RESULT_STATES:
        actions.append("recalculate")
    return actions


# --------------------------------------------------------------------------- settings


def set_weight_rule(
    code: str, *, actor: Person, rule: str, accepts_new_surveys: bool
) -> InstrumentSetting:
    """The secretariat sets a version's weight rule and whether new surveys may use it.

    Results already calculated keep the rule they used (skm.md §5); new calculations use
    the new one. At least one version must stay open to new surveys.
    """
    if not runs_all(access_for(actor)):
        raise PermissionDenied(_("Hanya sekretariat yang dapat mengubah pengaturan instrumen."))
    _instrument_of(code)
    if rule not in WeightRule.values:
        raise DomainError(
            _("Aturan bobot %(rule)s tidak dikenal; pilih printed atau exact.") % {"rule": rule},
            field="weight_rule",
        )
    with transaction.atomic():
        setting_for(code)
        setting = InstrumentSetting.objects.select_for_update().get(code=code)
        if (
            not accepts_new_surveys
            and setting.accepts_new_surveys
            and not InstrumentSetting.objects.filter(accepts_new_surveys=True)
            .exclude(code=code)
            .exists()
        ):
            raise DomainError(
                _("Paling sedikit satu instrumen harus tetap dipakai untuk survei baru."),
                field="accepts_new_surveys",
            )
        before = {"weight_rule": setting.weight_rule, "accepts": setting.accepts_new_surveys}
        after = {"weight_rule": rule, "accepts": bool(accepts_new_surveys)}
        if before == after:
            return setting
        setting.weight_rule = rule
        setting.accepts_new_surveys = bool(accepts_new_surveys)
        setting.updated_by = actor
        setting.save()
        audit.record(
            actor=actor, action="skm.instrument.updated", obj=setting, before=before, after=after
        )
    return setting


def results_on_other_rule(code: str, rule: str) -> QuerySet[Survey]:
    """Calculated or published surveys of a version whose frozen rule differs from ``rule``
    (candidates for an explicit recalculation after a change)."""
    return Survey.objects.filter(instrument=code, state__in=RESULT_STATES).exclude(weight_rule=rule)


# --------------------------------------------------------------------------- coverage


def last_ended_year(today: dt.date | None = None) -> int:
    return (today or timezone.localdate()).year - 1


def uncovered_units(
    year: int,
    *,
    units: QuerySet[ServiceUnit] | None = None,
    today: dt.date | None = None,
) -> QuerySet[ServiceUnit]:
    """Active units with no calculated or published survey in ``year`` (skm.md §4 flag).

    Any survey whose period lies in the year counts (a quarterly one too: the regulation
    asks for at least one survey a year). Only a year that has ended can be flagged;
    ``units`` narrows the check to a scope.
    """
    if year > last_ended_year(today):
        raise DomainError(
            _(
                "Tahun %(year)s belum berakhir; unit tanpa survei hanya ditandai setelah tahun "
                "berakhir."
            )
            % {"year": year},
            field="year",
        )
    base = units if units is not None else ServiceUnit.objects.all()
    covered = Survey.objects.filter(
        unit=OuterRef("pk"), state__in=RESULT_STATES, period_start__year=year
    )
    return base.filter(is_active=True).exclude(Exists(covered))


# --------------------------------------------------------------------------- scope


# Whether the person may open the staff survey pages at all (any SKM scope).
reads_surveys = reads_any_survey


def units_readable_by(person: Any) -> QuerySet[ServiceUnit]:
    """Units whose surveys the person may read (the scope of `surveys_visible_to`)."""
    return within(
        ServiceUnit.objects.select_related("institution"), read_scope(person), unit_field="pk"
    )
