"""Background work about a county as a whole."""

from celery import shared_task
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count

from config.celery import CountyTask
from members.models import Person
from orgs.models import Organization


@shared_task(base=CountyTask, ignore_result=False)
def county_census() -> dict:
    """The size of the county that sent the task: organizations, users and people by stage.

    Its answer names the schema it ran in, so it doubles as the check that a worker serves each
    county in that county's own schema (docs/operator-guide.md).
    """
    people = dict(Person.objects.order_by().values_list("stage").annotate(count=Count("id")))
    return {
        "county": connection.schema_name,
        "organizations": Organization.objects.count(),
        "users": get_user_model().objects.count(),
        "people": people,
    }
