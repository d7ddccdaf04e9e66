"""Django admin: for superusers only, as a last-resort tool; users work in Prima's own pages."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from prima.core.models import (
    AccountRequest,
    AuditEntry,
    Institution,
    Membership,
    Person,
    Region,
    ServiceUnit,
)


def _superuser_only(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and user.is_superuser)


admin.site.has_permission = _superuser_only  # type: ignore[method-assign]
admin.site.site_header = "Prima — administrasi teknis"


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "population")
    list_filter = ("level",)
    search_fields = ("code", "name")


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "region", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "short_name")
    raw_id_fields = ("region", "parent")


@admin.register(ServiceUnit)
class ServiceUnitAdmin(admin.ModelAdmin):
    list_display = ("name", "institution", "kind", "service_type", "is_active")
    list_filter = ("kind", "service_type")
    search_fields = ("name", "institution__name")
    raw_id_fields = ("institution", "region")


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ("institution", "unit")


@admin.register(Person)
class PersonAdmin(UserAdmin):
    inlines = [MembershipInline]
    list_display = ("username", "full_name", "email", "is_active", "is_superuser")
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("Prima", {"fields": ("full_name", "position", "phone", "nip", "expertise")}),
    )


@admin.register(AccountRequest)
class AccountRequestAdmin(admin.ModelAdmin):
    list_display = ("institution", "full_name", "status", "created_at")
    list_filter = ("status",)
    raw_id_fields = ("institution", "decided_by", "person")


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the chain must never be edited, even by a superuser."""

    list_display = ("id", "created_at", "actor_label", "action", "object_repr")
    list_filter = ("action",)
    search_fields = ("object_repr", "actor_label", "action")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
