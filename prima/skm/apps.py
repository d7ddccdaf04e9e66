from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SkmConfig(AppConfig):
    name = "prima.skm"
    label = "skm"
    verbose_name = _("Survei Kepuasan Masyarakat")

    def ready(self) -> None:
        from prima.core.dashboard_panels import register
        from prima.skm import jobs  # noqa: F401  (registers the import job kind for workers)
        from prima.skm.dashboard import skm_panel

        register(skm_panel)
