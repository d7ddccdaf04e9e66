"""The secretariat's PKRI decisions after the desk evaluation (pkri.md §7.2–§7.5).

- :func:`publish_shortlist` — per object group, the interview shortlist by desk score
  (ties at the cut-off included), published by announcement (→ `shortlist_published`).
- Interviews (:mod:`prima.pkri.domain.interviews`) and rankings
  (:mod:`prima.pkri.domain.rankings`) follow; the plenary then decides the awards with
  the awards app (`prima.awards.domain.proposals`).
- :func:`publish_results` — the results announcement, forms awarded / not awarded from
  the decided awards, the edition made public (→ `results`).
- :func:`record_decree` (→ `decreed`) and :func:`mark_awarded` (→ `awarded`).

The shared guards (who may act, the typed rules, the stage rows) live here too. Every
write is one audited transaction; the edition moves only through the engine's
`advance_edition`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from prima.awards.enums import AwardStatus
from prima.awards.models import Award, AwardCategory
from prima.core.access import access_for
from prima.core.domain import audit
from prima.core.domain.errors import DomainError
from prima.evaluation.domain.stages import advance_edition
from prima.evaluation.enums import EditionState
from prima.evaluation.models import Appointment, Edition, Stage
from prima.pkri.domain.answers import frozen_answers
from prima.pkri.domain.config import PkriRules, rules_for
from prima.pkri.domain.editions import require_secretariat
from prima.pkri.domain.ranking import Entry, shortlist
from prima.pkri.enums import FORM_OF_GROUP, AnnouncementKind, FormKind, FormState, Group
from prima.pkri.models import Announcement, SelfAssessment
from prima.pkri.queries import is_secretariat

E = EditionState
F = FormState
MAX_NUMBER = 60
MAX_LISTED = 10


# --------------------------------------------------------------------------- guards


# The secretariat (or a superuser) records PKRI decisions: the one PKRI guard.
may_act = is_secretariat


def may_read_decisions(person: Any, edition: Edition) -> bool:
    """Secretariat, or a national reader (analyst, viewer) who assesses nothing in the
    edition: evaluators and panelists never see the other scores or the ranking."""
    access = access_for(person)
    if access.is_secretariat or access.is_superuser:
        return True
    if not access.reads_nationally or access.person_id is None:
        return False
    return not Appointment.objects.filter(
        edition=edition, person_id=access.person_id, is_active=True
    ).exists()


# The edition's typed rules; a broken rule set is refused by name.
pkri_rules = rules_for


def stage_of(edition: Edition, code: str) -> Stage:
    stage = Stage.objects.filter(edition=edition, code=code).first()
    if stage is None:
        raise DomainError(
            _("Penyelenggaraan ini tidak memiliki tahap «%(stage)s».") % {"stage": E(code).label}
        )
    return stage


def require_state(edition: Edition, allowed: Iterable[str], doing: str) -> None:
    """Refuse unless the edition is in one of the `allowed` states, naming them."""
    allowed = tuple(allowed)
    if edition.state not in allowed:
        raise DomainError(
            _(
                "%(doing)s hanya dapat dilakukan pada tahap %(allowed)s; penyelenggaraan kini "
                "pada tahap «%(state)s»."
            )
            % {
                "doing": doing,
                "allowed": ", ".join(f"«{E(s).label}»" for s in allowed),
                "state": edition.get_state_display(),
            }
        )


def lock_edition(edition: Edition) -> Edition:
    """The edition row locked for the transaction; refused when it moved since loading."""
    locked = Edition.objects.select_for_update(of=("self",)).get(pk=edition.pk)
    if locked.state != edition.state:
        raise DomainError(
            _(
                "Tahap penyelenggaraan sudah berubah menjadi «%(state)s» sejak halaman dimuat; "
                "muat ulang lalu periksa kembali."
            )
            % {"state": locked.get_state_display()}
        )
    return locked


def listed(items: list[str]) -> str:
    text = "; ".join(items[:MAX_LISTED])
    if len(items) > MAX_LISTED:
        text += _(" dan %(n)s lainnya") % {"n": len(items) - MAX_LISTED}
    return text


def form_label(form: SelfAssessment) -> str:
    """`Innovation (Institution)` for an object form, the institution for a coaching form."""
    institution = form.locus.institution
    name = institution.short_name or institution.name
    if form.object_id is not None and form.object is not None:
        return f"{form.object.innovation.name} ({name})"
    return str(name)


def _clean_letter(number: str, date: Any) -> tuple[str, dt.date]:
    number = (number or "").strip()
    if not number:
        raise DomainError(_("Nomor pengumuman wajib diisi."), field="number")
    if len(number) > MAX_NUMBER:
        raise DomainError(
            _("Nomor pengumuman paling panjang %(n)s karakter.") % {"n": MAX_NUMBER},
            field="number",
        )
    if not isinstance(date, dt.date):
        raise DomainError(_("Tanggal pengumuman wajib diisi."), field="date")
    return number, date


def _unique_number(edition: Edition, number: str) -> None:
    if Announcement.objects.filter(edition=edition, number=number).exists():
        raise DomainError(
            _("Nomor pengumuman %(number)s sudah dipakai pada penyelenggaraan ini.")
            % {"number": number},
            field="number",
        )


def object_groups(rules: PkriRules) -> list[str]:
    """The edition's groups whose forms are interviewed, in rule order."""
    return [code for code, group in rules.groups.items() if group.interview]


