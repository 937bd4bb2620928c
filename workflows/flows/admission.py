"""Admission: from the written application to full membership (DOMAIN.md §4, the 2014 Detailed Rules).

Node names are the step codes of DOMAIN.md. The process starts with the written application
(`workflows.services.admission.start_admission`); each later step is a task of its actor.
"""

import datetime

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow.flow import Flow
from viewflow.workflow.lock import select_for_update_lock

from .. import rules
from ..engine import Begin, RecordField, Step
from ..models import Actor, WorkflowProcess


class AdmissionFlow(Flow):
    """Admission

    From the written application (入党申请书) to full membership.
    """

    code = "admission"
    process_class = WorkflowProcess
    # A row lock on the process: process ids repeat across county schemas, so a cache key would collide.
    lock_impl = select_for_update_lock

    # Stage 1: the application.
    application = Begin(this.begin, actor=Actor.APPLICANT, title=_("Written application")).Next(this.talk)
    talk = Step(
        actor=Actor.BRANCH,
        title=_("Talk with the applicant"),
        fields=(RecordField("talker", _("Who held the talk")),),
        due=this.talk_due,
    ).Next(this.activist_decision)

    # Stage 2: the activist. The flow stops here until the steps after it join the flow;
    # a step with nowhere to go stays open (the engine refuses to record it).
    activist_decision = Step(
        actor=Actor.BRANCH,
        title=_("Decide the activist"),
        fields=(
            RecordField(
                "recommended_by",
                _("Recommended by"),
                kind="list",
                choices=(("members", _("Party members")), ("league", _("The Youth League")), ("masses", _("The masses"))),
            ),
        ),
    )

    def begin(self, activation, *, person, branch, actor) -> WorkflowProcess:
        activation.process.person = person
        activation.process.org = branch
        activation.task.owner = actor
        return activation.process

    def talk_due(self, process: WorkflowProcess) -> datetime.date:
        return process.admission.applied_on + relativedelta(months=rules.TALK_WITHIN_MONTHS)
