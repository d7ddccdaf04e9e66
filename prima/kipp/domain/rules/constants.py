"""The fixed vocabularies of an edition's rule set: codes, calendar keys and labels, patterns."""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from zoneinfo import ZoneInfo

from prima.evaluation.domain.yamlcheck import CASED_CODE_RE, DOTTED_CODE_RE

WIB = ZoneInfo("Asia/Jakarta")

PROGRAMME = "kipp"
LEVELS = ("finalist", "winner")
REPLICATION_LINKS = ("required", "forbidden", "optional")
AGE_REFERENCES = ("registration_close_effective", "registration_close_original")
DUPLICATE_TITLE_POLICIES = ("block_within_institution", "off")
EXCLUSION_TYPES = ("held_tier_level", "held_tiers", "tier_count_at_least")
# Admin-check reason codes (§9); a failed check carries one of them.
REASON_CODES = (
    "age_below_minimum",
    "age_unproven",
    "incomplete",
    "careless_content",
    "duplicate_title",
    "winner_tier_held",
    "top99_twice",
    "required_tier_missing",
    "replication_link_missing",
    "replication_source_not_eligible",
    "category_mismatch",
    "quota_exceeded",
    "other",
)
# Attachment kinds (§7.3); the same codes as prima.kipp.enums.AttachmentKind.
ATTACHMENT_KINDS: Mapping[str, str] = MappingProxyType(
    {
        "bukti_mulai_implementasi": "Bukti mulai implementasi",
        "sk_inovator": "SK inovator",
        "standar_pelayanan": "Standar pelayanan",
        "maklumat_pelayanan": "Maklumat pelayanan",
        "sk_pengaduan": "SK pengelolaan pengaduan",
        "pernyataan_replikasi": "Pernyataan replikasi",
        "dokumen_evaluasi": "Dokumen evaluasi",
        "pernyataan_kebenaran": "Pernyataan kebenaran data",
        "lainnya": "Lainnya",
    }
)
ALL_GROUPS = "all"  # key of attachments.required that applies to every group
FILE_TYPES = ("pdf", "jpg", "jpeg", "png", "docx", "xlsx", "pptx", "mp4")
EXTRA_FORMS = ("spbe",)
AGGREGATIONS = ("mean", "median")
NORMALISATION_METHODS = ("zscore", "none")
SELECTION_MODES = ("threshold", "top_n")
SECTION_MEAN = "section_mean:"  # tie breaker prefix: the mean score of one section
TIE_BREAKERS = ("verified_replications", "submitted_at")  # besides section_mean:<section>
CONFLICT_RULES = ("same_institution", "same_province_local", "declared", "secretariat_entered")
FINALIST_MODES = ("all_passing", "top_n")
OBJECTION_AFTER = ("nominees_announced", "finalists_announced", "winners_announced")
ASSESSMENT_KINDS = ("feasibility",)
POOLS = ("by_category", "none")
MISSING_COMPONENT_POLICIES = ("redistribute", "zero")
STRATA = ("category", "group", "institution_type", "institution", "province_local", "region_3t")
# Institution kinds as prima.core.enums.InstitutionKind spells them (DESIGN.md §4).
INSTITUTION_TYPES = (
    "ministry",
    "agency",
    "province",
    "regency",
    "city",
    "state_enterprise",
    "regional_enterprise",
)
SDG_GOALS = range(1, 18)

# Calendar entries that follow one another: each starts no earlier than the day on which
# the one before it (among those present) ends.
CALENDAR_SEQUENCE = (
    "pre_announcement",
    "launch",
    "registration",
    "admin_selection",
    "desk_evaluation",
    "desk_plenary",
    "panel_review",
    "panel_plenary",
    "panel_assessment",
    "presentation",
    "field_verification",
    "final_plenary",
    "results_announced",
    "award_ceremony",
)
# Entries that run beside the sequence (socialisation during registration, the public
# benefit rating beside the panel assessment).
CALENDAR_PARALLEL = ("socialisation", "public_benefit_rating")
CALENDAR_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "pre_announcement": "pra-pengumuman",
        "launch": "peluncuran",
        "socialisation": "sosialisasi",
        "registration": "pendaftaran",
        "admin_selection": "seleksi administrasi",
        "desk_evaluation": "penilaian Tim Evaluasi",
        "desk_plenary": "pleno Tim Evaluasi",
        "panel_review": "penilaian TPI",
        "panel_plenary": "pleno TPI",
        "public_benefit_rating": "penilaian kebermanfaatan",
        "panel_assessment": "penilaian kelayakan TPI",
        "presentation": "presentasi dan wawancara",
        "field_verification": "verifikasi lapangan",
        "final_plenary": "pleno akhir",
        "results_announced": "pengumuman hasil",
        "award_ceremony": "penyerahan penghargaan",
    }
)

CATEGORY_CODE_RE = CASED_CODE_RE
EDITION_CODE_RE = DOTTED_CODE_RE
TIER_AT_YEAR_RE = re.compile(r"([a-z][a-z0-9_]*)@(\d{4})\Z")
PROVINCE_RE = re.compile(r"\d{2}\Z")
