from django.urls import path

from sharing import views

app_name = "sharing"

urlpatterns = [
    path("symptoms/report/share/", views.links, name="links"),
    path("symptoms/report/share/<int:pk>/revoke/", views.revoke, name="revoke"),
    path("s/<str:token>/", views.shared, name="shared"),
    path("s/<str:token>/pdf/", views.shared_pdf, name="shared_pdf"),
    path("s/<str:token>/spasmcare-fhir.json", views.shared_fhir, name="shared_fhir"),
]
