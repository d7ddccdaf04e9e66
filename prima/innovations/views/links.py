"""The replication-link review pages (pkri.md §9): the queue with its status tabs, a link's
page with its history, the export, and the review actions (confirm, verify, reject,
reopen). Who may act is decided by `prima.innovations.domain.link_review`; the pages only
hide what the domain would refuse."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from prima.core.access import access_for
from prima.core.domain.errors import DomainError
from prima.core.domain.errors import PermissionDenied as NotAllowed
from prima.core.interfaces.listing import paginate
from prima.core.views import signed_in_person
from prima.core.views_accounts.guards import safe_next
from prima.innovations.domain import link_review
from prima.innovations.enums import LinkStatus
from prima.innovations.interfaces.links import (
    LinkFilterForm,
    ReviewNoteForm,
    ReviewReasonForm,
    export_links,
)
from prima.innovations.models import ReplicationLink
from prima.innovations.queries import innovations_visible_to, province_code_of
from prima.innovations.queries_links import (
    apply_link_filters,
    apply_link_filters_except_status,
    link_history,
    links_for_review,
    may_open_link_review,
    status_counts,
    with_link_relations,
)

STATUS_TABS = [("", _("Semua")), *LinkStatus.choices]


def _queue(request: HttpRequest) -> LinkFilterForm:
    if not may_open_link_review(request.user):
        raise PermissionDenied
    return LinkFilterForm(request.GET, national=access_for(request.user).is_secretariat)


@login_required
def link_list(request: HttpRequest) -> HttpResponse:
    form = _queue(request)
    filters = form.filters()
    scoped = links_for_review(request.user)
    counts = status_counts(apply_link_filters_except_status(scoped, filters, request.user))
    qs = with_link_relations(apply_link_filters(scoped, filters, request.user))
    page = paginate(request, qs)
    rows = [(link, link_review.allowed_actions(request.user, link)) for link in page.object_list]
    return render(
        request,
        "innovations/jipp/links/list.html",
        {
            "form": form,
            "filters": filters,
            "page": page,
            "rows": rows,
            "tabs": [(code, label, counts.get(code, 0)) for code, label in STATUS_TABS],
            "can_bulk_verify": access_for(request.user).is_secretariat,
            "reason_min": link_review.REASON_MIN,
        },
    )


@login_required
def link_export(request: HttpRequest) -> HttpResponse:
    form = _queue(request)
    qs = apply_link_filters(links_for_review(request.user), form.filters(), request.user)
    return export_links(with_link_relations(qs), request.GET.get("format", "csv"))


def _status_label(state: Any) -> str:
    """The status an audit entry's before/after records, in words ("" if none)."""
    code = state.get("status") if isinstance(state, dict) else None
    return str(LinkStatus(code).label) if code in LinkStatus.values else ""


def _link(request: HttpRequest, pk: int) -> ReplicationLink:
    """The link if it is in the person's queue (404 otherwise)."""
    if not may_open_link_review(request.user):
        raise PermissionDenied
    return get_object_or_404(with_link_relations(links_for_review(request.user)), pk=pk)


def _detail(
    request: HttpRequest,
    link: ReplicationLink,
    *,
    reject_form: ReviewReasonForm | None = None,
    reopen_form: ReviewReasonForm | None = None,
    status: int = 200,
) -> HttpResponse:
    visible = set(
        innovations_visible_to(request.user)
        .filter(pk__in=[link.replica_id, link.source_id])
        .values_list("pk", flat=True)
    )
    history = [
        (entry, _status_label(entry.before), _status_label(entry.after))
        for entry in link_history(link)
    ]
    return render(
        request,
        "innovations/jipp/links/detail.html",
        {
            "link": link,
            "actions": link_review.allowed_actions(request.user, link),
            "replica_province": province_code_of(link.replica),
            "source_province": province_code_of(link.source),
            "replica_internal": link.replica_id in visible,
            "source_internal": link.source_id in visible,
            "history": history,
            "note_form": ReviewNoteForm(auto_id="id_note_%s"),
            "reject_form": reject_form or ReviewReasonForm(auto_id="id_reject_%s"),
            "reopen_form": reopen_form or ReviewReasonForm(auto_id="id_reopen_%s"),
            "reason_min": link_review.REASON_MIN,
        },
        status=status,
    )


