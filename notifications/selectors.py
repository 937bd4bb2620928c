"""Reading notices and preferences."""

from django.db.models import QuerySet

from .models import Notice, Preference


def notices_of(user) -> QuerySet[Notice]:
    """The user's own notices, newest first; nobody else's, whatever their role."""
    if not getattr(user, "is_authenticated", False):
        return Notice.objects.none()
    return Notice.objects.filter(recipient_id=user.pk)


def unread_count(user) -> int:
    """One count query on the partial index of unread notices."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notice.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()


def preferences_of(user) -> Preference:
    """The user's channels; the defaults (unsaved) when they never chose."""
    return Preference.objects.filter(user_id=user.pk).first() or Preference(user_id=user.pk)
