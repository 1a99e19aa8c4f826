"""The app's URLs plus one that fails, to see the 500 page in the browser."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from spasmcare.urls import handler404, handler500
from spasmcare.urls import urlpatterns as app_urlpatterns


def fail(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a deliberate failure for the 500 page test")


urlpatterns = [path("fail-on-purpose/", fail), *app_urlpatterns]
__all__ = ["handler404", "handler500", "urlpatterns"]
