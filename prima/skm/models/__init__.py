from prima.skm.models.follow_up import FollowUpItem, FollowUpPlan
from prima.skm.models.instruments import InstrumentSetting
from prima.skm.models.responses import Response, ResponseCounter, SurveyToken
from prima.skm.models.surveys import Survey

__all__ = [
    "FollowUpItem",
    "FollowUpPlan",
    "InstrumentSetting",
    "Response",
    "ResponseCounter",
    "Survey",
    "SurveyToken",
]
