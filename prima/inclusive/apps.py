from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InclusiveConfig(AppConfig):
    name = "prima.inclusive"
    label = "inclusive"
    verbose_name = _("Evaluasi Pelayanan Ramah Kelompok Rentan")
