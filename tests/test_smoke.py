import pytest


@pytest.mark.django_db
def test_home_page_points_to_stretches_guide_and_check(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    for url in ("/stretches/", "/guide/", "/check/"):
        assert f'href="{url}"' in html


@pytest.mark.django_db
def test_every_page_declares_both_colour_schemes_and_the_app_icons(client):
    html = client.get("/").content.decode()
    # An SVG drawing in <img> follows the page's declared scheme: without this meta the
    # drawings would stay light on a dark page.
    assert '<meta name="color-scheme" content="light dark">' in html
    assert '<link rel="icon" href="/static/img/logo.svg" type="image/svg+xml">' in html
    assert '<link rel="apple-touch-icon" href="/static/img/apple-touch-icon.png">' in html
    assert 'media="(prefers-color-scheme: dark)"' in html  # the dark theme-color
    # The logo in the header is decoration: the link's words are "SpasmCare home".
    assert '<img class="site-brand__logo" src="/static/img/logo.svg" alt=""' in html
