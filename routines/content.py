"""Load stretch, guide and starter-session content from the JSON files in fixtures/.

The files use slugs as natural keys (format: fixtures/README.md), so loading can run
on every set-up: what is missing is created, nothing is duplicated, and content that
already exists is left as it is, so edits made in the admin survive. ``reset=True``
writes the fixture text back over existing content, updating rows in place so that
people's own sessions keep pointing at the same stretches. User data (people's own
routines, practices, pain entries) is never read or written here.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from routines.models import WARNING_SIGNS_PAGE, GuideItem, GuidePage, Routine, RoutineStep, Stretch

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"
STRETCHES_FILE = "stretches.json"
GUIDE_FILE = "guide.json"
ROUTINES_FILE = "starter_routines.json"
FORMATS = {
    STRETCHES_FILE: "spasmcare-stretches/2",
    GUIDE_FILE: "spasmcare-guide/1",
    ROUTINES_FILE: "spasmcare-starter-routines/1",
}


class ContentError(Exception):
    """A fixture file is missing, malformed or refers to something that does not exist."""


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    kept: int = 0
    # Slugs of existing content that differs from the fixture and was left alone.
    differs: list[str] = field(default_factory=list)

    def settle(self, slug: str, *, same: bool, reset: bool, restore: Callable[[], None]) -> None:
        """An object that exists: unchanged, restored from the file (``reset``), or
        left as edited (and reported)."""
        if same:
            self.kept += 1
        elif reset:
            restore()
            self.updated += 1
        else:
            self.kept += 1
            self.differs.append(slug)


@dataclass
class LoadReport:
    stretches: Counts = field(default_factory=Counts)
    guide_pages: Counts = field(default_factory=Counts)
    routines: Counts = field(default_factory=Counts)

    def sections(self) -> list[tuple[str, Counts]]:
        return [
            ("stretches", self.stretches),
            ("guide pages", self.guide_pages),
            ("starter sessions", self.routines),
        ]


# --- reading and checking the files -------------------------------------------------


def _read(directory: Path, name: str, key: str) -> list[dict[str, Any]]:
    path = directory / name
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ContentError(f"{path} is missing") from exc
    except json.JSONDecodeError as exc:
        raise ContentError(f"{path} is not valid JSON: {exc}") from exc
    if not isinstance(data, dict) or data.get("format") != FORMATS[name]:
        raise ContentError(f'{path}: expected "format": "{FORMATS[name]}"')
    records = data.get(key)
    if not isinstance(records, list) or not records:
        raise ContentError(f"{path}: expected a non-empty list under {key!r}")
    slugs = [record.get("slug") for record in records]
    if len(set(slugs)) != len(slugs):
        raise ContentError(f"{path}: slugs must be unique")
    return records


def _text_lines(record: dict[str, Any], key: str, where: str) -> str:
    value = record.get(key, [])
    if not isinstance(value, list) or not all(
        isinstance(line, str) and line.strip() and "\n" not in line for line in value
    ):
        raise ContentError(f"{where}: {key!r} must be a list of one-line texts")
    return "\n".join(line.strip() for line in value)


def _pair(record: dict[str, Any], key: str, where: str) -> tuple[int, int]:
    value = record.get(key)
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(n, int) and n > 0 for n in value)
        or value[0] > value[1]
    ):
        raise ContentError(f"{where}: {key!r} must be [min, max], e.g. [20, 30]")
    return value[0], value[1]


def _check(instance, where: str, exclude: list[str] | None = None) -> None:
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise ContentError(f"{where}: {exc.message_dict}") from exc


def stretch_fields(record: dict[str, Any], order: int) -> dict[str, Any]:
    """The Stretch field values one fixture record stands for."""
    where = f"{STRETCHES_FILE} {record.get('slug')!r}"
    hold = _pair(record, "hold_seconds", where)
    repeats = _pair(record, "repeats", where)
    values = {
        "name": record.get("name", ""),
        "order": order,
        "purpose": record.get("purpose", ""),
        "description": record.get("description", ""),
        "position": record.get("position", ""),
        "starting_position": record.get("starting_position", ""),
        "steps": _text_lines(record, "steps", where),
        "hold_min_seconds": hold[0],
        "hold_max_seconds": hold[1],
        "repeats_min": repeats[0],
        "repeats_max": repeats[1],
        "per_side": bool(record.get("per_side", False)),
        "side_note": record.get("side_note", ""),
        "cautions": _text_lines(record, "cautions", where),
        "start_illustration": record.get("start_illustration", ""),
        "start_alt": record.get("start_alt", ""),
        "hold_illustration": record.get("hold_illustration", ""),
        "hold_alt": record.get("hold_alt", ""),
    }
    if values["per_side"] and not values["side_note"]:
        raise ContentError(f"{where}: a per-side stretch needs a side_note")
    # Also checks that both drawings are among the static files (validate_drawing).
    _check(Stretch(slug=record.get("slug", ""), **values), where)
    return values


def page_fields(record: dict[str, Any], order: int) -> tuple[dict[str, Any], list[dict]]:
    """The GuidePage field values, and its items' field values, of one fixture record."""
    where = f"{GUIDE_FILE} {record.get('slug')!r}"
    values = {
        "title": record.get("title", ""),
        "order": order,
        "summary": record.get("summary", ""),
        "intro": record.get("intro", ""),
        "outro": record.get("outro", ""),
    }
    page = GuidePage(slug=record.get("slug", ""), **values)
    _check(page, where)
    raw_items = record.get("items", [])
    if not isinstance(raw_items, list) or not (
        raw_items or record.get("slug") == WARNING_SIGNS_PAGE
    ):
        raise ContentError(f"{where}: expected a non-empty list of items")
    items = []
    for number, item in enumerate(raw_items, start=1):
        item_values = {
            "order": number,
            "heading": item.get("heading", ""),
            "body": item.get("body", ""),
        }
        _check(GuideItem(**item_values), f"{where} item {number}", exclude=["page"])
        items.append(item_values)
    return values, items


