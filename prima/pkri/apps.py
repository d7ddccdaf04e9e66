from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PkriConfig(AppConfig):
    name = "prima.pkri"
    label = "pkri"
    verbose_name = _("Pemantauan Keberlanjutan dan Replikasi Inovasi")

    def ready(self) -> None:
        from prima.core.dashboard_panels import register
        from prima.pkri.dashboard import pkri_panel

        register(pkri_panel)
        # Job kinds register themselves on import (prima.core.domain.jobs.job_kind), so a
        # worker that never loads the URLconf still knows them.
        from prima.pkri import desk_jobs  # noqa: F401
