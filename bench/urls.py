"""A county's URLs plus the bare views that the list APIs are measured against (bench settings only)."""

from django.urls import include, path

from . import bare

urlpatterns = [
    path("bare/people/", bare.people, name="bare-people"),
    path("bare/tasks/", bare.tasks, name="bare-tasks"),
    path("", include("config.urls")),
]
