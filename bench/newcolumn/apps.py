from django.apps import AppConfig


class NewColumnConfig(AppConfig):
    """A bench-only county app: its second migration adds one column, timed over 200 counties."""

    name = "bench.newcolumn"
    label = "bench_newcolumn"
    default_auto_field = "django.db.models.BigAutoField"
