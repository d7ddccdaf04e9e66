"""Test data for the public benefit rating pages and API (kipp.md §14): an edition whose
rating window is open, not yet open or closed relative to today, announced finalists,
signed-in citizens (browser session or bearer token) and ratings through the domain."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from prima.core.citizen_session import SESSION_KEY
from prima.core.domain.citizens import issue_citizen_token
from prima.core.models import Citizen
from prima.evaluation.enums import EditionState
from prima.evaluation.models import Edition
from prima.kipp.domain.benefit import rateable_proposals, submit_rating
from prima.kipp.enums import ProposalState
from prima.kipp.models import BenefitRating, Proposal, RatingRelationship
from tests.factories import CitizenFactory, InnovationFactory
from tests.kipp.factories import (
    EditionFactory,
    ProposalFactory,
    announce_finalists,
    rules_from_file,
)

# Days from today to the window's first and last day (WIB days, both included).
WINDOWS = {"open": (-1, 1), "not_yet": (2, 5), "closed": (-6, -2)}


def window_days(state: str) -> list[str]:
    today = timezone.localdate()
    first, last = WINDOWS[state]
    return [str(today + dt.timedelta(days=first)), str(today + dt.timedelta(days=last))]


def rating_edition(state: str = "open", **kwargs: Any) -> Edition:
    """A published 2025-rules edition in its final stage with the rating window in `state`."""
    rules = rules_from_file()
    rules["calendar"]["public_benefit_rating"] = window_days(state)
    kwargs.setdefault("is_published", True)
    return EditionFactory(rules=rules, stages=EditionState.FINAL_STAGE, **kwargs)


def set_window(edition: Edition, state: str) -> None:
    rules = dict(edition.rules)
    rules["calendar"] = {**rules["calendar"], "public_benefit_rating": window_days(state)}
    edition.rules = rules
    edition.save(update_fields=["rules"])


def inside_window(edition: Edition) -> dt.datetime:
    """10:00 WIB on the window's first day: when ratings of a closed edition were given."""
    first = dt.date.fromisoformat(edition.rules["calendar"]["public_benefit_rating"][0])
    return dt.datetime.combine(first, dt.time(10), timezone.get_current_timezone())


def announced(edition: Edition, *specs: tuple[Any, str], category: str = "AC4") -> list[Proposal]:
    """New finalists (unit, title), added to the edition's finalist announcement (a new
    published announcement listing the earlier finalists and these)."""
    proposals = [
        ProposalFactory(
            edition=edition,
            innovation=InnovationFactory(unit=unit, name=title),
            state=ProposalState.CONFIRMED_FINALIST,
            participant_state=ProposalState.CONFIRMED_FINALIST,
            category=category,
        )
        for unit, title in specs
    ]
    announce_finalists(edition, [*rateable_proposals(edition), *proposals])
    return proposals


def more_finalists(edition: Edition, n: int, *, ratings: int = 0) -> list[Proposal]:
    """`n` more announced finalists («Inovasi 0» …), each with `ratings` ratings."""
    added = [
        ProposalFactory(edition=edition, title=f"Inovasi {i}", state=ProposalState.FINALIST)
        for i in range(n)
    ]
    announce_finalists(edition, [*rateable_proposals(edition), *added])
    for proposal in added:
        many_ratings(proposal, ratings)
    return added


def queries_of(fn: Any) -> int:
    """How many queries `fn()` issues (the first size of a constant-queries check)."""
    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured.captured_queries)


def citizen_client(citizen: Citizen) -> Client:
    """A browser whose session holds the verified citizen (as `login_citizen` leaves it)."""
    client = Client()
    session = client.session
    session[SESSION_KEY] = citizen.pk
    session.save()
    return client


def citizen_headers(citizen: Citizen) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_citizen_token(citizen)}"}


def rate(
    proposal: Proposal,
    *,
    citizen: Citizen | None = None,
    address: str = "203.0.113.7",
    now: dt.datetime | None = None,
    **answers: Any,
) -> BenefitRating:
    """A rating through the domain, inside the window (also for a closed edition)."""
    fields = {
        "relationship": RatingRelationship.USED_MYSELF,
        "benefit": 4,
        "adoption": 5,
        "affiliated": False,
        "comment": "",
        **answers,
    }
    return submit_rating(
        citizen=citizen or CitizenFactory(),
        proposal=proposal,
        address=address,
        now=now or inside_window(proposal.edition),
        **fields,
    )


def many_ratings(proposal: Proposal, n: int, **answers: Any) -> list[BenefitRating]:
    """`n` citizens rate from `n` different networks (so rule 5 never fires)."""
    return [rate(proposal, address=f"10.{i // 250}.{i % 250}.1", **answers) for i in range(n)]
