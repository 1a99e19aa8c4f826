"""Session list, builder views and builder services."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from routines import services
from routines.models import Practice, Routine, RoutineStep
from tests.routine_factories import (
    count_queries,
    make_practice,
    make_routine,
    make_stretch,
    step_names,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def stretches():
    return [
        make_stretch(name="Pelvic tilt"),
        make_stretch(name="Knee to chest", per_side=True, side_note="Then the other leg."),
        make_stretch(name="Cat-camel"),
    ]


@pytest.fixture
def own(person, stretches):
    return make_routine(owner=person, name="Morning", steps=stretches)


@pytest.fixture
def starter(stretches):
    return make_routine(name="All three", steps=stretches)


def add_practices(owner, routine, count: int) -> None:
    now = timezone.now()
    Practice.objects.bulk_create(
        Practice(
            owner=owner,
            routine=routine,
            routine_name=routine.name,
            started_at=now - timedelta(hours=n),
            pain_before=5,
        )
        for n in range(count)
    )


# --- services ----------------------------------------------------------------------


def test_add_step_defaults_to_the_stretchs_advice_and_goes_last(own):
    stretch = make_stretch(name="Child's pose", hold_min_seconds=30, repeats_min=3)
    step = services.add_step(routine=own, stretch=stretch)
    assert (step.hold_seconds, step.repeats, step.position) == (30, 3, 4)
    assert step_names(own)[-1] == "Child's pose"


def test_add_step_refuses_out_of_bounds_and_saves_nothing(own, stretches):
    with pytest.raises(ValueError):
        services.add_step(routine=own, stretch=stretches[0], hold_seconds=61)
    with pytest.raises(ValueError):
        services.add_step(routine=own, stretch=stretches[0], repeats=0)
    assert own.steps.count() == 3


def test_add_step_stops_at_the_limit(person, stretches):
    routine = make_routine(owner=person, steps=[stretches[0]] * services.MAX_STEPS)
    with pytest.raises(services.StepLimitReached):
        services.add_step(routine=routine, stretch=stretches[1])
    assert routine.steps.count() == services.MAX_STEPS


def test_move_step_up_and_down_and_not_past_the_ends(own):
    pelvic, knee, cat = own.steps.order_by("position")
    services.move_step(step=cat, direction="up")
    assert step_names(own) == ["Pelvic tilt", "Cat-camel", "Knee to chest"]
    services.move_step(step=pelvic, direction="down")
    assert step_names(own) == ["Cat-camel", "Pelvic tilt", "Knee to chest"]
    services.move_step(step=knee, direction="down")  # already last: no change
    services.move_step(step=cat, direction="up")  # already first: no change
    assert step_names(own) == ["Cat-camel", "Pelvic tilt", "Knee to chest"]
    assert sorted(own.steps.values_list("position", flat=True)) == [1, 2, 3]


def test_move_step_first_to_last():
    stretches = [make_stretch(name=n) for n in ("A", "B", "C")]
    routine = make_routine(owner=None, steps=stretches)
    first = routine.steps.get(position=1)
    services.move_step(step=first, direction="down")
    services.move_step(step=first, direction="down")
    services.move_step(step=first, direction="down")
    assert step_names(routine) == ["B", "C", "A"]


def test_remove_step_renumbers(own):
    middle = own.steps.get(position=2)
    services.remove_step(step=middle)
    assert step_names(own) == ["Pelvic tilt", "Cat-camel"]
    assert list(own.steps.order_by("position").values_list("position", flat=True)) == [1, 2]


def test_copy_routine_copies_steps_in_order(starter, person):
    starter_step = starter.steps.get(position=2)
    starter_step.hold_seconds = 45
    starter_step.save()
    copy = services.copy_routine(routine=starter, owner=person)
    assert copy.owner == person and copy.slug is None and copy.pk != starter.pk
    assert step_names(copy) == step_names(starter)
    assert copy.steps.get(position=2).hold_seconds == 45
    assert copy.uid != starter.uid
    assert starter.steps.count() == 3  # the starter is untouched


def test_step_timings_count_both_sides(own):
    steps = list(own.steps.select_related("stretch").order_by("position"))
    timings = services.step_timings(steps)
    assert [t.sides for t in timings] == [1, 2, 1]


# --- list ----------------------------------------------------------------------------


def test_list_signed_out_shows_starters_only(client, starter, own):
    response = client.get(reverse("routines:routine_list"))
    assert response.status_code == 200
    assert "All three" in response.text
    assert "Morning" not in response.text
    assert "Copy to my sessions" not in response.text


def test_list_signed_in_shows_starters_and_own_not_others(client, person, other, starter, own):
    make_routine(owner=other, name="Bob's secret")
    client.force_login(person)
    response = client.get(reverse("routines:routine_list"))
    assert "All three" in response.text and "Morning" in response.text
    assert "Bob&#x27;s secret" not in response.text and "Bob's secret" not in response.text
    assert "Copy to my sessions" in response.text


def test_list_queries_do_not_grow_with_sessions(client, person, stretches):
    client.force_login(person)
    url = reverse("routines:routine_list")
    make_routine(owner=person, steps=stretches)
    few = count_queries(client, url)
    for _ in range(20):
        make_routine(owner=person, steps=stretches)
    many = count_queries(client, url)
    print(f"list queries: 1 own session -> {few}; 21 own sessions -> {many}")
    assert many == few
    assert few <= 7  # +1: the warning-banner check on every signed-in page, +1: undo


def test_list_wrong_method(client):
    assert client.post(reverse("routines:routine_list")).status_code == 405


# --- create -------------------------------------------------------------------------


def test_create_happy_path(client, person):
    client.force_login(person)
    assert client.get(reverse("routines:routine_create")).status_code == 200
    response = client.post(
        reverse("routines:routine_create"), {"name": "Evening", "description": ""}
    )
    routine = Routine.objects.get(owner=person, name="Evening")
    assert response.status_code == 302
    assert response.url == reverse("routines:routine_edit", args=[routine.pk])


def test_create_bad_input_is_400_and_saves_nothing(client, person):
    client.force_login(person)
    response = client.post(reverse("routines:routine_create"), {"name": "   "})
    assert response.status_code == 400
    assert "name" in response.context["form"].errors
    assert not Routine.objects.filter(owner=person).exists()


def test_create_signed_out_redirects_to_login(client):
    response = client.post(reverse("routines:routine_create"), {"name": "X"})
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert not Routine.objects.exists()


def test_create_wrong_method(client, person):
    client.force_login(person)
    assert client.put(reverse("routines:routine_create")).status_code == 405


# --- detail -------------------------------------------------------------------------


def test_detail_shows_steps_estimate_and_advice_notes(client, person, own):
    step = own.steps.get(position=1)
    step.hold_seconds = 50
    step.save()
    client.force_login(person)
    response = client.get(reverse("routines:routine_detail", args=[own.pk]))
    assert response.status_code == 200
    assert "Estimated time" in response.text
    assert "Longer than the advised 20–30 second hold" in response.text
    assert "each side" in response.text
    assert response.context["total_seconds"] > 0


def test_detail_of_starter_is_public_and_read_only(client, starter):
    response = client.get(reverse("routines:routine_detail", args=[starter.pk]))
    assert response.status_code == 200
    assert response.context["can_edit"] is False
    assert reverse("routines:routine_edit", args=[starter.pk]) not in response.text


def test_detail_of_other_persons_session_is_404(client, other, own):
    client.force_login(other)
    assert client.get(reverse("routines:routine_detail", args=[own.pk])).status_code == 404


def test_detail_signed_out_own_session_is_404(client, own):
    assert client.get(reverse("routines:routine_detail", args=[own.pk])).status_code == 404


def test_detail_queries_do_not_grow_with_steps_or_practices(client, person, own, stretches):
    client.force_login(person)
    url = reverse("routines:routine_detail", args=[own.pk])
    few = count_queries(client, url)
    for stretch in stretches * 3:
        services.add_step(routine=own, stretch=stretch)
    add_practices(person, own, 500)
    many = count_queries(client, url)
    print(f"detail queries: 3 steps, 0 practices -> {few}; 12 steps, 500 practices -> {many}")
    assert many == few
    assert few <= 7  # +1: the warning-banner check on every signed-in page, +1: undo


def test_detail_wrong_method(client, person, own):
    client.force_login(person)
    assert client.post(reverse("routines:routine_detail", args=[own.pk])).status_code == 405


# --- edit ---------------------------------------------------------------------------


def test_edit_page_and_rename(client, person, own):
    client.force_login(person)
    url = reverse("routines:routine_edit", args=[own.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response.text.count('name="action" value="up"') == 3
    response = client.post(url, {"name": "Morning calm", "description": "Slow."})
    assert response.status_code == 302
    own.refresh_from_db()
    assert (own.name, own.description) == ("Morning calm", "Slow.")


def test_edit_bad_input_is_400_and_keeps_the_name(client, person, own):
    client.force_login(person)
    response = client.post(reverse("routines:routine_edit", args=[own.pk]), {"name": ""})
    assert response.status_code == 400
    assert "name" in response.context["details_form"].errors
    own.refresh_from_db()
    assert own.name == "Morning"


def test_edit_other_persons_session_is_404(client, other, own):
    client.force_login(other)
    url = reverse("routines:routine_edit", args=[own.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "Mine now"}).status_code == 404
    own.refresh_from_db()
    assert own.name == "Morning"


def test_edit_starter_is_404(client, person, starter):
    client.force_login(person)
    assert client.get(reverse("routines:routine_edit", args=[starter.pk])).status_code == 404


def test_edit_signed_out_redirects(client, own):
    response = client.get(reverse("routines:routine_edit", args=[own.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_edit_wrong_method(client, person, own):
    client.force_login(person)
    assert client.delete(reverse("routines:routine_edit", args=[own.pk])).status_code == 405


def test_edit_queries_do_not_grow_with_steps_or_practices(client, person, own, stretches):
    client.force_login(person)
    url = reverse("routines:routine_edit", args=[own.pk])
    few = count_queries(client, url)
    for stretch in stretches * 3:
        services.add_step(routine=own, stretch=stretch)
    add_practices(person, own, 500)
    many = count_queries(client, url)
    print(f"edit queries: 3 steps, 0 practices -> {few}; 12 steps, 500 practices -> {many}")
    assert many == few
    assert few <= 7  # +1: the warning-banner check on every signed-in page


# --- steps ----------------------------------------------------------------------------


def test_add_step_view_uses_defaults_when_blank(client, person, own, stretches):
    client.force_login(person)
    response = client.post(
        reverse("routines:step_add", args=[own.pk]),
        {"stretch": stretches[1].pk, "hold_seconds": "", "repeats": ""},
    )
    assert response.status_code == 302
    step = own.steps.get(position=4)
    assert (step.stretch, step.hold_seconds, step.repeats) == (stretches[1], 20, 2)


def test_add_step_view_with_values(client, person, own, stretches):
    client.force_login(person)
    client.post(
        reverse("routines:step_add", args=[own.pk]),
        {"stretch": stretches[0].pk, "hold_seconds": "45", "repeats": "4"},
    )
    step = own.steps.get(position=4)
    assert (step.hold_seconds, step.repeats) == (45, 4)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"hold_seconds": "9"}, "hold_seconds"),
        ({"hold_seconds": "61"}, "hold_seconds"),
        ({"repeats": "0"}, "repeats"),
        ({"repeats": "6"}, "repeats"),
        ({"repeats": "two"}, "repeats"),
        ({"stretch": "999999"}, "stretch"),
        ({"stretch": ""}, "stretch"),
    ],
)
def test_add_step_bad_input_is_400_and_saves_nothing(client, person, own, stretches, data, field):
    client.force_login(person)
    post = {"stretch": stretches[0].pk, "hold_seconds": "20", "repeats": "2", **data}
    response = client.post(reverse("routines:step_add", args=[own.pk]), post)
    assert response.status_code == 400
    assert field in response.context["add_form"].errors
    assert own.steps.count() == 3


def test_add_step_at_the_limit_is_400(client, person, stretches):
    routine = make_routine(owner=person, steps=[stretches[0]] * services.MAX_STEPS)
    client.force_login(person)
    response = client.post(
        reverse("routines:step_add", args=[routine.pk]),
        {"stretch": stretches[1].pk, "hold_seconds": "", "repeats": ""},
    )
    assert response.status_code == 400
    assert routine.steps.count() == services.MAX_STEPS


def test_add_step_to_other_persons_or_starter_is_404(client, other, own, starter, stretches):
    client.force_login(other)
    for routine in (own, starter):
        response = client.post(
            reverse("routines:step_add", args=[routine.pk]), {"stretch": stretches[0].pk}
        )
        assert response.status_code == 404
    assert own.steps.count() == 3 and starter.steps.count() == 3


def test_add_step_wrong_method(client, person, own):
    client.force_login(person)
    assert client.get(reverse("routines:step_add", args=[own.pk])).status_code == 405


def _step_url(routine, step):
    return reverse("routines:step_change", args=[routine.pk, step.pk])


def test_step_save_hold_and_repeats(client, person, own):
    client.force_login(person)
    step = own.steps.get(position=1)
    response = client.post(
        _step_url(own, step),
        {"action": "save", f"step-{step.pk}-hold_seconds": "15", f"step-{step.pk}-repeats": "3"},
    )
    assert response.status_code == 302
    step.refresh_from_db()
    assert (step.hold_seconds, step.repeats) == (15, 3)
    page = client.get(reverse("routines:routine_detail", args=[own.pk]))
    assert "Shorter than the advised 20–30 second hold" in page.text


def test_step_save_bad_input_is_400_with_field_error(client, person, own):
    client.force_login(person)
    step = own.steps.get(position=1)
    response = client.post(
        _step_url(own, step),
        {"action": "save", f"step-{step.pk}-hold_seconds": "61", f"step-{step.pk}-repeats": "2"},
    )
    assert response.status_code == 400
    assert "Ensure this value is less than or equal to 60" in response.text
    step.refresh_from_db()
    assert step.hold_seconds == 20


def test_step_move_and_remove_buttons(client, person, own):
    client.force_login(person)
    last = own.steps.get(position=3)
    client.post(_step_url(own, last), {"action": "up"})
    assert step_names(own) == ["Pelvic tilt", "Cat-camel", "Knee to chest"]
    first = own.steps.get(position=1)
    client.post(_step_url(own, first), {"action": "down"})
    assert step_names(own) == ["Cat-camel", "Pelvic tilt", "Knee to chest"]
    client.post(_step_url(own, first), {"action": "remove"})
    assert step_names(own) == ["Cat-camel", "Knee to chest"]


def test_step_unknown_action_is_400(client, person, own):
    client.force_login(person)
    step = own.steps.get(position=1)
    assert client.post(_step_url(own, step), {"action": "explode"}).status_code == 400
    assert own.steps.count() == 3


def test_step_of_other_persons_session_is_404(client, other, own):
    client.force_login(other)
    step = own.steps.get(position=1)
    assert client.post(_step_url(own, step), {"action": "remove"}).status_code == 404
    assert own.steps.count() == 3


def test_step_under_wrong_routine_is_404(client, person, own):
    second = make_routine(owner=person, steps=[make_stretch()])
    client.force_login(person)
    step = own.steps.get(position=1)
    url = reverse("routines:step_change", args=[second.pk, step.pk])
    assert client.post(url, {"action": "remove"}).status_code == 404
    assert own.steps.count() == 3


def test_step_change_wrong_method(client, person, own):
    client.force_login(person)
    assert client.get(_step_url(own, own.steps.first())).status_code == 405


# --- copy and delete ----------------------------------------------------------------------


def test_copy_starter(client, person, starter):
    client.force_login(person)
    response = client.post(reverse("routines:routine_copy", args=[starter.pk]))
    copy = Routine.objects.get(owner=person)
    assert response.status_code == 302
    assert response.url == reverse("routines:routine_edit", args=[copy.pk])
    assert step_names(copy) == step_names(starter)


def test_copy_signed_out_redirects_and_copies_nothing(client, starter):
    response = client.post(reverse("routines:routine_copy", args=[starter.pk]))
    assert response.status_code == 302
    assert Routine.objects.count() == 1


def test_copy_other_persons_session_is_404(client, other, own):
    client.force_login(other)
    assert client.post(reverse("routines:routine_copy", args=[own.pk])).status_code == 404
    assert not Routine.objects.filter(owner=other).exists()


def test_copy_wrong_method(client, person, starter):
    client.force_login(person)
    assert client.get(reverse("routines:routine_copy", args=[starter.pk])).status_code == 405
    assert not Routine.objects.filter(owner=person).exists()


def test_delete_confirm_then_delete(client, person, own):
    client.force_login(person)
    url = reverse("routines:routine_delete", args=[own.pk])
    assert client.get(url).status_code == 200
    assert Routine.objects.filter(pk=own.pk).exists()  # GET changes nothing
    response = client.post(url)
    assert response.status_code == 302
    assert not Routine.objects.filter(pk=own.pk).exists()
    # Kept a day for undo (tests/test_undo.py), then purged with its steps.
    assert RoutineStep.objects.filter(routine_id=own.pk).exists()
    services.purge_deleted(timezone.now() + timedelta(days=2))
    assert not Routine.all_objects.filter(pk=own.pk).exists()
    assert not RoutineStep.objects.filter(routine_id=own.pk).exists()


def test_delete_other_persons_session_or_starter_is_404(client, other, own, starter):
    client.force_login(other)
    assert client.post(reverse("routines:routine_delete", args=[own.pk])).status_code == 404
    assert client.post(reverse("routines:routine_delete", args=[starter.pk])).status_code == 404
    assert Routine.objects.count() == 2


def test_delete_wrong_method(client, person, own):
    client.force_login(person)
    assert client.put(reverse("routines:routine_delete", args=[own.pk])).status_code == 405


def test_deleting_the_account_removes_sessions_and_practices(person, own):
    make_practice(owner=person, routine=own)
    person.delete()
    assert not Routine.objects.filter(pk=own.pk).exists()
    assert not Practice.objects.exists()


# --- reorder (drag and drop) ----------------------------------------------------------------


def post_order(client, routine, order: str):
    """What builder.js sends after a drag and drop: the step ids in their new order."""
    return client.post(reverse("routines:step_reorder", args=[routine.pk]), {"order": order})


def test_reorder_puts_steps_in_the_given_order(client, person, own):
    pelvic, knee, cat = own.steps.order_by("position")
    client.force_login(person)
    response = post_order(client, own, f"{cat.pk},{pelvic.pk},{knee.pk}")
    assert response.status_code == 302
    assert step_names(own) == ["Cat-camel", "Pelvic tilt", "Knee to chest"]


@pytest.mark.parametrize(
    "order", ["", "abc", "first,second", "{0}", "{0},{1},{1}", "{0},{1},{2},999999"]
)
def test_reorder_bad_input_is_400_and_changes_nothing(client, person, own, order):
    ids = list(own.steps.order_by("position").values_list("pk", flat=True))
    client.force_login(person)
    response = post_order(client, own, order.format(*ids))
    assert response.status_code == 400
    assert step_names(own) == ["Pelvic tilt", "Knee to chest", "Cat-camel"]


def test_reorder_with_another_sessions_steps_is_400(client, person, own, stretches):
    second = make_routine(owner=person, steps=stretches)
    ids = list(second.steps.values_list("pk", flat=True))
    client.force_login(person)
    response = post_order(client, own, ",".join(map(str, ids)))
    assert response.status_code == 400
    assert step_names(own) == ["Pelvic tilt", "Knee to chest", "Cat-camel"]


def test_reorder_other_persons_session_is_404(client, other, own):
    ids = list(own.steps.order_by("-position").values_list("pk", flat=True))
    client.force_login(other)
    response = post_order(client, own, ",".join(map(str, ids)))
    assert response.status_code == 404
    assert step_names(own) == ["Pelvic tilt", "Knee to chest", "Cat-camel"]


def test_reorder_signed_out_and_wrong_method(client, person, own):
    url = reverse("routines:step_reorder", args=[own.pk])
    assert client.post(url, {"order": ""}).status_code == 302
    client.force_login(person)
    assert client.get(url).status_code == 405
