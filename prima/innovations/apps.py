from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InnovationsConfig(AppConfig):
    name = "prima.innovations"
    label = "innovations"
    verbose_name = _("Registri inovasi")

    def ready(self) -> None:
        from prima.core.dashboard_panels import register
        from prima.innovations.dashboard_links import links_panel

        register(links_panel)
