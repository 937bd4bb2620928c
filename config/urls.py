"""URLs of a county (served on <slug>.<BASE_DOMAIN>)."""

from django.urls import include, path

urlpatterns = [
    path("api/", include("api.urls")),
    path("", include("web.urls")),
]
