from django.urls import path

from routines import builder_views, history_views, player_views, views

app_name = "routines"

urlpatterns = [
    path("stretches/", views.StretchListView.as_view(), name="stretch_list"),
    path("stretches/<slug:slug>/", views.StretchDetailView.as_view(), name="stretch_detail"),
    path("guide/", views.GuideIndexView.as_view(), name="guide_index"),
    path("guide/<slug:slug>/", views.GuidePageView.as_view(), name="guide_page"),
    path("routines/", builder_views.routine_list, name="routine_list"),
    path("routines/new/", builder_views.routine_create, name="routine_create"),
    path("routines/history/", history_views.practice_list, name="practice_list"),
    path("routines/history/sync/", history_views.practice_sync, name="practice_sync"),
    path("routines/<int:pk>/", builder_views.routine_detail, name="routine_detail"),
    path("routines/<int:pk>/edit/", builder_views.routine_edit, name="routine_edit"),
    path("routines/<int:pk>/delete/", builder_views.routine_delete, name="routine_delete"),
    path("routines/<int:pk>/restore/", builder_views.routine_restore, name="routine_restore"),
    path("routines/<int:pk>/copy/", builder_views.routine_copy, name="routine_copy"),
    path("routines/<int:pk>/steps/add/", builder_views.step_add, name="step_add"),
    path("routines/<int:pk>/steps/order/", builder_views.step_reorder, name="step_reorder"),
    path(
        "routines/<int:pk>/steps/<int:step_pk>/",
        builder_views.step_change,
        name="step_change",
    ),
    path("routines/<int:pk>/play/", player_views.play_start, name="play_start"),
    path(
        "routines/<int:pk>/play/<str:token>/step/<int:number>/",
        player_views.play_step,
        name="play_step",
    ),
    path(
        "routines/<int:pk>/play/<str:token>/finish/",
        player_views.play_finish,
        name="play_finish",
    ),
    path("routines/<int:pk>/play/<str:token>/done/", player_views.play_done, name="play_done"),
    path("routines/<int:pk>/play/<str:token>/stop/", player_views.play_stop, name="play_stop"),
    path(
        "routines/<int:pk>/play/<str:token>/stopped/",
        player_views.play_stopped,
        name="play_stopped",
    ),
]
