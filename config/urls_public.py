"""URLs of the platform itself (served on the bare base domain)."""

from django.urls import include, path

urlpatterns = [
    path("api/", include("api.urls_public")),
    path("", include("web.urls_public")),
]
