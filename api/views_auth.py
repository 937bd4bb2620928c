"""POST /api/auth/token/: a token for the API, after the same checks as the sign-in page."""

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import two_factor
from accounts.events import Kind, record
from accounts.tokens import issue_token
from core.exceptions import RuleViolation


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})
    otp = serializers.CharField(
        required=False, allow_blank=True, help_text="the authenticator code, for users who set up two-factor sign-in"
    )


class ObtainToken(APIView):
    """{"username", "password"[, "otp"]} → {"token"}. The user is looked up in this county's schema only.

    The Django request goes to `authenticate`, so django-axes counts the failures of this endpoint and
    locks the caller out (429) like the sign-in page; a token lasts API_TOKEN_MAX_AGE.
    """

    permission_classes = [AllowAny]
    authentication_classes: list = []  # credentials are in the body; a stale Authorization header is ignored

    @extend_schema(
        request=TokenRequestSerializer,
        responses=inline_serializer("AuthToken", {"token": serializers.CharField()}),
    )
    def post(self, request) -> Response:
        body = TokenRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        user = authenticate(request._request, username=data["username"], password=data["password"])
        if user is None:
            raise RuleViolation(_("Unable to sign in with these credentials."))
        if two_factor.enrolled(user):
            code = data.get("otp", "")
            if not code or two_factor.check_code(user, code) is None:
                if code:  # a wrong code counts towards django-otp's throttle; a missing one asks for it
                    record(Kind.TWO_FACTOR_FAILED, request._request, user=user, channel="token")
                raise RuleViolation(_("Enter the current code from your authenticator app."), field="otp")
        elif two_factor.required(user):
            raise RuleViolation(_("Set up two-factor sign-in on the web pages before using the API."), field="otp")
        token = issue_token(user)
        record(Kind.SIGN_IN, request._request, user=user, channel="token")
        return Response({"token": token.key})
