"""SKM codes (skm.md §4, §5, §9, §10)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WeightRule(models.TextChoices):
    """How the element averages are weighted into the IKM (skm.md §5)."""

    PRINTED = "printed", _("bobot tercetak")
    EXACT = "exact", _("bobot tepat")


class ResultStatus(models.TextChoices):
    """The state of a computed result; the survey states come with the survey model."""

    CALCULATED = "CALCULATED", _("Dihitung")
    INCOMPLETE = "INCOMPLETE", _("Tidak lengkap")


class ResultWarning(models.TextChoices):
    """Warning codes of a result (skm.md §10), in the order they are listed."""

    WEIGHT_RULE_GRADE_DIFFERS = "weight_rule_grade_differs", _("Mutu berbeda menurut aturan bobot")
    SAMPLE_BELOW_TARGET = "sample_below_target", _("Jumlah responden di bawah target sampel")
    POPULATION_UNKNOWN = "population_unknown", _("Populasi pengguna layanan tidak diketahui")
    INCOMPLETE_ELEMENT = "incomplete_element", _("Ada unsur yang tidak dijawab")


class Gender(models.TextChoices):
    MALE = "L", _("Laki-laki")
    FEMALE = "P", _("Perempuan")


class AgeBand(models.TextChoices):
    UNDER_20 = "under20", _("Di bawah 20 tahun")
    FROM_20 = "20_29", _("20–29 tahun")
    FROM_30 = "30_39", _("30–39 tahun")
    FROM_40 = "40_49", _("40–49 tahun")
    FROM_50 = "50_59", _("50–59 tahun")
    FROM_60 = "60plus", _("60 tahun ke atas")


class Education(models.TextChoices):
    NONE = "none", _("Tidak sekolah")
    SD = "sd", _("SD")
    SMP = "smp", _("SMP")
    SMA = "sma", _("SMA/sederajat")
    D1_D3 = "d1_d3", _("D1–D3")
    D4_S1 = "d4_s1", _("D4/S1")
    S2 = "s2", _("S2")
    S3 = "s3", _("S3")


class Occupation(models.TextChoices):
    PNS = "pns", _("PNS")
    TNI_POLRI = "tni_polri", _("TNI/Polri")
    SWASTA = "swasta", _("Pegawai swasta")
    WIRAUSAHA = "wirausaha", _("Wirausaha")
    STUDENT = "pelajar_mahasiswa", _("Pelajar/mahasiswa")
    UNEMPLOYED = "tidak_bekerja", _("Tidak bekerja")
    OTHER = "lainnya", _("Lainnya")


class Channel(models.TextChoices):
    """How a response reached Prima (skm.md §4)."""

    ONLINE = "online", _("Formulir daring")
    TOKEN = "token", _("Tautan setelah layanan")
    KIOSK = "kiosk", _("Kios")
    PAPER = "paper", _("Kertas")
    IMPORT = "import", _("Impor berkas")


class PeriodKind(models.TextChoices):
    """Survey period types (skm.md §4) with the share of the yearly population they cover."""

    QUARTER = "quarter", _("Triwulan")
    SEMESTER = "semester", _("Semester")
    YEAR = "year", _("Tahun")


PERIODS_PER_YEAR = {PeriodKind.QUARTER: 4, PeriodKind.SEMESTER: 2, PeriodKind.YEAR: 1}

# The service code of a response whose service is not stated (skm.md §9).
UNSPECIFIED_SERVICE = "unspecified"
RESPONDENT_REF_MAX_LENGTH = 64
SUGGESTION_MAX_LENGTH = 2000


class RtlStatus(models.TextChoices):
    """Follow-up plan items (skm.md §8)."""

    PLANNED = "PLANNED", _("Direncanakan")
    IN_PROGRESS = "IN_PROGRESS", _("Berjalan")
    DONE = "DONE", _("Selesai")
    CANCELLED = "CANCELLED", _("Dibatalkan")


class SurveyState(models.TextChoices):
    """The life of a survey (skm.md §4); CLOSED may go back to COLLECTING until published."""

    PLANNED = "PLANNED", _("Direncanakan")
    COLLECTING = "COLLECTING", _("Pengumpulan")
    CLOSED = "CLOSED", _("Ditutup")
    CALCULATED = "CALCULATED", _("Dihitung")
    PUBLISHED = "PUBLISHED", _("Dipublikasikan")


class Dimension(models.TextChoices):
    """How counters split a survey's responses (skm.md §5 breakdowns).

    ``all`` has one row per survey (key ""); the others one row per value, and key ""
    counts respondents who did not state it.
    """

    ALL = "all", _("Semua responden")
    SERVICE = "service", _("Jenis layanan")
    GENDER = "gender", _("Jenis kelamin")
    AGE_BAND = "age_band", _("Kelompok umur")
    EDUCATION = "education", _("Pendidikan")
    OCCUPATION = "occupation", _("Pekerjaan")
    CHANNEL = "channel", _("Saluran")


class PublicationMedium(models.TextChoices):
    """Where a result was published (skm.md §4; feeds PEKPPP indicators 6 and 7)."""

    NOTICE_BOARD = "notice_board", _("Papan pengumuman")
    WEBSITE = "website", _("Situs web")
    SOCIAL_MEDIA = "social_media", _("Media sosial")
    PRINT_MEDIA = "print_media", _("Media cetak")
    BROADCAST = "broadcast", _("Radio/televisi")
    OTHER = "other", _("Lainnya")


class TokenKind(models.TextChoices):
    """One-time survey tokens: a short code handed out at the counter, or an after-service
    link (mpp.md §9)."""

    CODE = "code", _("Kode sekali pakai")
    LINK = "link", _("Tautan setelah layanan")


# Breakdowns with fewer respondents are hidden from public views (skm.md §5).
PUBLIC_BREAKDOWN_MINIMUM = 5
