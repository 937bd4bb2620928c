"""Dashboards (issue 9): the figures of the county dashboard page for the caller's subtrees, as numbers.

A county admin gets the county's, a committee reviewer their committee's; every other caller is refused.
Money is written as decimal strings, rates as percentages with one decimal (null where nothing fell due).
"""

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from core.dates import check_year, today
from core.exceptions import RuleViolation
from web.dashboards import selectors

MONEY = {"max_digits": 14, "decimal_places": 2}


class FunnelStageSerializer(serializers.Serializer):
    stage = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class CommitteeSerializer(serializers.Serializer):
    committee_id = serializers.IntegerField()
    committee = serializers.CharField()


class OverdueRowSerializer(CommitteeSerializer):
    org_id = serializers.IntegerField()
    org = serializers.CharField()
    count = serializers.IntegerField()


class OverdueCommitteeSerializer(CommitteeSerializer):
    count = serializers.IntegerField()


class OrgLifeRowSerializer(CommitteeSerializer):
    org_id = serializers.IntegerField()
    org = serializers.CharField()
    kind = serializers.CharField()
    due = serializers.IntegerField(help_text="meetings fallen due")
    held = serializers.IntegerField()
    missing = serializers.IntegerField()


class OrgLifeCommitteeSerializer(CommitteeSerializer):
    checked = serializers.IntegerField(help_text="branches and party groups that owe meetings")
    behind = serializers.IntegerField(help_text="of which with meetings missing")


class DuesRowSerializer(CommitteeSerializer):
    due = serializers.DecimalField(**MONEY)
    paid = serializers.DecimalField(**MONEY)
    rate = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True, help_text="paid / due, in %")


class GradeRowSerializer(serializers.Serializer):
    scheme = serializers.CharField()
    grade = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class MobileRowSerializer(CommitteeSerializer):
    mobile = serializers.IntegerField(help_text="away on an open registration, reachable")
    lost_contact = serializers.IntegerField()


class DashboardSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    as_of = serializers.DateField()
    funnel = FunnelStageSerializer(many=True, help_text="people reaching each admission stage in the year")
    overdue_tasks = OverdueRowSerializer(many=True, help_text="overdue open tasks per organization, as of today")
    overdue_by_committee = OverdueCommitteeSerializer(many=True)
    org_life_behind = OrgLifeRowSerializer(many=True, help_text="branches and party groups missing meetings in the year")
    org_life_by_committee = OrgLifeCommitteeSerializer(many=True)
    dues_collection = DuesRowSerializer(many=True, help_text="dues of the year's months fallen due, per committee")
    grades = GradeRowSerializer(many=True, help_text="members per grade of the year's scoring results")
    mobile_members = MobileRowSerializer(many=True, help_text="per committee, as of today")


class DashboardView(APIView):
    """Every figure of the dashboard for the caller's subtrees (county admins and committee reviewers)."""

    @extend_schema(
        parameters=[OpenApiParameter("year", OpenApiTypes.INT, description="the year (this year by default)")],
        responses=DashboardSerializer,
    )
    def get(self, request) -> Response:
        view = selectors.viewer(request.user)
        if view is None:
            raise PermissionDenied(_("The dashboards are for the county and the primary committees."))
        raw = request.query_params.get("year")
        if raw in (None, ""):
            year = today().year
        elif not str(raw).isdigit():
            raise RuleViolation(_("Enter the year as four digits."), field="year")
        else:
            year = check_year(int(raw))
        return Response(DashboardSerializer(selectors.dashboard(view, year, today())).data)


urlpatterns = [
    path("dashboard/", DashboardView.as_view(), name="dashboard"),
]
