from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import transfer_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("signup/", views.signup, name="signup"),
    path("", views.account, name="account"),
    path("export/", transfer_views.export_page, name="export"),
    path("export/spasmcare-data.json", transfer_views.export_json, name="export_json"),
    path("export/pain-entries.csv", transfer_views.export_entries_csv, name="export_entries_csv"),
    path("export/practices.csv", transfer_views.export_practices_csv, name="export_practices_csv"),
    path("import/", transfer_views.import_page, name="import"),
]
