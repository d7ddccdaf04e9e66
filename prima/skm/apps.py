from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SkmConfig(AppConfig):
    name = "prima.skm"
    label = "skm"
    verbose_name = _("Survei Kepuasan Masyarakat")