def kind_of_group(code: str) -> str:
    return str(FORM_OF_GROUP[Group(code)])


# --------------------------------------------------------------------------- shortlist


def is_running(form: SelfAssessment) -> bool:
    """The frozen answer `still_running` of the submitted snapshot (pkri.md §7.2
    `require_running`); a form without a snapshot does not count as running."""
    return form.snapshot is not None and frozen_answers(form).get("still_running") is True


@dataclass(frozen=True)
class GroupShortlist:
    group: str
    size: int
    min_desk_score: Decimal
    require_running: bool
    candidates: int
    selected: tuple[int, ...]
    tie_at_cutoff: tuple[int, ...]

    def as_listing(self) -> dict[str, Any]:
        return {
            "size": self.size,
            "min_desk_score": str(self.min_desk_score),
            "require_running": self.require_running,
            "candidates": self.candidates,
            "selected": list(self.selected),
            "tie_at_cutoff": list(self.tie_at_cutoff),
        }


def _evaluated_forms(edition: Edition, kind: str) -> list[SelfAssessment]:
    return list(
        SelfAssessment.objects.select_for_update(of=("self",))
        .filter(edition=edition, kind=kind, state=F.DESK_EVALUATED)
        .select_related("object__innovation", "locus__institution", "subject")
        .order_by("pk")
    )


def shortlist_group(rules: PkriRules, code: str, forms: list[SelfAssessment]) -> GroupShortlist:
    """H1's `shortlist` over the group's desk-evaluated forms (pure, no writes)."""
    group = rules.group(code)
    settings = group.shortlist
    entries = [
        Entry(id=form.pk, score=form.desk_score, running=is_running(form))
        for form in forms
        if form.desk_score is not None
    ]
    if settings is None:
        # An interviewed group without shortlist rules interviews every evaluated form.
        ids = tuple(e.id for e in entries)
        return GroupShortlist(code, len(ids), Decimal(0), False, len(entries), ids, ())
    result = shortlist(
        entries,
        size=settings.size,
        min_score=settings.min_desk_score,
        require_running=settings.require_running,
    )
    return GroupShortlist(
        group=code,
        size=settings.size,
        min_desk_score=settings.min_desk_score,
        require_running=settings.require_running,
        candidates=len(entries),
        selected=tuple(result.selected),
        tie_at_cutoff=tuple(result.tie_at_cutoff),
    )


