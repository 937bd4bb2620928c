"""County alpha with a record of every kind inside one committee's subtree (T1), and the callers who
must not reach them: a role holder of another committee (T2), a member without a role, county beta's
admin, and anonymous callers.

county alpha (admin)
├── committee T1 (reviewer) ── branch B1 (secretary): members, an applicant, a member under disposition
│                              └── group G1
└── committee T2 (outsider: every role T2 and B3 can carry) ── branch B3: a member without a role (plain)

Records come from the real services where a process needs the engine (admission, disposition, dues);
every other model of the project gets one row filled in from its fields, pointing at T1's records, so a
model added tomorrow has a row without anyone listing it here.
"""

import decimal
import itertools
import uuid
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from core.dates import today
from core.exceptions import RuleViolation
from dues.models import ReliefKind
from members.models import Person, Stage
from orgs.models import Organization, OrgKind, Role, RoleAssignment
from orgs.selectors import root_organization
from tenants.models import County
from tests.conftest import in_county
from tests.dues.factories import DuesBaseFactory, ReliefFactory
from tests.factories import OrganizationFactory, PersonFactory, UserFactory
from workflows.services.admission import start_admission
from workflows.services.disposition import start_case

from .surface import project_models, relation_path

# Written into every text of T1's records: a response to an outsider that contains it leaks.
MARK = "ZQT1SECRET"
_phones = itertools.count(13900000001)


@dataclass
class Estate:
    county: County
    beta: County
    admin: object
    reviewer: object  # T1
    secretary: object  # B1
    member: object  # a member of B1 with a sign-in
    outsider: object  # every role on T2 and B3
    plain: object  # a member of B3 without a role
    beta_admin: object
    root: Organization
    t1: Organization
    b1: Organization
    g1: Organization
    t2: Organization
    b3: Organization
    people: list[Person]
    secrets: set[str] = field(default_factory=set)
    # Rows the outsiders may legitimately see: never used as another's record.
    theirs: dict[type, set[int]] = field(default_factory=dict)
    unfilled: dict[str, str] = field(default_factory=dict)

    def preferred(self, model: type[models.Model]) -> models.Model | None:
        """T1's record of that model: a branch for organizations, a member for people."""
        chosen = {Organization: self.b1, Person: self.people[0], get_user_model(): self.member}
        if model in chosen:
            return chosen[model]
        return self.not_theirs(model).order_by("-pk").first()

    def not_theirs(self, model: type[models.Model]) -> models.QuerySet:
        """The model's rows that are no outsider's own: not theirs, not about their people or organizations."""
        rows = model.objects.exclude(pk__in=self.theirs.get(model, ()))
        for target in (Person, Organization, get_user_model()):
            lookup = relation_path(model, target)
            if lookup:
                rows = rows.exclude(**{f"{lookup}__in": self.theirs.get(target, ())})
        return rows

    def scoped(self, model: type[models.Model]) -> bool:
        """Whether rows of the model belong to an organization (else they are county-wide)."""
        return relation_path(model, Organization) is not None

    def token(self, user, county: County | None = None) -> str:
        with in_county(county or self.county):
            return Token.objects.get_or_create(user=user)[0].key


def _t1_person(org: Organization, stage: str = Stage.FULL, with_user: bool = False, n: int = 0) -> Person:
    return PersonFactory(
        org=org,
        stage=stage,
        name=f"{MARK}{stage}{n}",
        phone=str(next(_phones)),
        user=UserFactory() if with_user else None,
    )


def build(county: County, admin) -> Estate:
    """Alpha's estate (call inside county alpha). Creates the outsiders first, then T1's records."""
    root = root_organization()
    t2 = OrganizationFactory(name="河口镇党委", kind=OrgKind.COMMITTEE, parent=root)
    b3 = OrganizationFactory(name="河口村党支部", parent=t2)
    outsider = UserFactory(username="outsider")
    for org, role in ((t2, Role.COMMITTEE_REVIEWER), (b3, Role.BRANCH_SECRETARY), (b3, Role.BRANCH_COMMITTEE)):
        RoleAssignment.objects.create(user=outsider, org=org, role=role)
    plain_person = PersonFactory(org=b3, name="河口村党员", user=UserFactory(username="plain"))
    theirs = {
        Organization: {root.pk, t2.pk, b3.pk},
        Person: {plain_person.pk},
        get_user_model(): {outsider.pk, plain_person.user_id},
        RoleAssignment: set(RoleAssignment.objects.values_list("pk", flat=True)),
    }

    t1 = OrganizationFactory(name="城关镇党委", kind=OrgKind.COMMITTEE, parent=root)
    b1 = OrganizationFactory(name="城关社区党支部", parent=t1)
    g1 = OrganizationFactory(name="第一党小组", kind=OrgKind.GROUP, parent=b1)
    reviewer, secretary = UserFactory(username="t1-reviewer"), UserFactory(username="b1-secretary")
    RoleAssignment.objects.create(user=reviewer, org=t1, role=Role.COMMITTEE_REVIEWER)
    RoleAssignment.objects.create(user=secretary, org=b1, role=Role.BRANCH_SECRETARY)
    people = [_t1_person(b1, with_user=True, n=0)] + [_t1_person(b1, n=n) for n in range(1, 4)]
    people.append(_t1_person(g1, n=4))
    applicant = _t1_person(b1, Stage.APPLICANT, with_user=True, n=5)
    people.append(applicant)

    with in_county(County.objects.get(slug="beta")):
        beta_admin = get_user_model().objects.get(username="admin")

    estate = Estate(
        county=county,
        beta=County.objects.get(slug="beta"),
        admin=admin,
        reviewer=reviewer,
        secretary=secretary,
        member=people[0].user,
        outsider=outsider,
        plain=plain_person.user,
        beta_admin=beta_admin,
        root=root,
        t1=t1,
        b1=b1,
        g1=g1,
        t2=t2,
        b3=b3,
        people=people,
        theirs=theirs,
    )
    _run_processes(estate, applicant)
    _fill_every_model(estate)
    estate.secrets = {MARK} | {p.id_number for p in people} | {p.phone for p in people}
    return estate


