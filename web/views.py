from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from tenants.selectors import counties


@login_required
def home(request):
    return render(request, "web/home.html")


def platform_home(request):
    visible = counties() if request.user.is_authenticated and request.user.is_staff else []
    return render(request, "web/platform_home.html", {"counties": visible})
