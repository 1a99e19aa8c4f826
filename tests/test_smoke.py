import pytest


@pytest.mark.django_db
def test_home_page_points_to_stretches_guide_and_check(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    for url in ("/stretches/", "/guide/", "/check/"):
        assert f'href="{url}"' in html
