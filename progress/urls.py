from django.urls import path

from progress import views

app_name = "progress"

urlpatterns = [
    path("symptoms/progress/", views.progress, name="progress"),
    path("symptoms/report/", views.report, name="report"),
    path("symptoms/report/pdf/", views.report_as_pdf, name="report_pdf"),
]
