from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from spasmcare import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("manifest.webmanifest", views.web_manifest, name="web_manifest"),
    path("offline/", views.offline_page, name="offline"),
    path("install/", views.install, name="install"),
    path("", include("routines.urls")),
    path("", include("progress.urls")),
    path("", include("symptoms.urls")),
    path("", include("transfer.urls")),
    path("accounts/reminders/", include("reminders.urls")),
    path("", include("sharing.urls")),
    path("accounts/", include("accounts.urls")),
    path(settings.ADMIN_PATH, admin.site.urls),
]

handler404 = "spasmcare.views.page_not_found"
handler500 = "spasmcare.views.server_error"
