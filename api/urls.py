"""The county API (API.md). Each area keeps its serializers, views and routes in its own module."""

from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views_auth, views_health

# The API's documentation page loads Swagger UI from its CDN; its own script comes from ?script (no inline code).
SWAGGER_UI_CDN = "https://cdn.jsdelivr.net"
SWAGGER_CSP = csp_update({"script-src": [SWAGGER_UI_CDN], "style-src": [SWAGGER_UI_CDN], "img-src": [SWAGGER_UI_CDN]})

urlpatterns = [
    path("health/", views_health.HealthView.as_view(), name="health"),
    path("auth/token/", views_auth.ObtainToken.as_view(), name="auth-token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        SWAGGER_CSP(SpectacularSwaggerSplitView.as_view(url_name="schema", template_name="api/swagger_ui.html")),
        name="docs",
    ),
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
    path("", include("api.notifications")),
    path("", include("api.dashboard")),
]
