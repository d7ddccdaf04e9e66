from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PkriConfig(AppConfig):
    name = "prima.pkri"
    label = "pkri"
    verbose_name = _("Pemantauan Keberlanjutan dan Replikasi Inovasi")
