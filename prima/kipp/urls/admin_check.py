"""KIPP pages: admin_check (owned by one vertical)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