def publish_shortlist(edition: Edition, *, number: str, date: dt.date, actor: Any) -> Announcement:
    """Publish the interview shortlist (pkri.md §7.2) by announcement.

    For every interviewed group, the desk-evaluated forms ranked by official desk score;
    the first `shortlist.size` that are running (frozen `still_running`) and score at
    least `min_desk_score` become `shortlisted`, ties at the cut-off included; the others
    `not_shortlisted` (their engine subjects leave the running). Groups without an
    interview (coaching by default) keep their forms `desk_evaluated` for the ranking.
    The announcement lists the shortlist per group with its cut-off and ties; the
    edition moves from `desk_evaluation` to `shortlist_published` (closing the desk stage,
    which the engine refuses while draft sheets remain); published once per edition.
    """
    require_secretariat(actor, _("Hanya Sekretariat yang dapat menerbitkan daftar wawancara."))
    number, date = _clean_letter(number, date)
    require_state(
        edition, (E.DESK_EVALUATION, E.SHORTLIST_PUBLISHED), _("Penerbitan daftar wawancara")
    )
    rules = pkri_rules(edition)
    with transaction.atomic():
        locked = lock_edition(edition)
        if shortlist_announcement(locked) is not None:
            raise DomainError(_("Daftar wawancara penyelenggaraan ini sudah diterbitkan."))
        _unique_number(locked, number)
        pending = list(
            SelfAssessment.objects.filter(edition=locked, state__in=(F.SUBMITTED, F.DESK_REVIEW))
            .select_related("object__innovation", "locus__institution")
            .order_by("pk")[: MAX_LISTED + 1]
        )
        if pending:
            raise DomainError(
                _(
                    "Penilaian dokumen belum selesai untuk: %(forms)s. Tutup penilaian dokumen "
                    "terlebih dahulu."
                )
                % {"forms": listed([form_label(f) for f in pending])}
            )
        groups: dict[str, GroupShortlist] = {}
        rows: list[dict[str, Any]] = []
        for code in object_groups(rules):
            forms = _evaluated_forms(locked, kind_of_group(code))
            chosen = shortlist_group(rules, code, forms)
            groups[code] = chosen
            selected = set(chosen.selected)
            ties = set(chosen.tie_at_cutoff)
            dropped_subjects = []
            for form in forms:
                form.state = F.SHORTLISTED if form.pk in selected else F.NOT_SHORTLISTED
                form.tie_at_cutoff = form.pk in ties
                if form.pk not in selected and form.subject_id is not None:
                    dropped_subjects.append(form.subject_id)
                if form.pk in selected:
                    rows.append(_listing_row(code, form))
            now = timezone.now()
            for form in forms:
                form.updated_at = now
            SelfAssessment.objects.bulk_update(forms, ["state", "tie_at_cutoff", "updated_at"])
            if dropped_subjects:
                from prima.evaluation.models import Subject

                Subject.objects.filter(pk__in=dropped_subjects).update(is_active=False)
        announcement = Announcement.objects.create(
            edition=locked,
            kind=AnnouncementKind.SHORTLIST,
            number=number,
            date=date,
            title=_("Daftar peserta wawancara PKRI %(year)s") % {"year": locked.year},
            listing={
                "groups": {code: g.as_listing() for code, g in groups.items()},
                "forms": rows,
            },
            published_at=timezone.now(),
            created_by=actor,
        )
        audit.record(
            actor=actor,
            action="pkri.shortlist.publish",
            obj=announcement,
            after={
                "number": number,
                "date": date,
                "groups": {code: g.as_listing() for code, g in groups.items()},
            },
        )
        if locked.state == E.DESK_EVALUATION:
            advance_edition(locked, actor=actor, reason=_("Daftar wawancara %(n)s") % {"n": number})
    edition.state = locked.state
    return announcement


def _listing_row(group: str, form: SelfAssessment) -> dict[str, Any]:
    innovation = form.object.innovation if form.object is not None else None
    institution = form.locus.institution
    return {
        "form": form.pk,
        "group": group,
        "innovation": innovation.pk if innovation else None,
        "title": innovation.name if innovation else "",
        "institution": institution.pk,
        "institution_name": institution.name,
        "tie_at_cutoff": form.tie_at_cutoff,
    }


def shortlist_announcement(edition: Edition) -> Announcement | None:
    return (
        Announcement.objects.filter(edition=edition, kind=AnnouncementKind.SHORTLIST)
        .order_by("-date", "-pk")
        .first()
    )


