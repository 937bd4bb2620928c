"""Forms of the scoring pages: an entry, a new scheme, and a scheme's configuration."""

import json

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.dates import today
from members.models import Category, Person
from scoring.presets import PRESETS, PROFILES


class EntryForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Member"), queryset=Person.objects.none())
    item = forms.ChoiceField(label=_("Item"))
    date = forms.DateField(label=_("Date of the event"), initial=today, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    quantity = forms.DecimalField(label=_("Quantity"), initial=1, min_value=0, decimal_places=2)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.CharField(
        label=_("Evidence"), required=False, help_text=_("Document references, one per line (minutes, certificates).")
    )

    def __init__(self, *args, people: QuerySet[Person], items: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["item"].choices = items

    def clean_evidence(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["evidence"].splitlines() if line.strip()]


class NewSchemeForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), initial=lambda: today().year, min_value=2000, max_value=2100)
    name = forms.CharField(label=_("Name"), max_length=200)
    preset = forms.ChoiceField(label=_("Preset"), choices=[(code, f"{preset.label} ({preset.seed})") for code, preset in PRESETS.items()])
    category = forms.ChoiceField(
        label=_("Member category"), required=False, choices=[("", _("Every category without a scheme of its own")), *Category.choices]
    )
    profile = forms.ChoiceField(
        label=_("Indicator profile (weighted 80/20 only)"), required=False, choices=[("", "—"), *((p, p) for p in PROFILES)]
    )


class SchemeConfigForm(forms.Form):
    config = forms.CharField(label=_("Configuration (JSON)"), widget=forms.Textarea(attrs={"rows": 28, "spellcheck": "false"}))
    note = forms.CharField(label=_("What changed"), required=False, max_length=200)
    preview_year = forms.IntegerField(label=_("Preview on the entries of the year"), required=False)

    def clean_config(self) -> dict:
        try:
            return json.loads(self.cleaned_data["config"])
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(_("This is not valid JSON: %(error)s") % {"error": exc}) from exc
