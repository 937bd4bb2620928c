"""Forms of the workflow pages: a step's record (built from the step's declared fields), and the application."""

from typing import Any

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from core.dates import today
from orgs.models import BRANCH_KINDS, Organization
from workflows.engine import RecordField, Step
from workflows.selectors import decision_label, full_members_near

DATA_PREFIX = "data_"


YES_NO = (("true", _("Yes")), ("false", _("No")))


def branches_under(org: Organization | None):
    """The branches in org's subtree: where a step's record may place a member."""
    if org is None:
        return Organization.objects.none()
    return Organization.objects.filter(path__startswith=org.path, kind__in=BRANCH_KINDS).order_by("path")


class _ListedChoices(ModelChoiceIterator):
    """The choices from a list read once for the page (see PeopleCache), not one query per form."""

    def __iter__(self):
        for person in self.field.listed:
            yield self.choice(person)

    def __len__(self) -> int:
        return len(self.field.listed)


class _PeopleField(forms.ModelMultipleChoiceField):
    iterator = _ListedChoices

    def __init__(self, *args, listed: list, **kwargs):
        self.listed = listed
        super().__init__(*args, **kwargs)


# Organization id → (the queryset a people field validates against, its rows read once): the inbox renders
# one form per task, and the tasks of one branch share the same full members to name.
PeopleCache = dict[int | None, tuple[Any, list]]


def _people(org: Organization | None, cache: PeopleCache | None) -> tuple[Any, list | None]:
    key = org.pk if org is not None else None
    if cache is None:
        return full_members_near(org), None
    if key not in cache:
        queryset = full_members_near(org)
        cache[key] = (queryset, list(queryset))
    return cache[key]


def _form_field(field: RecordField, org: Organization | None, people: PeopleCache | None = None) -> forms.Field:
    if field.kind == "people":
        queryset, listed = _people(org, people)
        if listed is not None:
            return _PeopleField(
                label=field.label, queryset=queryset, listed=listed, required=field.required, widget=forms.CheckboxSelectMultiple
            )
        return forms.ModelMultipleChoiceField(
            label=field.label, queryset=queryset, required=field.required, widget=forms.CheckboxSelectMultiple
        )
    if field.kind == "boolean":
        return forms.TypedChoiceField(
            label=field.label, choices=YES_NO, coerce=lambda value: value == "true", required=field.required
        )
    if field.kind == "list":
        return forms.MultipleChoiceField(
            label=field.label, choices=field.choices, required=field.required, widget=forms.CheckboxSelectMultiple
        )
    if field.kind == "org":
        return forms.ModelChoiceField(label=field.label, queryset=branches_under(org), required=field.required)
    if field.kind == "integer":
        return forms.IntegerField(label=field.label, required=field.required, min_value=0)
    if field.kind == "date":
        return forms.DateField(label=field.label, required=field.required, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    if field.choices:
        return forms.ChoiceField(label=field.label, choices=field.choices, required=field.required)
    return forms.CharField(label=field.label, required=field.required, max_length=500)


class StepForm(forms.Form):
    """Decision, the event's date, comment, and the step's own record fields."""

    decision = forms.ChoiceField(label=_("Decision"))
    date = forms.DateField(label=_("Date of the event"), initial=today, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(
        self,
        node: Step,
        *args,
        late: bool = False,
        org: Organization | None = None,
        people: PeopleCache | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.node = node
        self.fields["decision"].choices = [(decision, decision_label(decision)) for decision in node.decisions]
        for field in node.fields:
            self.fields[DATA_PREFIX + field.name] = _form_field(field, org, people)
        if late:
            self.fields["late_reason"] = forms.CharField(
                label=_("Reason for the delay"), required=False, help_text=_("This step is past its due date.")
            )

    def record(self) -> dict[str, Any]:
        """The step's `data` as the task service takes it."""
        data = {}
        for field in self.node.fields:
            value = self.cleaned_data.get(DATA_PREFIX + field.name)
            if field.kind == "people":
                value = [person.pk for person in value or []]
            if field.kind == "org" and value is not None:
                value = value.pk
            if isinstance(value, bool) or value not in (None, "", []):
                data[field.name] = value.isoformat() if hasattr(value, "isoformat") else value
        if self.cleaned_data.get("late_reason"):
            data["late_reason"] = self.cleaned_data["late_reason"]
        return data

    def add_violation(self, errors: dict[str, list[str]]) -> None:
        """Show a rule violation of the task service on the form's fields."""
        for name, messages in errors.items():
            field = DATA_PREFIX + name.removeprefix("data.") if name.startswith("data.") else name
            for message in messages:
                self.add_error(field if field in self.fields else None, message)


class ApplicationForm(forms.Form):
    branch = forms.ModelChoiceField(label=_("Branch"), queryset=Organization.objects.filter(kind__in=BRANCH_KINDS))
    date = forms.DateField(
        label=_("Date of the application"), initial=today, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )

    def add_violation(self, errors: dict[str, list[str]]) -> None:
        for name, messages in errors.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)