# --------------------------------------------------------------------------- results


def categories_of(edition: Edition) -> list[AwardCategory]:
    return list(AwardCategory.objects.filter(edition=edition).order_by("position", "code"))


def category_of_group(edition: Edition, code: str) -> AwardCategory | None:
    """The edition's award category of a PKRI group (its `group`, else its `code`)."""
    return (
        AwardCategory.objects.filter(edition=edition)
        .filter(Q(group=code) | Q(code=code))
        .order_by("-group", "position", "pk")
        .first()
    )


def _group_of_category(category: AwardCategory) -> str:
    return category.group or category.code


def publish_results(edition: Edition, *, number: str, date: dt.date, actor: Any) -> Announcement:
    """Publish the results (pkri.md §7.4–§7.5) once the plenary has decided every award.

    Refused while an award is still only proposed (decide each category first). Forms
    holding a decided award become `awarded`; interviewed and ranked forms without one
    `not_awarded`. The results announcement lists the decided awards per category; the
    edition becomes public (`is_published`) and moves to `results`.
    """
    require_secretariat(actor, _("Hanya Sekretariat yang dapat menerbitkan hasil PKRI."))
    number, date = _clean_letter(number, date)
    require_state(edition, (E.PLENARY,), _("Penerbitan hasil"))
    with transaction.atomic():
        locked = lock_edition(edition)
        _unique_number(locked, number)
        undecided = sorted(
            {
                str(title)
                for title in Award.objects.filter(
                    edition=locked, status=AwardStatus.PROPOSED
                ).values_list("category__title", flat=True)
            }
        )
        if undecided:
            raise DomainError(
                _(
                    "Penghargaan kategori berikut masih berupa usulan: %(categories)s. "
                    "Tetapkan penghargaannya terlebih dahulu."
                )
                % {"categories": listed(undecided)}
            )
        decided = list(
            Award.objects.filter(edition=locked, status=AwardStatus.DECIDED)
            .select_related("category", "institution", "innovation")
            .order_by("category__position", "category__code", "stratum", "rank", "pk")
        )
        if not decided:
            raise DomainError(_("Belum ada penghargaan yang ditetapkan."))
        counts = _mark_forms(locked, decided)
        listing = _results_listing(locked, decided)
        announcement = Announcement.objects.create(
            edition=locked,
            kind=AnnouncementKind.RESULTS,
            number=number,
            date=date,
            title=_("Hasil PKRI %(year)s") % {"year": locked.year},
            listing=listing,
            published_at=timezone.now(),
            created_by=actor,
        )
        locked.is_published = True
        locked.save(update_fields=["is_published", "updated_at"])
        audit.record(
            actor=actor,
            action="pkri.results.publish",
            obj=announcement,
            after={"number": number, "date": date, "awards": len(decided), **counts},
        )
        advance_edition(locked, actor=actor, reason=_("Hasil PKRI %(n)s") % {"n": number})
    edition.state = locked.state
    edition.is_published = True
    return announcement


def _mark_forms(edition: Edition, decided: list[Award]) -> dict[str, int]:
    """Set awarded / not_awarded on the edition's forms from the decided awards."""
    institution_awards: set[tuple[str, int]] = set()
    innovation_awards: set[tuple[str, int]] = set()
    for award in decided:
        group = _group_of_category(award.category)
        if award.innovation_id is not None:
            innovation_awards.add((group, award.innovation_id))
        else:
            institution_awards.add((group, award.institution_id))
    candidates = (F.INTERVIEWED, F.RANKED, F.SHORTLISTED, F.NOT_SHORTLISTED, F.DESK_EVALUATED)
    forms = list(
        SelfAssessment.objects.select_for_update(of=("self",))
        .filter(edition=edition, state__in=candidates)
        .select_related("object", "locus")
        .order_by("pk")
    )
    group_of_kind = {str(kind): str(group) for group, kind in FORM_OF_GROUP.items()}
    awarded = not_awarded = 0
    changed = []
    for form in forms:
        group = group_of_kind[form.kind]
        if form.kind == FormKind.COACHING:
            holds = (group, form.locus.institution_id) in institution_awards
        else:
            holds = form.object is not None and (group, form.object.innovation_id) in (
                innovation_awards
            )
        if holds:
            form.state = F.AWARDED
            awarded += 1
        elif form.state in (F.INTERVIEWED, F.RANKED):
            form.state = F.NOT_AWARDED
            not_awarded += 1
        else:
            continue
        changed.append(form)
    now = timezone.now()
    for form in changed:
        form.updated_at = now
    SelfAssessment.objects.bulk_update(changed, ["state", "updated_at"])
    return {"forms_awarded": awarded, "forms_not_awarded": not_awarded}


