from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import AllowAny


class ObtainToken(ObtainAuthToken):
    """POST {"username", "password"} → {"token"}. The user is looked up in this county's schema only."""

    permission_classes = [AllowAny]