@login_required
def link_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _link(request, pk))


Review = Callable[..., ReplicationLink]

DONE = {
    link_review.CONFIRM: _("Klaim replikasi «%(replica)s» ← «%(source)s» telah dikonfirmasi."),
    link_review.VERIFY: _("Tautan replikasi «%(replica)s» ← «%(source)s» telah diverifikasi."),
    link_review.REJECT: _("Tautan replikasi «%(replica)s» ← «%(source)s» telah ditolak."),
    link_review.REOPEN: _(
        "Tautan replikasi «%(replica)s» ← «%(source)s» dibuka kembali sebagai klaim."
    ),
}


def _done(request: HttpRequest, action: str, link: ReplicationLink) -> HttpResponse:
    names = {"replica": link.replica.name, "source": link.source.name}
    messages.success(request, str(DONE[action]) % names)
    return redirect(safe_next(request, reverse("jipp_link_detail", args=[link.pk])))


def _with_note(request: HttpRequest, pk: int, action: str, review: Review) -> HttpResponse:
    link = _link(request, pk)
    form = ReviewNoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else str(request.POST.get("note", ""))
    try:
        review(link, actor=signed_in_person(request), note=note)
    except NotAllowed as refusal:
        raise PermissionDenied(refusal.message) from refusal
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(safe_next(request, reverse("jipp_link_detail", args=[link.pk])))
    return _done(request, action, link)


def _with_reason(request: HttpRequest, pk: int, action: str, review: Review) -> HttpResponse:
    link = _link(request, pk)
    prefix = "reject" if action == link_review.REJECT else "reopen"
    form = ReviewReasonForm(request.POST, auto_id=f"id_{prefix}_%s")
    try:
        review(link, actor=signed_in_person(request), reason=str(request.POST.get("reason", "")))
    except NotAllowed as refusal:
        raise PermissionDenied(refusal.message) from refusal
    except DomainError as error:
        form.is_valid()
        field = "reason" if error.field == "reason" else None
        form.errors.pop("reason", None)
        form.add_error(field, error.message)
        # The page shows the typed reason again with the refusal beside it.
        kwargs: dict[str, Any] = {f"{prefix}_form": form}
        return _detail(request, link, status=422, **kwargs)
    return _done(request, action, link)


@login_required
@require_POST
def link_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    return _with_note(request, pk, link_review.CONFIRM, link_review.confirm_replication_link)


@login_required
@require_POST
def link_verify(request: HttpRequest, pk: int) -> HttpResponse:
    return _with_note(request, pk, link_review.VERIFY, link_review.verify_replication_link)


@login_required
@require_POST
def link_reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _with_reason(request, pk, link_review.REJECT, link_review.reject_replication_link)


@login_required
@require_POST
def link_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    return _with_reason(request, pk, link_review.REOPEN, link_review.reopen_replication_link)


@login_required
@require_POST
def link_verify_bulk(request: HttpRequest) -> HttpResponse:
    """The secretariat verifies the links ticked on the queue page, all or none."""
    if not access_for(request.user).is_secretariat:
        raise PermissionDenied
    ids = [int(value) for value in request.POST.getlist("link") if value.isdigit()]
    back = safe_next(request, reverse("jipp_link_list"))
    try:
        links = link_review.verify_links(ids, actor=signed_in_person(request))
    except NotAllowed as refusal:
        raise PermissionDenied(refusal.message) from refusal
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("%(n)s tautan replikasi telah diverifikasi.") % {"n": len(links)}
        )
    return redirect(back)
