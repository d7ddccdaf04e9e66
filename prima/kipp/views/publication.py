"""Secretariat pages of the publication vertical (kipp.md §12, §13, §15).

Announcements (draft, preview, publish), the objection queue and its resolutions, the
presentation schedule (with the Admin Lokal's presenter confirmation), field visits,
the decree, the award event, disqualification and revocation. Every write goes through
`prima.kipp.domain`; the pages only collect input and show refusals.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from prima.core.access import access_for
from prima.core.documents import pdf_response
from prima.core.domain.errors import DomainError
from prima.core.interfaces.forms import StyledFormMixin
from prima.core.interfaces.listing import paginate
from prima.core.views import signed_in_person
from prima.evaluation.enums import EditionState
from prima.evaluation.models import Edition, Stage
from prima.kipp.domain.announcements import (
    REVEALS,
    AnnouncementData,
    attached_list,
    create_announcement,
    discard_announcement,
    publish_announcement,
    update_announcement,
)
from prima.kipp.domain.awards import (
    DECREE_FROM,
    DECREED_STATES,
    DISQUALIFIABLE,
    decree_tiers,
    disqualify,
    record_award_event,
    record_decree,
    revoke_tier,
)
from prima.kipp.domain.objections import (
    RESOLUTIONS,
    close_objection_window,
    current_window,
    objections_visible_to,
    resolve_objection,
)
from prima.kipp.domain.schedule import (
    confirm_presenter,
    field_verification_enabled,
    may_confirm_presenter,
    presentation_enabled,
    record_field_visit,
    schedule_presentations,
    slot_minutes,
    slots_visible_to,
)
from prima.kipp.enums import (
    AnnouncementKind,
    DisqualificationReason,
    ObjectionStatus,
    ProposalState,
    SlotMode,
    VisitOutcome,
)
from prima.kipp.interfaces.announcement_pdf import pdf_filename, render_announcement_pdf
from prima.kipp.models import (
    Announcement,
    Decree,
    FieldVisit,
    Objection,
    PresentationSlot,
    Proposal,
)

S = ProposalState
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
FINALIST_ON = (
    S.FINALIST,
    S.UNDER_OBJECTION,
    S.CONFIRMED_FINALIST,
    S.PRESENTED,
    S.FIELD_VERIFICATION,
    S.WINNER,
    S.FINALIST_ONLY,
    S.DECREED,
    S.AWARDED,
)


# --------------------------------------------------------------------------- helpers


def _require_secretariat(request: HttpRequest) -> None:
    access = access_for(request.user)
    if not (access.is_secretariat or access.is_superuser):
        raise PermissionDenied


def _edition(code: str) -> Edition:
    return get_object_or_404(Edition, code=code, programme="kipp")


def _secretariat_edition(request: HttpRequest, code: str) -> Edition:
    _require_secretariat(request)
    return _edition(code)


def _add_error(form: forms.Form, error: DomainError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def _submit(request: HttpRequest, form: forms.Form, write: Callable[[dict[str, Any]], str]) -> bool:
    """On a valid POST, ``write`` the cleaned data and show the message it returns.

    A refusal (DomainError) becomes an error on the form. True when the write went through.
    """
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        message = write(form.cleaned_data)
    except DomainError as error:
        _add_error(form, error)
        return False
    messages.success(request, message)
    return True


def _act(request: HttpRequest, write: Callable[[], str]) -> bool:
    """Run a write of a button (no form); its message, or the refusal, becomes a flash."""
    try:
        message = write()
    except DomainError as error:
        messages.error(request, error.message)
        return False
    messages.success(request, message)
    return True


# --------------------------------------------------------------------------- forms


class AnnouncementForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Jenis"), choices=AnnouncementKind.choices)
    number = forms.CharField(
        label=gettext_lazy("Nomor surat"),
        max_length=60,
        help_text=gettext_lazy("Pola: B/{nomor}/PP.00.05/{tahun}, misalnya B/88/PP.00.05/2021."),
    )
    date = forms.DateField(label=gettext_lazy("Tanggal surat"), widget=DATE_WIDGET)
    title = forms.CharField(label=gettext_lazy("Judul"), max_length=200)
    body = forms.CharField(
        label=gettext_lazy("Isi"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    signatory_name = forms.CharField(label=gettext_lazy("Nama penanda tangan"), max_length=150)
    signatory_position = forms.CharField(
        label=gettext_lazy("Jabatan penanda tangan"), max_length=150
    )
    new_close = forms.DateTimeField(
        label=gettext_lazy("Batas pendaftaran baru (WIB)"),
        required=False,
        widget=DATETIME_WIDGET,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=gettext_lazy("Hanya untuk pengumuman perpanjangan pendaftaran."),
    )
    corrects = forms.ModelChoiceField(
        label=gettext_lazy("Meralat pengumuman"),
        queryset=Announcement.objects.none(),
        required=False,
        help_text=gettext_lazy("Isi bila pengumuman ini ralat atas pengumuman yang sudah terbit."),
    )

    def __init__(self, *args: Any, edition: Edition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["corrects"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Announcement.objects.filter(
            edition=edition, published_at__isnull=False
        ).order_by("-published_at")

    def data_object(self) -> AnnouncementData:
        cd = self.cleaned_data
        return AnnouncementData(
            kind=cd["kind"],
            number=cd["number"],
            date=cd["date"],
            title=cd["title"],
            body=cd["body"],
            signatory_name=cd["signatory_name"],
            signatory_position=cd["signatory_position"],
            new_close=cd["new_close"],
            corrects=cd["corrects"],
        )


class ResolveForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Hasil penanganan"),
        choices=[("", gettext_lazy("— pilih —")), *[(s.value, s.label) for s in RESOLUTIONS]],
    )
    resolution = forms.CharField(
        label=gettext_lazy("Tanggapan"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("Dikirim kepada penyanggah; bila diterima, juga kepada instansi."),
    )


class ScheduleForm(StyledFormMixin, forms.Form):
    first_day = forms.DateField(label=gettext_lazy("Hari pertama"), widget=DATE_WIDGET)
    last_day = forms.DateField(label=gettext_lazy("Hari terakhir"), widget=DATE_WIDGET)
    day_start = forms.TimeField(
        label=gettext_lazy("Jam mulai (WIB)"), widget=TIME_WIDGET, initial=dt.time(8, 0)
    )
    day_end = forms.TimeField(
        label=gettext_lazy("Jam selesai (WIB)"), widget=TIME_WIDGET, initial=dt.time(16, 0)
    )
    mode = forms.ChoiceField(label=gettext_lazy("Cara"), choices=SlotMode.choices)
    location = forms.CharField(
        label=gettext_lazy("Tempat atau tautan rapat"),
        max_length=300,
        help_text=gettext_lazy("Tautan rapat daring tidak ditampilkan di pengumuman publik."),
    )


class PresenterForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=gettext_lazy("Nama penyaji"), max_length=150)
    position = forms.CharField(
        label=gettext_lazy("Jabatan penyaji"),
        max_length=150,
        help_text=gettext_lazy(
            "Jabatan menentukan unsur kehadiran pimpinan, misalnya Wali Kota, Wakil Wali Kota "
            "atau Sekretaris Daerah."
        ),
    )


class FieldVisitForm(StyledFormMixin, forms.Form):
    visited_on = forms.DateField(label=gettext_lazy("Tanggal kunjungan"), widget=DATE_WIDGET)
    visitors = forms.CharField(
        label=gettext_lazy("Tim verifikasi"), widget=forms.Textarea(attrs={"rows": 2})
    )
    findings = forms.CharField(
        label=gettext_lazy("Temuan"), widget=forms.Textarea(attrs={"rows": 6})
    )
    outcome = forms.ChoiceField(
        label=gettext_lazy("Hasil"),
        choices=[("", gettext_lazy("— pilih —")), *VisitOutcome.choices],
    )


class DecreeForm(StyledFormMixin, forms.Form):
    number = forms.CharField(label=gettext_lazy("Nomor keputusan"), max_length=120)
    date = forms.DateField(label=gettext_lazy("Tanggal"), widget=DATE_WIDGET)
    title = forms.CharField(label=gettext_lazy("Judul keputusan"), max_length=300)
    file = forms.FileField(
        label=gettext_lazy("Berkas (PDF)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )


class EditionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.title)


class AwardEventForm(StyledFormMixin, forms.Form):
    editions = EditionChoiceField(
        label=gettext_lazy("Penyelenggaraan"),
        queryset=Edition.objects.order_by("-year", "title"),
        widget=forms.CheckboxSelectMultiple,
    )
    name = forms.CharField(label=gettext_lazy("Nama acara"), max_length=200)
    date = forms.DateField(label=gettext_lazy("Tanggal"), widget=DATE_WIDGET)
    venue = forms.CharField(label=gettext_lazy("Tempat"), max_length=200)


class DisqualifyForm(StyledFormMixin, forms.Form):
    reason = forms.ChoiceField(label=gettext_lazy("Alasan"), choices=DisqualificationReason.choices)
    evidence_note = forms.CharField(
        label=gettext_lazy("Bukti dan pertimbangan"), widget=forms.Textarea(attrs={"rows": 5})
    )


class RevokeForm(StyledFormMixin, forms.Form):
    amending_decree_no = forms.CharField(
        label=gettext_lazy("Nomor keputusan perubahan"), max_length=120
    )
    reason = forms.CharField(
        label=gettext_lazy("Alasan"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


# --------------------------------------------------------------------------- hub


@login_required
def kipp_publication_index(request: HttpRequest) -> HttpResponse:
    """KIPP editions with their publication state, for national readers (menu entry)."""
    access = access_for(request.user)
    if not (access.reads_nationally or access.is_superuser):
        raise PermissionDenied
    editions = (
        Edition.objects.filter(programme="kipp")
        .annotate(
            published_count=Count(
                "announcements",
                filter=Q(announcements__published_at__isnull=False),
                distinct=True,
            ),
            draft_count=Count(
                "announcements", filter=Q(announcements__published_at__isnull=True), distinct=True
            ),
            open_objections=Count(
                "proposals__objections",
                filter=Q(proposals__objections__status=ObjectionStatus.OPEN),
                distinct=True,
            ),
        )
        .order_by("-year", "title")
    )
    return render(
        request,
        "kipp/publication/index.html",
        {"page": paginate(request, editions), "is_secretariat": access.is_secretariat},
    )


@login_required
def kipp_publication_home(request: HttpRequest, code: str) -> HttpResponse:
    """The edition's publication desk: where the announcements, objections and results are."""
    edition = _secretariat_edition(request, code)
    announcements = Announcement.objects.filter(edition=edition).aggregate(
        drafts=Count("pk", filter=Q(published_at__isnull=True)),
        published=Count("pk", filter=Q(published_at__isnull=False)),
    )
    objections = dict(
        Objection.objects.filter(proposal__edition=edition)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    proposals = (
        Proposal.objects.filter(edition=edition, state__in=FINALIST_ON)
        .select_related("institution", "field_visit")
        .order_by("title", "pk")
    )
    state = request.GET.get("status", "")
    if state in FINALIST_ON:
        proposals = proposals.filter(state=state)
    page = paginate(request, proposals)
    rules = edition.rules or {}
    return render(
        request,
        "kipp/publication/home.html",
        {
            "edition": edition,
            "announcements": announcements,
            "objections": {
                "open": objections.get(ObjectionStatus.OPEN, 0),
                "total": sum(objections.values()),
            },
            "window": current_window(edition),
            "decrees": list(Decree.objects.filter(edition=edition)),
            "page": page,
            "states": [(s, S(s).label) for s in FINALIST_ON],
            "state": state,
            "presentation": presentation_enabled(rules),
            "field_verification": field_verification_enabled(rules),
            "disqualifiable": DISQUALIFIABLE,
            "revocable": DECREED_STATES,
        },
    )


# --------------------------------------------------------------------------- announcements


@login_required
def kipp_announcement_list(request: HttpRequest, code: str) -> HttpResponse:
    edition = _secretariat_edition(request, code)
    qs = (
        Announcement.objects.filter(edition=edition)
        .select_related("corrects")
        .order_by("-date", "-pk")
    )
    return render(
        request,
        "kipp/publication/announcement_list.html",
        {"edition": edition, "page": paginate(request, qs)},
    )


@login_required
def kipp_announcement_create(request: HttpRequest, code: str) -> HttpResponse:
    edition = _secretariat_edition(request, code)
    form = AnnouncementForm(
        request.POST or None, edition=edition, initial={"date": timezone.localdate()}
    )
    created: list[Announcement] = []

    def write(cd: dict[str, Any]) -> str:
        created.append(
            create_announcement(edition, form.data_object(), actor=signed_in_person(request))
        )
        return _("Draf pengumuman %s tersimpan.") % created[0].number

    if _submit(request, form, write):
        return redirect("kipp_announcement_publish", pk=created[0].pk)
    return render(
        request,
        "kipp/publication/announcement_form.html",
        {"edition": edition, "form": form, "announcement": None},
    )


def _draft(request: HttpRequest, pk: int) -> Announcement:
    _require_secretariat(request)
    return get_object_or_404(Announcement.objects.select_related("edition", "corrects"), pk=pk)


@login_required
def kipp_announcement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    announcement = _draft(request, pk)
    edition = announcement.edition
    if announcement.published_at is not None:
        messages.error(
            request,
            _(
                "Pengumuman yang sudah terbit tidak dapat diubah; "
                "buat ralat sebagai pengumuman baru."
            ),
        )
        return redirect("kipp_announcement_publish", pk=announcement.pk)
    initial = {
        "kind": announcement.kind,
        "number": announcement.number,
        "date": announcement.date,
        "title": announcement.title,
        "body": announcement.body,
        "signatory_name": announcement.signatory_name,
        "signatory_position": announcement.signatory_position,
        "new_close": (
            timezone.localtime(announcement.new_close) if announcement.new_close else None
        ),
        "corrects": announcement.corrects_id,
    }
    form = AnnouncementForm(request.POST or None, edition=edition, initial=initial)

    def write(cd: dict[str, Any]) -> str:
        update_announcement(announcement, form.data_object(), actor=signed_in_person(request))
        return _("Draf pengumuman tersimpan.")

    if _submit(request, form, write):
        return redirect("kipp_announcement_publish", pk=announcement.pk)
    return render(
        request,
        "kipp/publication/announcement_form.html",
        {"edition": edition, "form": form, "announcement": announcement},
    )


@login_required
def kipp_announcement_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the draft with a preview of the list it will attach; POST: publish it."""
    announcement = _draft(request, pk)
    edition = announcement.edition

    def write() -> str:
        publish_announcement(announcement, actor=signed_in_person(request))
        return _("Pengumuman %s telah terbit.") % announcement.number

    if request.method == "POST" and _act(request, write):
        return redirect("kipp_announcement_list", code=edition.code)
    published = announcement.published_at is not None
    listing = attached_list(announcement).rows
    hidden = 0
    if not published and announcement.kind in REVEALS:
        hidden = (
            Proposal.objects.filter(edition=edition, state__in=REVEALS[announcement.kind])
            .exclude(participant_state=F("state"))
            .count()
        )
    page = Paginator(listing, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "kipp/publication/announcement_publish.html",
        {
            "edition": edition,
            "announcement": announcement,
            "published": published,
            "page": page,
            "hidden": hidden,
            "opens_window": announcement.kind == AnnouncementKind.FINALISTS,
            "finalists_waiting": Proposal.objects.filter(edition=edition, state=S.FINALIST).count()
            if announcement.kind == AnnouncementKind.FINALISTS and not published
            else 0,
            "window_days": (edition.rules or {}).get("objection_window", {}) or {},
        },
    )


@login_required
def kipp_announcement_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The announcement's PDF for the secretariat: a draft is a preview marked «DRAF»."""
    announcement = _draft(request, pk)
    content = render_announcement_pdf(announcement, generated_at=timezone.now())
    return pdf_response(
        content, pdf_filename(announcement), private=announcement.published_at is None
    )


@login_required
@require_POST
def kipp_announcement_discard(request: HttpRequest, pk: int) -> HttpResponse:
    announcement = _draft(request, pk)
    code = announcement.edition.code

    def write() -> str:
        discard_announcement(announcement, actor=signed_in_person(request))
        return _("Draf pengumuman telah dihapus.")

    _act(request, write)
    return redirect("kipp_announcement_list", code=code)


# --------------------------------------------------------------------------- objections


@login_required
def kipp_objection_queue(request: HttpRequest, code: str) -> HttpResponse:
    edition = _secretariat_edition(request, code)
    qs = objections_visible_to(request.user).filter(proposal__edition=edition)
    status = request.GET.get("status", "")
    if status in ObjectionStatus.values:
        qs = qs.filter(status=status)
    stage = Stage.objects.filter(edition=edition, code=EditionState.OBJECTION_WINDOW).first()
    return render(
        request,
        "kipp/publication/objection_queue.html",
        {
            "edition": edition,
            "page": paginate(request, qs.order_by("status", "created_at", "pk")),
            "status": status,
            "statuses": ObjectionStatus.choices,
            "window": current_window(edition),
            "stage": stage,
            "now": timezone.now(),
        },
    )


@login_required
def kipp_objection_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    _require_secretariat(request)
    objection = get_object_or_404(objections_visible_to(request.user), pk=pk)
    form = ResolveForm(request.POST or None)

    def write(cd: dict[str, Any]) -> str:
        resolve_objection(
            objection,
            status=cd["status"],
            resolution=cd["resolution"],
            actor=signed_in_person(request),
        )
        return _("Sanggahan telah ditangani.")

    if _submit(request, form, write):
        return redirect("kipp_objection_queue", code=objection.proposal.edition.code)
    others = (
        objections_visible_to(request.user)
        .filter(proposal=objection.proposal)
        .exclude(pk=objection.pk)
    )
    return render(
        request,
        "kipp/publication/objection_resolve.html",
        {
            "objection": objection,
            "edition": objection.proposal.edition,
            "form": form,
            "others": list(others),
            "resolvable": objection.status
            in (ObjectionStatus.OPEN, ObjectionStatus.REFERRED_TO_PANEL),
        },
    )


@login_required
def kipp_objection_evidence(request: HttpRequest, pk: int) -> FileResponse:
    """The objector's evidence file, for the secretariat only; never through MEDIA_URL."""
    _require_secretariat(request)
    objection = get_object_or_404(objections_visible_to(request.user), pk=pk)
    if not objection.evidence:
        raise Http404
    try:
        handle = objection.evidence.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(handle, as_attachment=True)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def kipp_objection_window_close(request: HttpRequest, code: str) -> HttpResponse:
    edition = _secretariat_edition(request, code)

    def write() -> str:
        confirmed = close_objection_window(edition, actor=signed_in_person(request))
        return _("Uji publik ditutup; %(n)s finalis terkonfirmasi.") % {"n": len(confirmed)}

    _act(request, write)
    return redirect("kipp_objection_queue", code=edition.code)


# --------------------------------------------------------------------------- schedule


@login_required
def kipp_schedule(request: HttpRequest, code: str) -> HttpResponse:
    """The presentation schedule as a grid by day (secretariat: all; Admin Lokal: theirs)."""
    edition = _edition(code)
    access = access_for(request.user)
    if not (access.reads_nationally or access.is_superuser or access.admin_institution_ids):
        raise PermissionDenied
    slots = list(slots_visible_to(request.user, edition).order_by("starts_at", "pk"))
    days: dict[dt.date, list[PresentationSlot]] = defaultdict(list)
    for slot in slots:
        days[timezone.localtime(slot.starts_at).date()].append(slot)
    now = timezone.now()
    rows = [
        (
            day,
            [
                {
                    "slot": slot,
                    "end": slot.starts_at + dt.timedelta(minutes=slot.minutes),
                    "may_confirm": slot.starts_at > now
                    and slot.proposal.state == S.CONFIRMED_FINALIST
                    and may_confirm_presenter(request.user, slot),
                }
                for slot in day_slots
            ],
        )
        for day, day_slots in sorted(days.items())
    ]
    waiting = 0
    if access.is_secretariat:
        waiting = Proposal.objects.filter(
            edition=edition, state=S.CONFIRMED_FINALIST, slot__isnull=True
        ).count()
    return render(
        request,
        "kipp/publication/schedule.html",
        {
            "edition": edition,
            "days": rows,
            "waiting": waiting,
            "is_secretariat": access.is_secretariat,
            "presentation": presentation_enabled(edition.rules or {}),
        },
    )


@login_required
def kipp_schedule_generate(request: HttpRequest, code: str) -> HttpResponse:
    edition = _secretariat_edition(request, code)
    rules = edition.rules or {}
    window = (rules.get("calendar") or {}).get("presentation")
    initial: dict[str, Any] = {}
    if isinstance(window, list | tuple) and len(window) == 2:
        initial = {"first_day": window[0], "last_day": window[1]}
    form = ScheduleForm(request.POST or None, initial=initial)

    def write(cd: dict[str, Any]) -> str:
        slots = schedule_presentations(
            edition,
            first_day=cd["first_day"],
            last_day=cd["last_day"],
            day_start=cd["day_start"],
            day_end=cd["day_end"],
            mode=cd["mode"],
            location=cd["location"],
            actor=signed_in_person(request),
        )
        return _("%(n)s slot presentasi dijadwalkan.") % {"n": len(slots)}

    if _submit(request, form, write):
        return redirect("kipp_schedule", code=edition.code)
    return render(
        request,
        "kipp/publication/schedule_form.html",
        {"edition": edition, "form": form, "minutes": slot_minutes(rules)},
    )


@login_required
def kipp_presenter_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    slot = get_object_or_404(
        PresentationSlot.objects.select_related(
            "proposal", "proposal__institution", "proposal__edition"
        ),
        pk=pk,
    )
    if not slots_visible_to(request.user, slot.proposal.edition).filter(pk=slot.pk).exists():
        raise Http404
    if not may_confirm_presenter(request.user, slot):
        raise PermissionDenied
    form = PresenterForm(
        request.POST or None,
        initial={"name": slot.presenter_name, "position": slot.presenter_position},
    )

    def write(cd: dict[str, Any]) -> str:
        confirm_presenter(slot, cd["name"], cd["position"], actor=signed_in_person(request))
        return _("Penyaji telah dikonfirmasi.")

    if _submit(request, form, write):
        return redirect("kipp_schedule", code=slot.proposal.edition.code)
    return render(
        request,
        "kipp/publication/presenter_form.html",
        {
            "slot": slot,
            "edition": slot.proposal.edition,
            "form": form,
            "end": slot.starts_at + dt.timedelta(minutes=slot.minutes),
        },
    )


# --------------------------------------------------------------------------- results


def _proposal(request: HttpRequest, pk: int) -> Proposal:
    _require_secretariat(request)
    return get_object_or_404(
        Proposal.objects.select_related("edition", "institution", "innovation"), pk=pk
    )


@login_required
def kipp_field_visit(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk)
    visit = FieldVisit.objects.filter(proposal=proposal).first()
    form = FieldVisitForm(request.POST or None, initial={"visited_on": timezone.localdate()})

    def write(cd: dict[str, Any]) -> str:
        record_field_visit(
            proposal,
            visited_on=cd["visited_on"],
            visitors=cd["visitors"],
            findings=cd["findings"],
            outcome=cd["outcome"],
            actor=signed_in_person(request),
        )
        return _("Hasil verifikasi lapangan tersimpan.")

    if visit is None and _submit(request, form, write):
        return redirect("kipp_publication_home", code=proposal.edition.code)
    return render(
        request,
        "kipp/publication/field_visit_form.html",
        {
            "proposal": proposal,
            "edition": proposal.edition,
            "form": form,
            "visit": visit,
            "enabled": field_verification_enabled(proposal.edition.rules or {}),
        },
    )


@login_required
def kipp_decree_create(request: HttpRequest, code: str) -> HttpResponse:
    edition = _secretariat_edition(request, code)
    rules = edition.rules or {}
    candidates = list(
        Proposal.objects.filter(edition=edition, state__in=DECREE_FROM)
        .select_related("institution")
        .order_by("title", "pk")
    )
    preview = []
    for proposal in candidates:
        try:
            tiers, problem = decree_tiers(proposal, rules), ""
        except DomainError as error:
            tiers, problem = [], error.message
        preview.append({"proposal": proposal, "tiers": tiers, "problem": problem})
    form = DecreeForm(request.POST or None, request.FILES or None)

    def write(cd: dict[str, Any]) -> str:
        decree = record_decree(
            edition,
            number=cd["number"],
            date=cd["date"],
            title=cd["title"],
            file=cd["file"],
            actor=signed_in_person(request),
        )
        return _("Keputusan %s tercatat; proposal telah ditetapkan.") % decree.number

    if _submit(request, form, write):
        return redirect("kipp_publication_home", code=edition.code)
    return render(
        request,
        "kipp/publication/decree_form.html",
        {
            "edition": edition,
            "form": form,
            "preview": preview,
            "decrees": list(Decree.objects.filter(edition=edition)),
        },
    )


@login_required
def kipp_award_event_create(request: HttpRequest) -> HttpResponse:
    _require_secretariat(request)
    form = AwardEventForm(request.POST or None)

    def write(cd: dict[str, Any]) -> str:
        event = record_award_event(
            list(cd["editions"]),
            name=cd["name"],
            date=cd["date"],
            venue=cd["venue"],
            actor=signed_in_person(request),
        )
        return _("Acara penganugerahan «%s» tercatat.") % event.name

    if _submit(request, form, write):
        return redirect("kipp_public_editions")
    return render(request, "kipp/publication/award_event_form.html", {"form": form})


def _proposal_action(
    request: HttpRequest,
    pk: int,
    form_class: type[forms.Form],
    write: Callable[[Proposal, dict[str, Any]], str],
    template: str,
    allowed: Any,
) -> HttpResponse:
    """A form that acts on one proposal (disqualify, revoke); ``allowed`` are its states."""
    proposal = _proposal(request, pk)
    form = form_class(request.POST or None)
    if _submit(request, form, lambda cd: write(proposal, cd)):
        return redirect("kipp_publication_home", code=proposal.edition.code)
    return render(
        request,
        template,
        {
            "proposal": proposal,
            "edition": proposal.edition,
            "form": form,
            "allowed": proposal.state in allowed,
        },
    )


@login_required
def kipp_disqualify(request: HttpRequest, pk: int) -> HttpResponse:
    def write(proposal: Proposal, cd: dict[str, Any]) -> str:
        disqualify(
            proposal,
            reason=cd["reason"],
            evidence_note=cd["evidence_note"],
            actor=signed_in_person(request),
        )
        return _("Proposal «%s» didiskualifikasi.") % proposal.title

    return _proposal_action(
        request, pk, DisqualifyForm, write, "kipp/publication/disqualify_form.html", DISQUALIFIABLE
    )


@login_required
def kipp_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    def write(proposal: Proposal, cd: dict[str, Any]) -> str:
        revoke_tier(
            proposal,
            amending_decree_no=cd["amending_decree_no"],
            reason=cd["reason"],
            actor=signed_in_person(request),
        )
        return _("Penghargaan «%s» telah dicabut.") % proposal.title

    return _proposal_action(
        request, pk, RevokeForm, write, "kipp/publication/revoke_form.html", DECREED_STATES
    )
