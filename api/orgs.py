"""Organizations, their structure checks, and role assignments (API.md "County: organizations, people, roles")."""

import datetime

import django_filters
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from orgs.access import can, roots, scope
from orgs.checks import structure_warnings, term_ends_on
from orgs.models import Organization, OrgKind, Role, RoleAssignment
from orgs.services import assign_role, create_organization, revoke_role, update_organization


class HoldsCapability(permissions.BasePermission):
    """The caller holds the capability somewhere; where exactly is asked again for each object."""

    capability: str
    safe_methods_open = False

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if self.safe_methods_open and request.method in permissions.SAFE_METHODS:
            return True
        return bool(roots(request.user, self.capability))


def holds(capability: str, *, to_read: bool = True) -> type[HoldsCapability]:
    """A permission class; with to_read=False anyone signed in may read (the queryset is scoped)."""
    return type(f"Holds_{capability}", (HoldsCapability,), {"capability": capability, "safe_methods_open": not to_read})


class ScopedOrgField(serializers.PrimaryKeyRelatedField):
    """An organization by id, among those where the caller holds the capability; others do not exist."""

    def __init__(self, capability: str, **kwargs):
        self.capability = capability
        super().__init__(queryset=Organization.objects.all(), **kwargs)

    def get_queryset(self):
        return Organization.objects.filter(scope(self.context["request"].user, self.capability, field=""))


class OrganizationSerializer(serializers.ModelSerializer):
    parent = ScopedOrgField("manage_orgs", allow_null=True)  # null for the county itself; never for a new one
    # Left out (or null), it follows the kind: a committee approves, others do not.
    approval_authority = serializers.BooleanField(required=False, allow_null=True, default=None)
    term_ends_on = serializers.SerializerMethodField()

    class Meta:
        model = Organization
        fields = [
            "id",
            "name",
            "kind",
            "parent",
            "approval_authority",
            "units",
            "term_started_on",
            "term_ends_on",
            "path",
        ]
        read_only_fields = ["id", "path"]

    def get_term_ends_on(self, org: Organization) -> datetime.date | None:
        return term_ends_on(org)


class OrganizationUpdateSerializer(OrganizationSerializer):
    approval_authority = serializers.BooleanField(required=False)

    class Meta(OrganizationSerializer.Meta):
        read_only_fields = ["id", "path", "kind", "parent"]


# Ids filter as plain numbers: an id outside the caller's scope matches nothing, exactly like an unknown one.
class OrganizationFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=OrgKind.choices)
    parent = django_filters.NumberFilter()

    class Meta:
        model = Organization
        fields = ["kind", "parent"]


class OrganizationViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The organizations under the caller's roles. Creating one needs manage_orgs on its parent."""

    http_method_names = ["get", "post", "patch", "head", "options"]
    permission_classes = [holds("manage_orgs", to_read=False)]
    filterset_class = OrganizationFilter

    def get_queryset(self):
        return Organization.objects.filter(scope(self.request.user, "view_org", field=""))

    def get_serializer_class(self):
        return OrganizationUpdateSerializer if self.action == "partial_update" else OrganizationSerializer

    def perform_create(self, serializer) -> None:
        serializer.instance = create_organization(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer) -> None:
        org = serializer.instance
        if not can(self.request.user, "manage_orgs", org):
            raise PermissionDenied()
        serializer.instance = update_organization(actor=self.request.user, org=org, **serializer.validated_data)

    @extend_schema(
        responses=inline_serializer(
            "StructureWarning",
            {"code": serializers.CharField(), "message": serializers.CharField(), "level": serializers.CharField()},
            many=True,
        )
    )
    @action(detail=True, methods=["get"])
    def checks(self, request, pk=None) -> Response:
        """The structure warnings of DOMAIN.md §2; they inform and never block."""
        return Response(structure_warnings(self.get_object()))


class RoleAssignmentSerializer(serializers.ModelSerializer):
    org = ScopedOrgField("manage_roles")
    role = serializers.ChoiceField(choices=Role.choices)

    class Meta:
        model = RoleAssignment
        fields = ["id", "user", "org", "role", "created_at"]
        read_only_fields = ["id", "created_at"]
        validators: list = []  # assign_role answers a duplicate with its own message


class RoleAssignmentFilter(django_filters.FilterSet):
    user = django_filters.NumberFilter()
    org = django_filters.NumberFilter()
    role = django_filters.ChoiceFilter(choices=Role.choices)

    class Meta:
        model = RoleAssignment
        fields = ["user", "org", "role"]


class RoleAssignmentViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Who holds which role where. A role on an organization covers its whole subtree."""

    permission_classes = [holds("manage_roles")]
    serializer_class = RoleAssignmentSerializer
    filterset_class = RoleAssignmentFilter

    def get_queryset(self):
        return (
            RoleAssignment.objects.filter(scope(self.request.user, "manage_roles"))
            .select_related("org", "user")
            .order_by("org__path", "role", "id")
        )

    def perform_create(self, serializer) -> None:
        serializer.instance = assign_role(actor=self.request.user, **serializer.validated_data)

    def perform_destroy(self, instance: RoleAssignment) -> None:
        revoke_role(actor=self.request.user, assignment=instance)


router = SimpleRouter()
router.register("orgs", OrganizationViewSet, basename="org")
router.register("roles", RoleAssignmentViewSet, basename="role")
urlpatterns = router.urls
