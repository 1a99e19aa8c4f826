from django.urls import path

from reminders import views

app_name = "reminders"

urlpatterns = [
    path("", views.reminder_list, name="list"),
    path("new/", views.reminder_form, name="create"),
    path("<int:pk>/edit/", views.reminder_form, name="edit"),
    path("<int:pk>/pause/", views.reminder_pause, name="pause"),
    path("<int:pk>/resume/", views.reminder_resume, name="resume"),
    path("<int:pk>/delete/", views.reminder_delete, name="delete"),
    path("quiet-hours/", views.quiet_hours, name="quiet_hours"),
    path("push/subscribe/", views.push_subscribe, name="push_subscribe"),
    path("push/unsubscribe/", views.push_unsubscribe, name="push_unsubscribe"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
