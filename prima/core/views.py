"""Home, dashboard and the first-login gates."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from prima.core.domain import audit
from prima.core.interfaces.forms import StyledFormMixin
from prima.core.models import Person


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "core/home.html")


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "core/dashboard.html")


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class ProfileForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Person
        fields = ["full_name", "position", "nip", "phone", "email"]
        labels = {"email": gettext_lazy("Surel")}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for name in ("full_name", "position", "phone", "email"):
            self.fields[name].required = True


@login_required
def profile_complete(request: HttpRequest) -> HttpResponse:
    person = request.user
    assert isinstance(person, Person)
    form = ProfileForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            before = audit.snapshot(person, ProfileForm.Meta.fields)
            form.save(commit=False)
            person.must_complete_profile = False
            person.save()
            audit.record(
                actor=person,
                action="person.profile_completed",
                obj=person,
                before=before,
                after=audit.snapshot(person, ProfileForm.Meta.fields),
            )
        messages.success(request, _("Profil tersimpan."))
        return redirect("password_change" if person.must_change_password else "dashboard")
    return render(request, "core/profile_complete.html", {"form": form})


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change.html"
    success_url = reverse_lazy("dashboard")

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        person = self.request.user
        assert isinstance(person, Person)
        with transaction.atomic():
            response = super().form_valid(form)
            person.must_change_password = False
            person.save(update_fields=["must_change_password"])
            audit.record(actor=person, action="person.password_changed", obj=person)
        messages.success(self.request, _("Kata sandi telah diganti."))
        return response
