from django.db import models


class Marker(models.Model):
    """One row per county; the column `note` is what the timed migration adds."""

    name = models.CharField(max_length=50)
    note = models.CharField(max_length=100, default="", blank=True)

    def __str__(self) -> str:
        return self.name
