"""Factories for PKRI: editions with their stage rows, loci, objects and forms.

Real objects only. `PkriEditionFactory(stages="forms_open")` opens that stage (the earlier
ones closed); the rule set is editions/pkri-2024.yaml unless `rules=` is given.
"""

from __future__ import annotations

from typing import Any

import factory
from factory.django import DjangoModelFactory

from prima.evaluation.enums import EditionState, StageStatus
from prima.evaluation.models import Edition, Stage
from prima.pkri.domain.config import json_ready
from prima.pkri.domain.stages import PKRI_STAGES
from prima.pkri.enums import FormKind, FormState, Group
from prima.pkri.models import Locus, ScopeObject, SelfAssessment
from tests.factories import InnovationFactory, InstitutionFactory
from tests.kipp.factories import ROOT, instrument_from_file


def pkri_rules(name: str = "pkri-2024.yaml") -> dict[str, Any]:
    import yaml

    data = yaml.safe_load((ROOT / "editions" / name).read_text(encoding="utf-8"))
    return json_ready(data)


class PkriEditionFactory(DjangoModelFactory):
    class Meta:
        model = Edition
        skip_postgeneration_save = True

    programme = "pkri"
    code = factory.Sequence(lambda n: f"pkri-uji-{n}")
    year = 2024
    ordinal = 1
    title = factory.Sequence(lambda n: f"PKRI Uji {n}")
    rules = factory.LazyFunction(pkri_rules)
    instrument = factory.LazyFunction(lambda: instrument_from_file("pkri-2024.yaml"))

    @factory.post_generation
    def stages(obj: Edition, create: bool, extracted: Any, **kwargs: Any) -> None:
        if not create:
            return
        open_code = extracted or EditionState.SCOPE_DRAFT
        codes = [t.code for t in PKRI_STAGES]
        open_at = codes.index(open_code)
        for position, template in enumerate(PKRI_STAGES):
            if position < open_at:
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
                scoring=template.scoring,
                assessor_role=template.assessor_role,
            )
        obj.state = open_code
        obj.save(update_fields=["state"])


class LocusFactory(DjangoModelFactory):
    class Meta:
        model = Locus

    edition = factory.SubFactory(PkriEditionFactory)
    institution = factory.SubFactory(InstitutionFactory)
    in_pembinaan = False


class ScopeObjectFactory(DjangoModelFactory):
    class Meta:
        model = ScopeObject

    edition = factory.LazyAttribute(lambda o: o.locus.edition)
    innovation = factory.SubFactory(InnovationFactory)
    locus = factory.SubFactory(
        LocusFactory, institution=factory.SelfAttribute("..innovation.institution")
    )
    unit = factory.LazyAttribute(lambda o: o.innovation.unit)
    group = Group.KEBERLANJUTAN
    source_tier = "top99@2019"
    award_year = 2019

    class Params:
        # ScopeObjectFactory(edition=e) puts the object in a locus of that edition.
        pass

    @classmethod
    def _adjust_kwargs(cls, **kwargs: Any) -> dict[str, Any]:
        edition = kwargs.get("edition")
        locus = kwargs.get("locus")
        if edition is not None and locus is not None and locus.edition_id != edition.pk:
            locus, _ = Locus.objects.get_or_create(edition=edition, institution=locus.institution)
            kwargs["locus"] = locus
        return kwargs


class SelfAssessmentFactory(DjangoModelFactory):
    """An object form by default; `SelfAssessmentFactory(coaching_of=locus)` a coaching form."""

    class Meta:
        model = SelfAssessment

    object = factory.SubFactory(ScopeObjectFactory)
    edition = factory.LazyAttribute(lambda o: o.object.edition)
    locus = factory.LazyAttribute(lambda o: o.object.locus)
    kind = factory.LazyAttribute(
        lambda o: (
            FormKind.REPLICATION if o.object.group == Group.REPLIKASI else FormKind.SUSTAINABILITY
        )
    )
    state = FormState.ANNOUNCED


def coaching_form(locus: Locus, **fields: Any) -> SelfAssessment:
    """The coaching form of a locus (`in_pembinaan` is set)."""
    if not locus.in_pembinaan:
        locus.in_pembinaan = True
        locus.save(update_fields=["in_pembinaan"])
    return SelfAssessment.objects.create(
        edition=locus.edition, locus=locus, kind=FormKind.COACHING, **fields
    )
