from django.db import migrations, models


class Migration(migrations.Migration):
    """The one new column that `make bench` applies to every county."""

    dependencies = [("bench_newcolumn", "0001_initial")]

    operations = [
        migrations.AddField(model_name="marker", name="note", field=models.CharField(blank=True, default="", max_length=100)),
    ]
