"""The first rate table: the 2008 regulation, in force from 1 April 2008 (numbers from dues.rules)."""

from django.db import migrations

from dues import rules


def seed(apps, schema_editor):
    RateTable = apps.get_model("dues", "RateTable")
    RateBand = apps.get_model("dues", "RateBand")
    table, created = RateTable.objects.get_or_create(
        effective_from=rules.RATE_TABLE_2008_EFFECTIVE_FROM,
        defaults={
            "name": rules.RATE_TABLE_2008_NAME,
            "monthly_cap": rules.MONTHLY_CAP,
            "farmer_min": rules.FARMER_MONTHLY_MIN,
            "farmer_max": rules.FARMER_MONTHLY_MAX,
            "low_income_amount": rules.LOW_INCOME_MONTHLY_AMOUNT,
        },
    )
    if not created:
        return
    for column, bands in (("employed", rules.EMPLOYED_RATES_2008), ("retired", rules.RETIRED_RATES_2008)):
        for above, up_to, rate in bands:
            RateBand.objects.create(table=table, column=column, above=above, up_to=up_to, rate=rate)


def unseed(apps, schema_editor):
    apps.get_model("dues", "RateTable").objects.filter(effective_from=rules.RATE_TABLE_2008_EFFECTIVE_FROM).delete()


class Migration(migrations.Migration):
    dependencies = [("dues", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
