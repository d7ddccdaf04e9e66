from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PekpppConfig(AppConfig):
    name = "prima.pekppp"
    label = "pekppp"
    verbose_name = _("Evaluasi Kinerja Penyelenggaraan Pelayanan Publik")
