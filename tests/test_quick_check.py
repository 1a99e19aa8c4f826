"""The quick check at /check/: works signed out, stores nothing, needs every answer."""

import pytest
from django.apps import apps
from django.urls import reverse

from safety.forms import sign_options
from safety.regions import regions
from safety.rules import ENTRY_RULES
from safety.signs import ASKED
from tests.signs import NONE, ticked
from tests.symptom_factories import make_user

pytestmark = pytest.mark.django_db
URL = "/check/"


def answers(*signs: str, **overrides) -> dict:
    data = {"pain": "4", "days_of_pain": "3", "region": "GB", **(ticked(*signs) if signs else NONE)}
    data.update(overrides)
    return data


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_url_name():
    assert reverse("symptoms:check") == URL


def test_form_signed_out_asks_every_sign(client):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "How many days have you had this pain?" in html
    assert 'name="pain"' in html and 'name="region"' in html
    assert "None of these" in html
    for sign in ASKED:
        for _, label in sign_options(sign):
            assert label in html, label


def test_immediate_sign_shows_the_alert_first_with_a_call_button(client):
    response = client.post(URL, answers("saddle_numbness", "after_fall", pain="8"))
    assert response.status_code == 200
    html = response.content.decode()
    main = html[html.index('<main id="main"') :]
    body = main[main.index(">") + 1 :].lstrip()
    assert body.startswith('<div class="flags" role="alert"')
    assert main.index("flag--immediate") < main.index("flag--urgent")
    assert "Get emergency care now" in html
    assert 'href="tel:999"' in html and 'href="tel:111"' in html
    assert html.count("<h1") == 1
    assert response["Cache-Control"] == "no-store"


ASKED_CODES = {sign.code: sign for sign in ASKED}
ASKED_RULES = [r for r in ENTRY_RULES if all(c.sign in ASKED_CODES for c in r.when)]


def test_only_the_retired_rule_is_not_asked():
    assert {r.code for r in ENTRY_RULES} - {r.code for r in ASKED_RULES} == {"fever_weight_loss"}


@pytest.mark.parametrize("rule", ASKED_RULES, ids=lambda rule: rule.code)
def test_every_sign_rule_shows_its_own_title(client, rule):
    """One wording: the result page takes each sign's title from the rule table."""
    options = []
    for condition in rule.when:
        sign, value = ASKED_CODES[condition.sign], condition.answers[0]
        options.append(sign.code if sign.is_yes_no else f"{sign.code}:{value}")
    html = client.post(URL, answers(*options, pain="9")).content.decode()
    assert rule.title in html


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


def test_blank_warning_questions_are_a_400_never_no_sign_found(client):
    data = answers()
    del data["warning_signs"]
    response = client.post(URL, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "No warning sign found" not in html
    assert "warning_signs" in response.context["form"].errors
    assert "tick each sign you have, or tick “None of these”" in html


def test_none_of_these_with_a_sign_is_refused(client):
    response = client.post(URL, answers("none", "bladder_bowel"))
    assert response.status_code == 400
    assert "You ticked “None of these” and also a warning sign" in response.content.decode()


def test_nothing_is_stored_and_no_session_is_started(client):
    before = row_counts()
    client.get(URL)
    response = client.post(URL, answers("bladder_bowel", days_of_pain="30"))
    assert response.status_code == 200
    assert row_counts() == before
    assert "sessionid" not in response.cookies


def test_signed_in_check_stores_nothing_either(client):
    client.force_login(make_user())
    before = row_counts()
    assert client.post(URL, answers("leg_symptoms:both")).status_code == 200
    assert row_counts() == before


@pytest.mark.parametrize(
    ("code", "emergency", "urgent"),
    [("GB", "999", "111"), ("AU", "000", "1800022222"), ("US", "911", None), ("IE", "112", None)],
)
def test_the_chosen_region_gives_its_numbers_and_is_kept_in_a_cookie_only(
    client, code, emergency, urgent
):
    before = row_counts()
    response = client.post(URL, answers("bladder_bowel", "leg_symptoms:one", region=code))
    html = response.content.decode()
    assert f'href="tel:{emergency}"' in html
    if urgent:
        assert f'href="tel:{urgent}"' in html
    else:
        # No urgent line: the words still say what to do, without a made-up number.
        assert regions()[code].urgent.label in html
    assert response.cookies["region"].value == code
    assert row_counts() == before
    # The next visit keeps it.
    assert f'value="{code}" selected' in client.get(URL).content.decode()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("pain", "11"),
        ("pain", "-1"),
        ("pain", "text"),
        ("days_of_pain", "-3"),
        ("days_of_pain", "lots"),
        ("days_of_pain", ""),
        ("warning_signs", "leg_symptoms:three"),
        ("warning_signs", "perhaps"),
        ("region", "XX"),
    ],
)
def test_bad_input_is_a_field_error(client, field, value):
    response = client.post(URL, answers(**{field: value}))
    assert response.status_code == 400
    form = response.context["region_form" if field == "region" else "form"]
    assert field in form.errors


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_wrong_method(client, method):
    assert getattr(client, method)(URL).status_code == 405


def test_says_when_two_weeks_are_reached(client):
    html = client.post(URL, answers(days_of_pain="10")).content.decode()
    assert "(in 5 days)" in html
