"""Platform operators provision counties. They sign in on the bare base domain and see no county data."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import IsAdminUser
from rest_framework.response import Response

from tenants.models import County
from tenants.selectors import counties
from tenants.services import county_domain, create_county


class CountySerializer(serializers.ModelSerializer):
    admin_username = serializers.CharField(write_only=True)
    admin_password = serializers.CharField(write_only=True, style={"input_type": "password"})
    domain = serializers.SerializerMethodField()

    class Meta:
        model = County
        fields = ["id", "slug", "name", "domain", "created_at", "admin_username", "admin_password"]
        read_only_fields = ["id", "domain", "created_at"]
        extra_kwargs = {"slug": {"validators": []}}

    def get_domain(self, county: County) -> str:
        return county_domain(county.slug)


class CountyListCreate(generics.ListCreateAPIView):
    permission_classes = [IsAdminUser]
    serializer_class = CountySerializer

    def get_queryset(self):
        return counties()

    @extend_schema(responses=CountySerializer)
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        county = create_county(**serializer.validated_data)
        return Response(CountySerializer(county).data, status=201)
