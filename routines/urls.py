from django.urls import path

from routines import views

app_name = "routines"

urlpatterns = [
    path("stretches/", views.StretchListView.as_view(), name="stretch_list"),
    path("stretches/<slug:slug>/", views.StretchDetailView.as_view(), name="stretch_detail"),
    path("guide/", views.GuideIndexView.as_view(), name="guide_index"),
    path("guide/<slug:slug>/", views.GuidePageView.as_view(), name="guide_page"),
    path("routines/", views.routine_list, name="routine_list"),
]
