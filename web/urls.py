"""Pages of a county."""

from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.i18n import set_language

from . import views

app_name = "web"

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="registration/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("", views.home, name="home"),
]
