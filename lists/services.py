"""Saving and deleting one's own filters of a list page."""

from urllib.parse import parse_qsl, urlencode

from django.utils.translation import gettext as _

from core.actions import action
from core.exceptions import RuleViolation

from .models import ListPage, SavedFilter

# Paging and the saved filter's own parameters are not part of what a filter selects.
NOT_FILTERS = {"page", "saved", "csrfmiddlewaretoken", "name"}


def clean_querystring(querystring: str) -> str:
    """The query string without empty values or paging, in a stable order."""
    pairs = [(key, value) for key, value in parse_qsl(querystring.lstrip("?"), keep_blank_values=False) if key not in NOT_FILTERS]
    return urlencode(sorted(pairs))


def save_filter(*, actor, page: str, name: str, querystring: str) -> SavedFilter:
    """Save (or replace, under the same name) the user's filter of a list page."""
    name = (name or "").strip()
    if page not in ListPage.values:
        raise RuleViolation(_("Filters of this page cannot be saved."), field="page")
    if not name:
        raise RuleViolation(_("Give the filter a name."), field="name")
    if len(name) > 80:
        raise RuleViolation(_("The name is at most 80 characters."), field="name")
    querystring = clean_querystring(querystring)
    if len(querystring) > 500:
        raise RuleViolation(_("These filters are too long to be saved."), field="querystring")
    with action(actor):
        saved, _created = SavedFilter.objects.update_or_create(
            user=actor, page=page, name=name, defaults={"querystring": querystring}
        )
    return saved


def delete_filter(*, actor, saved: SavedFilter) -> None:
    """Delete one of the user's own saved filters."""
    if saved.user_id != actor.pk:
        raise RuleViolation(_("This filter is not yours."))
    with action(actor):
        saved.delete()
