"""The warning-sign answers as model fields, one per sign in ``safety.signs.SIGNS``.

``WarningAnswers`` is abstract: the pain log's ``PainEntry`` inherits it, so adding a sign
to the declaration adds its column (with a migration) and nothing else. None means "not
answered", which is not the same as "no".
"""

import functools
import operator

from django.db import models
from django.db.models import Q

from safety.signs import SIGNS, Sign, reported_signs, reports_any

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


def reports_a_sign() -> Q:
    """Rows whose answers report at least one warning sign (from safety.signs)."""
    conditions = []
    for sign in SIGNS:
        if sign.is_yes_no:
            conditions.append(Q(**{sign.code: True}))
        else:
            reporting = [c.value for c in sign.choices if c.reported]
            conditions.append(Q(**{f"{sign.code}__in": reporting}))
    return functools.reduce(operator.or_, conditions)


def signs_reported_expression() -> models.Case:
    """``reports_a_sign()`` as a true/false value (never NULL) for the database."""
    return models.Case(
        models.When(reports_a_sign(), then=models.Value(True)), default=models.Value(False)
    )


class SignsReportedField(models.BooleanField):
    """Whether a row's warning-sign answers report any sign: worked out from those answers
    each time the row is written (save and bulk_create both call ``pre_save``), never set
    by hand. A check constraint on ``signs_reported_expression()`` (the pain entry's
    ``entry_reports_sign_agrees``) makes the database refuse a write where it would
    disagree (an update() of an answer alone), so no path can hide a reported sign from
    the check that reads this column."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", False)
        kwargs["editable"] = False
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance, add):
        value = reports_any(model_instance)
        setattr(model_instance, self.attname, value)
        return value
