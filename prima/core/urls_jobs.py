"""Background jobs: the person's list and each job's progress page."""

from django.urls import path

from prima.core import views_jobs as views

urlpatterns = [
    path("tugas/", views.job_list, name="job_list"),
    path("tugas/<int:pk>/", views.job_detail, name="job_detail"),
]
