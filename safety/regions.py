"""Where a person is decides which numbers the warning signs ask them to call.

The numbers are data (fixtures/regions.json); this module reads them once and words the
advice for each care level. Pure Python, like the checker: no Django.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from safety.rules import Urgency

REGIONS_FILE = Path(__file__).resolve().parent.parent / "fixtures" / "regions.json"
DEFAULT_REGION = "GB"


@dataclass(frozen=True)
class Line:
    """A number to call: ``number`` is what the phone dials, ``label`` what we say."""

    label: str
    number: str = ""

    @property
    def tel(self) -> str:
        return f"tel:{self.number}" if self.number else ""


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    emergency: tuple[Line, ...]
    emergency_place: str
    urgent: Line  # an advice line with a number, or who to contact (no number)
    urgent_also: str  # another way to be seen today, if any

    @property
    def emergency_numbers(self) -> str:
        """ "999", or "112 or 999"."""
        return " or ".join(line.label for line in self.emergency)

    def calls(self, urgency: Urgency) -> tuple[Line, ...]:
        """The numbers to offer as call buttons for a flag of this urgency."""
        if urgency == Urgency.IMMEDIATE:
            return self.emergency
        if urgency == Urgency.URGENT and self.urgent.number:
            return (self.urgent,)
        return ()

    def advice(self, urgency: Urgency) -> str:
        """What to do, in plain words, for a flag of this urgency in this region."""
        if urgency == Urgency.IMMEDIATE:
            return (
                f"Get emergency care now: call {self.emergency_numbers} or go to "
                f"{self.emergency_place}."
            )
        if urgency == Urgency.URGENT:
            if self.urgent.number:
                also = f", or {self.urgent_also}" if self.urgent_also else ""
                return f"See a doctor today: call {self.urgent.label}{also}."
            return (
                f"See a doctor today: contact {self.urgent.label}. If you cannot be seen "
                f"today and you feel worse, call {self.emergency_numbers}."
            )
        return (
            "Book an appointment with a doctor. It is not an emergency, but it should be checked."
        )


@cache
def regions() -> dict[str, Region]:
    data = json.loads(REGIONS_FILE.read_text(encoding="utf-8"))
    result = {}
    for item in data["regions"]:
        urgent = item["urgent"]
        result[item["code"]] = Region(
            code=item["code"],
            name=item["name"],
            emergency=tuple(Line(**line) for line in item["emergency"]),
            emergency_place=item["emergency_place"],
            urgent=Line(label=urgent["label"], number=urgent.get("number", "")),
            urgent_also=urgent.get("also", ""),
        )
    return result


def region_choices() -> list[tuple[str, str]]:
    return [(code, region.name) for code, region in regions().items()]


def get_region(code: str | None, default: str = DEFAULT_REGION) -> Region:
    """The region for ``code``; an unknown or empty code gives the default."""
    table = regions()
    return table.get(code or "") or table.get(default) or table[DEFAULT_REGION]
