"""The unread count beside the notifications link of every page."""

from django import template

from notifications.selectors import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notices(context) -> int:
    """One count query per page, only where the link is shown (a signed-in user in a county)."""
    request = context.get("request")
    return unread_count(request.user) if request is not None else 0
