"""The 18-character resident ID number (GB 11643): check digit, birth date and sex."""

import datetime
import re

from django.utils.translation import gettext as _
from stdnum import numdb
from stdnum.cn import ric
from stdnum.exceptions import InvalidChecksum, InvalidComponent, ValidationError

from core.dates import today
from core.exceptions import RuleViolation

from .models import Sex

PHONE_PATTERN = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")


def normalize_id_number(raw: str) -> str:
    """Validate an ID number and return it in canonical form (upper-case X)."""
    number = (raw or "").strip().upper()
    if len(number) != 18:
        raise RuleViolation(_("A resident ID number has 18 characters."), field="id_number")
    invalid = RuleViolation(_("This is not a valid resident ID number."), field="id_number")
    try:
        ric.validate(number)
    except InvalidChecksum as exc:
        raise RuleViolation(
            _("The ID number's check digit is wrong; please check the number."), field="id_number"
        ) from exc
    except InvalidComponent as exc:
        if not _region_ever_assigned(number):
            raise invalid from exc
    except ValidationError as exc:
        raise invalid from exc
    try:
        born = ric.get_birth_date(number)
    except ValidationError as exc:
        raise invalid from exc
    if born > today():
        raise invalid
    return number


def _region_ever_assigned(number: str) -> bool:
    """Whether the region code (first 6 digits) was in use at any time.

    python-stdnum also wants the code in use in the birth year, but the 18-character numbers were
    issued from 1984 on with the codes of the day, to people born long before (a Hangzhou 上城区
    number 330102 of someone born in 1950 is genuine): any period of the code counts.
    """
    return any("county" in props for _part, props in numdb.get("cn/loc").info(number[:6]))


def birth_date_of(id_number: str) -> datetime.date:
    return ric.get_birth_date(id_number)


def sex_of(id_number: str) -> str:
    """The 17th digit is odd for men and even for women."""
    return Sex.MALE if int(id_number[16]) % 2 else Sex.FEMALE


def mask_id_number(id_number: str) -> str:
    """3301**********1234: the region prefix and the last four characters stay visible."""
    return f"{id_number[:4]}{'*' * 10}{id_number[-4:]}" if len(id_number) == 18 else "*" * len(id_number)


def mask_phone(phone: str) -> str:
    """139****5678: the first three and the last four digits stay visible."""
    return f"{phone[:3]}{'*' * (len(phone) - 7)}{phone[-4:]}" if len(phone) > 7 else "*" * len(phone)


def normalize_phone(raw: str) -> str:
    phone = re.sub(r"[\s()（）]", "", raw or "")
    if phone and not PHONE_PATTERN.match(phone):
        raise RuleViolation(_("Enter an 11-digit mobile number or a landline with its area code."), field="phone")
    return phone


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))
