"""`user|sees_dashboard`: whether a role of the user opens the county dashboards (the nav link and home page)."""

from django import template

from orgs.access import roots

register = template.Library()


@register.filter
def sees_dashboard(user) -> bool:
    return bool(roots(user, "view_dashboard"))
