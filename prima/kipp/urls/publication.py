"""KIPP pages: publication (owned by one vertical)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