def routine_fields(record: dict[str, Any]) -> tuple[dict[str, Any], list[dict]]:
    """The Routine field values, and its steps (stretch slug, hold, repeats)."""
    where = f"{ROUTINES_FILE} {record.get('slug')!r}"
    values = {"name": record.get("name", ""), "description": record.get("description", "")}
    _check(Routine(slug=record.get("slug", ""), **values), where, exclude=["uid"])
    raw_steps = record.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        raise ContentError(f"{where}: expected a non-empty list of steps")
    steps = []
    for number, step in enumerate(raw_steps, start=1):
        step_values = {
            "stretch": step.get("stretch"),
            "position": number,
            "hold_seconds": step.get("hold_seconds"),
            "repeats": step.get("repeats"),
        }
        _check(
            RoutineStep(
                position=number,
                hold_seconds=step_values["hold_seconds"],
                repeats=step_values["repeats"],
            ),
            f"{where} step {number}",
            exclude=["routine", "stretch"],
        )
        steps.append(step_values)
    return values, steps


# --- writing ------------------------------------------------------------------------


def _differs(instance, values: dict[str, Any]) -> bool:
    return any(getattr(instance, name) != value for name, value in values.items())


def _assign(instance, values: dict[str, Any]) -> None:
    for name, value in values.items():
        setattr(instance, name, value)


def _load_stretches(records: list[dict], *, reset: bool, counts: Counts) -> None:
    existing = {stretch.slug: stretch for stretch in Stretch.objects.all()}
    for order, record in enumerate(records, start=1):
        values = stretch_fields(record, order)
        stretch = existing.get(record["slug"])
        if stretch is None:
            Stretch.objects.create(slug=record["slug"], **values)
            counts.created += 1
            continue

        def restore(stretch=stretch, values=values) -> None:
            # In place: people's sessions refer to this row and must keep doing so.
            _assign(stretch, values)
            stretch.save()

        counts.settle(
            stretch.slug, same=not _differs(stretch, values), reset=reset, restore=restore
        )


