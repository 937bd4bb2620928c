from django.urls import path

from . import views_health, views_platform

urlpatterns = [
    path("health/", views_health.HealthView.as_view(), name="health"),
    path("platform/counties/", views_platform.CountyListCreate.as_view(), name="platform-counties"),
]
