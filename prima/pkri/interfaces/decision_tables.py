"""Rows of the secretariat's decision tables (shortlist, interview schedule, rankings),
shared by the pages and the API. Each builder runs a fixed number of queries whatever
the number of rows.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from prima.awards.models import Award
from prima.core.enums import InstitutionKind
from prima.evaluation.models import Edition
from prima.pkri.domain.config import RANKED_KINDS, PkriRules
from prima.pkri.domain.decisions import is_running, kind_of_group, shortlist_announcement
from prima.pkri.domain.interviews import panel_of_slots, slots_of
from prima.pkri.enums import FormState, Group
from prima.pkri.models import SelfAssessment

F = FormState
# States a form may hold once the desk evaluation is over.
EVALUATED = (
    F.DESK_EVALUATED,
    F.SHORTLISTED,
    F.NOT_SHORTLISTED,
    F.INTERVIEWED,
    F.RANKED,
    F.AWARDED,
    F.NOT_AWARDED,
)


def _forms(edition: Edition) -> QuerySet[SelfAssessment]:
    return (
        SelfAssessment.objects.filter(edition=edition, state__in=EVALUATED)
        .select_related("locus__institution", "object__innovation", "object__unit")
        .defer("data", "derived")
    )


def _institution(form: SelfAssessment) -> dict[str, Any]:
    institution = form.locus.institution
    return {
        "id": institution.pk,
        "name": institution.name,
        "short_name": institution.short_name or institution.name,
        "kind": institution.kind,
    }


def _innovation(form: SelfAssessment) -> dict[str, Any] | None:
    if form.object is None:
        return None
    return {"id": form.object.innovation_id, "name": form.object.innovation.name}


def group_label(code: str) -> str:
    return str(Group(code).label) if code in Group.values else code


def kind_label(code: str) -> str:
    return str(InstitutionKind(code).label) if code in InstitutionKind.values else code


# --------------------------------------------------------------------------- shortlist


def shortlist_tables(edition: Edition, rules: PkriRules) -> list[dict[str, Any]]:
    """Per interviewed group: its cut-off rules and the evaluated forms by desk score."""
    announcement = shortlist_announcement(edition)
    published = (announcement.listing or {}).get("groups", {}) if announcement else {}
    groups = [code for code, g in rules.groups.items() if g.interview]
    kinds = {kind_of_group(code): code for code in groups}
    rows: dict[str, list[SelfAssessment]] = defaultdict(list)
    for form in _forms(edition).filter(kind__in=list(kinds)):
        rows[kinds[form.kind]].append(form)
    tables = []
    for code in groups:
        settings = rules.group(code).shortlist
        forms = sorted(
            rows[code],
            key=lambda f: (f.desk_score is None, -(f.desk_score or Decimal(0)), f.pk),
        )
        ties = set(published.get(code, {}).get("tie_at_cutoff", []))
        tables.append(
            {
                "group": code,
                "label": group_label(code),
                "size": settings.size if settings else None,
                "min_desk_score": settings.min_desk_score if settings else None,
                "require_running": settings.require_running if settings else False,
                "published": code in published,
                "items": [
                    {
                        "form": form.pk,
                        "position": position,
                        "innovation": _innovation(form),
                        "institution": _institution(form),
                        "desk_score": form.desk_score,
                        "running": is_running(form),
                        "state": form.state,
                        "state_label": form.get_state_display(),
                        "shortlisted": form.state not in (F.NOT_SHORTLISTED, F.DESK_EVALUATED),
                        "tie_at_cutoff": form.pk in ties,
                    }
                    for position, form in enumerate(forms, start=1)
                ],
            }
        )
    return tables


# --------------------------------------------------------------------------- schedule


def schedule_rows(edition: Edition) -> list[dict[str, Any]]:
    """The interview slots in time order, each with its panel and the interview score."""
    panel = panel_of_slots(edition)
    rows = []
    for slot in slots_of(edition):
        form = slot.form
        rows.append(
            {
                "slot": slot.pk,
                "form": form.pk,
                "starts_at": slot.starts_at,
                "minutes": slot.minutes,
                "link": slot.link,
                "presenter_name": slot.presenter_name,
                "presenter_position": slot.presenter_position,
                "group": form.object.group if form.object else Group.PEMBINAAN.value,
                "innovation": _innovation(form),
                "institution": _institution(form),
                "panelists": panel.get(form.pk, []),
                "interview_score": form.interview_score,
            }
        )
    return rows


# --------------------------------------------------------------------------- rankings


def _awards(edition: Edition) -> dict[tuple[str, int], Award]:
    """(recipient kind, id) → the award row of the edition (any status)."""
    found: dict[tuple[str, int], Award] = {}
    for award in Award.objects.filter(edition=edition).select_related("category"):
        if award.innovation_id is not None:
            found[("innovation", award.innovation_id)] = award
        else:
            found[("institution", award.institution_id)] = award
    return found


def _ranking_row(form: SelfAssessment, awards: dict[tuple[str, int], Award]) -> dict[str, Any]:
    if form.object is not None:
        award = awards.get(("innovation", form.object.innovation_id))
    else:
        award = awards.get(("institution", form.locus.institution_id))
    return {
        "form": form.pk,
        "rank": form.rank,
        "kind": form.locus.institution.kind,
        "innovation": _innovation(form),
        "institution": _institution(form),
        "desk_score": form.desk_score,
        "interview_score": form.interview_score,
        "final_score": form.final_score,
        "tie_at_cutoff": form.tie_at_cutoff,
        "state": form.state,
        "award": award.status if award is not None else None,
        "award_label": award.get_status_display() if award is not None else "",
    }


def ranking_tables(edition: Edition, rules: PkriRules) -> list[dict[str, Any]]:
    """Per group the ranked forms by rank; the coaching group split per institution kind
    (RANKED_KINDS order) with each kind's slots. `award` is the award row's status."""
    awards = _awards(edition)
    kinds = {kind_of_group(code): code for code in rules.groups}
    rows: dict[str, list[SelfAssessment]] = defaultdict(list)
    for form in _forms(edition).filter(rank__isnull=False).order_by("rank", "pk"):
        rows[kinds.get(form.kind, "")].append(form)
    tables = []
    for code, group in rules.groups.items():
        items = [_ranking_row(f, awards) for f in rows[code]]
        parts = []
        if group.award_slots:
            for kind in RANKED_KINDS:
                members = [row for row in items if row["kind"] == kind]
                if members or group.award_slots.get(kind):
                    parts.append(
                        {
                            "kind": kind,
                            "label": kind_label(kind),
                            "slots": group.award_slots.get(kind, 0),
                            "items": members,
                        }
                    )
        else:
            parts.append({"kind": "", "label": "", "slots": group.awards or 0, "items": items})
        tables.append(
            {
                "group": code,
                "label": group_label(code),
                "award_title": group.award_title,
                "awards": group.award_count,
                "min_final_score": group.min_final_score,
                "tie_breakers": list(group.tie_breakers),
                "parts": parts,
            }
        )
    return tables


def ranking_export(table: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """Header and rows of one group's ranking table, as the page shows them: the coaching
    group per institution kind (kind, rank within the kind), the other groups with the
    innovation and the interview score; award mark and the tie-at-cut-off flag last."""
    by_kind = any(part["kind"] for part in table["parts"])
    header = [_("Jenis instansi")] if by_kind else []
    header.append(_("Peringkat dalam jenis") if by_kind else _("Peringkat"))
    if not by_kind:
        header.append(_("Inovasi"))
    header += [_("Instansi"), _("Nilai dokumen")]
    if not by_kind:
        header.append(_("Nilai wawancara"))
    header += [_("Nilai akhir"), _("Penghargaan"), _("Seri di batas")]
    rows = []
    for part in table["parts"]:
        for row in part["items"]:
            cells: list[Any] = [part["label"]] if by_kind else []
            cells.append(row["rank"])
            if not by_kind:
                cells.append(row["innovation"]["name"] if row["innovation"] else "")
            cells += [row["institution"]["short_name"], row["desk_score"]]
            if not by_kind:
                cells.append(row["interview_score"])
            cells += [row["final_score"], row["award_label"], row["tie_at_cutoff"]]
            rows.append(cells)
    return header, rows


def state_counts(edition: Edition) -> list[tuple[str, int]]:
    """(state label, count) of the edition's forms, in the state list's order."""
    counts: dict[str, int] = defaultdict(int)
    for state in SelfAssessment.objects.filter(edition=edition).values_list("state", flat=True):
        counts[state] += 1
    return [(str(label), counts[value]) for value, label in F.choices if counts.get(value)]
