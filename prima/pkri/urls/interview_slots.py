"""PKRI pages: moving and cancelling an interview slot (secretariat)."""

from django.urls import URLPattern, URLResolver, path

from prima.pkri.views import interview_slots

urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "<slug:code>/keputusan/wawancara/<int:pk>/ubah/",
        interview_slots.interview_reschedule,
        name="pkri_interview_reschedule",
    ),
    path(
        "<slug:code>/keputusan/wawancara/<int:pk>/batal/",
        interview_slots.interview_cancel,
        name="pkri_interview_cancel",
    ),
]
