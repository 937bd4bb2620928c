"""Filters of the task, transfer and case lists (the people list's are members.filters.PersonFilter, shared
with the API). Each filters a queryset already limited to what the user may see."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from orgs.models import Organization
from workflows.flows import FLOWS
from workflows.models import (
    Grounds,
    Measure,
    StepTask,
    Transfer,
    TransferDirection,
    TransferKind,
    TransferStatus,
    WorkflowProcess,
)
from workflows.selectors import overdue_filter

ACTIVE_OR_DONE = (("active", _("Under way")), ("done", _("Finished")))


def _subtree(rows, lookup: str, value):
    org = Organization.objects.filter(pk=value).first()
    return rows.none() if org is None else rows.filter(**{f"{lookup}__path__startswith": org.path})


class TaskFilter(django_filters.FilterSet):
    flow = django_filters.ChoiceFilter(choices=[(code, code) for code in FLOWS], method="filter_flow")
    org = django_filters.NumberFilter(method="filter_org")
    overdue = django_filters.BooleanFilter(method="filter_overdue")
    q = django_filters.CharFilter(method="filter_q")

    class Meta:
        model = StepTask
        fields = ["flow", "org", "overdue", "q"]

    def filter_flow(self, tasks, name, value):
        return tasks.filter(process__flow_class=FLOWS[value])

    def filter_org(self, tasks, name, value):
        return _subtree(tasks, "org", value)

    def filter_overdue(self, tasks, name, value):
        return tasks.filter(overdue_filter()) if value else tasks.exclude(overdue_filter())

    def filter_q(self, tasks, name, value):
        value = value.strip()
        return tasks.filter(Q(process__person__name__icontains=value) | Q(process__transfer__person_name__icontains=value))


class TransferFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=TransferStatus.choices)
    direction = django_filters.ChoiceFilter(choices=TransferDirection.choices)
    kind = django_filters.ChoiceFilter(choices=TransferKind.choices)
    org = django_filters.NumberFilter(method="filter_org")
    q = django_filters.CharFilter(method="filter_q")

    class Meta:
        model = Transfer
        fields = ["status", "direction", "kind", "org", "q"]

    def filter_org(self, transfers, name, value):
        org = Organization.objects.filter(pk=value).first()
        if org is None:
            return transfers.none()
        return transfers.filter(
            Q(from_org__path__startswith=org.path) | Q(to_org__path__startswith=org.path) | Q(process__org__path__startswith=org.path)
        )

    def filter_q(self, transfers, name, value):
        value = value.strip()
        return transfers.filter(Q(person_name__icontains=value) | Q(letter_number__icontains=value))


class CaseFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ACTIVE_OR_DONE, method="filter_status")
    measure = django_filters.ChoiceFilter(choices=Measure.choices, field_name="disposition__measure")
    grounds = django_filters.ChoiceFilter(choices=Grounds.choices, field_name="disposition__grounds")
    org = django_filters.NumberFilter(method="filter_org")
    q = django_filters.CharFilter(method="filter_q")

    class Meta:
        model = WorkflowProcess
        fields = ["status", "measure", "grounds", "org", "q"]

    def filter_status(self, cases, name, value):
        return cases.filter(finished__isnull=value == "active")

    def filter_org(self, cases, name, value):
        return _subtree(cases, "org", value)

    def filter_q(self, cases, name, value):
        return cases.filter(person__name__icontains=value.strip())
