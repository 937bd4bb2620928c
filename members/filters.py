"""The people list's filters, shared by the API (GET /api/people/) and the page (/people/). The labels
describe the API's parameters; the page writes its own, translated."""

import django_filters

from orgs.models import Organization

from .models import Person, Stage, Status
from .selectors import in_subtree, search


class PersonFilter(django_filters.FilterSet):
    org = django_filters.NumberFilter(method="filter_org", label="organization (its whole subtree)")
    stage = django_filters.ChoiceFilter(choices=Stage.choices)
    status = django_filters.ChoiceFilter(choices=Status.choices)
    q = django_filters.CharFilter(method="filter_q", label="name contains, or ID number starts with")

    class Meta:
        model = Person
        fields = ["org", "stage", "status", "q"]

    def filter_org(self, people, name, value):
        org = Organization.objects.filter(pk=value).first()
        return people.none() if org is None else in_subtree(people, org)

    def filter_q(self, people, name, value):
        return search(people, value)
