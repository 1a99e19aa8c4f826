"""The quick check at /check/: works signed out, stores nothing."""

import pytest
from django.apps import apps
from django.urls import reverse

from tests.symptom_factories import make_user

pytestmark = pytest.mark.django_db
URL = "/check/"


def answers(**overrides) -> dict:
    data = {
        "pain": "4",
        "days_of_pain": "3",
        "leg_symptoms": "none",
        "saddle_numbness": "no",
        "bladder_bowel": "no",
        "after_fall": "no",
        "fever_or_weight_loss": "no",
    }
    data.update(overrides)
    return data


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_url_name():
    assert reverse("symptoms:check") == URL


def test_form_signed_out(client):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "How many days have you had this pain?" in html
    assert "around your genitals or buttocks" in html
    assert 'name="pain"' in html


def test_immediate_sign_shows_the_alert_first(client):
    response = client.post(URL, answers(saddle_numbness="yes", pain="8", after_fall="yes"))
    assert response.status_code == 200
    html = response.content.decode()
    main = html[html.index('<main id="main"') :]
    body = main[main.index(">") + 1 :].lstrip()
    assert body.startswith('<div class="flags" role="alert"')
    assert main.index("flag--immediate") < main.index("flag--urgent")
    assert "Get emergency care now" in html
    assert html.count("<h1") == 1
    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize(("days", "flagged"), [("14", False), ("15", True)])
def test_two_weeks_boundary(client, days, flagged):
    html = client.post(URL, answers(days_of_pain=days)).content.decode()
    assert ("Pain lasting longer than two weeks" in html) is flagged
    assert ("No warning sign found" in html) is not flagged


def test_no_sign_gives_home_care_advice_and_when_to_check_again(client):
    html = client.post(URL, answers()).content.decode()
    assert "No warning sign found in your answers" in html
    assert 'href="/guide/home-care/"' in html
    assert "When to check again" in html
    assert 'role="alert"' not in html


def test_nothing_is_stored_and_no_session_is_started(client):
    before = row_counts()
    client.get(URL)
    response = client.post(URL, answers(bladder_bowel="yes", days_of_pain="30"))
    assert response.status_code == 200
    assert row_counts() == before
    assert "sessionid" not in response.cookies


def test_signed_in_check_stores_nothing_either(client):
    client.force_login(make_user())
    before = row_counts()
    assert client.post(URL, answers(leg_symptoms="both")).status_code == 200
    assert row_counts() == before


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("pain", "11"),
        ("pain", "-1"),
        ("pain", "text"),
        ("days_of_pain", "-3"),
        ("days_of_pain", "lots"),
        ("days_of_pain", ""),
        ("leg_symptoms", "three"),
        ("bladder_bowel", "perhaps"),
    ],
)
def test_bad_input_is_a_field_error(client, field, value):
    response = client.post(URL, answers(**{field: value}))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert f'id="error_1_id_{field}"' in response.content.decode()


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_wrong_method(client, method):
    assert getattr(client, method)(URL).status_code == 405


def test_says_when_two_weeks_are_reached(client):
    html = client.post(URL, answers(days_of_pain="10")).content.decode()
    assert "(in 5 days)" in html
