"""The person's own profile."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from prima.core.views import ProfileForm, current_person, save_profile


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    person = current_person(request)
    form = ProfileForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid() and save_profile(request, form):
        messages.success(request, _("Profil tersimpan."))
        return redirect("profile")
    memberships = list(
        person.memberships.filter(is_active=True)
        .select_related("institution", "unit")
        .order_by("role")
    )
    return render(
        request,
        "core/accounts/profile.html",
        {"form": form, "memberships": memberships},
        status=400 if form.errors else 200,
    )
