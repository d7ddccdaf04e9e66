from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "prima.awards"
    label = "awards"
    verbose_name = _("Penghargaan dan piagam")

    def ready(self) -> None:
        # Job kinds register themselves on import (prima.core.domain.jobs.job_kind).
        from prima.awards import jobs  # noqa: F401
