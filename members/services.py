"""Writes to people and their user accounts. Each is one audited action.

These services hold the rules of a person record; whether the caller may touch the record is
asked of orgs.access by the caller (the API, the import below, the flows).
"""

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.actions import action
from core.dates import check_event_date, today
from core.exceptions import RuleViolation
from orgs.access import can, scope
from orgs.models import Organization

from . import rules, spreadsheets
from .identity import age_on, birth_date_of, normalize_id_number, normalize_phone, sex_of
from .models import Category, Person, Stage, Status

# Fields a person record may change in place. Stage and status change only through the flows
# (admission, transfer, disposition), which record why; an import may set them for a new record.
EDITABLE_PERSON_FIELDS = frozenset(
    {"name", "id_number", "phone", "org", "category", "education", "party_standing_since"}
)
PROCESS_FIELDS = frozenset({"stage", "status"})
NAME_MAX_LENGTH = Person._meta.get_field("name").max_length
EDUCATION_MAX_LENGTH = Person._meta.get_field("education").max_length


def _duplicate_id_number() -> RuleViolation:
    return RuleViolation(_("A person with this ID number already exists."), field="id_number")


def _clean_name(value: str) -> str:
    name = (value or "").strip()
    if not name:
        raise RuleViolation(_("Enter the person's name."), field="name")
    if len(name) > NAME_MAX_LENGTH:
        raise RuleViolation(_("A name has at most %(count)d characters.") % {"count": NAME_MAX_LENGTH}, field="name")
    return name


def _clean_choice(field: str, choices) -> Any:
    def clean(value: str) -> str:
        if value not in choices.values:
            raise RuleViolation(
                _("“%(value)s” is not a known %(field)s.")
                % {"value": value, "field": Person._meta.get_field(field).verbose_name},
                field=field,
            )
        return value

    return clean


def _clean_org(value: Organization | None) -> Organization:
    if value is None:
        raise RuleViolation(_("Choose the person's organization."), field="org")
    return value


def _clean_education(value: str) -> str:
    education = (value or "").strip()
    if len(education) > EDUCATION_MAX_LENGTH:
        raise RuleViolation(
            _("Education has at most %(count)d characters.") % {"count": EDUCATION_MAX_LENGTH}, field="education"
        )
    return education


def _clean_party_standing_since(value: datetime.date | None) -> datetime.date | None:
    return value if value is None else check_event_date(value, field="party_standing_since")


CLEANERS = {
    "name": _clean_name,
    "id_number": normalize_id_number,
    "phone": normalize_phone,
    "org": _clean_org,
    "stage": _clean_choice("stage", Stage),
    "category": _clean_choice("category", Category),
    "status": _clean_choice("status", Status),
    "education": _clean_education,
    "party_standing_since": _clean_party_standing_since,
}


def _clean(values: dict[str, Any], person: Person | None = None) -> dict[str, Any]:
    """Every field's rule at once, so a form or a spreadsheet row learns all its errors together."""
    cleaned, errors = {}, {}
    for field, value in values.items():
        try:
            cleaned[field] = CLEANERS[field](value)
        except RuleViolation as violation:
            for name, messages in violation.errors.items():
                errors.setdefault(name, []).extend(messages)
    if "id_number" in cleaned:
        others = Person.objects.filter(id_number=cleaned["id_number"])
        if person is not None:
            others = others.exclude(pk=person.pk)
        if others.exists():
            errors.setdefault("id_number", []).extend(_duplicate_id_number().errors["id_number"])
    if cleaned.get("category") == Category.ELDERLY:
        id_number = cleaned.get("id_number") or (person.id_number if person is not None else None)
        if id_number and age_on(birth_date_of(id_number), today()) < rules.ELDERLY_FROM_AGE:
            errors.setdefault("category", []).append(
                _("A member is classed as over 65, old, ill or immobile from the age of %(age)d.")
                % {"age": rules.ELDERLY_FROM_AGE}
            )
    if errors:
        first = next(iter(errors.values()))[0]
        raise RuleViolation(first, errors=errors)
    return cleaned


def _save(person: Person) -> None:
    # The uniqueness check above can race a concurrent write; the constraint has the last word.
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError as exc:
        raise _duplicate_id_number() from exc


def create_person(
    *,
    actor,
    name: str,
    id_number: str,
    org: Organization,
    phone: str = "",
    stage: str = Stage.APPLICANT,
    category: str = Category.OTHER,
    status: str = Status.ACTIVE,
    education: str = "",
    party_standing_since: datetime.date | None = None,
) -> Person:
    """A new person record. Stage and status may be given to register people already under way."""
    values = _clean(
        {
            "name": name,
            "id_number": id_number,
            "org": org,
            "phone": phone,
            "stage": stage,
            "category": category,
            "status": status,
            "education": education,
            "party_standing_since": party_standing_since,
        }
    )
    person = Person(**values, sex=sex_of(values["id_number"]), birth_date=birth_date_of(values["id_number"]))
    with action(actor):
        _save(person)
    return person


