"""Typed reading of one object of an uploaded export (transfer.importer).

JSON types are checked here (a number is a number, a date is ISO 8601); limits come from
the model fields, and ``validated()`` runs the models' own validation, so the file is
held to the same rules as the forms. Dates and times are held to the range of
safety.dates (from 1900, nothing in the future) as seen by the ``Clock`` of the import.
"""

from __future__ import annotations

import uuid
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from safety import dates


class ImportRefused(ValueError):
    """The file cannot be imported; the message is shown next to the upload field."""


def _limits(model: type[models.Model], name: str) -> tuple[int, int]:
    """The (lowest, highest) whole number a model field's validators allow (its own and
    the database column's range)."""
    validators = model._meta.get_field(name).validators
    lows = [v.limit_value for v in validators if isinstance(v, MinValueValidator)]
    highs = [v.limit_value for v in validators if isinstance(v, MaxValueValidator)]
    return max(lows), min(highs)


class ImportBusy(ImportRefused):
    """Another import into the same account is running (or its data changed meanwhile)."""


@dataclass(frozen=True)
class Clock:
    """When the import runs, and the time zone of the person it is for."""

    now: datetime
    zone: zoneinfo.ZoneInfo

    @property
    def latest_day(self) -> date:
        """No date in the file may be later (its local date anywhere on Earth)."""
        return dates.latest_day_anywhere(self.now)


EARLY = f"is before {dates.long_day(dates.EARLIEST_DAY)}."
FUTURE = "is in the future."


def shown(value: Any, limit: int = 40) -> str:
    """A value of the file as an error message quotes it: short."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Reader:
    """Typed access to one object of the file; errors name where the problem is."""

    def __init__(self, data: Any, where: str, clock: Clock):
        if not isinstance(data, dict):
            raise ImportRefused(f"{where} should be an object.")
        self.data = data
        self.where = where
        self.clock = clock

    def fail(self, key: str, problem: str) -> ImportRefused:
        return ImportRefused(f"{self.where}, “{key}”: {problem}")

    def _get(self, key: str, *, required: bool = True) -> Any:
        if key not in self.data:
            if required:
                raise self.fail(key, "is missing.")
            return None
        return self.data[key]

    def link(self, key: str, known: set[uuid.UUID], what: str) -> uuid.UUID:
        """The uid of another object of the file (``what``: "an episode")."""
        uid = self.uid(key)
        if uid not in known:
            raise self.fail(key, f"does not match {what} in the file.")
        return uid

    def uid(self, key: str = "uid", *, required: bool = True) -> uuid.UUID | None:
        value = self._get(key, required=required)
        if value is None and not required:
            return None
        try:
            return uuid.UUID(str(value))
        except (ValueError, TypeError, AttributeError):
            raise self.fail(key, "is not a valid id.") from None

    def text(self, key: str, *, required: bool = False) -> str:
        value = self._get(key, required=required)
        if value is None:
            return ""
        if not isinstance(value, str):
            raise self.fail(key, "should be text.")
        if "\x00" in value:  # PostgreSQL cannot store it; a form refuses it too
            raise self.fail(key, "contains a NUL character.")
        return value

    def whole(self, key: str, model: type[models.Model], *, null: bool = False) -> int | None:
        """A whole number within the limits of the model field of the same name."""
        value = self._get(key, required=not null)
        if value is None and null:
            return None
        low, high = _limits(model, key)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise self.fail(key, f"should be a whole number from {low} to {high}.")
        return value

    def answer(self, sign) -> bool | str | None:
        """A warning-sign answer: true/false/null, or one of the sign's answers."""
        value = self._get(sign.code, required=False)
        if value == "" and not sign.is_yes_no:
            value = None
        if sign.is_valid(value):
            return value
        if sign.is_yes_no:
            raise self.fail(sign.code, "should be true, false or null (not answered).")
        raise self.fail(sign.code, f"“{shown(value)}” is not one of the known answers.")

    def day(self, key: str, *, null: bool = False) -> date | None:
        value = self._get(key, required=not null)
        if value is None and null:
            return None
        try:
            day = date.fromisoformat(value)
        except (TypeError, ValueError):
            raise self.fail(key, "is not a date (YYYY-MM-DD).") from None
        if day < dates.EARLIEST_DAY:
            raise self.fail(key, EARLY)
        if day > self.clock.latest_day:
            raise self.fail(key, FUTURE)
        return day

    def moment(self, key: str, *, null: bool = False) -> datetime | None:
        value = self._get(key, required=not null)
        if value is None and null:
            return None
        try:
            parsed = datetime.fromisoformat(value)
        except (TypeError, ValueError):
            raise self.fail(key, "is not a date and time.") from None
        if parsed.tzinfo is None:
            raise self.fail(key, "has no time zone offset.")
        problem = dates.moment_problem(parsed, zone=self.clock.zone, now=self.clock.now)
        if problem is not None:
            raise self.fail(key, EARLY if problem == dates.TOO_EARLY else FUTURE)
        return parsed

    def choice(self, key: str, choices: Iterable[str]) -> str:
        value = self._get(key, required=False)
        if value is None or value == "":
            return ""
        if not isinstance(value, str) or value not in set(choices):
            raise self.fail(key, f"“{shown(value)}” is not one of the known answers.")
        return value

    def codes(self, key: str, choices: Iterable[str]) -> list[str]:
        value = self._get(key, required=False)
        if value is None:
            return []
        allowed = set(choices)
        if not isinstance(value, list) or not all(
            isinstance(v, str) and v in allowed for v in value
        ):
            raise self.fail(key, "holds an answer that is not known.")
        return list(dict.fromkeys(value))

    def each(self, key: str, name: str):
        """A reader for every object of the list ``key``, named "<name> 1", "<name> 2"..."""
        for index, item in enumerate(self.items(key)):
            yield Reader(item, f"{name} {index + 1}", self.clock)

    def items(self, key: str) -> list[Any]:
        value = self._get(key, required=False)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(key, "should be a list.")
        return value

    def validated(self, instance: models.Model, *, exclude: Iterable[str] = ()) -> Any:
        """Run the model's own validation (limits, choices, clean()) on ``instance``."""
        try:
            instance.full_clean(
                exclude=["owner", *exclude], validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            name, messages = next(iter(error.message_dict.items()))
            raise self.fail(name, " ".join(messages)) from None
        return instance
