from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "scoring"
    verbose_name = _("Scoring")

    def ready(self) -> None:
        # Scoring answers the disposition module's `score_unqualified` ground (the dependency runs this way only).
        from workflows.models import Grounds
        from workflows.services.disposition_proposals import register_source

        from .proposals import unqualified_scores

        register_source(Grounds.SCORE_UNQUALIFIED, unqualified_scores)
