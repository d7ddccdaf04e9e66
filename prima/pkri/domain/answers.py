"""Reading a form's frozen answers (pkri.md §5.2: submission freezes a snapshot).

`forms.build_snapshot` keeps the answers under ``snapshot["data"]`` beside the target
and the files; every reader goes through here so none reads the wrong level.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Q

from prima.pkri.models import SelfAssessment


def frozen_answers(form: SelfAssessment) -> Mapping[str, Any]:
    """The answers frozen at submission, or the working answers of an unsubmitted form."""
    snapshot = form.snapshot
    if not isinstance(snapshot, Mapping):
        return form.data if isinstance(form.data, Mapping) else {}
    inner = snapshot.get("data")
    return inner if isinstance(inner, Mapping) else {}


def still_running_q(value: bool) -> Q:
    """Forms whose frozen answer `still_running` is ``value`` (working answers when the
    form has no snapshot)."""
    return Q(snapshot__data__still_running=value) | Q(
        snapshot__isnull=True, data__still_running=value
    )