def update_person(*, actor, person: Person, **changes) -> Person:
    """Change a person's record. Stage and status may be repeated unchanged, never changed here."""
    unknown = set(changes) - EDITABLE_PERSON_FIELDS - PROCESS_FIELDS
    if unknown:
        raise TypeError(f"update_person() cannot change {sorted(unknown)}")
    errors = {}
    if "stage" in changes and changes.pop("stage") != person.stage:
        errors["stage"] = [_("The stage changes only through the admission process.")]
    if "status" in changes and changes.pop("status") != person.status:
        errors["status"] = [_("The status changes only through a transfer or disposition process.")]
    try:
        values = _clean(changes, person=person)
    except RuleViolation as violation:
        errors = {**errors, **violation.errors}
    if errors:
        raise RuleViolation(next(iter(errors.values()))[0], errors=errors)
    for field, value in values.items():
        setattr(person, field, value)
    if "id_number" in values:
        person.sex, person.birth_date = sex_of(person.id_number), birth_date_of(person.id_number)
    with action(actor):
        _save(person)
    return person


def _import_org(actor, text: str) -> Organization:
    """The organization a row names, by id or exact name, among those the actor may import into."""
    orgs = Organization.objects.filter(scope(actor, "import_people", field=""))
    if not text:
        raise RuleViolation(_("Choose the person's organization."), field="org")
    matches = list(orgs.filter(pk=int(text))) if text.isdigit() else list(orgs.filter(name=text)[:2])
    if not matches:
        raise RuleViolation(_("No organization in your scope has this name or number."), field="org")
    if len(matches) > 1:
        raise RuleViolation(_("Several organizations have this name; give the organization's number."), field="org")
    return matches[0]


def _existing_person(id_number: str) -> Person | None:
    try:
        number = normalize_id_number(id_number)
    except RuleViolation:
        return None  # create_person reports the bad number together with the row's other errors
    return Person.objects.select_related("org").filter(id_number=number).first()


def _import_row(actor, values: dict[str, str]) -> str:
    """Create or update one person from a row; answers "created", "updated" or "unchanged".

    Runs inside the row's savepoint: raising after a write undoes the write.
    """
    existing = _existing_person(values.get("id_number", ""))
    if existing is not None and not can(actor, "import_people", existing.org):
        # Outside the caller's scope: refused exactly like a new person with a taken number.
        raise _duplicate_id_number()
    given = {
        field: value for field, value in values.items() if value and field in EDITABLE_PERSON_FIELDS | PROCESS_FIELDS
    }
    errors: dict[str, list[str]] = {}
    if "org" in given or existing is None:
        try:
            given["org"] = _import_org(actor, given.pop("org", ""))
        except RuleViolation as violation:
            errors.update(violation.errors)
    outcome = "created"
    try:
        if existing is None:
            create_person(actor=actor, **{"name": "", "id_number": "", "org": None, **given})
        else:
            before = {field: getattr(existing, field) for field in EDITABLE_PERSON_FIELDS}
            update_person(actor=actor, person=existing, **given)
            changed = before != {field: getattr(existing, field) for field in EDITABLE_PERSON_FIELDS}
            outcome = "updated" if changed else "unchanged"
    except RuleViolation as violation:
        errors = {**violation.errors, **errors}  # the lookup's reason beats "choose the organization"
    if errors:
        raise RuleViolation(next(iter(errors.values()))[0], errors=errors)
    return outcome


def import_people(*, actor, file, dry_run: bool = False) -> dict[str, Any]:
    """Create or update people (matched by ID number) from a spreadsheet, in one transaction.

    Each row is written whole or not at all (a savepoint per row); a refused row is reported with
    its Excel row number and errors. With dry_run, everything is checked and then rolled back.
    """
    report: dict[str, Any] = {"created": 0, "updated": 0, "unchanged": 0, "rejected": [], "dry_run": dry_run}
    with action(actor):
        for number, values in spreadsheets.read_rows(file):
            try:
                with transaction.atomic():
                    outcome = _import_row(actor, values)
            except RuleViolation as violation:
                report["rejected"].append({"row": number, "errors": violation.errors})
            else:
                report[outcome] += 1
        if dry_run:
            transaction.set_rollback(True)
    return report


def create_user(*, actor, username: str, password: str, person: Person | None = None):
    """A sign-in for this county; linked to a person, it lets them follow their own records."""
    user_model = get_user_model()
    username = (username or "").strip()
    errors: dict[str, list[str]] = {}
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError as exc:
        errors["username"] = list(exc.messages)
    if not username:
        errors["username"] = [_("Enter a username.")]
    elif user_model.objects.filter(username=username).exists():
        errors["username"] = [_("A user with this username already exists.")]
    try:
        validate_password(password, user=user_model(username=username))
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    if person is not None and person.user_id is not None:
        errors["person"] = [_("This person already has a user.")]
    if errors:
        raise RuleViolation(next(iter(errors.values()))[0], errors=errors)
    with action(actor):
        user = user_model.objects.create_user(username=username, password=password)
        if person is not None:
            person.user = user
            person.save(update_fields=["user", "updated_at"])
    return user
