"""The warning-sign answers as model fields, one per sign in ``safety.signs.SIGNS``.

``WarningAnswers`` is abstract: the pain log's ``PainEntry`` inherits it, so adding a sign
to the declaration adds its column (with a migration) and nothing else. None means "not
answered", which is not the same as "no".
"""

from django.db import models

from safety.signs import SIGNS, Sign, reported_signs

# Room for any multiple-choice answer's stored value.
ANSWER_MAX_LENGTH = 20


def answer_field(sign: Sign) -> models.Field:
    if sign.is_yes_no:
        return models.BooleanField(sign.question, null=True, blank=True)
    return models.CharField(
        sign.question,
        max_length=ANSWER_MAX_LENGTH,
        choices=[(choice.value, choice.label) for choice in sign.choices],
        null=True,
        blank=True,
    )


class WarningAnswers(models.Model):
    class Meta:
        abstract = True

    @property
    def warning_signs(self) -> list[str]:
        """The warning signs answered "yes", in plain words."""
        return list(reported_signs(self))


for _sign in SIGNS:
    WarningAnswers.add_to_class(_sign.code, answer_field(_sign))
