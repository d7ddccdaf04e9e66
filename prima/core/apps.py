from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "prima.core"
    label = "core"
    verbose_name = _("Inti: wilayah, instansi, akun")

    def ready(self) -> None:
        # Job kinds register themselves on import (prima.core.domain.jobs.job_kind).
        from prima.core import jobs  # noqa: F401
