from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KippConfig(AppConfig):
    name = "prima.kipp"
    label = "kipp"
    verbose_name = _("Kompetisi Inovasi Pelayanan Publik")

    def ready(self) -> None:
        from prima.core.dashboard_panels import register
        from prima.kipp.dashboard import kipp_panel

        register(kipp_panel)
        # Job kinds register themselves on import (prima.core.domain.jobs.job_kind).
        from prima.kipp import jobs  # noqa: F401
