"""Optional two-factor sign-in with an authenticator app (TOTP, django-otp; OWASP ASVS 6.5, 6.6).

Anyone may set it up for their own account; once set up, every sign-in asks for the code. A county
can make it compulsory for its county admins and committee reviewers (the county setting
`security.two_factor_for_admins_and_reviewers`): they are then sent to set it up before anything else.
"""

import base64

from django.db import connection
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import get_public_schema_name

from orgs.county_settings import setting
from orgs.models import Role, RoleAssignment

SETTING = "security.two_factor_for_admins_and_reviewers"
ROLES = frozenset({Role.COUNTY_ADMIN, Role.COMMITTEE_REVIEWER})


def required(user) -> bool:
    """Whether the county obliges this user to use two-factor sign-in."""
    if connection.schema_name == get_public_schema_name() or not setting(SETTING):
        return False
    return RoleAssignment.objects.filter(user=user, role__in=ROLES).exists()


def enrolled(user) -> bool:
    return user_has_device(user, confirmed=True)


def must_verify(user) -> bool:
    return enrolled(user) or required(user)


def check_code(user, code: str) -> TOTPDevice | None:
    """The user's authenticator that accepts the code, if any (django-otp throttles repeated failures)."""
    code = (code or "").strip()
    for device in devices_for_user(user, confirmed=True):
        if isinstance(device, TOTPDevice) and device.verify_token(code):
            return device
    return None


def pending_device(user) -> TOTPDevice:
    """The authenticator being set up (a new secret unless one is waiting for its first code)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def confirm(user, code: str) -> TOTPDevice | None:
    """Confirm the pending authenticator with its first code; it replaces any earlier one."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token((code or "").strip()):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
    return device


def secret_of(device: TOTPDevice) -> str:
    """The key to type into an authenticator app, in the base32 groups the apps expect."""
    text = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))
