"""Creating a PKRI edition on the web (pkri.md §5): ``/pkri/baru/``, the secretariat's.

The upload of the edition's YAML rule file goes through the same checks as
``prima pkri edition create FILE`` (`interfaces.edition_upload.read_rules_upload`, then
`domain.editions.create_edition`, which loads the instrument the rules name). Every
problem is listed with its path; nothing is created while there is one.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from prima.core.domain.errors import DomainError
from prima.core.domain.errors import PermissionDenied as DomainPermissionDenied
from prima.core.interfaces.forms import StyledFormMixin
from prima.evaluation.domain.yamlcheck import Problem
from prima.evaluation.models import Instrument
from prima.innovations.enums import Programme
from prima.pkri.domain.editions import create_edition
from prima.pkri.interfaces.edition_upload import MAX_BYTES, read_rules_upload
from prima.pkri.queries import is_secretariat


class EditionUploadForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Berkas aturan penyelenggaraan (YAML)"),
        help_text=gettext_lazy(
            "Seperti editions/pkri-2024.yaml; kode dan tahun penyelenggaraan diambil dari "
            "bagian edition."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".yaml,.yml,text/yaml"}),
    )


@login_required
def edition_create(request: HttpRequest) -> HttpResponse:
    """Upload the rule file; on success the new edition's dashboard."""
    if not is_secretariat(request.user):
        raise PermissionDenied
    form = EditionUploadForm(request.POST or None, request.FILES or None)
    problems: list[Problem] = []
    error = ""
    if request.method == "POST" and form.is_valid():
        data, problems = read_rules_upload(form.cleaned_data["file"])
        if data is not None:
            try:
                edition = create_edition(data, actor=request.user)
            except DomainPermissionDenied as refusal:
                raise PermissionDenied(refusal.message) from refusal
            except DomainError as refusal:
                error = refusal.message
            else:
                messages.success(
                    request,
                    _(
                        "Penyelenggaraan %(code)s «%(title)s» dibuat dengan instrumen "
                        "%(instrument)s versi %(version)s; tahap «%(state)s» dibuka."
                    )
                    % {
                        "code": edition.code,
                        "title": edition.title,
                        "instrument": edition.instrument.code,
                        "version": edition.instrument.version,
                        "state": edition.get_state_display(),
                    },
                )
                return redirect("pkri_edition_dashboard", code=edition.code)
    context: dict[str, Any] = {
        "form": form,
        "problems": problems,
        "error": error,
        "max_kb": MAX_BYTES // 1024,
        "instruments": Instrument.objects.filter(programme=Programme.PKRI).order_by(
            "code", "version"
        ),
    }
    failed = request.method == "POST" and (problems or error or not form.is_valid())
    return render(request, "pkri/scope/edition_create.html", context, status=422 if failed else 200)
