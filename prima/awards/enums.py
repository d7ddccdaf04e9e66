"""Award codes shared by every programme (DESIGN.md §8)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Recipient(models.TextChoices):
    INSTITUTION = "institution", _("Instansi")
    INNOVATION = "innovation", _("Inovasi")


class AwardStatus(models.TextChoices):
    PROPOSED = "proposed", _("Usulan dari peringkat")
    DECIDED = "decided", _("Ditetapkan")
    REMOVED = "removed", _("Dibatalkan")


class AwardSource(models.TextChoices):
    RANKING = "ranking", _("Peringkat")
    OVERRIDE = "override", _("Keputusan sekretariat")
    IMPORTED = "imported", _("Data impor")