def _item_rows(page: GuidePage) -> list[dict[str, Any]]:
    fields = ("order", "heading", "body")
    return list(page.items.order_by("order").values(*fields))


def _load_guide(records: list[dict], *, reset: bool, counts: Counts) -> None:
    existing = {page.slug: page for page in GuidePage.objects.all()}
    for order, record in enumerate(records, start=1):
        values, items = page_fields(record, order)
        page = existing.get(record["slug"])
        if page is None:
            page = GuidePage.objects.create(slug=record["slug"], **values)
            for item in items:
                GuideItem.objects.create(page=page, **item)
            counts.created += 1
            continue

        def restore(page=page, values=values, items=items) -> None:
            _assign(page, values)
            page.save()
            current = {item.order: item for item in page.items.all()}
            for item_values in items:
                item = current.pop(item_values["order"], None)
                if item is None:
                    GuideItem.objects.create(page=page, **item_values)
                elif _differs(item, item_values):
                    _assign(item, item_values)
                    item.save()
            for extra in current.values():
                extra.delete()

        same = not _differs(page, values) and _item_rows(page) == items
        counts.settle(page.slug, same=same, reset=reset, restore=restore)


def _step_rows(routine: Routine) -> list[dict[str, Any]]:
    rows = routine.steps.order_by("position").values(
        "stretch__slug", "position", "hold_seconds", "repeats"
    )
    return [
        {
            "stretch": row["stretch__slug"],
            "position": row["position"],
            "hold_seconds": row["hold_seconds"],
            "repeats": row["repeats"],
        }
        for row in rows
    ]


def _create_steps(routine: Routine, steps: list[dict], stretches: dict[str, Stretch]) -> None:
    RoutineStep.objects.bulk_create(
        RoutineStep(
            routine=routine,
            stretch=stretches[step["stretch"]],
            position=step["position"],
            hold_seconds=step["hold_seconds"],
            repeats=step["repeats"],
        )
        for step in steps
    )


def _load_routines(records: list[dict], *, reset: bool, counts: Counts) -> None:
    stretches = {stretch.slug: stretch for stretch in Stretch.objects.all()}
    existing = {routine.slug: routine for routine in Routine.objects.starters()}
    for record in records:
        values, steps = routine_fields(record)
        missing = {step["stretch"] for step in steps} - stretches.keys()
        if missing:
            raise ContentError(
                f"{ROUTINES_FILE} {record['slug']!r}: unknown stretch {sorted(missing)}"
            )
        routine = existing.get(record["slug"])
        if routine is None:
            if Routine.objects.filter(slug=record["slug"]).exists():
                raise ContentError(f"slug {record['slug']!r} is taken by a person's own session")
            routine = Routine.objects.create(owner=None, slug=record["slug"], **values)
            _create_steps(routine, steps, stretches)
            counts.created += 1
            continue

        def restore(routine=routine, values=values, steps=steps) -> None:
            _assign(routine, values)
            routine.save()
            # Steps have no identity of their own; practices point at the routine.
            routine.steps.all().delete()
            _create_steps(routine, steps, stretches)

        same = not _differs(routine, values) and _step_rows(routine) == steps
        counts.settle(routine.slug, same=same, reset=reset, restore=restore)


def load_content(
    *, reset: bool = False, dry_run: bool = False, directory: Path = FIXTURES_DIR
) -> LoadReport:
    """Create missing content; with ``reset``, restore changed content from the files.

    All or nothing: one transaction, rolled back on any error or when ``dry_run``.
    """
    stretches = _read(directory, STRETCHES_FILE, "stretches")
    pages = _read(directory, GUIDE_FILE, "pages")
    routines = _read(directory, ROUTINES_FILE, "routines")
    report = LoadReport()
    with transaction.atomic():
        _load_stretches(stretches, reset=reset, counts=report.stretches)
        _load_guide(pages, reset=reset, counts=report.guide_pages)
        _load_routines(routines, reset=reset, counts=report.routines)
        if dry_run:
            transaction.set_rollback(True)
    return report
