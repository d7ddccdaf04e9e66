"""Starting data and the evaluation stages of the PKRI end-to-end flow.

The edition, its scope and the open forms window are built with the PKRI domain
functions (as the secretariat would through its pages) from the pkri-2024 rules with the
calendar shifted so that the self-assessment window covers today. What the browser test
does not drive through pages (desk scoring, interviews, the plenary) is done here: with
the domain functions where a stage has one, with direct state for the scores that
evaluators and panelists would enter on their sheets.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django.utils import timezone

from prima.awards.domain.proposals import ProposedRecipient, decide_awards, propose_awards
from prima.awards.models import AwardCategory
from prima.core.models import Person, ServiceUnit
from prima.evaluation.domain.stages import advance_edition
from prima.evaluation.enums import EditionState
from prima.evaluation.models import Edition
from prima.innovations.models import Innovation
from prima.pkri.domain.decisions import publish_results, publish_shortlist
from prima.pkri.domain.desk import start_desk_evaluation
from prima.pkri.domain.editions import create_edition
from prima.pkri.domain.forms import close_forms
from prima.pkri.domain.scope import derive_scope, freeze_scope, open_forms
from prima.pkri.enums import FormState, Group
from prima.pkri.models import ScopeObject, SelfAssessment
from tests.factories import AwardRecordFactory, InnovationFactory
from tests.pkri.factories import pkri_rules

__all__ = ["PkriCast", "build_pkri_cast", "evaluate_and_publish", "shifted_rules"]

AWARD_YEAR = 2019
RUNNING_SINCE = dt.date(2017, 8, 1)


def shifted_rules(today: dt.date) -> dict[str, Any]:
    """The pkri-2024 rules moved to today's year, the forms window around today.

    Years counted from the edition (source years, lookback) move with it; the calendar
    is laid out around today so the forms stage is within its window now.
    """
    rules = pkri_rules()
    year = today.year
    shift = year - int(rules["edition"]["year"])
    day = dt.timedelta(days=1)
    rules["edition"].update(
        code=f"pkri-{year}-uji",
        year=year,
        title=f"Pemantauan Keberlanjutan dan Replikasi Inovasi {year} (uji)",
        announcement={"number": f"B/101/PP.00.05/{year}", "date": (today - 30 * day).isoformat()},
    )
    first, last = rules["scope"]["source_years"]
    rules["scope"]["source_years"] = [first + shift, last + shift]
    for group in rules["groups"].values():
        group["award"] = group["award"].replace("2024", str(year))
    first, last = rules["lookback_years"]
    rules["lookback_years"] = [first + shift, last + shift]
    rules["calendar"] = {
        "socialisation": (today - 25 * day).isoformat(),
        "self_assessment": [(today - 20 * day).isoformat(), (today + 20 * day).isoformat()],
        "desk_evaluation": [(today + 21 * day).isoformat(), (today + 40 * day).isoformat()],
        "interviews": [(today + 45 * day).isoformat(), (today + 49 * day).isoformat()],
        "award_event": {
            "date": (today + 80 * day).isoformat(),
            "name": f"Gebyar Pelayanan Prima {year}",
            "venue": "Jakarta",
        },
    }
    return rules


@dataclass(frozen=True)
class PkriCast:
    edition: Edition
    innovation: Innovation
    object: ScopeObject
    form: SelfAssessment

    @property
    def year(self) -> int:
        return self.edition.year

    @property
    def last_full_year(self) -> int:
        return self.edition.year - 1


def build_pkri_cast(unit: ServiceUnit, secretariat: Person) -> PkriCast:
    """A PKRI edition of this year in `forms_open` whose scope holds one keberlanjutan
    object: the unit's innovation SIPANDU, a KIPP Top 99 of 2019, still in the registry
    as running since August 2017."""
    innovation = cast(
        Innovation,
        InnovationFactory(
            unit=unit,
            name="SIPANDU",
            acronym="Sistem Pelayanan Terpadu",
            started_on=RUNNING_SINCE,
        ),
    )
    AwardRecordFactory(
        innovation=innovation, programme="kipp", year=AWARD_YEAR, tier="top99", level="finalist"
    )
    today = timezone.localdate()
    edition = create_edition(shifted_rules(today), actor=secretariat)
    report = derive_scope(edition, actor=secretariat)
    assert report.objects_created == 1, report
    freeze_scope(
        edition,
        number=f"B/150/PP.00.05/{today.year}",
        date=today - dt.timedelta(days=21),
        actor=secretariat,
    )
    open_forms(edition, actor=secretariat)
    edition.refresh_from_db()
    assert edition.state == EditionState.FORMS_OPEN
    obj = ScopeObject.objects.get(edition=edition, innovation=innovation)
    assert obj.group == Group.KEBERLANJUTAN
    assert obj.award_year == AWARD_YEAR
    form = SelfAssessment.objects.get(edition=edition, object=obj)
    return PkriCast(edition=edition, innovation=innovation, object=obj, form=form)


def evaluate_and_publish(cast: PkriCast, secretariat: Person) -> None:
    """Forms closed → desk evaluation → shortlist → interviews → plenary → results.

    Domain functions where the stage has one; the scores evaluators and panelists would
    give on their sheets are written directly (desk 87.50, interview 90, final 88.50).
    """
    edition = cast.edition
    today = timezone.localdate()
    close_forms(edition, actor=secretariat)
    start = start_desk_evaluation(edition, actor=secretariat)
    assert start.forms == 1, start

    form = cast.form
    form.refresh_from_db()
    assert form.state == FormState.DESK_REVIEW
    # A still-running object with a legal basis and an SOP gets suggested levels.
    assert form.suggested_levels, form.suggested_levels
    form.desk_score = Decimal("87.50")
    form.state = FormState.DESK_EVALUATED
    form.save(update_fields=["desk_score", "state", "updated_at"])

    publish_shortlist(edition, number=f"B/300/PP.00.05/{today.year}", date=today, actor=secretariat)
    form.refresh_from_db()
    assert form.state == FormState.SHORTLISTED

    # Interviews (panel sheets stand in as direct scores), then the plenary.
    advance_edition(edition, actor=secretariat, reason="Wawancara dibuka.")
    assert edition.state == EditionState.INTERVIEWS
    form.interview_score = Decimal("90.00")
    form.final_score = Decimal("88.50")
    form.rank = 1
    form.state = FormState.INTERVIEWED
    form.save(update_fields=["interview_score", "final_score", "rank", "state", "updated_at"])
    advance_edition(edition, actor=secretariat, reason="Rapat pleno.")
    assert edition.state == EditionState.PLENARY

    category = AwardCategory.objects.get(edition=edition, group=Group.KEBERLANJUTAN)
    propose_awards(
        category,
        [
            ProposedRecipient(
                institution_id=cast.innovation.institution_id,
                innovation_id=cast.innovation.pk,
                unit_id=cast.object.unit_id,
                rank=1,
                score=Decimal("88.50"),
            )
        ],
        actor=secretariat,
    )
    assert decide_awards(category, actor=secretariat) == 1
    publish_results(edition, number=f"B/400/PP.00.05/{today.year}", date=today, actor=secretariat)
    edition.refresh_from_db()
    assert edition.is_published
    assert edition.state == EditionState.RESULTS
    form.refresh_from_db()
    assert form.state == FormState.AWARDED
