from django.urls import path

from symptoms import views

app_name = "symptoms"

urlpatterns = [
    path("check/", views.check, name="check"),
    path("symptoms/", views.entry_list, name="entry_list"),
]
