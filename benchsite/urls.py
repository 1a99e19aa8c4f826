"""The product's URLs plus the benchmark's ceilings (only under benchsite.settings)."""

from django.urls import path

from benchsite import views
from spasmcare.urls import handler404, handler500, urlpatterns

urlpatterns = [
    *urlpatterns,
    path("bench/ok", views.bench_ok, name="bench_ok"),
    path("bench/latest/", views.latest, name="bench_latest"),
    path("bench/add/", views.add, name="bench_add"),
    path("bench/add-read/", views.add, {"reads": True}, name="bench_add_read"),
]

__all__ = ["handler404", "handler500", "urlpatterns"]
