"""Changes around an innovation: status, publication, evidence, replication links, awards."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from prima.core.domain.errors import DomainError, StaleVersion
from prima.core.views import signed_in_person
from prima.innovations.domain.awards import record_award
from prima.innovations.domain.evidence import add_evidence, remove_evidence
from prima.innovations.domain.innovations import (
    change_innovation_status,
    publish_innovation,
    unpublish_innovation,
)
from prima.innovations.domain.permissions import may_edit, may_record_awards
from prima.innovations.domain.replication import link_replication, unlink_replication
from prima.innovations.interfaces.forms import AwardForm, EvidenceForm, ReplicationForm, StatusForm
from prima.innovations.models import Evidence, ReplicationLink
from prima.innovations.queries import (
    evidence_downloadable_by,
    innovations_visible_to,
    replication_candidates,
)
from prima.innovations.views.common import add_domain_error, innovation_for

SEARCH_RESULTS = 20


@login_required
def innovation_status(request: HttpRequest, pk: int) -> HttpResponse:
    innovation = innovation_for(request, pk, edit=True)
    form = StatusForm(
        request.POST or None,
        initial={"status": innovation.status, "version": innovation.version},
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            change_innovation_status(
                innovation,
                actor=signed_in_person(request),
                status=cd["status"],
                reason=cd["reason"],
                changed_on=cd["changed_on"],
                expected_version=cd["version"],
            )
        except StaleVersion as error:
            add_domain_error(form, error)
            status = 409
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Status inovasi telah diubah."))
            return redirect("innovation_detail", pk=innovation.pk)
    return render(
        request,
        "innovations/status_form.html",
        {"form": form, "innovation": innovation},
        status=status,
    )


@login_required
@require_POST
def innovation_publish(request: HttpRequest, pk: int) -> HttpResponse:
    innovation = innovation_for(request, pk, edit=True)
    publish = request.POST.get("action") != "unpublish"
    try:
        if publish:
            publish_innovation(innovation, actor=signed_in_person(request))
            messages.success(request, _("Inovasi kini tampil di katalog publik."))
        else:
            unpublish_innovation(innovation, actor=signed_in_person(request))
            messages.success(request, _("Inovasi telah ditarik dari katalog publik."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("innovation_detail", pk=innovation.pk)


@login_required
def innovation_evidence_add(request: HttpRequest, pk: int) -> HttpResponse:
    innovation = innovation_for(request, pk, edit=True)
    form = EvidenceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            add_evidence(
                innovation,
                actor=signed_in_person(request),
                upload=cd["file"],
                description=cd["description"],
                is_public=cd["is_public"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Bukti dukung telah diunggah."))
            return redirect("innovation_detail", pk=innovation.pk)
    return render(
        request,
        "innovations/evidence_form.html",
        {"form": form, "innovation": innovation, "max_size": settings.UPLOAD_MAX_BYTES},
    )


@login_required
@require_POST
def evidence_remove(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = get_object_or_404(
        Evidence.objects.select_related("innovation").filter(
            innovation__in=innovations_visible_to(request.user).values("pk")
        ),
        pk=pk,
    )
    if not may_edit(request.user, evidence.innovation):
        raise PermissionDenied
    try:
        remove_evidence(evidence, actor=signed_in_person(request))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Bukti dukung «%s» telah dihapus.") % evidence.original_name)
    return redirect("innovation_detail", pk=evidence.innovation_id)


def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    """Serve an evidence file after the permission check; never through MEDIA_URL."""
    evidence = get_object_or_404(evidence_downloadable_by(request.user), pk=pk)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    # Evidence is PDF or an image, checked from content at upload: safe to show inline.
    response = FileResponse(
        handle,
        content_type=evidence.content_type,
        as_attachment=False,
        filename=evidence.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    public = evidence.is_public and evidence.innovation.is_published
    response["Cache-Control"] = "public, max-age=3600" if public else "private, no-store"
    return response


@login_required
def innovation_replication_add(request: HttpRequest, pk: int) -> HttpResponse:
    innovation = innovation_for(request, pk, edit=True)
    candidates = replication_candidates(request.user, innovation)
    q = request.GET.get("q", "").strip()
    results = []
    if q:
        results = list(
            candidates.filter(Q(name__icontains=q) | Q(acronym__icontains=q)).order_by("name")[
                :SEARCH_RESULTS
            ]
        )
    form = ReplicationForm(request.POST or None)
    chosen = None
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        chosen = candidates.filter(pk=cd["source"]).first()
        if chosen is None:
            form.add_error(None, _("Inovasi sumber tidak ditemukan; cari dan pilih kembali."))
        else:
            try:
                link_replication(
                    innovation,
                    chosen,
                    cd["replicated_on"],
                    cd["adaptation"],
                    cd["differences"],
                    actor=signed_in_person(request),
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(
                    request, _("Tautan replikasi dari «%s» telah dicatat.") % chosen.name
                )
                return redirect("innovation_detail", pk=innovation.pk)
    elif request.method == "POST" and str(request.POST.get("source", "")).isdigit():
        chosen = candidates.filter(pk=int(request.POST["source"])).first()
    return render(
        request,
        "innovations/replication_form.html",
        {
            "form": form,
            "innovation": innovation,
            "q": q,
            "results": results,
            "chosen": chosen,
            "max_results": SEARCH_RESULTS,
        },
    )


@login_required
@require_POST
def replication_remove(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(
        ReplicationLink.objects.select_related("replica", "source").filter(
            replica__in=innovations_visible_to(request.user).values("pk")
        ),
        pk=pk,
    )
    if not may_edit(request.user, link.replica):
        raise PermissionDenied
    try:
        unlink_replication(link, actor=signed_in_person(request))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Tautan replikasi dari «%s» telah dihapus.") % link.source.name)
    return redirect("innovation_detail", pk=link.replica_id)


@login_required
def innovation_award_add(request: HttpRequest, pk: int) -> HttpResponse:
    innovation = innovation_for(request, pk)
    if not may_record_awards(request.user):
        raise PermissionDenied
    form = AwardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            record_award(
                innovation,
                actor=signed_in_person(request),
                programme=cd["programme"],
                year=cd["year"],
                tier=cd["tier"],
                level=cd["level"],
                decree_ref=cd["decree_ref"],
                group=cd["group"],
                decree_date=cd["decree_date"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Riwayat penghargaan telah dicatat."))
            return redirect("innovation_detail", pk=innovation.pk)
    return render(request, "innovations/award_form.html", {"form": form, "innovation": innovation})
