from django.conf import settings
from django.db import models


class Reading(models.Model):
    """The comparable-work ceiling's four-field row: what a minimal signed-in page shows
    20 of, and what a minimal ModelForm post saves one of."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    date = models.DateField()
    score = models.PositiveSmallIntegerField()
    note = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["owner", "-date"], name="reading_owner_date")]

    def __str__(self) -> str:
        return f"{self.date}: {self.score}"
