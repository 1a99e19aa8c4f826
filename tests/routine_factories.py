"""Small factories for sessions, steps and practices (no fixtures, no magic ids)."""

import itertools
from datetime import timedelta

from django.utils import timezone

from routines.models import Practice, Routine, RoutineStep, Stretch

_counter = itertools.count(1)


def make_stretch(**kwargs) -> Stretch:
    n = next(_counter)
    defaults = {
        "slug": f"stretch-{n}",
        "name": f"Stretch {n}",
        "order": n,
        "purpose": "Eases the lower back.",
        "position": Stretch.Position.LYING,
        "starting_position": "Lie on your back.",
        "steps": "Bend your knees.\nBreathe slowly.",
        "start_illustration": "img/stretches/pelvic-tilt-start.svg",
        "start_alt": "A person lying on their back.",
        "hold_illustration": "img/stretches/pelvic-tilt-hold.svg",
        "hold_alt": "A person lying on their back, the lower back pressed down.",
    }
    defaults.update(kwargs)
    return Stretch.objects.create(**defaults)


def make_routine(*, owner=None, steps=(), **kwargs) -> Routine:
    """steps: stretches, or (stretch, hold_seconds, repeats) tuples, in order."""
    n = next(_counter)
    defaults = {"name": f"Session {n}"}
    if owner is None:
        defaults["slug"] = f"starter-{n}"
    defaults.update(kwargs)
    routine = Routine.objects.create(owner=owner, **defaults)
    for position, item in enumerate(steps, start=1):
        stretch, hold, repeats = item if isinstance(item, tuple) else (item, 20, 2)
        RoutineStep.objects.create(
            routine=routine, stretch=stretch, position=position, hold_seconds=hold, repeats=repeats
        )
    return routine


def make_practice(*, owner, routine=None, days_ago: int = 0, **kwargs) -> Practice:
    defaults = {
        "routine": routine,
        "routine_name": routine.name if routine else "Old session",
        "started_at": timezone.now() - timedelta(days=days_ago),
        "pain_before": 6,
        "steps_total": 3,
    }
    defaults.update(kwargs)
    return Practice.objects.create(owner=owner, **defaults)


def step_names(routine: Routine) -> list[str]:
    return [s.stretch.name for s in routine.steps.select_related("stretch").order_by("position")]


def count_queries(client, url: str) -> int:
    """Queries one GET takes, after a warm-up request (sign-in side effects, caches)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)
