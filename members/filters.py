"""The people list's filters, shared by the API (GET /api/people/) and the page (/people/). The labels
describe the API's parameters; the page writes its own, translated."""

import django_filters

from orgs.access import can, organization

from .models import Person, Stage, Status
from .selectors import in_subtree, search


class PersonFilter(django_filters.FilterSet):
    """Filters the people visible to the request's user (people_visible_to, in any order) and nothing narrower."""

    org = django_filters.NumberFilter(method="filter_org", label="organization (its whole subtree)")
    stage = django_filters.ChoiceFilter(choices=Stage.choices)
    status = django_filters.ChoiceFilter(choices=Status.choices)
    q = django_filters.CharFilter(method="filter_q", label="name contains, or ID number starts with")

    class Meta:
        model = Person
        fields = ["org", "stage", "status", "q"]

    def filter_org(self, people, name, value):
        user = getattr(self.request, "user", None)
        org = organization(user, value)
        if org is None:
            return people.none()
        if can(user, "view_person", org):
            # The user's roles cover the whole subtree, so it is the answer: its path alone keeps PostgreSQL on
            # the path index, where the scope's OR with the user's own record makes it join every person first.
            subtree = in_subtree(Person.objects.select_related("org"), org)
            return subtree.order_by(*people.query.order_by) if people.query.order_by else subtree
        return in_subtree(people, org)

    def filter_q(self, people, name, value):
        return search(people, value)
