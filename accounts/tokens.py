"""API tokens with an absolute lifetime (OWASP ASVS 7.3.2), like the sessions of the pages."""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed


def _expired(token: Token) -> bool:
    return timezone.now() - token.created > settings.API_TOKEN_MAX_AGE


class ExpiringTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`, refused once the token is older than API_TOKEN_MAX_AGE."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if _expired(token):
            token.delete()
            raise AuthenticationFailed(_("The token has expired; sign in again."))
        return user, token


def issue_token(user) -> Token:
    """The user's token, a new one if the last has expired."""
    token = Token.objects.filter(user=user).first()
    if token is not None and _expired(token):
        token.delete()
        token = None
    return token or Token.objects.create(user=user)
