"""Who may write awards (the secretariat, a superuser too, for every programme) and when an
edition's awards are public."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from prima.core.access import access_for
from prima.core.domain.errors import PermissionDenied
from prima.evaluation.enums import EditionState
from prima.evaluation.models import Edition

# From here on an edition's results are frozen; once published they are public
# (the same states as `prima.pkri.domain.stages.RESULTS_STATES`, for every programme).
RESULTS_STATES = frozenset(
    {EditionState.RESULTS, EditionState.DECREED, EditionState.AWARDED, EditionState.CLOSED}
)


def is_secretariat(actor: Any) -> bool:
    access = access_for(actor)
    return access.is_secretariat or access.is_superuser


def require_secretariat(actor: Any, message: str = "") -> None:
    """Refuse anyone but the secretariat (awards are decided nationally)."""
    if not is_secretariat(actor):
        raise PermissionDenied(message or _("Hanya sekretariat yang dapat mengelola penghargaan."))


def results_are_public(edition: Edition) -> bool:
    """The edition is published and in a results state: its awards are public."""
    return bool(edition.is_published) and edition.state in RESULTS_STATES


def results_public(person: Any, edition: Edition) -> bool:
    """Whether `person` may read the edition's results and awards: national readers
    always, everyone else once they are public. The one predicate for pages, downloads,
    the API and the PKRI result pages."""
    access = access_for(person)
    return access.reads_nationally or access.is_superuser or results_are_public(edition)
