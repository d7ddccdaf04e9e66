from django.db import models
from django.utils.translation import gettext_lazy as _


class InnovationStatus(models.TextChoices):
    ACTIVE = "active", _("Berjalan")
    PAUSED = "paused", _("Dihentikan sementara")
    STOPPED = "stopped", _("Berhenti")


class AwardLevel(models.TextChoices):
    FINALIST = "finalist", _("Finalis")
    WINNER = "winner", _("Pemenang")


class Programme(models.TextChoices):
    KIPP = "kipp", _("KIPP")
    PKRI = "pkri", _("PKRI")
    PEKPPP = "pekppp", _("PEKPPP")
    INCLUSIVE = "inclusive", _("Ramah Kelompok Rentan")
    OTHER = "other", _("Lainnya")


SDG_GOALS = range(1, 18)
