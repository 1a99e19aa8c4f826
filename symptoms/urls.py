from django.urls import path

from symptoms import check_views, flag_views, sync_views, views

app_name = "symptoms"

urlpatterns = [
    path("check/", check_views.check, name="check"),
    path("symptoms/", views.entry_list, name="entry_list"),
    path("symptoms/new/", views.entry_create, name="entry_create"),
    path("symptoms/sync/", sync_views.entry_sync, name="entry_sync"),
    path("symptoms/<int:pk>/edit/", views.entry_edit, name="entry_edit"),
    path("symptoms/<int:pk>/saved/", views.entry_saved, name="entry_saved"),
    path("symptoms/<int:pk>/delete/", views.entry_delete, name="entry_delete"),
    path("symptoms/<int:pk>/restore/", views.entry_restore, name="entry_restore"),
    path("symptoms/episodes/<int:pk>/", views.episode_detail, name="episode_detail"),
    path("symptoms/episodes/<int:pk>/onset/", views.episode_onset, name="episode_onset"),
    path("symptoms/episodes/<int:pk>/resolve/", flag_views.episode_resolve, name="episode_resolve"),
    path("symptoms/episodes/<int:pk>/reopen/", flag_views.episode_reopen, name="episode_reopen"),
    path(
        "symptoms/episodes/<int:pk>/flags/<slug:code>/acknowledge/",
        flag_views.flag_acknowledge,
        name="flag_acknowledge",
    ),
    path(
        "symptoms/episodes/<int:pk>/flags/<slug:code>/undo/",
        flag_views.flag_undo,
        name="flag_undo",
    ),
]
