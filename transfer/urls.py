from django.urls import path

from transfer import views

app_name = "transfer"

urlpatterns = [
    path("accounts/export/", views.export_page, name="export"),
    path(
        "accounts/export/spasmcare-data.json",
        views.export_download,
        {"kind": "json"},
        name="export_json",
    ),
    path(
        "accounts/export/pain-entries.csv",
        views.export_download,
        {"kind": "entries_csv"},
        name="export_entries_csv",
    ),
    path(
        "accounts/export/practices.csv",
        views.export_download,
        {"kind": "practices_csv"},
        name="export_practices_csv",
    ),
    path(
        "accounts/export/spasmcare-fhir.json",
        views.export_download,
        {"kind": "fhir"},
        name="export_fhir",
    ),
    path("accounts/import/", views.import_page, name="import"),
]