def _results_listing(edition: Edition, decided: list[Award]) -> dict[str, Any]:
    """The public listing of the decided awards; rank and score only where the edition's
    publication rules publish them (pkri.md §7.4)."""
    rules = rules_for(edition)
    by_category: dict[int, dict[str, Any]] = {}
    for award in decided:
        category = award.category
        entry = by_category.setdefault(
            category.pk,
            {"code": category.code, "title": category.title, "group": category.group, "awards": []},
        )
        item: dict[str, Any] = {
            "award": award.pk,
            "institution": award.institution_id,
            "institution_name": award.institution.name,
            "innovation": award.innovation_id,
            "innovation_name": award.innovation.name if award.innovation else "",
            "stratum": award.stratum,
        }
        if rules.publish_ranks:
            item["rank"] = award.rank
        if rules.publish_scores:
            item["score"] = str(award.score) if award.score is not None else None
        entry["awards"].append(item)
    return {"total": len(decided), "categories": list(by_category.values())}


def results_announcement(edition: Edition) -> Announcement | None:
    return (
        Announcement.objects.filter(edition=edition, kind=AnnouncementKind.RESULTS)
        .order_by("-date", "-pk")
        .first()
    )


# --------------------------------------------------------------------------- decree, event


def record_decree(edition: Edition, *, number: str, date: dt.date, actor: Any) -> Edition:
    """Record the results decree on the decided awards (awards app) and move the edition
    from `results` to `decreed`."""
    from prima.awards.domain.proposals import record_decree as record_award_decree

    require_secretariat(actor, _("Hanya Sekretariat yang dapat mencatat keputusan hasil."))
    number = (number or "").strip()
    if not number:
        raise DomainError(_("Nomor keputusan wajib diisi."), field="number")
    if not isinstance(date, dt.date):
        raise DomainError(_("Tanggal keputusan wajib diisi."), field="date")
    require_state(edition, (E.RESULTS,), _("Pencatatan keputusan"))
    with transaction.atomic():
        locked = lock_edition(edition)
        record_award_decree(locked, number=number, date=date, actor=actor)
        audit.record(
            actor=actor,
            action="pkri.decree.record",
            obj=locked,
            after={"number": number, "date": date},
        )
        advance_edition(locked, actor=actor, reason=_("Keputusan %(n)s") % {"n": number})
    edition.state = locked.state
    return edition


def mark_awarded(edition: Edition, *, actor: Any, today: dt.date | None = None) -> Edition:
    """The award event has been held: `decreed` → `awarded`. Refused before the event's
    date in the rules (pkri.md §5.1 `calendar.award_event`)."""
    require_secretariat(actor, _("Hanya Sekretariat yang dapat mencatat penyerahan penghargaan."))
    require_state(edition, (E.DECREED,), _("Pencatatan penyerahan penghargaan"))
    rules = pkri_rules(edition)
    today = today or timezone.localdate()
    event = rules.award_event
    if event is not None and today < event.date:
        raise DomainError(
            _("Acara penyerahan %(name)s baru berlangsung pada %(date)s.")
            % {"name": event.name, "date": event.date.isoformat()}
        )
    with transaction.atomic():
        locked = lock_edition(edition)
        audit.record(
            actor=actor,
            action="pkri.awards.handed_over",
            obj=locked,
            after={"event": event.name if event else "", "date": event.date if event else today},
        )
        advance_edition(locked, actor=actor, reason=_("Penghargaan telah diserahkan"))
    edition.state = locked.state
    return edition
