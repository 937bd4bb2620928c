"""The county API (API.md). Each area keeps its serializers, views and routes in its own module."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from . import views_auth, views_health

urlpatterns = [
    path("health/", views_health.HealthView.as_view(), name="health"),
    path("auth/token/", views_auth.ObtainToken.as_view(), name="auth-token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    path("", include("api.orgs")),
    path("", include("api.people")),
    path("", include("api.tasks")),
    path("", include("api.admissions")),
    path("", include("api.dispositions")),
    path("", include("api.transfers")),
    path("", include("api.dues")),
    path("", include("api.meetings")),
    path("", include("api.scoring")),
    path("", include("api.assessments")),
    path("", include("api.mobile_members")),
    path("", include("api.archive")),
]
