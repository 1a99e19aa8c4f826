"""/healthz for load balancers, and the error pages."""

from unittest import mock

import pytest
from django.db import OperationalError, connection


@pytest.mark.django_db
def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Type"].startswith("text/plain")
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_is_unreachable(client):
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert b"database" in response.content


@pytest.mark.django_db
def test_healthz_answers_head_and_refuses_post(client):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_unknown_address_gives_the_friendly_404(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "We could not find that page" in html
    assert "<title>Page not found · SpasmCare</title>" in html
    assert 'href="/stretches/"' in html and 'href="/guide/"' in html


@pytest.mark.django_db
def test_server_error_gives_the_calm_500_page(client, content):
    client.raise_request_exception = False
    with mock.patch(
        "routines.views.StretchListView.get_queryset", side_effect=RuntimeError("boom")
    ):
        response = client.get("/stretches/")
    assert response.status_code == 500
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "Something went wrong on our side" in html
    assert "get emergency care now" in html
