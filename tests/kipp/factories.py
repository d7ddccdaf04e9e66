"""Factories for the evaluation engine and KIPP: editions with stages, proposals,
appointments and assignments. Real objects only."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import factory
import yaml
from django.conf import settings
from django.utils import timezone
from factory.django import DjangoModelFactory

from prima.evaluation.domain.instruments import content_hash, load_instrument, to_data
from prima.evaluation.enums import AssessorRole, EditionState, StageStatus
from prima.evaluation.models import (
    Appointment,
    Assignment,
    Edition,
    Instrument,
    Stage,
    Subject,
)
from prima.kipp.domain.benefit import rating_value
from prima.kipp.domain.stages import KIPP_STAGES, skipped_stages, stage_scoring
from prima.kipp.enums import AnnouncementKind, ProposalState
from prima.kipp.models import Announcement, BenefitRating, Proposal, RatingRelationship
from tests.factories import CitizenFactory, InnovationFactory, PersonFactory

ROOT = Path(settings.BASE_DIR).parent


def instrument_from_file(name: str = "kipp-2025.yaml") -> Instrument:
    loaded = load_instrument(ROOT / "instruments" / name)
    row, _ = Instrument.objects.get_or_create(
        code=loaded.code,
        version=loaded.version,
        defaults={
            "programme": loaded.programme,
            "title": loaded.title,
            "content": json.loads(json.dumps(to_data(loaded), default=str)),
            "content_hash": content_hash(loaded),
            "source_name": name,
        },
    )
    return row


def rules_from_file(name: str = "kipp-2025.yaml") -> dict[str, Any]:
    """The edition rule set as JSON-ready data (dates as ISO strings)."""
    data = yaml.safe_load((ROOT / "editions" / name).read_text(encoding="utf-8"))
    return json.loads(json.dumps(data, default=str))


class EditionFactory(DjangoModelFactory):
    class Meta:
        model = Edition
        skip_postgeneration_save = True

    programme = "kipp"
    code = factory.Sequence(lambda n: f"kipp-uji-{n}")
    year = 2025
    ordinal = 11
    title = factory.Sequence(lambda n: f"KIPP Uji {n}")
    theme = "Pelayanan Publik Berdampak"
    rules = factory.LazyFunction(rules_from_file)
    instrument = factory.LazyFunction(instrument_from_file)
    registration_close = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=30))

    @factory.post_generation
    def stages(obj: Edition, create: bool, extracted: Any, **kwargs: Any) -> None:
        """Create the stage rows; `EditionFactory(stages="desk_evaluation")` opens that one."""
        if not create:
            return
        skipped = skipped_stages(obj.rules)
        open_code = extracted or EditionState.REGISTRATION_OPEN
        codes = [t.code for t in KIPP_STAGES]
        open_at = codes.index(open_code)
        for position, template in enumerate(KIPP_STAGES):
            if template.code in skipped:
                status = StageStatus.SKIPPED
            elif position < open_at:
                status = StageStatus.CLOSED
            elif position == open_at:
                status = StageStatus.OPEN
            else:
                status = StageStatus.PENDING
            Stage.objects.create(
                edition=obj,
                code=template.code,
                position=position,
                status=status,
                participants_submit=template.participants_submit,
                assessors_score=template.assessors_score,
                identities_visible=template.identities_visible,
                others_scores_visible=template.others_scores_visible,
                decisions_open=template.decisions_open,
                objections_open=template.objections_open,
                scoring=stage_scoring(template, obj.rules),
                assessor_role=template.assessor_role,
            )
        obj.state = open_code
        obj.save(update_fields=["state"])


class ProposalFactory(DjangoModelFactory):
    class Meta:
        model = Proposal

    edition = factory.SubFactory(EditionFactory)
    innovation = factory.SubFactory(InnovationFactory)
    unit = factory.LazyAttribute(lambda o: o.innovation.unit)
    institution = factory.LazyAttribute(lambda o: o.innovation.institution)
    title = factory.LazyAttribute(lambda o: o.innovation.name)
    state = ProposalState.DRAFT
    # Unless a test says otherwise, participants see the state the proposal is in.
    participant_state = factory.LazyAttribute(lambda o: o.state)
    group = "umum"
    category = "AC4"
    sdg_goals = factory.LazyFunction(lambda: [3])
    answers = factory.LazyFunction(
        lambda: {
            "ringkasan": "Layanan kesehatan keliling yang menjangkau desa terpencil.",
            "signifikansi": "Angka kunjungan naik 40 persen dalam setahun.",
        }
    )
    # The SPBE form's first answer («tidak berbasis elektronik») completes it where the
    # edition's rules ask for it (kipp-2025); editions without extra forms get none.
    extra_answers = factory.LazyAttribute(
        lambda o: (
            {"spbe": {"berbasis_elektronik": "tidak"}}
            if "spbe" in (o.edition.rules.get("extra_forms") or [])
            else {}
        )
    )
    subject = factory.LazyAttribute(
        lambda o: Subject.objects.create(
            edition=o.edition,
            kind="proposal",
            title=o.title,
            text=" ".join(o.answers.values()),
            institution=o.institution,
            group=o.group,
            category=o.category,
            institution_kind=o.institution.kind,
            province=o.institution.province_code,
        )
    )


class AppointmentFactory(DjangoModelFactory):
    class Meta:
        model = Appointment

    edition = factory.SubFactory(EditionFactory)
    person = factory.SubFactory(PersonFactory)
    role = AssessorRole.EVALUATOR
    university = "Universitas Contoh"
    expertise = "kesehatan masyarakat, layanan digital"
    home_province = "31"
    code_of_conduct_accepted_at = factory.LazyFunction(timezone.now)
    conflicts_declared_at = factory.LazyFunction(timezone.now)


class AssignmentFactory(DjangoModelFactory):
    class Meta:
        model = Assignment

    stage = factory.LazyAttribute(
        lambda o: o.subject.edition.stages.get(code=EditionState.DESK_EVALUATION)
    )
    subject = factory.LazyFunction(lambda: ProposalFactory().subject)
    appointment = factory.LazyAttribute(lambda o: AppointmentFactory(edition=o.subject.edition))
    affinity = 0.5


def announce_finalists(edition: Edition, proposals: list[Proposal], **kwargs: Any) -> Announcement:
    """A published finalist announcement listing ``proposals`` (what the public finalist
    page shows and the public may rate, kipp.md §14). The edition is made public."""
    if not edition.is_published:
        edition.is_published = True
        edition.save(update_fields=["is_published"])
    seq = Announcement.objects.filter(edition=edition).count() + 1
    fields: dict[str, Any] = {
        "edition": edition,
        "kind": AnnouncementKind.FINALISTS,
        "number": f"B/{900 + seq}/PP.00.05/{edition.year}",
        "date": dt.date(edition.year, 7, 20),
        "title": "Pengumuman finalis",
        "signatory_name": "Deputi Bidang Pelayanan Publik",
        "signatory_position": "Deputi",
        "listing": [{"proposal": p.pk, "title": p.title} for p in proposals],
        "published_at": timezone.now(),
    }
    fields.update(kwargs)
    return Announcement.objects.create(**fields)


class BenefitRatingFactory(DjangoModelFactory):
    """A stored rating (as `submit_rating` leaves it, without running its rules)."""

    class Meta:
        model = BenefitRating

    proposal = factory.SubFactory(ProposalFactory, state=ProposalState.FINALIST)
    edition = factory.LazyAttribute(lambda o: o.proposal.edition)
    citizen = factory.SubFactory(CitizenFactory)
    relationship = RatingRelationship.USED_MYSELF
    benefit = 4
    adoption = 4
    value = factory.LazyAttribute(lambda o: rating_value(o.benefit, o.adoption))
    rated_at = factory.LazyFunction(timezone.now)
    created_at = factory.LazyAttribute(lambda o: o.rated_at)
    address_hash = factory.Sequence(lambda n: f"{n:064x}")
    network_hash = factory.Sequence(lambda n: f"{n:064x}")
