from prima.awards.models.awards import Award, AwardCategory, Certificate

__all__ = ["Award", "AwardCategory", "Certificate"]