def _run_processes(estate: Estate, applicant: Person) -> None:
    """The records only the engine makes: an admission, a disposition case, a dues base and a relief."""
    day = today()
    start_admission(actor=estate.secretary, branch=estate.b1, date=day, person=applicant)
    start_case(
        actor=estate.secretary,
        person=estate.people[1],
        grounds="appraisal_unqualified",
        measure="rectification",
        date=day,
    )
    DuesBaseFactory(person=estate.people[2], year=day.year)
    ReliefFactory(
        actor=estate.secretary,
        person=estate.people[2],
        kind=ReliefKind.WAIVE,
        start_month=day.replace(day=1),
        end_month=day.replace(day=1),
        proposed_on=day,
    )


def _scoring_scheme(estate: Estate) -> None:
    from scoring.presets import PRESETS
    from scoring.services import create_scheme

    create_scheme(actor=estate.admin, year=today().year, name="积分方案", preset=next(iter(PRESETS)))


def _assessment_scheme(estate: Estate) -> None:
    from scoring.assessment.presets import PRESETS
    from scoring.assessment.services import create_scheme

    create_scheme(actor=estate.admin, year=today().year, name="考核指标", preset=next(iter(PRESETS)))


def _assessment(estate: Estate) -> None:
    from scoring.assessment.models import AssessmentScheme
    from scoring.assessment.services import open_assessment

    scheme = AssessmentScheme.objects.order_by("-pk").first()
    open_assessment(actor=estate.admin, scheme=scheme, org=estate.b1)


def _county_setting(estate: Estate) -> None:
    from orgs import county_settings, rules

    key, value = next(iter(rules.COUNTY_SETTING_DEFAULTS.items()))
    county_settings.set_setting(actor=estate.admin, key=key, value=value, effective_from=today())


# County-wide configurations whose keys or JSON only their service can write validly, made through it.
BUILDERS = {
    "scoring.Scheme": _scoring_scheme,
    "scoring.AssessmentScheme": _assessment_scheme,
    "scoring.Assessment": _assessment,  # after its scheme: the builders run in this order
    "orgs.CountySetting": _county_setting,
}


# --- one row of every other model, from its fields -------------------------------------------------------


def _value(f: models.Field, estate: Estate, depth: int):
    if f.is_relation:
        return _row(f.related_model, estate, depth + 1)
    if f.choices:
        return f.choices[0][0]
    if isinstance(f, models.FileField):
        return f"estate/{MARK}.pdf"
    if isinstance(f, models.EmailField):
        return f"{MARK.lower()}@example.invalid"
    if isinstance(f, (models.CharField, models.TextField)):
        # County-wide records (schemes, settings) are every role's to read: only T1's own texts are secret.
        text = f"{MARK if estate.scoped(f.model) else 'county'}-{f.model._meta.model_name}-{f.name}"
        return text[: f.max_length] if f.max_length else text
    if isinstance(f, models.BooleanField):
        return False
    if isinstance(f, models.DateTimeField):
        return timezone.now()
    if isinstance(f, models.DateField):
        return today()
    if isinstance(f, models.DecimalField):
        return decimal.Decimal("1")
    if isinstance(f, models.IntegerField):
        return today().year if f.name == "year" else 1
    if isinstance(f, models.JSONField):
        return {}
    if isinstance(f, models.UUIDField):
        return uuid.uuid4()
    raise TypeError(f"no value for {f.__class__.__name__}")


def _row(model: type[models.Model], estate: Estate, depth: int = 0) -> models.Model:
    existing = estate.preferred(model)
    if existing is not None:
        return existing
    if depth > 4:
        raise TypeError(f"{model._meta.label} lies too deep")
    values = {}
    for f in model._meta.concrete_fields:
        generated = (
            isinstance(f, models.AutoField) or getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        )
        if generated:
            continue
        # Relations to people and organizations are filled even when optional, so the row has an owner.
        owner = f.is_relation and f.related_model in (Organization, Person)
        if (f.has_default() or f.null) and not owner:
            continue
        values[f.attname if f.is_relation else f.name] = (
            _value(f, estate, depth).pk if f.is_relation else _value(f, estate, depth)
        )
    with transaction.atomic():
        return model.objects.create(**values)


# Apps whose rows no user writes: the platform's counties and domains, the audit history that triggers
# write (and chain), the outbox of messages. Their rows come from the records above, or not at all.
NOT_RECORDS = {"tenants", "history", "outbox"}


def _fill_every_model(estate: Estate) -> None:
    models_ = [
        m for m in project_models() if not m._meta.proxy and m._meta.managed and m._meta.app_label not in NOT_RECORDS
    ]
    by_label = {m._meta.label: m for m in models_}
    for label, builder in BUILDERS.items():  # first, so that rows pointing at them use them
        if label in by_label and not by_label[label].objects.exists():
            _try(estate, label, lambda builder=builder: builder(estate))
    for model in models_:
        if not model.objects.exists():
            _try(estate, model._meta.label, lambda model=model: _row(model, estate))


def _try(estate: Estate, label: str, make) -> None:
    try:
        make()
    except (TypeError, IntegrityError, ValueError, ImportError, RuleViolation) as error:
        estate.unfilled[label] = str(error).splitlines()[0]
