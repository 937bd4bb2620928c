"""The error format of API.md: 400 {"detail", "errors": {field: [messages]}}, in the caller's language."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.exceptions import Conflict, RuleViolation


def _field_errors(detail) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        return {
            str(field): [str(m) for m in (messages if isinstance(messages, list) else [messages])]
            for field, messages in detail.items()
        }
    if isinstance(detail, list):
        return {"non_field_errors": [str(m) for m in detail]}
    return {"non_field_errors": [str(detail)]}


def _first_message(errors: dict[str, list[str]]) -> str:
    for messages in errors.values():
        if messages:
            return messages[0] if isinstance(messages[0], str) else str(messages[0])
    return _("The request is not valid.")


def exception_handler(exc, context):
    if isinstance(exc, RuleViolation):
        errors = exc.errors
        return Response({"detail": exc.message, "errors": errors}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoValidationError):
        errors = _field_errors(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
        return Response({"detail": _first_message(errors), "errors": errors}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Conflict):
        return Response({"detail": exc.message}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found."))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, exceptions.ValidationError):
        errors = _field_errors(exc.detail)
        return Response({"detail": _first_message(errors), "errors": errors}, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)
