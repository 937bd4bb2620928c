"""Every flow of the product, by the code the API filters on (`?flow=`)."""

from viewflow.workflow.flow import Flow

from .admission import AdmissionFlow
from .assessment import AssessmentFlow
from .disposition import DispositionFlow
from .dues import DuesFlow
from .scoring import ScoringReviewFlow
from .transfer import TransferFlow

FLOWS: dict[str, type[Flow]] = {
    flow.code: flow for flow in (AdmissionFlow, AssessmentFlow, DispositionFlow, DuesFlow, ScoringReviewFlow, TransferFlow)
}


def flow_code(flow_class: type[Flow]) -> str:
    return flow_class.code
