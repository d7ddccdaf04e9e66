"""KIPP pages: participant (owned by one vertical)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
