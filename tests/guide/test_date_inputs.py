"""Date inputs of the pages carry an ISO date whatever the language.

A browser's <input type="date"> takes only YYYY-MM-DD. Under zh-hans, Django's first date input format is
"%Y/%m/%d", so a date widget left to localize its value showed an empty box, and a form whose date is
required (a step's record) could not be sent without typing the date again. Found by the browser journeys.
"""

import datetime

from django.utils import translation

from web.forms_workflows import ApplicationForm, StepForm
from workflows.flows.admission import AdmissionFlow


def test_date_inputs_carry_an_iso_date_in_chinese():
    day = datetime.date(2026, 3, 5)
    with translation.override("zh-hans"):
        step = StepForm(AdmissionFlow.instance.node("talk"), initial={"date": day})
        application = ApplicationForm(initial={"date": day})
        rendered = [str(step["date"]), str(application["date"])]
    for html in rendered:
        assert 'value="2026-03-05"' in html
